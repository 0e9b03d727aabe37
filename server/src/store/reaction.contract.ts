import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { events, series } from './contract-fixtures';
import type { Store } from './store';

const T1 = '2026-11-25T18:04:05.000Z';
const T2 = '2026-11-25T18:04:06.000Z';
const T3 = '2026-11-25T18:10:00.000Z';

/** The reaction store's contract, run against SQLite and Redis (see sqlite-store.test.ts and redis-store.test.ts). */
export function reactionContract(name: string, open: () => Promise<Store>, dispose: (store: Store) => Promise<void>): void {
  describe(`Reaction store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await dispose(store);
    });

    it('keeps an event’s bursts with their instant, oldest first', async () => {
      await store.reactions.add('e1', T3, { '👍': 1 });
      await store.reactions.add('e1', T1, { '👏': 4, '❤️': 2 });
      await store.reactions.add('e1', T2, { '😂': 1 });
      expect(await store.reactions.list('e1')).toEqual([
        { at: T1, counts: { '👏': 4, '❤️': 2 } },
        { at: T2, counts: { '😂': 1 } },
        { at: T3, counts: { '👍': 1 } },
      ]);
      expect(await store.reactions.list('e2')).toEqual([]);
    });

    // Each process records its own clicks: what two processes took in the same second is one burst with both.
    it('adds up the counts recorded for the same instant, however often and however written', async () => {
      await store.reactions.add('e1', T1, { '👏': 4 });
      await store.reactions.add('e1', '2026-11-25T18:04:05Z', { '👏': 3, '🤔': 1 });
      await Promise.all(Array.from({ length: 20 }, () => store.reactions.add('e1', T1, { '❤️': 1 })));
      expect(await store.reactions.list('e1')).toEqual([{ at: T1, counts: { '👏': 7, '🤔': 1, '❤️': 20 } }]);
    });

    it('ignores counts that are not positive whole numbers, and keeps nothing for a burst of none', async () => {
      await store.reactions.add('e1', T1, { '👏': 0, '❤️': -2, '😂': 1.5 });
      await store.reactions.add('e1', T2, {});
      expect(await store.reactions.list('e1')).toEqual([]);
      await store.reactions.add('e1', T1, { '👏': 0, '😮': 2 });
      expect(await store.reactions.list('e1')).toEqual([{ at: T1, counts: { '😮': 2 } }]);
    });

    it('forgets an event’s reactions when the event goes, and every event’s on reset', async () => {
      await store.programme.saveProgramme(series, events);
      await store.reactions.add('a', T1, { '👏': 1 });
      await store.reactions.add('b', T1, { '👏': 2 });
      expect(await store.programme.deleteEvent('a')).toBe(true);
      expect(await store.reactions.list('a')).toEqual([]);
      expect(await store.reactions.list('b')).toEqual([{ at: T1, counts: { '👏': 2 } }]);

      await store.reactions.deleteEventData('b');
      expect(await store.reactions.list('b')).toEqual([]);

      await store.reactions.add('c', T1, { '👏': 1 });
      await store.clearAll();
      expect(await store.reactions.list('c')).toEqual([]);
    });
  });
}
