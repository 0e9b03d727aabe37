import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { events, series } from './contract-fixtures';
import type { Store } from './store';

const T0 = '2026-11-25T18:00:00.000Z';
const T1 = '2026-11-25T18:00:30.000Z';
const T2 = '2026-11-25T18:01:00.000Z';

/** The audience store's contract, run against SQLite and Redis (see sqlite-store.test.ts and redis-store.test.ts). */
export function audienceContract(name: string, open: () => Promise<Store>, dispose: (store: Store) => Promise<void>): void {
  describe(`Audience store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await dispose(store);
    });

    // Each process writes its own count for an instant: the sample is their sum, and a repeated write replaces.
    it('sums the processes’ counts of an instant, each process’s latest count only, oldest instant first', async () => {
      await store.audience.putSample('e1', T1, 'p1', 4);
      await store.audience.putSample('e1', T0, 'p1', 2);
      await store.audience.putSample('e1', T1, 'p2', 3);
      await store.audience.putSample('e1', '2026-11-25T18:00:30Z', 'p1', 5);
      await store.audience.putSample('e1', T2, 'p2', 0);
      await store.audience.putSample('e2', T0, 'p1', 9);
      expect(await store.audience.samples('e1')).toEqual([
        { at: T0, viewers: 2 },
        { at: T1, viewers: 8 },
        { at: T2, viewers: 0 },
      ]);
      expect(await store.audience.samples('nobody')).toEqual([]);
    });

    it('counts each person once per mode, adds up their watch time, and counts distinct views', async () => {
      await store.audience.addWatch('e1', { person: 'user:a', mode: 'live', view: 'v1', ms: 0 });
      await store.audience.addWatch('e1', { person: 'user:a', mode: 'live', view: 'v1', ms: 15_000 });
      // The same person in a second tab, on another process: one viewer, two views.
      await Promise.all(
        Array.from({ length: 10 }, () => store.audience.addWatch('e1', { person: 'user:a', mode: 'live', view: 'v2', ms: 1000 })),
      );
      await store.audience.addWatch('e1', { person: 'user:b', mode: 'live', view: 'v3', ms: 2500.7 });
      await store.audience.addWatch('e1', { person: 'user:b', mode: 'replay', view: 'v4', ms: 60_000 });
      await store.audience.addWatch('e1', { person: 'user:c', mode: 'replay', view: 'v5', ms: -5 });
      await store.audience.addWatch('e2', { person: 'user:a', mode: 'live', view: 'v6', ms: 1 });
      expect(await store.audience.totals('e1')).toEqual({
        live: { viewers: 2, watchMs: 15_000 + 10_000 + 2500, views: 3 },
        replay: { viewers: 2, watchMs: 60_000, views: 2 },
      });
      expect(await store.audience.totals('nobody')).toEqual({
        live: { viewers: 0, watchMs: 0, views: 0 },
        replay: { viewers: 0, watchMs: 0, views: 0 },
      });
    });

    it('keeps each process’s latest delays, and gives those written since an instant together', async () => {
      await store.audience.putDelays('e1', 'p1', T0, [9000, 12_000]);
      await store.audience.putDelays('e1', 'p1', T1, [8000]);
      await store.audience.putDelays('e1', 'p2', T1, [15_000, 6000]);
      await store.audience.putDelays('e1', 'p3', T0, [30_000]);
      expect((await store.audience.delays('e1', T1)).sort((a, b) => a - b)).toEqual([6000, 8000, 15_000]);
      expect((await store.audience.delays('e1', T0)).sort((a, b) => a - b)).toEqual([6000, 8000, 15_000, 30_000]);
      expect(await store.audience.delays('e1', T2)).toEqual([]);
      expect(await store.audience.delays('e2', T0)).toEqual([]);
    });

    it('forgets an event’s figures when the event goes, and every event’s on reset', async () => {
      await store.programme.saveProgramme(series, events);
      for (const id of ['a', 'b']) {
        await store.audience.putSample(id, T0, 'p1', 3);
        await store.audience.addWatch(id, { person: 'user:x', mode: 'replay', view: 'v', ms: 10 });
        await store.audience.putDelays(id, 'p1', T0, [1000]);
      }
      expect(await store.programme.deleteEvent('a')).toBe(true);
      expect(await store.audience.samples('a')).toEqual([]);
      expect((await store.audience.totals('a')).replay).toEqual({ viewers: 0, watchMs: 0, views: 0 });
      expect(await store.audience.delays('a', T0)).toEqual([]);
      expect(await store.audience.samples('b')).toEqual([{ at: T0, viewers: 3 }]);

      await store.audience.deleteEventData('b');
      expect(await store.audience.samples('b')).toEqual([]);

      await store.audience.putSample('c', T0, 'p1', 1);
      await store.audience.addWatch('c', { person: 'user:x', mode: 'live', view: 'v', ms: 10 });
      await store.clearAll();
      expect(await store.audience.samples('c')).toEqual([]);
      expect((await store.audience.totals('c')).live.viewers).toBe(0);
    });
  });
}
