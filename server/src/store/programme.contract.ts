import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from './store';
import { events, series } from './contract-fixtures';

/**
 * The behaviour of `store.programme` on every store (see programme-store.ts). Listing orders events by start, ties
 * by id; an event belongs to a window [from, to] when it overlaps it, both bounds inclusive.
 */
export function programmeContract(name: string, open: () => Promise<Store>, dispose: (store: Store) => Promise<void>): void {
  describe(`Programme store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await dispose(store);
    });

    beforeEach(async () => {
      await store.programme.saveProgramme(series, events);
    });

    it('lists events by start time with every field intact', async () => {
      const listed = await store.programme.listEvents({});
      expect(listed.map((e) => e.id)).toEqual(['a', 'b', 'c']);
      expect(listed[0]).toEqual(events[1]);
      expect(await store.programme.getEvent('b')).toEqual(events[0]);
      expect(await store.programme.getEvent('zzz')).toBeUndefined();
    });

    it('filters by kind, series and the time window an event overlaps', async () => {
      expect((await store.programme.listEvents({ kind: 'workshop' })).map((e) => e.id)).toEqual(['c']);
      expect((await store.programme.listEvents({ series: 's1' })).map((e) => e.id)).toEqual(['a']);
      expect(
        (await store.programme.listEvents({ from: '2026-12-01T19:00:00.000Z', to: '2026-12-02T18:30:00.000Z' })).map((e) => e.id),
      ).toEqual(['a', 'b']);
      expect((await store.programme.listEvents({ from: '2026-12-03T00:00:00.000Z' })).map((e) => e.id)).toEqual(['c']);
    });

    it('replaces an event saved again under the same id and keeps series', async () => {
      await store.programme.saveProgramme([], [{ ...events[0]!, title: 'Nouveau titre', status: 'cancelled' }]);
      expect(await store.programme.getEvent('b')).toMatchObject({ title: 'Nouveau titre', status: 'cancelled', capacity: 100 });
      expect(await store.programme.listSeries()).toEqual(series);
    });

    it('keeps the unlisted flag of an event, and drops it when the event is listed again', async () => {
      await store.programme.saveProgramme([], [{ ...events[0]!, unlisted: true }]);
      expect(await store.programme.getEvent('b')).toEqual({ ...events[0]!, unlisted: true });
      // The store lists every event: leaving unlisted ones out of the programme is the programme's rule.
      expect((await store.programme.listEvents({})).find((e) => e.id === 'b')).toEqual({ ...events[0]!, unlisted: true });
      await store.programme.saveProgramme([], [events[0]!]);
      expect(await store.programme.getEvent('b')).toEqual(events[0]);
    });

    it('keeps the room an event is held in, and drops it when the event leaves it', async () => {
      const inRoom = { ...events[0]!, access: 'registration' as const, room: 'parvis' as const };
      await store.programme.saveProgramme([], [inRoom]);
      expect(await store.programme.getEvent('b')).toEqual(inRoom);
      expect((await store.programme.listEvents({})).find((e) => e.id === 'b')).toEqual(inRoom);
      await store.programme.saveProgramme([], [events[0]!]);
      expect(await store.programme.getEvent('b')).toEqual(events[0]);
    });

    it('lists the events that start by `to` when only `to` is given', async () => {
      // b starts exactly at `to`: the bound is inclusive.
      expect((await store.programme.listEvents({ to: '2026-12-02T18:00:00.000Z' })).map((e) => e.id)).toEqual(['a', 'b']);
      expect(await store.programme.listEvents({ to: '2026-11-30T00:00:00.000Z' })).toEqual([]);
    });

    it('deletes a series and keeps its events, without a series', async () => {
      expect(await store.programme.deleteSeries('s1')).toBe(true);

      expect(await store.programme.listSeries()).toEqual([]);
      const { seriesId: _dropped, ...unlinked } = events[1]!;
      expect(await store.programme.getEvent('a')).toEqual(unlinked);
      expect((await store.programme.listEvents({})).map((e) => e.id)).toEqual(['a', 'b', 'c']);
      expect(await store.programme.listEvents({ series: 's1' })).toEqual([]);
      expect(await store.programme.getEvent('b')).toEqual(events[0]);
      expect(await store.programme.deleteSeries('s1')).toBe(false);
      expect(await store.programme.deleteSeries('zzz')).toBe(false);

      // A series created again under the same id does not take the old events back.
      await store.programme.saveProgramme(series, []);
      expect(await store.programme.listEvents({ series: 's1' })).toEqual([]);
    });
  });
}
