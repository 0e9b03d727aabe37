import { describe, expect, it } from 'vitest';
import type { Question } from '#shared/domain/question';
import { sortQuestions } from './question-order';

const q = (id: string, over: Partial<Question> = {}): Question => ({
  id,
  eventId: 'e',
  text: id,
  anonymous: false,
  author: null,
  state: 'approved',
  votes: 0,
  starred: false,
  position: null,
  createdAt: `2026-11-25T10:00:0${id.length}.000Z`,
  liveAt: null,
  answeredAt: null,
  rejectedReason: null,
  mergedInto: null,
  origin: 'online',
  ...over,
});

describe('question order', () => {
  it('puts placed questions first, then starred, then the most voted, then the oldest', () => {
    const list = [q('a', { votes: 1 }), q('bb', { votes: 5 }), q('ccc', { starred: true }), q('dddd', { position: 0 })];
    expect(sortQuestions(list, 'votes').map((x) => x.id)).toEqual(['dddd', 'ccc', 'bb', 'a']);
  });

  it('orders by time, oldest first, whatever the votes', () => {
    const list = [q('ccc', { votes: 9 }), q('a'), q('bb', { starred: true })];
    expect(sortQuestions(list, 'time').map((x) => x.id)).toEqual(['a', 'bb', 'ccc']);
  });
});
