import { describe, expect, it } from 'vitest';
import {
  checkPollDraft,
  checkText,
  emptyPollDraft,
  minutesLeft,
  parseTimeoutMinutes,
  parseWordFilter,
  pollShares,
  slowModeChoices,
  wordFilterChanged,
} from './forms';

describe('checkPollDraft', () => {
  it('accepts a question with two options and drops blank rows', () => {
    const check = checkPollDraft({ question: ' Which film? ', options: ['Vertigo', ' ', 'Rear Window', ''], multiple: true, results: 'after-close' });
    expect(check.problems).toEqual({});
    expect(check.ready).toEqual({ question: 'Which film?', options: ['Vertigo', 'Rear Window'], multiple: true, results: 'after-close' });
  });

  it('refuses an empty question and fewer than two options', () => {
    const check = checkPollDraft({ ...emptyPollDraft(), options: ['Only one', ''] });
    expect(check.ready).toBeNull();
    expect(check.problems.question?.key).toBe('mod.poll.questionEmpty');
    expect(check.problems.options?.key).toBe('mod.poll.tooFewOptions');
  });

  it('refuses the same option twice, whatever its case', () => {
    const check = checkPollDraft({ ...emptyPollDraft(), question: 'Q', options: ['Yes', 'yes'] });
    expect(check.ready).toBeNull();
    expect(check.problems['option.1']?.key).toBe('mod.poll.optionTwice');
  });

  it('refuses more than ten options and too long texts', () => {
    const many = checkPollDraft({ ...emptyPollDraft(), question: 'Q', options: Array.from({ length: 11 }, (_, i) => `o${i}`) });
    expect(many.problems.options?.key).toBe('mod.poll.tooManyOptions');
    const long = checkPollDraft({ ...emptyPollDraft(), question: 'x'.repeat(201), options: ['a', 'y'.repeat(101)] });
    expect(long.problems.question?.key).toBe('mod.tooLong');
    expect(long.problems['option.1']?.key).toBe('mod.tooLong');
  });
});

describe('pollShares', () => {
  it('gives each option its share of the voters, in whole percents', () => {
    expect(pollShares([1, 2], 3)).toEqual([33, 67]);
    expect(pollShares([0, 0], 0)).toEqual([0, 0]);
    expect(pollShares(null, null)).toBeNull();
  });
});

describe('parseWordFilter', () => {
  it('reads one entry per line, without blanks or repeats', () => {
    expect(parseWordFilter('spam\n\n  scam  \nSPAM\r\nfree money').entries).toEqual(['spam', 'scam', 'free money']);
  });

  it('refuses an entry longer than 60 characters and more than 200 entries', () => {
    expect(parseWordFilter('x'.repeat(61)).problem?.key).toBe('mod.filter.entryTooLong');
    const many = Array.from({ length: 201 }, (_, i) => `w${i}`).join('\n');
    expect(parseWordFilter(many).problem?.key).toBe('mod.filter.tooMany');
    expect(parseWordFilter('fine').problem).toBeNull();
  });

  it('tells whether the filter typed differs from the one in force', () => {
    expect(wordFilterChanged(['b', 'A'], ['a', 'b'])).toBe(false);
    expect(wordFilterChanged(['a'], ['a', 'b'])).toBe(true);
  });
});

describe('timeouts and slow mode', () => {
  it('takes whole minutes from 1 to 60', () => {
    expect(parseTimeoutMinutes('5')).toBe(5);
    expect(parseTimeoutMinutes(' 60 ')).toBe(60);
    expect(parseTimeoutMinutes('0')).toBeNull();
    expect(parseTimeoutMinutes('61')).toBeNull();
    expect(parseTimeoutMinutes('2.5')).toBeNull();
    expect(parseTimeoutMinutes('')).toBeNull();
  });

  it('counts the minutes left in a timeout, rounded up', () => {
    const now = Date.parse('2026-01-01T10:00:00.000Z');
    expect(minutesLeft('2026-01-01T10:04:30.000Z', now)).toBe(5);
    expect(minutesLeft('2026-01-01T09:59:00.000Z', now)).toBe(0);
  });

  it('offers slow mode choices including the one in force', () => {
    expect(slowModeChoices(0)[0]).toBe(0);
    expect(slowModeChoices(45)).toContain(45);
    expect(slowModeChoices(10).filter((s) => s === 10)).toHaveLength(1);
  });

  it('refuses an empty or too long text', () => {
    expect(checkText('  ', 10).problem?.key).toBe('mod.textEmpty');
    expect(checkText('x'.repeat(11), 10).problem?.key).toBe('mod.tooLong');
    expect(checkText(' ok ', 10)).toEqual({ text: 'ok', problem: null });
  });
});
