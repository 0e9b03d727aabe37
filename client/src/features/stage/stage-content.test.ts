import { describe, expect, it } from 'vitest';
import type { BackstageNote } from '#shared/domain/moderation';
import type { Question } from '#shared/domain/question';
import { liveTextSize, notesArrived, notesNewestFirst, stageQuestions } from './stage-content';

const q = (id: string, over: Partial<Question> = {}): Question => ({
  id,
  eventId: 'e',
  text: `question ${id}`,
  anonymous: false,
  author: null,
  state: 'approved',
  votes: 0,
  starred: false,
  position: null,
  createdAt: '2026-11-25T18:00:00.000Z',
  liveAt: null,
  answeredAt: null,
  rejectedReason: null,
  mergedInto: null,
  origin: 'online',
  ...over,
});

const note = (id: string, at: string): BackstageNote => ({ id, eventId: 'e', text: `note ${id}`, by: 'Camille', at });

describe('what the stage shows of the questions', () => {
  it('shows the live question and the next three approved ones, most voted first', () => {
    const questions = [
      q('a', { votes: 1 }),
      q('b', { votes: 7 }),
      q('live', { state: 'live', liveAt: '2026-11-25T18:20:00.000Z' }),
      q('c', { votes: 3 }),
      q('d', { votes: 0 }),
      q('e', { votes: 5 }),
    ];
    const shown = stageQuestions(questions);
    expect(shown.live?.id).toBe('live');
    expect(shown.next.map((x) => x.id)).toEqual(['b', 'e', 'c']);
    expect(shown.more).toBe(2);
  });

  it('follows the moderators: placed questions, then starred ones, come before votes', () => {
    const questions = [q('a', { votes: 9 }), q('b', { starred: true }), q('c', { position: 0 })];
    expect(stageQuestions(questions).next.map((x) => x.id)).toEqual(['c', 'b', 'a']);
  });

  it('leaves out the pending, rejected, merged and answered questions', () => {
    const questions = [
      q('pending', { state: 'pending', votes: 9 }),
      q('rejected', { state: 'rejected', votes: 9 }),
      q('merged', { state: 'merged', votes: 9 }),
      q('answered', { state: 'answered', votes: 9 }),
      q('ok'),
    ];
    expect(stageQuestions(questions)).toEqual({ live: null, next: [questions[4]], more: 0 });
  });

  it('shows the question that went live last should two be live for a moment', () => {
    const questions = [
      q('new', { state: 'live', liveAt: '2026-11-25T18:30:00.000Z' }),
      q('old', { state: 'live', liveAt: '2026-11-25T18:10:00.000Z' }),
    ];
    expect(stageQuestions(questions).live?.id).toBe('new');
  });

  it('has nothing on stage in an empty room', () => {
    expect(stageQuestions([])).toEqual({ live: null, next: [], more: 0 });
  });
});

describe('the moderators’ notes on stage', () => {
  const notes = [note('1', '2026-11-25T18:01:00.000Z'), note('2', '2026-11-25T18:05:00.000Z'), note('3', '2026-11-25T18:03:00.000Z')];

  it('puts the newest note on top', () => {
    expect(notesNewestFirst(notes).map((n) => n.id)).toEqual(['2', '3', '1']);
    expect(notes.map((n) => n.id)).toEqual(['1', '2', '3']);
  });

  it('finds the notes that arrived since the view last looked, oldest first', () => {
    expect(notesArrived(new Set(['1']), notes).map((n) => n.id)).toEqual(['3', '2']);
    expect(notesArrived(new Set(['1', '2', '3']), notes)).toEqual([]);
  });
});

describe('the size of the live question', () => {
  it('sets short questions largest and shrinks the longest so they fit the screen', () => {
    expect(liveTextSize('Comment travaillez-vous vos couleurs ?')).toBe('large');
    expect(liveTextSize('x'.repeat(150))).toBe('medium');
    expect(liveTextSize('x'.repeat(300))).toBe('small');
  });
});
