import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Event, Series } from '#shared/domain/event';
import type { NewChatMessage, Store } from './store';

const series: Series[] = [{ id: 's1', title: 'Cycle Chili', summary: 'Documentaires' }];

function event(id: string, startsAt: string, endsAt: string, extra: Partial<Event> = {}): Event {
  return {
    id,
    kind: 'lecture',
    title: `Event ${id}`,
    summary: '',
    startsAt,
    endsAt,
    timezone: 'Europe/Paris',
    status: 'scheduled',
    access: 'open',
    speakers: [],
    language: 'fr',
    ...extra,
  };
}

const events: Event[] = [
  event('b', '2026-12-02T18:00:00.000Z', '2026-12-02T19:00:00.000Z', { kind: 'webinar', capacity: 100 }),
  event('a', '2026-12-01T18:00:00.000Z', '2026-12-01T20:00:00.000Z', {
    kind: 'cine_conference',
    seriesId: 's1',
    speakers: [{ name: 'Camila Fuentes', title: 'historienne' }],
    replayUrl: '/media/demo/master.m3u8',
    status: 'ended',
  }),
  event('c', '2026-12-05T09:00:00.000Z', '2026-12-05T10:30:00.000Z', { kind: 'workshop', streamUrl: 'https://x/y.m3u8' }),
];

function chat(eventId: string, authorId: string, clientId: string, text = 'bonjour'): NewChatMessage {
  return {
    eventId,
    author: { id: authorId, displayName: authorId.toUpperCase(), role: 'guest' },
    text,
    clientId,
    sentAt: '2026-11-25T10:00:00.000Z',
  };
}

/**
 * The behaviour every Store must have. Each implementation runs this suite against a real database; there are no
 * mock stores.
 */
export function storeContract(name: string, open: () => Promise<Store>, dispose: (store: Store) => Promise<void>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await dispose(store);
    });

    describe('programme', () => {
      beforeEach(async () => {
        await store.saveProgramme(series, events);
      });

      it('lists events by start time with every field intact', async () => {
        const listed = await store.listEvents({});
        expect(listed.map((e) => e.id)).toEqual(['a', 'b', 'c']);
        expect(listed[0]).toEqual(events[1]);
        expect(await store.getEvent('b')).toEqual(events[0]);
        expect(await store.getEvent('zzz')).toBeUndefined();
      });

      it('filters by kind, series and the time window an event overlaps', async () => {
        expect((await store.listEvents({ kind: 'workshop' })).map((e) => e.id)).toEqual(['c']);
        expect((await store.listEvents({ series: 's1' })).map((e) => e.id)).toEqual(['a']);
        expect(
          (await store.listEvents({ from: '2026-12-01T19:00:00.000Z', to: '2026-12-02T18:30:00.000Z' })).map((e) => e.id),
        ).toEqual(['a', 'b']);
        expect((await store.listEvents({ from: '2026-12-03T00:00:00.000Z' })).map((e) => e.id)).toEqual(['c']);
      });

      it('replaces an event saved again under the same id and keeps series', async () => {
        await store.saveProgramme([], [{ ...events[0]!, title: 'Nouveau titre', status: 'cancelled' }]);
        expect(await store.getEvent('b')).toMatchObject({ title: 'Nouveau titre', status: 'cancelled', capacity: 100 });
        expect(await store.listSeries()).toEqual(series);
      });

      it('clears everything on reset', async () => {
        await store.appendChat(chat('a', 'u1', 'c1'));
        await store.clearAll();
        expect(await store.listEvents({})).toEqual([]);
        expect(await store.listSeries()).toEqual([]);
        expect(await store.lastChatOffset('a')).toBe(0);
      });
    });

    describe('chat', () => {
      it('gives each event its own strictly growing offsets', async () => {
        const a1 = await store.appendChat(chat('a', 'u1', 'c1'));
        const a2 = await store.appendChat(chat('a', 'u2', 'c1'));
        const b1 = await store.appendChat(chat('b', 'u1', 'c2'));
        expect([a1.message.offset, a2.message.offset, b1.message.offset]).toEqual([1, 2, 1]);
        expect(a1.created && a2.created && b1.created).toBe(true);
        expect(await store.lastChatOffset('a')).toBe(2);
        expect(await store.lastChatOffset('nothing')).toBe(0);
      });

      it('returns the first message when an author repeats a clientId', async () => {
        const first = await store.appendChat(chat('a', 'u1', 'same', 'une fois'));
        const again = await store.appendChat(chat('a', 'u1', 'same', 'deux fois ?'));
        expect(again).toEqual({ message: first.message, created: false });
        expect(await store.chatTail('a', 10)).toHaveLength(1);
      });

      it('keeps concurrent appends distinct and ordered', async () => {
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => store.appendChat(chat('a', `u${i % 5}`, `k${i}`, `m${i}`))),
        );
        const offsets = results.map((r) => r.message.offset).sort((x, y) => x - y);
        expect(new Set(offsets).size).toBe(50);
        expect(offsets.at(-1)).toBe(await store.lastChatOffset('a'));
      });

      it('reads the messages after an offset and the newest ones, oldest first', async () => {
        for (let i = 1; i <= 10; i++) await store.appendChat(chat('a', 'u1', `k${i}`, `m${i}`));
        expect((await store.chatAfter('a', 7, 100)).map((m) => m.text)).toEqual(['m8', 'm9', 'm10']);
        expect((await store.chatAfter('a', 2, 3)).map((m) => m.text)).toEqual(['m3', 'm4', 'm5']);
        expect((await store.chatAfter('a', 10, 100))).toEqual([]);
        expect((await store.chatTail('a', 3)).map((m) => m.text)).toEqual(['m8', 'm9', 'm10']);
        const [m] = await store.chatTail('a', 1);
        expect(m).toMatchObject({
          eventId: 'a',
          offset: 10,
          author: { id: 'u1', displayName: 'U1', role: 'guest' },
          clientId: 'k10',
          sentAt: '2026-11-25T10:00:00.000Z',
        });
        expect(typeof m!.id).toBe('string');
      });
    });

    describe('meta', () => {
      it('keeps and overwrites values', async () => {
        expect(await store.getMeta('k')).toBeUndefined();
        await store.setMeta('k', 'v1');
        await store.setMeta('k', 'v2');
        expect(await store.getMeta('k')).toBe('v2');
      });
    });
  });
}
