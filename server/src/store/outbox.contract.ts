import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxIntent } from './outbox-store';
import type { Store } from './store';
import { allMail, at, NOW } from './sign-up-fixtures';

export function intent(dedupeKey: string, extra: Partial<OutboxIntent> = {}): OutboxIntent {
  return {
    dedupeKey,
    kind: 'broadcast',
    to: 'ana@x.example',
    language: 'fr',
    personId: 'p1',
    registrationId: 'r1',
    eventId: 'e1',
    payload: { subject: 'Changement de salle', body: 'Rendez-vous salle 2.' },
    dueAt: NOW,
    ...extra,
  };
}

const LEASE = 60_000;

/**
 * The outbox's contract, run against SQLite and Redis (see contracts.ts). A row is claimed by one sender at a time;
 * only the attempt that holds the row may settle it; a lease that runs out (the sender died) lets another sender
 * claim the row again.
 */
export function outboxContract(name: string, open: () => Promise<Store>, dispose: (store: Store) => Promise<void>): void {
  describe(`Outbox store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await dispose(store);
    });

    it('stores an intent whole, as a pending row', async () => {
      // Payloads keep their shape, empty arrays and objects included.
      const payload = { changes: [], lines: ['un', 'deux'], nested: { empty: {}, n: 3, yes: true, none: null } };
      const [row] = await store.outbox.enqueue([intent('k1', { payload, kind: 'event-changed', language: 'en', dueAt: at(5) })], at(1));
      expect(row).toEqual({
        id: expect.any(String),
        dedupeKey: 'k1',
        kind: 'event-changed',
        to: 'ana@x.example',
        language: 'en',
        personId: 'p1',
        registrationId: 'r1',
        eventId: 'e1',
        payload,
        dueAt: at(5),
        state: 'pending',
        attempts: 0,
        leaseUntil: null,
        lastError: null,
        createdAt: at(1),
        sentAt: null,
      });
      expect(await store.outbox.get(row!.id)).toEqual(row);
      expect(await store.outbox.get('nope')).toBeUndefined();
      const [bare] = await store.outbox.enqueue([intent('k2', { personId: null, registrationId: null, eventId: null, payload: {} })], at(1));
      expect(bare).toMatchObject({ personId: null, registrationId: null, eventId: null, payload: {} });
    });

    it('stores an intent once however often it is enqueued', async () => {
      const [first] = await store.outbox.enqueue([intent('k1')], at(1));
      const again = await store.outbox.enqueue([intent('k1', { to: 'other@x.example' }), intent('k2'), intent('k2')], at(2));
      expect(again[0]).toEqual(first);
      expect(again[1]!.id).toBe(again[2]!.id);
      expect(again[1]).toMatchObject({ dedupeKey: 'k2', createdAt: at(2) });
      expect((await allMail(store)).map((m) => m.dedupeKey)).toEqual(['k1', 'k2']);
      // Even once sent: the same intent is not sent twice.
      await store.outbox.claimDue(at(3), LEASE, 10);
      await store.outbox.markSent(first!.id, 1, at(4));
      const [sent] = await store.outbox.enqueue([intent('k1')], at(5));
      expect(sent).toMatchObject({ id: first!.id, state: 'sent' });
      expect(await store.outbox.enqueue([], at(5))).toEqual([]);
    });

    it('hands out due rows oldest due first, each to one claim, with a lease', async () => {
      await store.outbox.enqueue([intent('later', { dueAt: at(10) }), intent('soon', { dueAt: at(2) })], NOW);
      await store.outbox.enqueue([intent('tie-1', { dueAt: at(5) }), intent('tie-2', { dueAt: at(5) })], NOW);
      expect(await store.outbox.claimDue(at(1), LEASE, 10)).toEqual([]);

      const first = await store.outbox.claimDue(at(5), LEASE, 2);
      expect(first.map((r) => r.dedupeKey)).toEqual(['soon', 'tie-1']);
      expect(first[0]).toMatchObject({ state: 'sending', attempts: 1, leaseUntil: new Date(Date.parse(at(5)) + LEASE).toISOString() });
      expect(await store.outbox.get(first[0]!.id)).toEqual(first[0]);
      expect((await store.outbox.claimDue(at(5), LEASE, 10)).map((r) => r.dedupeKey)).toEqual(['tie-2']);
      // Within their leases, claimed rows are nobody else's.
      expect(await store.outbox.claimDue(at(5.5), LEASE, 10)).toEqual([]);
      expect(await store.outbox.claimDue(at(5), LEASE, 0)).toEqual([]);
    });

    it('lets another sender claim a row again once its lease has run out', async () => {
      const [row] = await store.outbox.enqueue([intent('k1')], NOW);
      await store.outbox.claimDue(at(0), LEASE, 10);
      // The first sender died: one minute later, the row is free again, as a second attempt.
      expect(await store.outbox.claimDue(at(0.99), LEASE, 10)).toEqual([]);
      const [again] = await store.outbox.claimDue(at(1), LEASE, 10);
      expect(again).toMatchObject({ id: row!.id, state: 'sending', attempts: 2, leaseUntil: at(2) });

      // The first sender wakes up late: its attempt no longer counts.
      await store.outbox.markSent(row!.id, 1, at(1.5));
      await store.outbox.markFailed(row!.id, 1, 'late failure', at(3));
      expect(await store.outbox.get(row!.id)).toMatchObject({ state: 'sending', attempts: 2, lastError: null, sentAt: null });

      await store.outbox.markSent(row!.id, 2, at(1.5));
      expect(await store.outbox.get(row!.id)).toMatchObject({ state: 'sent', sentAt: at(1.5), leaseUntil: null, attempts: 2 });
      expect(await store.outbox.claimDue(at(100), LEASE, 10)).toEqual([]);
      // Settling a settled row again changes nothing.
      await store.outbox.markFailed(row!.id, 2, 'too late', null);
      expect(await store.outbox.get(row!.id)).toMatchObject({ state: 'sent', lastError: null });
      await store.outbox.markSent('nope', 1, at(2));
    });

    it('retries a failed attempt at the time given, and gives up for good without one', async () => {
      const [row] = await store.outbox.enqueue([intent('k1')], NOW);
      await store.outbox.claimDue(at(0), LEASE, 10);
      await store.outbox.markFailed(row!.id, 1, '421 try again later', at(10));
      expect(await store.outbox.get(row!.id)).toMatchObject({
        state: 'pending',
        attempts: 1,
        leaseUntil: null,
        dueAt: at(10),
        lastError: '421 try again later',
      });
      expect(await store.outbox.claimDue(at(9), LEASE, 10)).toEqual([]);
      const [second] = await store.outbox.claimDue(at(10), LEASE, 10);
      expect(second).toMatchObject({ id: row!.id, attempts: 2, lastError: '421 try again later' });

      await store.outbox.markFailed(row!.id, 2, '550 no such user', null);
      expect(await store.outbox.get(row!.id)).toMatchObject({ state: 'failed', attempts: 2, leaseUntil: null, lastError: '550 no such user' });
      expect(await store.outbox.claimDue(at(10_000), LEASE, 10)).toEqual([]);

      // A long error is kept shortened.
      const [long] = await store.outbox.enqueue([intent('k2')], NOW);
      await store.outbox.claimDue(at(0), LEASE, 10);
      await store.outbox.markFailed(long!.id, 1, 'x'.repeat(5000), null);
      expect((await store.outbox.get(long!.id))!.lastError).toBe('x'.repeat(1000));
    });

    it('lists rows newest first, a page at a time', async () => {
      for (let i = 1; i <= 5; i++) await store.outbox.enqueue([intent(`k${i}`)], at(i));
      const page1 = await store.outbox.list({ limit: 2 });
      expect(page1.map((r) => r.dedupeKey)).toEqual(['k5', 'k4']);
      const page2 = await store.outbox.list({ limit: 2, before: page1[1]!.id });
      expect(page2.map((r) => r.dedupeKey)).toEqual(['k3', 'k2']);
      const page3 = await store.outbox.list({ limit: 2, before: page2[1]!.id });
      expect(page3.map((r) => r.dedupeKey)).toEqual(['k1']);
      expect(await store.outbox.list({ limit: 2, before: page3[0]!.id })).toEqual([]);
      expect(await store.outbox.list({ limit: 0 })).toEqual([]);
      expect(await store.outbox.list({ limit: 2, before: 'nope' })).toEqual([]);
    });

    it('prunes sent and failed rows created before a cutoff, and nothing else', async () => {
      const rows = await store.outbox.enqueue([intent('sent-old'), intent('failed-old'), intent('pending-old'), intent('sending-old')], at(0));
      const [recent] = await store.outbox.enqueue([intent('sent-new')], at(100));
      const claimed = await store.outbox.claimDue(at(100), LEASE, 10);
      expect(claimed).toHaveLength(5);
      await store.outbox.markSent(rows[0]!.id, 1, at(101));
      await store.outbox.markFailed(rows[1]!.id, 1, 'refused', null);
      await store.outbox.markFailed(rows[2]!.id, 1, 'later', at(500));
      await store.outbox.markSent(recent!.id, 1, at(101));

      expect(await store.outbox.pruneBefore(at(100))).toBe(2);
      expect((await allMail(store)).map((m) => m.dedupeKey)).toEqual(['pending-old', 'sending-old', 'sent-new']);
      expect(await store.outbox.get(rows[0]!.id)).toBeUndefined();
      expect(await store.outbox.pruneBefore(at(100))).toBe(0);
      // A pruned intent is forgotten: enqueued again, it is a new row.
      const [fresh] = await store.outbox.enqueue([intent('sent-old')], at(200));
      expect(fresh).toMatchObject({ state: 'pending', createdAt: at(200) });
      expect(fresh!.id).not.toBe(rows[0]!.id);
      // The rows left still work, oldest due first: the one whose sender died, the new one, the one retried later.
      expect((await store.outbox.claimDue(at(500), LEASE, 10)).map((m) => m.dedupeKey)).toEqual([
        'sending-old',
        'sent-old',
        'pending-old',
      ]);
    });
  });
}
