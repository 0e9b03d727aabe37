import type { Sanction } from '#shared/domain/moderation';
import { describe, expect, it } from 'vitest';
import { blockFromRefusal, currentBlock, secondsLeft, slowModeFor } from './chat-limits';

const NOW = Date.parse('2026-11-25T18:00:00.000Z');
const settings = (slowModeSeconds: number) => ({ slowModeSeconds, preModeration: false, pinned: null });

function timeout(until: string): Sanction {
  return { eventId: 'e1', userId: 'u1', displayName: 'Ada', kind: 'timeout', until, reason: null, by: 'Modé', at: '2026-11-25T17:59:00.000Z' };
}

describe('chat limits', () => {
  it('holds viewers and speakers to slow mode, not moderators or admins', () => {
    expect(slowModeFor(settings(30), 'guest')).toBe(30);
    expect(slowModeFor(settings(30), 'speaker')).toBe(30);
    expect(slowModeFor(settings(30), 'moderator')).toBe(0);
    expect(slowModeFor(settings(30), 'admin')).toBe(0);
    expect(slowModeFor(settings(0), 'guest')).toBe(0);
    expect(slowModeFor(null, 'guest')).toBe(0);
  });

  it('learns how long to wait from a slow-mode or timeout refusal, and nothing from other errors', () => {
    expect(blockFromRefusal({ code: 'RATE_LIMITED', message: '', retryAfterMs: 12_000, reason: 'slow-mode' }, NOW)).toEqual({
      kind: 'slow-mode',
      until: NOW + 12_000,
    });
    expect(blockFromRefusal({ code: 'FORBIDDEN', message: '', retryAfterMs: 60_000, reason: 'timed-out' }, NOW)).toEqual({
      kind: 'timeout',
      until: NOW + 60_000,
    });
    expect(blockFromRefusal({ code: 'RATE_LIMITED', message: '', retryAfterMs: 2_000 }, NOW)).toBeNull();
    expect(blockFromRefusal({ code: 'FORBIDDEN', message: '', reason: 'banned' }, NOW)).toBeNull();
  });

  it('puts the timeout before a slow-mode wait, and lets both end', () => {
    const slow = { kind: 'slow-mode' as const, until: NOW + 5_000 };
    const sanction = timeout('2026-11-25T18:10:00.000Z');
    expect(currentBlock(sanction, slow, NOW)).toEqual({ kind: 'timeout', until: Date.parse('2026-11-25T18:10:00.000Z') });
    expect(currentBlock(null, slow, NOW)).toEqual(slow);
    expect(currentBlock(null, slow, NOW + 5_000)).toBeNull();
    expect(currentBlock(timeout('2026-11-25T17:59:30.000Z'), null, NOW)).toBeNull();
  });

  it('counts whole seconds left, rounding up', () => {
    expect(secondsLeft(NOW + 12_001, NOW)).toBe(13);
    expect(secondsLeft(NOW + 500, NOW)).toBe(1);
    expect(secondsLeft(NOW - 1, NOW)).toBe(0);
  });
});
