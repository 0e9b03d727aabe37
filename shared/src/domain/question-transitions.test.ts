import { describe, expect, it } from 'vitest';
import { QuestionModerateAction } from '../protocol/payloads';
import { QuestionState } from './question';
import { ACTION_FROM, ACTION_TARGET, actionsFor, canModerateQuestion, MERGE_INTO_STATES } from './question-transitions';

describe('question state changes', () => {
  it('puts a pending question on air in one step, as well as an approved one', () => {
    expect(canModerateQuestion('pending', 'live')).toBe(true);
    expect(canModerateQuestion('approved', 'live')).toBe(true);
    expect(ACTION_TARGET.live).toBe('live');
  });

  it('marks as answered only the question on air', () => {
    expect(QuestionState.options.filter((s) => canModerateQuestion(s, 'answered'))).toEqual(['live']);
  });

  it('approves only what waits for a moderator', () => {
    expect(QuestionState.options.filter((s) => canModerateQuestion(s, 'approve'))).toEqual(['pending']);
  });

  it('rejects and merges only questions not yet on air', () => {
    expect(ACTION_FROM.reject).toEqual(['pending', 'approved']);
    expect(ACTION_FROM.merge).toEqual(['pending', 'approved']);
    expect(MERGE_INTO_STATES).not.toContain('rejected');
    expect(MERGE_INTO_STATES).not.toContain('merged');
  });

  it('leaves rejected and merged questions with nothing to do', () => {
    expect([...actionsFor('rejected')]).toEqual([]);
    expect([...actionsFor('merged')]).toEqual([]);
  });

  it('never moves a question back to waiting, nor takes it off air other than as answered', () => {
    for (const action of QuestionModerateAction.options) {
      if (canModerateQuestion('live', action)) expect(['answered', 'star', 'edit']).toContain(action);
      if (canModerateQuestion('answered', action)) expect(['star', 'edit']).toContain(action);
    }
  });

  it('offers reordering only in the approved queue', () => {
    expect(QuestionState.options.filter((s) => canModerateQuestion(s, 'reorder'))).toEqual(['approved']);
  });

  it('lists what a pending question takes, on-air included', () => {
    expect([...actionsFor('pending')]).toEqual(['approve', 'reject', 'live', 'merge', 'star', 'edit']);
    expect([...actionsFor('approved')]).toEqual(['reject', 'live', 'merge', 'star', 'edit', 'reorder']);
  });
});
