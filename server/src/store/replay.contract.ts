import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { event } from './contract-fixtures';
import { newReplayRecord } from './replay-store';
import type { Store } from './store';

/**
 * The behaviour of `store.replays` on every store (see replay-store.ts): a record is created with the defaults on its
 * first update, a patch changes only the fields it names (null clears), concurrent patches of different fields both
 * hold, and the record goes with its event.
 */
export function replayContract(name: string, open: () => Promise<Store>, dispose: (store: Store) => Promise<void>): void {
  describe(`Replay store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await dispose(store);
    });

    it('has no record for an event until something is decided, then starts from the defaults', async () => {
      expect(await store.replays.get('e1')).toBeUndefined();
      const record = await store.replays.update('e1', { filmRights: 'live-only' });
      expect(record).toEqual({ ...newReplayRecord('e1'), filmRights: 'live-only' });
      expect(await store.replays.get('e1')).toEqual(record);
    });

    it('keeps every field as written, fractions and instants included', async () => {
      const full = {
        state: 'ready' as const,
        durationSeconds: 3721.04,
        bytes: 5_368_709_120,
        trimIn: 12.5,
        trimOut: 3600.25,
        talkStartsAt: '2026-12-01T19:42:07.130Z',
        filmRights: 'live-only' as const,
        published: false,
        thumbnail: '754.jpg',
      };
      expect(await store.replays.update('e1', full)).toEqual({ eventId: 'e1', ...full });
      expect(await store.replays.get('e1')).toEqual({ eventId: 'e1', ...full });
    });

    it('changes only the fields a patch names, and clears those set to null', async () => {
      await store.replays.update('e1', { state: 'ready', trimIn: 10, trimOut: 50, thumbnail: '5.jpg' });
      const after = await store.replays.update('e1', { trimIn: null, published: false });
      expect(after).toMatchObject({ state: 'ready', trimIn: null, trimOut: 50, thumbnail: '5.jpg', published: false });
      // An empty patch creates nothing new and changes nothing.
      expect(await store.replays.update('e1', {})).toEqual(after);
    });

    it('keeps both of two patches of different fields made at the same time', async () => {
      await Promise.all([
        store.replays.update('e1', { trimIn: 3 }),
        store.replays.update('e1', { trimOut: 9 }),
        store.replays.update('e1', { talkStartsAt: '2026-12-01T19:00:00.000Z' }),
      ]);
      expect(await store.replays.get('e1')).toMatchObject({ trimIn: 3, trimOut: 9, talkStartsAt: '2026-12-01T19:00:00.000Z' });
    });

    it('lists the records by event id', async () => {
      for (const id of ['b', 'a', 'c']) await store.replays.update(id, { bytes: id.charCodeAt(0) });
      expect((await store.replays.list()).map((r) => [r.eventId, r.bytes])).toEqual([
        ['a', 97],
        ['b', 98],
        ['c', 99],
      ]);
    });

    it('deletes the record with its event, and with the demo reset', async () => {
      await store.programme.saveProgramme([], [event('e1', '2026-12-01T18:00:00.000Z', '2026-12-01T19:00:00.000Z')]);
      await store.replays.update('e1', { state: 'ready' });
      await store.replays.update('e2', { state: 'ready' });
      expect(await store.programme.deleteEvent('e1')).toBe(true);
      expect(await store.replays.get('e1')).toBeUndefined();
      expect((await store.replays.list()).map((r) => r.eventId)).toEqual(['e2']);
      await store.clearAll();
      expect(await store.replays.list()).toEqual([]);
      expect(await store.replays.get('e2')).toBeUndefined();
    });
  });
}
