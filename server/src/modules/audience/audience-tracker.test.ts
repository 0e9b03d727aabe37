import { describe, expect, it } from 'vitest';
import type { ViewerHeartbeatPayload } from '#shared/protocol/payloads';
import { openSqliteStore } from '../../store/sqlite/sqlite-store';
import { ManualClock } from '../../test/manual-clock';
import { AudienceSampler, summarizeDelays } from './audience-sampler';
import { AudienceTracker } from './audience-tracker';

const T0 = Date.parse('2026-11-25T18:00:00.000Z');
const live = (playing: boolean, delayMs: number | null = null): ViewerHeartbeatPayload => ({
  eventId: 'e1',
  mode: 'live',
  playing,
  positionSeconds: null,
  delayMs,
});

function setup() {
  const store = openSqliteStore(':memory:');
  const clock = new ManualClock(T0);
  const tracker = new AudienceTracker({ store: store.audience, clock });
  const published: unknown[] = [];
  const sampler = new AudienceSampler({
    tracker,
    store: store.audience,
    clock,
    processId: 'p1',
    liveEvents: async () => ['e1'],
    staffHere: () => true,
    publishDelay: (d) => published.push(d),
    onError: (err) => {
      throw err;
    },
  });
  return { store, clock, tracker, sampler, published };
}

describe('AudienceTracker', () => {
  it('does not count as watch time a silence longer than two heartbeats, nor the time after it', async () => {
    const { store, clock, tracker } = setup();
    await tracker.beat('s1', 'user:a', live(true));
    clock.advance(15_000);
    await tracker.beat('s1', 'user:a', live(true));
    // The laptop slept for ten minutes: the player comes back as a new view, and only the first 15 s count.
    clock.advance(600_000);
    await tracker.beat('s1', 'user:a', live(true));
    clock.advance(15_000);
    await tracker.beat('s1', 'user:a', live(false));
    expect((await store.audience.totals('e1')).live).toEqual({ viewers: 1, watchMs: 30_000, views: 2 });
  });

  it('counts nobody who never played, and no time while paused', async () => {
    const { store, clock, tracker } = setup();
    await tracker.beat('s1', 'user:a', live(false));
    clock.advance(15_000);
    await tracker.beat('s1', 'user:a', live(false));
    expect((await store.audience.totals('e1')).live).toEqual({ viewers: 0, watchMs: 0, views: 0 });
    await tracker.beat('s1', 'user:a', live(true));
    clock.advance(10_000);
    await tracker.beat('s1', 'user:a', live(false));
    clock.advance(15_000);
    await tracker.beat('s1', 'user:a', live(false));
    expect((await store.audience.totals('e1')).live).toEqual({ viewers: 1, watchMs: 10_000, views: 1 });
  });
});

describe('AudienceSampler', () => {
  it('writes one sample per 30-s instant however often it looks, and a last 0 once everyone left', async () => {
    const { store, clock, tracker, sampler } = setup();
    await tracker.beat('s1', 'user:a', live(true, 9000));
    await sampler.tick();
    clock.advance(5000);
    await tracker.beat('s2', 'user:b', live(true, 11_000));
    await sampler.tick(); // same 30-s span: the first look's count stays
    clock.advance(25_000);
    await sampler.tick();
    clock.advance(60_000); // both silent past the stale limit
    await sampler.tick();
    clock.advance(30_000);
    await sampler.tick();
    expect(await store.audience.samples('e1')).toEqual([
      { at: new Date(T0).toISOString(), viewers: 1 },
      { at: new Date(T0 + 30_000).toISOString(), viewers: 2 },
      { at: new Date(T0 + 90_000).toISOString(), viewers: 0 },
    ]);
  });

  it('summarizes delays as the median and the largest', () => {
    expect(summarizeDelays('e1', [])).toEqual({ eventId: 'e1', p50Ms: null, maxMs: null, viewers: 0 });
    expect(summarizeDelays('e1', [20_000, 8000, 12_000, 10_000])).toEqual({ eventId: 'e1', p50Ms: 10_000, maxMs: 20_000, viewers: 4 });
  });
});
