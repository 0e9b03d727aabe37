import { describe, expect, it } from 'vitest';
import type { TimelineItem } from './broadcast';
import { chapterAt, chaptersOf } from './chapters';

const live = (questionId: string, offset: number | null, at = '2027-03-05T18:00:00.000Z'): TimelineItem => ({
  type: 'question-live',
  at,
  offset,
  questionId,
  text: `Question ${questionId}`,
  author: null,
});

describe('chapters', () => {
  it('makes one chapter per question that went on air, each until the next one, the last until the end', () => {
    const items: TimelineItem[] = [
      { type: 'chat', at: '2027-03-05T18:00:00.000Z', offset: 3, messageId: 'm', author: { id: 'u', displayName: 'Ana', role: 'guest' }, text: 'x' },
      live('q1', 120),
      { type: 'question-answered', at: '2027-03-05T18:05:00.000Z', offset: 300, questionId: 'q1', text: 'Question q1' },
      live('q2', 410.5),
    ];
    expect(chaptersOf(items, 900)).toEqual([
      { questionId: 'q1', title: 'Question q1', start: 120, end: 410.5 },
      { questionId: 'q2', title: 'Question q2', start: 410.5, end: 900 },
    ]);
  });

  it('leaves out questions the replay does not hold, and keeps only the last of those before its start', () => {
    const items = [
      live('early', 0, '2027-03-05T17:50:00.000Z'),
      live('still-on-air', 0, '2027-03-05T17:55:00.000Z'),
      live('after-the-end', null),
      live('at-the-end', 900),
    ];
    expect(chaptersOf(items, 900)).toEqual([{ questionId: 'still-on-air', title: 'Question still-on-air', start: 0, end: 900 }]);
  });

  it('leaves out a question answered before the replay starts, or within a gap', () => {
    const answered = (questionId: string, offset: number | null): TimelineItem => ({
      type: 'question-answered',
      at: '2027-03-05T18:00:00.000Z',
      offset,
      questionId,
      text: `Question ${questionId}`,
    });
    const items = [
      live('trimmed', 0),
      answered('trimmed', 0),
      live('in-the-gap', 300),
      answered('in-the-gap', 300),
      live('on-air', 300),
      answered('on-air', 420),
    ];
    expect(chaptersOf(items, 900)).toEqual([{ questionId: 'on-air', title: 'Question on-air', start: 300, end: 900 }]);
  });

  it('finds the chapter playing at a position', () => {
    const chapters = chaptersOf([live('q1', 120), live('q2', 400)], 900);
    expect([0, 119.9, 120, 399, 400, 900].map((p) => chapterAt(chapters, p))).toEqual([-1, -1, 0, 0, 1, 1]);
    expect(chapterAt([], 10)).toBe(-1);
  });
});
