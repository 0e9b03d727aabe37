import { describe, expect, it } from 'vitest';
import { QuestionAskPayload, QuestionModeratePayload } from './payloads';

describe('question payloads', () => {
  it('trims a question and refuses one that is empty or longer than 300 characters', () => {
    expect(QuestionAskPayload.parse({ eventId: 'e', text: '  Pourquoi ?  ', clientId: 'c' }).text).toBe('Pourquoi ?');
    expect(QuestionAskPayload.safeParse({ eventId: 'e', text: '   ', clientId: 'c' }).success).toBe(false);
    expect(QuestionAskPayload.safeParse({ eventId: 'e', text: 'x'.repeat(301), clientId: 'c' }).success).toBe(false);
    expect(QuestionAskPayload.safeParse({ eventId: 'e', text: 'x'.repeat(300), clientId: 'c' }).success).toBe(true);
  });

  it('names what a moderation action is missing', () => {
    const base = { eventId: 'e', questionId: 'q' };
    const missing = (payload: object) =>
      QuestionModeratePayload.safeParse({ ...base, ...payload }).error?.issues.map((i) => i.path.join('.'));
    expect(missing({ action: 'merge' })).toEqual(['intoQuestionId']);
    expect(missing({ action: 'edit' })).toEqual(['text']);
    expect(missing({ action: 'reorder' })).toEqual(['position']);
    expect(missing({ action: 'approve' })).toBeUndefined();
    expect(missing({ action: 'delete' })).toEqual(['action']);
  });
});
