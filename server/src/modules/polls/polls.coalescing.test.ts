import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Event } from '#shared/domain/event';
import type { User } from '#shared/domain/user';
import type { PollsChange } from './polls.service';
import { PollsService } from './polls.service';
import { Coalescer } from './coalescer';
import { AccessPolicy } from '../access/policy';
import { AuditLog } from '../../core/audit';
import { openSqliteStore } from '../../store/sqlite/sqlite-store';
import type { Store } from '../../store/store';
import { testEvent } from '../../test/staff';

/** The ≤ 4 updates a second rule, driven by fake timers: no wall clock anywhere. */

/** Whether no `span` ms window holds more than `max` of these instants. */
function atMostPerWindow(instants: number[], max: number, span = 1000): boolean {
  return instants.every((t) => instants.filter((u) => u >= t && u < t + span).length <= max);
}

describe('Coalescer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs at once after a quiet spell, then at most once per interval, with a trailing run', async () => {
    const runs: number[] = [];
    const coalescer = new Coalescer<string>(250, () => runs.push(Date.now()));
    const start = Date.now();
    // A touch every 10 ms for two seconds.
    for (let t = 0; t < 2000; t += 10) {
      coalescer.touch('p');
      await vi.advanceTimersByTimeAsync(10);
    }
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs[0]).toBe(start);
    for (let i = 1; i < runs.length; i++) expect(runs[i]! - runs[i - 1]!).toBeGreaterThanOrEqual(250);
    expect(atMostPerWindow(runs, 4)).toBe(true);
    // The last touch (at 1990 ms) is followed by a run.
    expect(runs.at(-1)!).toBeGreaterThanOrEqual(start + 1990);
    coalescer.close();
  });

  it('keeps keys apart and stops on close', async () => {
    const runs: string[] = [];
    const coalescer = new Coalescer<string>(250, (k) => runs.push(k));
    coalescer.touch('a');
    coalescer.touch('b');
    coalescer.touch('a');
    expect(runs).toEqual(['a', 'b']);
    coalescer.close();
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toEqual(['a', 'b']);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('PollsService results updates', () => {
  let store: Store;
  let service: PollsService;
  const updates: { at: number; change: PollsChange }[] = [];
  const event: Event = testEvent('coalesce', { kind: 'webinar', status: 'live' });
  const admin: User = { id: 'admin-1', displayName: 'Admin', role: 'admin' };

  beforeEach(async () => {
    vi.useFakeTimers();
    store = openSqliteStore(':memory:');
    await store.programme.saveProgramme([], [event]);
    updates.length = 0;
    service = new PollsService({
      store,
      policy: new AccessPolicy(store),
      audit: new AuditLog(store),
      moderation: { assertNotBanned: async () => {} },
      listener: (_eventId, change) => updates.push({ at: Date.now(), change }),
    });
  });
  afterEach(async () => {
    service.close();
    await store.close();
    vi.useRealTimers();
  });

  it('sends a poll’s results at most 4 times a second while 120 people vote, and the final counts last', async () => {
    const poll = await service.create(admin, event, { eventId: event.id, question: 'Q ?', options: ['A', 'B'], multiple: false, results: 'live' });
    await service.control(admin, event, { eventId: event.id, pollId: poll.id, action: 'open' });
    updates.length = 0;

    // 120 votes over three seconds, a few at a time.
    for (let i = 0; i < 120; i++) {
      const person: User = { id: `guest-${i}`, displayName: `P${i}`, role: 'guest' };
      await service.vote(person, event, { eventId: event.id, pollId: poll.id, optionIds: [i % 3 === 0 ? 'o2' : 'o1'] });
      if (i % 4 === 3) await vi.advanceTimersByTimeAsync(100);
    }
    await vi.advanceTimersByTimeAsync(1000);

    const times = updates.map((u) => u.at);
    expect(times.length).toBeGreaterThanOrEqual(10);
    expect(atMostPerWindow(times, 4)).toBe(true);
    expect(updates.at(-1)!.change.polls[0]).toMatchObject({ id: poll.id, voters: 120, counts: [80, 40] });
  });
});
