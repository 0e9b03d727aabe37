import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StreamHealth } from '#shared/domain/broadcast';
import type { Store } from './store';
import { events, series } from './contract-fixtures';

/**
 * The behaviour of `store.ingest` on every store (see ingest-store.ts): one key per event, created on first read and
 * rotatable; one publisher at a time; a reconnect window that is a stored deadline, compared as an instant; a finish
 * that exactly one caller wins; everything gone with its event.
 */
export function ingestContract(name: string, open: () => Promise<Store>, dispose: (store: Store) => Promise<void>): void {
  describe(`Ingest store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await dispose(store);
    });

    const T0 = '2026-12-01T18:00:00.000Z';
    const T1 = '2026-12-01T18:30:00.000Z';
    const DEADLINE = '2026-12-01T18:31:00.000Z';

    describe('stream keys', () => {
      it('creates the key on first read and answers the same one afterwards, also to concurrent first readers', async () => {
        const [a, b] = await Promise.all([store.ingest.keyOf('a', 'key-one'), store.ingest.keyOf('a', 'key-two')]);
        expect(a).toBe(b);
        expect(['key-one', 'key-two']).toContain(a);
        expect(await store.ingest.keyOf('a', 'key-three')).toBe(a);
        expect(await store.ingest.eventOfKey(a)).toBe('a');
        expect(await store.ingest.eventOfKey(a === 'key-one' ? 'key-two' : 'key-one')).toBeUndefined();
        expect(await store.ingest.eventOfKey('nobody')).toBeUndefined();
      });

      it('rotates a key: the old one leads nowhere, the new one to the event', async () => {
        await store.ingest.keyOf('a', 'old-key');
        await store.ingest.keyOf('b', 'other-key');
        expect(await store.ingest.rotateKey('a', 'new-key')).toBe('new-key');
        expect(await store.ingest.keyOf('a', 'ignored')).toBe('new-key');
        expect(await store.ingest.eventOfKey('old-key')).toBeUndefined();
        expect(await store.ingest.eventOfKey('new-key')).toBe('a');
        expect(await store.ingest.eventOfKey('other-key')).toBe('b');
      });
    });

    describe('broadcasts', () => {
      it('has no broadcast until someone publishes, then one live broadcast with its publisher', async () => {
        expect(await store.ingest.getBroadcast('a')).toBeUndefined();
        const started = await store.ingest.startPublish('a', { publisherId: 'p1', at: T0 });
        expect(started).toEqual({
          outcome: 'started',
          resumed: false,
          broadcast: {
            eventId: 'a',
            state: 'live',
            publishes: 1,
            currentSession: null,
            publisherId: 'p1',
            startedAt: T0,
            disconnectedAt: null,
            reconnectDeadline: null,
            endedAt: null,
          },
        });
        expect(await store.ingest.getBroadcast('a')).toEqual(started.broadcast);
        await store.ingest.recordSession('a', 1);
        expect(await store.ingest.getBroadcast('a')).toMatchObject({ currentSession: 1, state: 'live' });
      });

      it('refuses a second publisher while one is live, and lets the same one in again without change', async () => {
        await store.ingest.startPublish('a', { publisherId: 'p1', at: T0 });
        const second = await store.ingest.startPublish('a', { publisherId: 'p2', at: T1 });
        expect(second.outcome).toBe('busy');
        expect(second.broadcast).toMatchObject({ publisherId: 'p1', publishes: 1 });
        const again = await store.ingest.startPublish('a', { publisherId: 'p1', at: T1 });
        expect(again).toMatchObject({ outcome: 'started', resumed: false, broadcast: { publishes: 1, startedAt: T0 } });
      });

      it('lets exactly one of two publishers starting at once take the broadcast', async () => {
        const results = await Promise.all([
          store.ingest.startPublish('a', { publisherId: 'p1', at: T0 }),
          store.ingest.startPublish('a', { publisherId: 'p2', at: T0 }),
        ]);
        expect(results.map((r) => r.outcome).sort()).toEqual(['busy', 'started']);
        const winner = results.find((r) => r.outcome === 'started')!.broadcast.publisherId;
        expect((await store.ingest.getBroadcast('a'))?.publisherId).toBe(winner);
      });

      it('starts the reconnect window only when its own publisher leaves', async () => {
        await store.ingest.startPublish('a', { publisherId: 'p1', at: T0 });
        expect(await store.ingest.stopPublish('a', { publisherId: 'p2', at: T1, deadline: DEADLINE })).toBeUndefined();
        expect((await store.ingest.getBroadcast('a'))?.state).toBe('live');
        const stopped = await store.ingest.stopPublish('a', { publisherId: 'p1', at: T1, deadline: DEADLINE });
        expect(stopped).toMatchObject({ state: 'reconnecting', publisherId: null, disconnectedAt: T1, reconnectDeadline: DEADLINE });
        expect(await store.ingest.getBroadcast('a')).toEqual(stopped);
        // Already reconnecting: a second goodbye changes nothing.
        expect(await store.ingest.stopPublish('a', { at: T1, deadline: '2026-12-01T19:00:00.000Z' })).toBeUndefined();
        expect(await store.ingest.stopPublish('idle', { at: T1, deadline: DEADLINE })).toBeUndefined();
      });

      it('resumes the same broadcast when a publisher comes back before the deadline, and not at or after it', async () => {
        await store.ingest.startPublish('a', { publisherId: 'p1', at: T0 });
        await store.ingest.stopPublish('a', { at: T1, deadline: DEADLINE });
        const back = await store.ingest.startPublish('a', { publisherId: 'p2', at: '2026-12-01T18:30:59.999Z' });
        expect(back).toMatchObject({
          outcome: 'started',
          resumed: true,
          broadcast: { state: 'live', publishes: 2, publisherId: 'p2', startedAt: T0, disconnectedAt: null, reconnectDeadline: null },
        });

        await store.ingest.startPublish('b', { publisherId: 'p1', at: T0 });
        await store.ingest.stopPublish('b', { at: T1, deadline: DEADLINE });
        // The same instant written another way is still the deadline.
        const late = await store.ingest.startPublish('b', { publisherId: 'p2', at: '2026-12-01T18:31:00Z' });
        expect(late.outcome).toBe('ended');
        expect((await store.ingest.getBroadcast('b'))?.state).toBe('reconnecting');
      });

      it('lists the broadcasts whose window has passed, oldest deadline first, comparing instants', async () => {
        for (const [id, deadline] of [
          ['c', '2026-12-01T18:33:00.000Z'],
          ['a', '2026-12-01T18:32:00Z'],
          ['b', '2026-12-01T18:31:00.000Z'],
          ['d', '2026-12-01T18:34:00.000Z'],
        ] as const) {
          await store.ingest.startPublish(id, { publisherId: 'p', at: T0 });
          await store.ingest.stopPublish(id, { at: T1, deadline });
        }
        await store.ingest.startPublish('live', { publisherId: 'p', at: T0 });
        expect(await store.ingest.dueReconnects('2026-12-01T18:30:59.000Z')).toEqual([]);
        expect(await store.ingest.dueReconnects('2026-12-01T18:33:00Z')).toEqual(['b', 'a', 'c']);
        expect((await store.ingest.activeBroadcasts()).map((b) => b.eventId).sort()).toEqual(['a', 'b', 'c', 'd', 'live']);
      });

      it('finishes a broadcast once: only when due for the sweeper, at once for a moderator, never twice', async () => {
        await store.ingest.startPublish('a', { publisherId: 'p1', at: T0 });
        expect(await store.ingest.finish('a', { at: T1, dueBy: T1 })).toBeUndefined();
        await store.ingest.stopPublish('a', { at: T1, deadline: DEADLINE });
        expect(await store.ingest.finish('a', { at: T1, dueBy: '2026-12-01T18:30:30.000Z' })).toBeUndefined();
        const ended = await store.ingest.finish('a', { at: DEADLINE, dueBy: DEADLINE });
        expect(ended).toMatchObject({ state: 'ended', endedAt: DEADLINE, publishes: 1, startedAt: T0 });
        expect(await store.ingest.finish('a', { at: DEADLINE })).toBeUndefined();
        expect(await store.ingest.dueReconnects('2026-12-02T00:00:00.000Z')).toEqual([]);
        expect(await store.ingest.startPublish('a', { publisherId: 'p2', at: DEADLINE })).toMatchObject({ outcome: 'ended' });

        await store.ingest.startPublish('b', { publisherId: 'p1', at: T0 });
        expect(await store.ingest.finish('b', { at: T1 })).toMatchObject({ state: 'ended', publisherId: null });
        expect(await store.ingest.finish('never', { at: T1 })).toBeUndefined();
        expect(await store.ingest.activeBroadcasts()).toEqual([]);
      });

      it('lets exactly one of several processes finishing the same broadcast win', async () => {
        await store.ingest.startPublish('a', { publisherId: 'p1', at: T0 });
        await store.ingest.stopPublish('a', { at: T1, deadline: DEADLINE });
        const results = await Promise.all(
          Array.from({ length: 5 }, () => store.ingest.finish('a', { at: DEADLINE, dueBy: DEADLINE })),
        );
        expect(results.filter((r) => r !== undefined)).toHaveLength(1);
      });

      it('keeps the latest stream health', async () => {
        const health: StreamHealth = {
          connected: true,
          bitrateKbps: 2500,
          fps: 25,
          width: 1280,
          height: 720,
          keyframeIntervalSeconds: 2,
          audio: true,
          warnings: [],
          at: T0,
        };
        expect(await store.ingest.getHealth('a')).toBeUndefined();
        await store.ingest.startPublish('a', { publisherId: 'p1', at: T0 });
        await store.ingest.saveHealth('a', health);
        await store.ingest.saveHealth('a', { ...health, connected: false, warnings: ['no-audio', 'fps-low'] });
        expect(await store.ingest.getHealth('a')).toEqual({ ...health, connected: false, warnings: ['no-audio', 'fps-low'] });
        expect((await store.ingest.getBroadcast('a'))?.state).toBe('live');
      });
    });

    describe('with the events they belong to', () => {
      beforeEach(async () => {
        await store.programme.saveProgramme(series, events);
        for (const id of ['a', 'b']) {
          await store.ingest.keyOf(id, `key-${id}`);
          await store.ingest.startPublish(id, { publisherId: 'p1', at: T0 });
          await store.ingest.stopPublish(id, { at: T1, deadline: DEADLINE });
        }
      });

      it('deletes the key and the broadcast of a deleted event, and nothing of another', async () => {
        expect(await store.programme.deleteEvent('a')).toBe(true);
        expect(await store.ingest.eventOfKey('key-a')).toBeUndefined();
        expect(await store.ingest.getBroadcast('a')).toBeUndefined();
        expect(await store.ingest.dueReconnects(DEADLINE)).toEqual(['b']);
        expect(await store.ingest.eventOfKey('key-b')).toBe('b');
        expect(await store.ingest.keyOf('a', 'fresh')).toBe('fresh');
      });

      it('clears keys and broadcasts on the demo reset', async () => {
        await store.clearAll();
        expect(await store.ingest.eventOfKey('key-a')).toBeUndefined();
        expect(await store.ingest.getBroadcast('b')).toBeUndefined();
        expect(await store.ingest.dueReconnects(DEADLINE)).toEqual([]);
        expect(await store.ingest.activeBroadcasts()).toEqual([]);
      });
    });
  });
}
