import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RegistrationStatus } from '#shared/domain/registration';
import type { RegistrationRecord } from './registration-store';
import type { Store } from './store';
import { events, series } from './contract-fixtures';
import { allMail, at, mailLog, NOW, refill, registered, rules, signUp } from './sign-up-fixtures';

/**
 * The registration store's contract, run against SQLite and Redis (see contracts.ts). Where the port leaves a choice
 * open, this suite pins the reading both stores implement:
 * - registering again with an active registration answers it unchanged; a known email keeps its person's name and
 *   language (anyone may type an address: they must not rename its owner), while a new registration keeps its own
 *   copy of what was typed;
 * - a `full` answer stores nothing, not even the person;
 * - the fair cap is counted when the seat is offered, from the seats the person holds then (not from `capped`, which
 *   records how things stood when they queued);
 * - cancelling a waiting place offers nothing: it freed no seat;
 * - `eraseEvent` erases the person too once none of their registrations keeps personal data, and drops their emails.
 */
export function registrationContract(name: string, open: () => Promise<Store>, dispose: (store: Store) => Promise<void>): void {
  describe(`Registration store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await dispose(store);
    });

    const statuses = async (eventId: string) =>
      (await store.registrations.listForEvent(eventId)).map((r) => [r.email, r.status, r.position ?? null]);

    describe('signing up', () => {
      it('stores a sign-up whole, with its person', async () => {
        const input = signUp('e1', 'ana@x.example', {
          phone: '+33 1 23 45 67 89',
          answers: { library: 'Médiathèque', level: 'B1' },
          seriesId: 's1',
          weekKey: '2026-W48',
          person: { email: 'ana@x.example', name: 'Ana Lima', language: 'en' },
        });
        const result = await registered(store, input);
        const person = {
          id: result.person.id,
          email: 'ana@x.example',
          name: 'Ana Lima',
          language: 'en',
          createdAt: NOW,
          linkEpoch: 0,
          erasedAt: null,
        };
        const registration: RegistrationRecord = {
          id: result.registration.id,
          eventId: 'e1',
          personId: person.id,
          status: 'confirmed',
          capped: false,
          name: 'Ana Lima',
          email: 'ana@x.example',
          phone: '+33 1 23 45 67 89',
          language: 'en',
          answers: { library: 'Médiathèque', level: 'B1' },
          source: 'online',
          seriesId: 's1',
          weekKey: '2026-W48',
          createdAt: NOW,
          updatedAt: NOW,
          offerExpiresAt: null,
          cancelledAt: null,
          attendedAt: null,
          erasedAt: null,
        };
        expect(result).toEqual({ outcome: 'registered', created: true, person, registration });
        expect(result.registration).not.toHaveProperty('position');
        expect(await store.registrations.get(registration.id)).toEqual(registration);
        expect(await store.registrations.getPerson(person.id)).toEqual(person);
        expect(await store.registrations.getPersonByEmail('ana@x.example')).toEqual(person);
        expect(await store.registrations.activeFor('e1', person.id)).toEqual(registration);
        expect(await store.registrations.listForPerson(person.id)).toEqual([registration]);
        expect(await store.registrations.get('nope')).toBeUndefined();
        expect(await store.registrations.getPerson('nope')).toBeUndefined();
        expect(await store.registrations.getPersonByEmail('nobody@x.example')).toBeUndefined();
      });

      it('gives the same registration to the same email, and one person per email across events', async () => {
        const first = await registered(store, signUp('e1', 'ana@x.example'));
        const again = await registered(
          store,
          signUp('e1', 'ana@x.example', { person: { email: 'ana@x.example', name: 'Ana B.', language: 'en' }, now: at(5) }),
        );
        expect(again.created).toBe(false);
        expect(again.registration).toEqual(first.registration);
        expect(again.person).toEqual(first.person);
        expect(await store.registrations.listForEvent('e1')).toHaveLength(1);

        const other = await registered(store, signUp('e2', 'ana@x.example', { now: at(6) }));
        expect(other.created).toBe(true);
        expect(other.person.id).toBe(first.person.id);
        expect((await store.registrations.listForPerson(first.person.id)).map((r) => r.eventId)).toEqual(['e1', 'e2']);
        // One confirmation per registration, none for the repeated sign-up.
        expect(await mailLog(store)).toEqual([
          `confirmation ${first.registration.id}`,
          `confirmation ${other.registration.id}`,
        ]);
      });

      it('keeps a known person’s name and language when someone signs up again with their email', async () => {
        const owner = await registered(
          store,
          signUp('e1', 'ana@x.example', { person: { email: 'ana@x.example', name: 'Ana Lima', language: 'fr' } }),
        );
        const stranger = await registered(
          store,
          signUp('e2', 'ana@x.example', { person: { email: 'ana@x.example', name: 'Not Ana', language: 'en' }, now: at(5) }),
        );
        expect(stranger.person).toEqual(owner.person);
        expect(await store.registrations.getPerson(owner.person.id)).toMatchObject({ name: 'Ana Lima', language: 'fr' });
        expect(await store.registrations.getPersonByEmail('ana@x.example')).toMatchObject({ name: 'Ana Lima', language: 'fr' });
        // The new registration keeps what was typed for it; the first one is untouched.
        expect(await store.registrations.get(stranger.registration.id)).toMatchObject({ name: 'Not Ana', language: 'en' });
        expect(await store.registrations.get(owner.registration.id)).toMatchObject({ name: 'Ana Lima', language: 'fr' });
      });

      it('answers a waiting person their place again, and makes a new registration after a cancellation', async () => {
        await registered(store, signUp('e1', 'a@x.example', { rules: rules(1) }));
        const waiting = await registered(store, signUp('e1', 'b@x.example', { rules: rules(1) }));
        const again = await registered(store, signUp('e1', 'b@x.example', { rules: rules(1), now: at(1) }));
        expect(again).toMatchObject({ created: false, registration: { id: waiting.registration.id, status: 'waitlisted', position: 1 } });

        await store.registrations.cancel(waiting.registration.id, 'person', refill(1), at(2));
        const back = await registered(store, signUp('e1', 'b@x.example', { rules: rules(1), now: at(3) }));
        expect(back.created).toBe(true);
        expect(back.registration.id).not.toBe(waiting.registration.id);
        expect(back.registration).toMatchObject({ status: 'waitlisted', position: 1 });
        expect(await store.registrations.activeFor('e1', back.person.id)).toMatchObject({ id: back.registration.id });
      });

      it('gives the seats first, then waiting-list places in order', async () => {
        const results = [];
        for (const who of ['a', 'b', 'c', 'd']) results.push(await registered(store, signUp('e1', `${who}@x.example`)));
        expect(results.map((r) => [r.registration.status, r.registration.position ?? null])).toEqual([
          ['confirmed', null],
          ['confirmed', null],
          ['waitlisted', 1],
          ['waitlisted', 2],
        ]);
        expect(await store.registrations.counts('e1', 2)).toEqual({ capacity: 2, confirmed: 2, offered: 0, waitlisted: 2, free: 0 });
        // Free seats are never negative, even when the capacity shrank below the seats taken.
        expect(await store.registrations.counts('e1', 1)).toEqual({ capacity: 1, confirmed: 2, offered: 0, waitlisted: 2, free: 0 });
        expect(await store.registrations.counts('empty', 5)).toEqual({ capacity: 5, confirmed: 0, offered: 0, waitlisted: 0, free: 5 });
      });

      it('refuses a full event without a waiting list, storing nothing', async () => {
        const noList = rules(1, { waitlist: false });
        await registered(store, signUp('e1', 'a@x.example', { rules: noList }));
        expect(await store.registrations.register(signUp('e1', 'zed@x.example', { rules: noList }))).toEqual({ outcome: 'full' });
        expect(await store.registrations.listForEvent('e1')).toHaveLength(1);
        expect(await store.registrations.getPersonByEmail('zed@x.example')).toBeUndefined();
        expect(await store.registrations.counts('e1', 1)).toMatchObject({ confirmed: 1, waitlisted: 0 });
        expect(await mailLog(store)).toHaveLength(1);
      });

      it('never lets a newcomer take a free seat while others wait', async () => {
        const a = await registered(store, signUp('e1', 'a@x.example', { rules: rules(1) }));
        await registered(store, signUp('e1', 'b@x.example', { rules: rules(1) }));
        // The event has started: the freed seat is offered to nobody and stays free.
        const cancelled = await store.registrations.cancel(a.registration.id, 'person', refill(1, null), at(1));
        expect(cancelled).toMatchObject({ outcome: 'cancelled', registration: { status: 'cancelled' } });
        expect(cancelled).not.toHaveProperty('offered');
        expect(await store.registrations.counts('e1', 1)).toMatchObject({ confirmed: 0, waitlisted: 1, free: 1 });

        const c = await registered(store, signUp('e1', 'c@x.example', { rules: rules(1), now: at(2) }));
        expect(c.registration).toMatchObject({ status: 'waitlisted', position: 2 });
      });

      it('numbers the waiting list 1…n with no holes as people leave it', async () => {
        const cap = rules(1);
        await registered(store, signUp('e1', 'a@x.example', { rules: cap }));
        const waiting = [];
        for (const who of ['b', 'c', 'd', 'e']) waiting.push(await registered(store, signUp('e1', `${who}@x.example`, { rules: cap })));
        expect(waiting.map((w) => w.registration.position)).toEqual([1, 2, 3, 4]);

        await store.registrations.cancel(waiting[1]!.registration.id, 'person', refill(1), at(1));
        await store.registrations.cancel(waiting[0]!.registration.id, 'person', refill(1), at(2));
        expect(await statuses('e1')).toEqual([
          ['a@x.example', 'confirmed', null],
          ['b@x.example', 'cancelled', null],
          ['c@x.example', 'cancelled', null],
          ['d@x.example', 'waitlisted', 1],
          ['e@x.example', 'waitlisted', 2],
        ]);
        expect(await store.registrations.get(waiting[3]!.registration.id)).toMatchObject({ position: 2 });
        expect(await store.registrations.listForPerson(waiting[2]!.person.id)).toMatchObject([{ position: 1 }]);
        expect(await store.registrations.activeFor('e1', waiting[3]!.person.id)).toMatchObject({ position: 2 });

        const f = await registered(store, signUp('e1', 'f@x.example', { rules: cap, now: at(3) }));
        expect(f.registration.position).toBe(3);
      });

      it('lists an event’s and a person’s registrations oldest first', async () => {
        await registered(store, signUp('e1', 'late@x.example', { now: at(10) }));
        await registered(store, signUp('e1', 'early@x.example', { now: at(1) }));
        await registered(store, signUp('e1', 'tie1@x.example', { now: at(5) }));
        await registered(store, signUp('e1', 'tie2@x.example', { now: at(5) }));
        expect((await store.registrations.listForEvent('e1')).map((r) => r.email)).toEqual([
          'early@x.example',
          'tie1@x.example',
          'tie2@x.example',
          'late@x.example',
        ]);
        const b = await registered(store, signUp('e2', 'tie1@x.example', { now: at(0) }));
        expect((await store.registrations.listForPerson(b.person.id)).map((r) => r.eventId)).toEqual(['e2', 'e1']);
        expect(await store.registrations.listForEvent('none')).toEqual([]);
        expect(await store.registrations.listForPerson('nobody')).toEqual([]);
      });

      it('confirms a desk sign-up past capacity, and gives each person without an email their own record', async () => {
        const cap = rules(1);
        await registered(store, signUp('e1', 'a@x.example', { rules: cap }));
        await registered(store, signUp('e1', 'b@x.example', { rules: cap }));
        const desk = { rules: cap, overbook: true, source: 'desk' as const, phone: '01 02 03 04 05' };
        const one = await registered(store, signUp('e1', null, desk));
        const two = await registered(store, signUp('e1', null, desk));
        expect(one.registration).toMatchObject({ status: 'confirmed', email: null, phone: '01 02 03 04 05', source: 'desk' });
        expect(one.person).toMatchObject({ email: null, name: 'Desk person' });
        expect(two.created).toBe(true);
        expect(two.person.id).not.toBe(one.person.id);
        expect(await store.registrations.counts('e1', 1)).toMatchObject({ confirmed: 3, waitlisted: 1, free: 0 });
        // A person with an email signed up at the desk is found by it, like anyone else.
        const known = await registered(store, signUp('e1', 'b@x.example', desk));
        expect(known).toMatchObject({ created: false, registration: { status: 'waitlisted' } });
      });
    });

    describe('cancelling and offering seats', () => {
      async function fill(eventId: string, capacity: number, people: string[]) {
        const out: Record<string, RegistrationRecord> = {};
        for (const [i, who] of people.entries()) {
          out[who] = (await registered(store, signUp(eventId, `${who}@x.example`, { rules: rules(capacity), now: at(i) }))).registration;
        }
        return out;
      }

      it('frees a seat and offers it to the first waiting person in the same step', async () => {
        const r = await fill('e1', 2, ['a', 'b', 'c', 'd']);
        const result = await store.registrations.cancel(r.a!.id, 'person', refill(2, at(600)), at(30));
        expect(result).toMatchObject({
          outcome: 'cancelled',
          registration: { id: r.a!.id, status: 'cancelled', cancelledAt: at(30), updatedAt: at(30) },
          offered: { id: r.c!.id, status: 'offered', offerExpiresAt: at(600), updatedAt: at(30) },
        });
        if (result.outcome !== 'cancelled') throw new Error('unreachable');
        expect(result.offered).not.toHaveProperty('position');
        expect(await store.registrations.get(r.c!.id)).toEqual(result.offered);
        expect(await store.registrations.get(r.d!.id)).toMatchObject({ status: 'waitlisted', position: 1 });
        expect(await store.registrations.counts('e1', 2)).toEqual({ capacity: 2, confirmed: 1, offered: 1, waitlisted: 1, free: 0 });
        // An offer holds the seat: a newcomer queues.
        const e = await registered(store, signUp('e1', 'e@x.example', { rules: rules(2), now: at(31) }));
        expect(e.registration).toMatchObject({ status: 'waitlisted', position: 2 });
      });

      it('offers nothing when a waiting person leaves, and changes nothing the second time', async () => {
        const r = await fill('e1', 1, ['a', 'b', 'c']);
        const result = await store.registrations.cancel(r.b!.id, 'person', refill(1), at(10));
        expect(result).toMatchObject({ outcome: 'cancelled', registration: { status: 'cancelled' } });
        expect(result).not.toHaveProperty('offered');
        expect(await store.registrations.get(r.c!.id)).toMatchObject({ status: 'waitlisted', position: 1 });

        const twice = await store.registrations.cancel(r.b!.id, 'person', refill(1), at(20));
        expect(twice).toEqual({ outcome: 'unchanged', registration: await store.registrations.get(r.b!.id) });
        expect(twice).toMatchObject({ registration: { cancelledAt: at(10) } });
        expect(await store.registrations.cancel('nope', 'person', refill(1), at(20))).toEqual({ outcome: 'not-found' });
        expect(await store.registrations.activeFor('e1', (await store.registrations.get(r.b!.id))!.personId)).toBeUndefined();
      });

      it('leaves a freed seat free when the refill offers nothing', async () => {
        const r = await fill('e1', 1, ['a', 'b']);
        await store.registrations.cancel(r.a!.id, 'library', refill(1, null), at(10));
        expect(await store.registrations.get(r.b!.id)).toMatchObject({ status: 'waitlisted', position: 1 });
        expect(await store.registrations.refill('e1', refill(1, null), at(11))).toEqual([]);
        expect(await store.registrations.counts('e1', 1)).toMatchObject({ free: 1, waitlisted: 1 });
        // Later, a refill that may offer (the start was moved) gives it to the first in line.
        const offered = await store.registrations.refill('e1', refill(1, at(100)), at(12));
        expect(offered).toMatchObject([{ id: r.b!.id, status: 'offered', offerExpiresAt: at(100) }]);
      });

      it('takes an offer before its deadline, and not at or after it', async () => {
        const r = await fill('e1', 1, ['a', 'b']);
        await store.registrations.cancel(r.a!.id, 'person', refill(1, at(60)), at(0));
        const late = await store.registrations.acceptOffer(r.b!.id, at(60));
        expect(late).toMatchObject({ outcome: 'expired', registration: { status: 'offered', offerExpiresAt: at(60) } });
        expect(await store.registrations.get(r.b!.id)).toMatchObject({ status: 'offered' });

        const s = await fill('e2', 1, ['c', 'd']);
        await store.registrations.cancel(s.c!.id, 'person', refill(1, at(60)), at(0));
        const taken = await store.registrations.acceptOffer(s.d!.id, at(59));
        expect(taken).toMatchObject({
          outcome: 'confirmed',
          registration: { status: 'confirmed', offerExpiresAt: null, updatedAt: at(59) },
        });
        expect(await store.registrations.get(s.d!.id)).toMatchObject({ status: 'confirmed', offerExpiresAt: null });
        expect(await store.registrations.counts('e2', 1)).toMatchObject({ confirmed: 1, offered: 0, free: 0 });

        expect(await store.registrations.acceptOffer(s.d!.id, at(59))).toMatchObject({ outcome: 'not-offered' });
        expect(await store.registrations.acceptOffer(s.c!.id, at(59))).toMatchObject({
          outcome: 'not-offered',
          registration: { status: 'cancelled' },
        });
        expect(await store.registrations.acceptOffer('nope', at(59))).toEqual({ outcome: 'not-found' });
      });

      it('finds offers past their deadline, oldest deadline first', async () => {
        const r = await fill('e1', 2, ['a', 'b', 'c', 'd', 'e']);
        await store.registrations.cancel(r.a!.id, 'person', refill(2, at(60)), at(0));
        await store.registrations.cancel(r.b!.id, 'person', refill(2, at(30)), at(1));
        const t = await fill('e2', 1, ['f', 'g']);
        await store.registrations.cancel(t.f!.id, 'person', refill(1, at(45)), at(2));

        expect(await store.registrations.dueOffers(at(29), 10)).toEqual([]);
        expect(await store.registrations.dueOffers(at(30), 10)).toEqual([{ id: r.d!.id, eventId: 'e1' }]);
        expect(await store.registrations.dueOffers(at(90), 10)).toEqual([
          { id: r.d!.id, eventId: 'e1' },
          { id: t.g!.id, eventId: 'e2' },
          { id: r.c!.id, eventId: 'e1' },
        ]);
        expect(await store.registrations.dueOffers(at(90), 2)).toHaveLength(2);
        expect(await store.registrations.dueOffers(at(90), 0)).toEqual([]);
        await store.registrations.acceptOffer(r.c!.id, at(10));
        expect((await store.registrations.dueOffers(at(90), 10)).map((o) => o.id)).toEqual([r.d!.id, t.g!.id]);
      });

      it('expires a due offer and passes the seat on, once, and leaves an accepted offer alone', async () => {
        const r = await fill('e1', 2, ['a', 'b', 'c', 'd', 'e']);
        await store.registrations.cancel(r.a!.id, 'person', refill(2, at(60)), at(0));
        await store.registrations.cancel(r.b!.id, 'person', refill(2, at(30)), at(1));

        expect(await store.registrations.expireOffer(r.d!.id, refill(2, at(200)), at(29))).toEqual({});
        expect(await store.registrations.get(r.d!.id)).toMatchObject({ status: 'offered' });

        const expired = await store.registrations.expireOffer(r.d!.id, refill(2, at(200)), at(31));
        expect(expired).toMatchObject({
          expired: { id: r.d!.id, status: 'expired', offerExpiresAt: null, updatedAt: at(31) },
          offered: { id: r.e!.id, status: 'offered', offerExpiresAt: at(200) },
        });
        expect(await store.registrations.expireOffer(r.d!.id, refill(2, at(200)), at(32))).toEqual({});
        expect(await store.registrations.activeFor('e1', expired.expired!.personId)).toBeUndefined();

        // Accepted meanwhile: the scheduler's late expiry changes nothing.
        await store.registrations.acceptOffer(r.c!.id, at(59));
        expect(await store.registrations.expireOffer(r.c!.id, refill(2, at(300)), at(61))).toEqual({});
        expect(await store.registrations.get(r.c!.id)).toMatchObject({ status: 'confirmed' });

        // Nobody left waiting: the seat of an expired offer stays free.
        expect(await store.registrations.expireOffer(r.e!.id, refill(2, at(300)), at(201))).toMatchObject({
          expired: { id: r.e!.id },
        });
        expect(await store.registrations.counts('e1', 2)).toEqual({ capacity: 2, confirmed: 1, offered: 0, waitlisted: 0, free: 1 });
        expect(await store.registrations.expireOffer('nope', refill(2), at(300))).toEqual({});
      });

      it('offers every new seat to the waiting list when the capacity grows', async () => {
        const r = await fill('e1', 1, ['a', 'b', 'c', 'd']);
        expect(await store.registrations.refill('e1', refill(1), at(10))).toEqual([]);
        const offered = await store.registrations.refill('e1', refill(3, at(100)), at(10));
        expect(offered.map((o) => [o.id, o.status, o.offerExpiresAt])).toEqual([
          [r.b!.id, 'offered', at(100)],
          [r.c!.id, 'offered', at(100)],
        ]);
        expect(await store.registrations.get(r.d!.id)).toMatchObject({ position: 1 });
        expect(await store.registrations.counts('e1', 3)).toEqual({ capacity: 3, confirmed: 1, offered: 2, waitlisted: 1, free: 0 });
        expect(await store.registrations.refill('e1', refill(3, at(100)), at(11))).toEqual([]);
        expect(await store.registrations.refill('none', refill(3, at(100)), at(11))).toEqual([]);
      });

      it('lets staff promote a waiting or offered person past capacity', async () => {
        const r = await fill('e1', 1, ['a', 'b', 'c', 'd']);
        const promoted = await store.registrations.promote(r.c!.id, at(5));
        expect(promoted).toMatchObject({ id: r.c!.id, status: 'confirmed', updatedAt: at(5) });
        expect(promoted).not.toHaveProperty('position');
        expect(await store.registrations.get(r.d!.id)).toMatchObject({ position: 2 });
        expect(await store.registrations.counts('e1', 1)).toMatchObject({ confirmed: 2, waitlisted: 2, free: 0 });

        // The promoted person holds the one seat: a cancellation frees nothing to offer.
        await store.registrations.cancel(r.a!.id, 'person', refill(1, at(60)), at(6));
        expect(await store.registrations.get(r.b!.id)).toMatchObject({ status: 'waitlisted', position: 1 });
        await store.registrations.cancel(r.c!.id, 'person', refill(1, at(60)), at(7));
        expect(await store.registrations.get(r.b!.id)).toMatchObject({ status: 'offered' });
        expect(await store.registrations.promote(r.b!.id, at(8))).toMatchObject({ status: 'confirmed', offerExpiresAt: null });
        expect(await store.registrations.dueOffers(at(1000), 10)).toEqual([]);

        // Someone already confirmed, or gone, stays as they are.
        expect(await store.registrations.promote(r.b!.id, at(9))).toMatchObject({ status: 'confirmed', updatedAt: at(8) });
        expect(await store.registrations.promote(r.a!.id, at(9))).toMatchObject({ status: 'cancelled' });
        expect(await store.registrations.promote('nope', at(9))).toBeUndefined();
      });

      describe('with a fair cap', () => {
        const capped = (eventId: string, email: string, minute: number) =>
          signUp(eventId, email, { seriesId: 's1', weekKey: '2026-W48', rules: rules(1, { fairCap: 1 }), now: at(minute) });
        const fairRefill = (until = at(600)) => refill(1, until, { fairCap: 1 });

        it('offers the seat to the first person under the cap, else to the first one', async () => {
          const held = await registered(store, capped('e1', 'p@x.example', 0));
          expect(held.registration).toMatchObject({ status: 'confirmed', capped: false });

          const q = await registered(store, capped('e2', 'q@x.example', 1));
          const p = await registered(store, capped('e2', 'p@x.example', 2));
          const r = await registered(store, capped('e2', 'r@x.example', 3));
          expect(p.registration).toMatchObject({ status: 'waitlisted', position: 1, capped: true });
          expect(r.registration).toMatchObject({ status: 'waitlisted', position: 2, capped: false });
          const first = await store.registrations.cancel(q.registration.id, 'person', fairRefill(), at(4));
          expect(first).toMatchObject({ offered: { id: r.registration.id } });
          expect(await store.registrations.get(p.registration.id)).toMatchObject({ status: 'waitlisted', position: 1 });

          // Only capped people wait: the first of them gets it.
          const s = await registered(store, capped('e3', 's@x.example', 5));
          const p3 = await registered(store, capped('e3', 'p@x.example', 6));
          const second = await store.registrations.cancel(s.registration.id, 'person', fairRefill(), at(7));
          expect(second).toMatchObject({ offered: { id: p3.registration.id, status: 'offered' } });
        });

        it('counts the seats a person holds when the seat is offered', async () => {
          const held = await registered(store, capped('e1', 'p@x.example', 0));
          const t = await registered(store, capped('e2', 't@x.example', 1));
          const p = await registered(store, capped('e2', 'p@x.example', 2));
          await registered(store, capped('e2', 'u@x.example', 3));
          expect(p.registration.capped).toBe(true);
          // P gives up their other seat of the week: they are under the cap again, and first in line.
          await store.registrations.cancel(held.registration.id, 'person', fairRefill(), at(4));
          const result = await store.registrations.cancel(t.registration.id, 'person', fairRefill(), at(5));
          expect(result).toMatchObject({ offered: { id: p.registration.id } });
        });

        it('confirms a capped person when a seat is free and nobody waits', async () => {
          await registered(store, capped('e1', 'p@x.example', 0));
          const other = await registered(store, capped('e2', 'p@x.example', 1));
          expect(other.registration.status).toBe('confirmed');
          // Another week, or another series, is not counted.
          const nextWeek = await registered(store, { ...capped('e3', 'p@x.example', 2), weekKey: '2026-W49' });
          expect(nextWeek.registration).toMatchObject({ status: 'confirmed', capped: false });
        });
      });
    });

    describe('attendance', () => {
      it('marks a confirmed registration attended once, keeping the first time', async () => {
        const a = await registered(store, signUp('e1', 'a@x.example', { rules: rules(1) }));
        const b = await registered(store, signUp('e1', 'b@x.example', { rules: rules(1) }));
        expect(await store.registrations.markAttended('e1', b.person.id, at(10))).toBeUndefined();
        expect(await store.registrations.get(b.registration.id)).toMatchObject({ attendedAt: null });
        expect(await store.registrations.markAttended('e1', 'nobody', at(10))).toBeUndefined();

        expect(await store.registrations.markAttended('e1', a.person.id, at(10))).toMatchObject({
          id: a.registration.id,
          attendedAt: at(10),
        });
        expect(await store.registrations.markAttended('e1', a.person.id, at(20))).toMatchObject({ attendedAt: at(10) });
        expect(await store.registrations.get(a.registration.id)).toMatchObject({ attendedAt: at(10) });
      });

      it('ticks and unticks attendance by hand', async () => {
        const a = await registered(store, signUp('e1', 'a@x.example'));
        expect(await store.registrations.setAttendance(a.registration.id, at(10))).toMatchObject({ attendedAt: at(10) });
        expect(await store.registrations.setAttendance(a.registration.id, null)).toMatchObject({ attendedAt: null });
        expect(await store.registrations.get(a.registration.id)).toMatchObject({ attendedAt: null, status: 'confirmed' });
        // Unticked, the automatic mark may tick it again.
        expect(await store.registrations.markAttended('e1', a.person.id, at(30))).toMatchObject({ attendedAt: at(30) });
        expect(await store.registrations.setAttendance('nope', at(10))).toBeUndefined();
      });

      it('answers the confirmed registrations of people with their attendance', async () => {
        const a1 = await registered(store, signUp('e1', 'a@x.example', { now: at(0) }));
        const a2 = await registered(store, signUp('e2', 'a@x.example', { now: at(1) }));
        const a3 = await registered(store, signUp('e3', 'a@x.example', { now: at(2) }));
        const b1 = await registered(store, signUp('e1', 'b@x.example', { now: at(3) }));
        await registered(store, signUp('e1', 'c@x.example', { now: at(4) }));
        await store.registrations.markAttended('e2', a1.person.id, at(10));
        await store.registrations.cancel(a3.registration.id, 'person', refill(2), at(11));
        expect(a2.registration.status).toBe('confirmed');

        expect(await store.registrations.attendanceOf([b1.person.id, a1.person.id])).toEqual([
          { personId: b1.person.id, eventId: 'e1', attended: false },
          { personId: a1.person.id, eventId: 'e1', attended: false },
          { personId: a1.person.id, eventId: 'e2', attended: true },
        ]);
        expect(await store.registrations.attendanceOf([])).toEqual([]);
        expect(await store.registrations.attendanceOf(['nobody'])).toEqual([]);
      });
    });

    describe('people', () => {
      it('raises the link epoch of a person', async () => {
        const a = await registered(store, signUp('e1', 'a@x.example'));
        expect(await store.registrations.bumpLinkEpoch(a.person.id)).toBe(1);
        expect(await store.registrations.bumpLinkEpoch(a.person.id)).toBe(2);
        expect(await store.registrations.getPerson(a.person.id)).toMatchObject({ linkEpoch: 2 });
        expect(await store.registrations.bumpLinkEpoch('nobody')).toBeUndefined();
        // Signing up again keeps the epoch: links given out stay void.
        expect((await registered(store, signUp('e2', 'a@x.example'))).person.linkEpoch).toBe(2);
      });

      it('erases a person: their data and unsent emails go, statuses and attendance stay', async () => {
        const a1 = await registered(store, signUp('e1', 'ana@x.example', { phone: '0102', answers: { level: 'B2' }, rules: rules(1) }));
        const a2 = await registered(store, signUp('e2', 'ana@x.example', { rules: rules(0) }));
        const b = await registered(store, signUp('e1', 'bob@x.example', { rules: rules(1) }));
        await store.registrations.markAttended('e1', a1.person.id, at(10));
        const bobsMail = (await allMail(store)).filter((m) => m.personId === b.person.id);
        expect(bobsMail).toHaveLength(1);

        expect(await store.registrations.erasePerson(a1.person.id, at(100))).toBe(true);
        expect(await store.registrations.getPerson(a1.person.id)).toEqual({
          id: a1.person.id,
          email: null,
          name: null,
          language: 'fr',
          createdAt: NOW,
          linkEpoch: 1,
          erasedAt: at(100),
        });
        expect(await store.registrations.getPersonByEmail('ana@x.example')).toBeUndefined();
        const erased = { name: null, email: null, phone: null, answers: {}, erasedAt: at(100) };
        expect(await store.registrations.listForPerson(a1.person.id)).toMatchObject([
          { id: a1.registration.id, status: 'confirmed', attendedAt: at(10), ...erased },
          { id: a2.registration.id, status: 'waitlisted', position: 1, ...erased },
        ]);
        expect(await store.registrations.counts('e1', 1)).toMatchObject({ confirmed: 1, waitlisted: 1 });
        expect(await allMail(store)).toEqual(bobsMail);
        expect(await store.registrations.get(b.registration.id)).toMatchObject({ email: 'bob@x.example', erasedAt: null });

        // The same address signing up again is a new person.
        const back = await registered(store, signUp('e3', 'ana@x.example', { now: at(200) }));
        expect(back.person.id).not.toBe(a1.person.id);
        expect(back.person).toMatchObject({ email: 'ana@x.example', linkEpoch: 0, erasedAt: null });
        expect(await store.registrations.erasePerson('nobody', at(100))).toBe(false);
        // Erasing again keeps the first erasure's time on the person and the registrations.
        expect(await store.registrations.erasePerson(a1.person.id, at(300))).toBe(true);
        expect(await store.registrations.getPerson(a1.person.id)).toMatchObject({ erasedAt: at(100) });
        expect(await store.registrations.get(a2.registration.id)).toMatchObject({ erasedAt: at(100) });
      });

      it('erases an event’s registrations, and the people who have nothing else left', async () => {
        const a1 = await registered(store, signUp('e1', 'ana@x.example', { answers: { level: 'B2' } }));
        const a2 = await registered(store, signUp('e2', 'ana@x.example'));
        const b = await registered(store, signUp('e1', 'bob@x.example', { phone: '0102' }));
        const desk = await registered(store, signUp('e1', null, { overbook: true, source: 'desk', phone: '0607' }));

        expect(await store.registrations.eraseEvent('e1', at(100))).toBe(3);
        for (const r of [a1, b, desk]) {
          expect(await store.registrations.get(r.registration.id)).toMatchObject({
            status: 'confirmed',
            name: null,
            email: null,
            phone: null,
            answers: {},
            erasedAt: at(100),
          });
        }
        expect(await store.registrations.getPerson(b.person.id)).toMatchObject({ email: null, name: null, erasedAt: at(100) });
        expect(await store.registrations.getPerson(desk.person.id)).toMatchObject({ name: null, erasedAt: at(100) });
        expect(await store.registrations.getPersonByEmail('bob@x.example')).toBeUndefined();
        // Ana has another registration: she and it are kept.
        expect(await store.registrations.getPerson(a1.person.id)).toMatchObject({ email: 'ana@x.example', erasedAt: null });
        expect(await store.registrations.get(a2.registration.id)).toEqual(a2.registration);
        expect((await allMail(store)).map((m) => m.to)).toEqual(['ana@x.example', 'ana@x.example']);
        expect(await store.registrations.counts('e1', 2)).toMatchObject({ confirmed: 3 });

        // Erased once: a second pass changes nothing, not even when.
        expect(await store.registrations.eraseEvent('e1', at(200))).toBe(0);
        expect(await store.registrations.get(b.registration.id)).toMatchObject({ erasedAt: at(100) });
        expect(await store.registrations.getPerson(b.person.id)).toMatchObject({ erasedAt: at(100), linkEpoch: 1 });
        expect(await store.registrations.eraseEvent('e2', at(300))).toBe(1);
        expect(await store.registrations.getPerson(a1.person.id)).toMatchObject({ email: null, erasedAt: at(300) });
        expect(await allMail(store)).toEqual([]);
      });
    });

    it('keeps each event’s private settings', async () => {
      expect(await store.registrations.getSettings('e1')).toEqual({ joinUrl: null });
      await store.registrations.setSettings('e1', { joinUrl: 'https://meet.example/room-1' });
      await store.registrations.setSettings('e2', { joinUrl: 'https://meet.example/room-2' });
      expect(await store.registrations.getSettings('e1')).toEqual({ joinUrl: 'https://meet.example/room-1' });
      await store.registrations.setSettings('e1', { joinUrl: null });
      expect(await store.registrations.getSettings('e1')).toEqual({ joinUrl: null });
      expect(await store.registrations.getSettings('e2')).toEqual({ joinUrl: 'https://meet.example/room-2' });
    });

    describe('emails written with each change', () => {
      it('writes the email of each change, to people with an address who asked for it', async () => {
        const cap = rules(1);
        const until = at(600);
        const a = await registered(store, signUp('e1', 'a@x.example', { rules: cap, person: { email: 'a@x.example', name: 'A', language: 'en' } }));
        const b = await registered(store, signUp('e1', 'b@x.example', { rules: cap }));
        const c = await registered(store, signUp('e1', 'c@x.example', { rules: cap, notify: false }));
        await registered(store, signUp('e2', null, { rules: cap, overbook: true, source: 'desk' }));
        await store.registrations.cancel(a.registration.id, 'person', refill(1, until), at(1));
        // b's offer is declined: it passes to c, who did not want the sign-up email but gets the offer.
        await store.registrations.cancel(b.registration.id, 'declined', refill(1, until), at(2));
        await store.registrations.acceptOffer(c.registration.id, at(3));
        const e = await registered(store, signUp('e1', 'e@x.example', { rules: cap, now: at(4) }));
        await store.registrations.cancel(c.registration.id, 'library', refill(1, at(10)), at(5));
        await store.registrations.expireOffer(e.registration.id, refill(1, until), at(10));
        const f = await registered(store, signUp('e1', 'f@x.example', { rules: cap, now: at(11) }));
        const g = await registered(store, signUp('e1', 'g@x.example', { rules: cap, now: at(12) }));
        const h = await registered(store, signUp('e1', 'h@x.example', { rules: cap, now: at(13) }));
        await store.registrations.promote(h.registration.id, at(14));
        // Someone who never asked for the sign-up is not written to again.
        await store.registrations.cancel(g.registration.id, 'not-me', refill(1, until), at(15));

        const [ra, rb, rc, re, rf, rg, rh] = [a, b, c, e, f, g, h].map((x) => x.registration.id);
        expect(await mailLog(store)).toEqual([
          `confirmation ${ra}`,
          `waitlisted ${rb}`,
          `cancelled ${ra}`,
          `offer ${rb}`,
          `cancelled ${rb}`,
          `offer ${rc}`,
          `confirmation ${rc}`,
          `waitlisted ${re}`,
          `cancelled-by-library ${rc}`,
          `offer ${re}`,
          `offer-expired ${re}`,
          `confirmation ${rf}`,
          `waitlisted ${rg}`,
          `waitlisted ${rh}`,
          `confirmation ${rh}`,
        ]);
        const mail = await allMail(store);
        expect(mail[0]).toEqual({
          id: expect.any(String),
          dedupeKey: `confirmation:${ra}`,
          kind: 'confirmation',
          to: 'a@x.example',
          language: 'en',
          personId: a.person.id,
          registrationId: ra,
          eventId: 'e1',
          payload: {},
          dueAt: NOW,
          state: 'pending',
          attempts: 0,
          leaseUntil: null,
          lastError: null,
          createdAt: NOW,
          sentAt: null,
        });
        expect(mail.map((m) => [m.dedupeKey, m.payload, m.dueAt])).toEqual([
          [`confirmation:${ra}`, {}, NOW],
          [`waitlisted:${rb}`, { position: 1 }, NOW],
          [`cancelled:${ra}`, { declined: false }, at(1)],
          [`offer:${rb}`, { offerExpiresAt: until }, at(1)],
          [`cancelled:${rb}`, { declined: true }, at(2)],
          [`offer:${rc}`, { offerExpiresAt: until }, at(2)],
          [`confirmation:${rc}`, {}, at(3)],
          [`waitlisted:${re}`, { position: 1 }, at(4)],
          [`cancelled-by-library:${rc}`, {}, at(5)],
          [`offer:${re}`, { offerExpiresAt: at(10) }, at(5)],
          [`offer-expired:${re}`, {}, at(10)],
          [`confirmation:${rf}`, {}, at(11)],
          [`waitlisted:${rg}`, { position: 1 }, at(12)],
          [`waitlisted:${rh}`, { position: 2 }, at(13)],
          [`confirmation:${rh}`, {}, at(14)],
        ]);
        expect(mail.every((m) => m.eventId === 'e1' && m.state === 'pending')).toBe(true);
      });
    });

    describe('the demo reset and deleting an event', () => {
      it('resets registrations, settings, deadlines and unsent emails, and keeps people and sent emails', async () => {
        const a = await registered(store, signUp('e1', 'ana@x.example', { rules: rules(1) }));
        await registered(store, signUp('e1', 'bob@x.example', { rules: rules(1) }));
        await store.registrations.setSettings('e1', { joinUrl: 'https://meet.example/r' });
        await store.jobs.schedule({ key: 'reminder:24h:e1', kind: 'reminder', dueAt: at(60), payload: { eventId: 'e1' } });
        const [sent] = await store.outbox.claimDue(at(1), 60_000, 1);
        await store.outbox.markSent(sent!.id, 1, at(2));
        await store.outbox.claimDue(at(1), 60_000, 1);

        await store.clearAll();
        expect(await store.registrations.listForEvent('e1')).toEqual([]);
        expect(await store.registrations.listForPerson(a.person.id)).toEqual([]);
        expect(await store.registrations.counts('e1', 1)).toMatchObject({ confirmed: 0, waitlisted: 0, free: 1 });
        expect(await store.registrations.getSettings('e1')).toEqual({ joinUrl: null });
        expect(await store.jobs.get('reminder:24h:e1')).toBeUndefined();
        expect(await store.outbox.claimDue(at(1000), 60_000, 10)).toEqual([]);
        expect((await allMail(store)).map((m) => [m.id, m.state])).toEqual([[sent!.id, 'sent']]);
        expect(await store.registrations.getPersonByEmail('ana@x.example')).toMatchObject({ id: a.person.id });

        const again = await registered(store, signUp('e1', 'ana@x.example', { rules: rules(1), now: at(5) }));
        expect(again).toMatchObject({ created: true, person: { id: a.person.id }, registration: { status: 'confirmed' } });
      });

      it('deletes an event’s registrations and settings with it, and nothing of another event', async () => {
        await store.programme.saveProgramme(series, events);
        const fair = { seriesId: 's1', weekKey: '2026-W48', rules: rules(1, { fairCap: 1 }) };
        const a = await registered(store, signUp('a', 'ana@x.example', fair));
        const b = await registered(store, signUp('b', 'ana@x.example'));
        await store.registrations.setSettings('a', { joinUrl: 'https://meet.example/a' });
        await store.registrations.setSettings('b', { joinUrl: 'https://meet.example/b' });
        await registered(store, signUp('c', 'dan@x.example', { ...fair, now: at(1) }));
        const ana = await registered(store, signUp('c', 'ana@x.example', { ...fair, now: at(2) }));
        const carl = await registered(store, signUp('c', 'carl@x.example', { ...fair, now: at(3) }));
        expect([ana.registration.capped, carl.registration.capped]).toEqual([true, false]);

        expect(await store.programme.deleteEvent('a')).toBe(true);
        expect(await store.registrations.listForEvent('a')).toEqual([]);
        expect(await store.registrations.get(a.registration.id)).toBeUndefined();
        expect(await store.registrations.activeFor('a', a.person.id)).toBeUndefined();
        expect(await store.registrations.counts('a', 1)).toMatchObject({ confirmed: 0, free: 1 });
        expect(await store.registrations.getSettings('a')).toEqual({ joinUrl: null });
        expect(await store.registrations.getSettings('b')).toEqual({ joinUrl: 'https://meet.example/b' });
        expect((await store.registrations.listForPerson(a.person.id)).map((r) => r.eventId)).toEqual(['b', 'c']);
        expect(await store.registrations.get(b.registration.id)).toEqual(b.registration);

        // The deleted event's seat no longer counts against Ana's fair cap: first in line, she gets the next seat.
        const freed = (await store.registrations.listForEvent('c'))[0]!;
        const result = await store.registrations.cancel(freed.id, 'person', refill(1, at(60), { fairCap: 1 }), at(4));
        expect(result).toMatchObject({ offered: { id: ana.registration.id } });
      });
    });

    describe('against a model', () => {
      type Command =
        | { t: 'register'; who: number }
        | { t: 'desk' }
        | { t: 'cancel'; r: number }
        | { t: 'accept'; r: number }
        | { t: 'promote'; r: number }
        | { t: 'tick'; minutes: number }
        | { t: 'grow' };
      const command: fc.Arbitrary<Command> = fc.oneof(
        { weight: 6, arbitrary: fc.record({ t: fc.constant('register' as const), who: fc.nat({ max: 6 }) }) },
        { weight: 1, arbitrary: fc.constant({ t: 'desk' as const }) },
        { weight: 4, arbitrary: fc.record({ t: fc.constant('cancel' as const), r: fc.nat({ max: 9 }) }) },
        { weight: 3, arbitrary: fc.record({ t: fc.constant('accept' as const), r: fc.nat({ max: 9 }) }) },
        { weight: 1, arbitrary: fc.record({ t: fc.constant('promote' as const), r: fc.nat({ max: 9 }) }) },
        { weight: 2, arbitrary: fc.record({ t: fc.constant('tick' as const), minutes: fc.integer({ min: 1, max: 90 }) }) },
        { weight: 1, arbitrary: fc.constant({ t: 'grow' as const }) },
      );

      interface ModelRegistration {
        id: string;
        who: number | null;
        status: RegistrationStatus;
        waitSeq: number;
        offerUntil: number;
        /** Confirmed by staff or at the desk: may hold a seat past capacity. */
        forced: boolean;
      }

      /**
       * Random sequences of sign-ups, desk sign-ups, cancellations, acceptances, promotions, time passing (offers
       * expire and pass on) and capacity growing, on one event with a waiting list. After every step, every
       * registration has the status and position the model says, positions are 1…n, and seats exceed the capacity
       * only by what staff forced.
       */
      it('agrees with a simple model of seats, waiting list and offers', async () => {
        const OFFER_MINUTES = 60;
        let run = 0;
        await fc.assert(
          fc.asyncProperty(fc.integer({ min: 1, max: 3 }), fc.array(command, { minLength: 1, maxLength: 30 }), async (start, commands) => {
            const eventId = `model-${++run}`;
            let capacity = start;
            let minute = 0;
            let seq = 0;
            const regs: ModelRegistration[] = [];
            const holds = (r: ModelRegistration) => r.status === 'confirmed' || r.status === 'offered';
            const waiting = () => regs.filter((r) => r.status === 'waitlisted').sort((x, y) => x.waitSeq - y.waitSeq);
            const modelRefill = () => {
              let free = capacity - regs.filter(holds).length;
              for (const next of waiting()) {
                if (free <= 0) break;
                next.status = 'offered';
                next.offerUntil = minute + OFFER_MINUTES;
                free--;
              }
            };
            const storeRefill = () => refill(capacity, at(minute + OFFER_MINUTES));
            const pick = (r: number) => regs[r % Math.max(regs.length, 1)];

            for (const c of commands) {
              const now = at(minute);
              if (c.t === 'register' || c.t === 'desk') {
                const desk = c.t === 'desk';
                const email = desk ? null : `p${c.who}@model.example`;
                const result = await registered(
                  store,
                  signUp(eventId, email, { rules: rules(capacity), overbook: desk, source: desk ? 'desk' : 'online', now }),
                );
                const mine = desk ? undefined : regs.find((r) => r.who === c.who && ['confirmed', 'waitlisted', 'offered'].includes(r.status));
                if (mine) {
                  expect(result.created).toBe(false);
                  expect(result.registration.id).toBe(mine.id);
                } else {
                  const free = regs.filter(holds).length < capacity && waiting().length === 0;
                  regs.push({
                    id: result.registration.id,
                    who: desk ? null : c.who,
                    status: desk || free ? 'confirmed' : 'waitlisted',
                    waitSeq: ++seq,
                    offerUntil: 0,
                    forced: desk,
                  });
                }
              } else if (c.t === 'cancel') {
                const r = pick(c.r);
                if (!r) continue;
                await store.registrations.cancel(r.id, 'person', storeRefill(), now);
                if (r.status !== 'cancelled' && r.status !== 'expired') {
                  const held = holds(r);
                  r.status = 'cancelled';
                  if (held) modelRefill();
                }
              } else if (c.t === 'accept') {
                const r = pick(c.r);
                if (!r) continue;
                await store.registrations.acceptOffer(r.id, now);
                if (r.status === 'offered' && minute < r.offerUntil) r.status = 'confirmed';
              } else if (c.t === 'promote') {
                const r = pick(c.r);
                if (!r) continue;
                await store.registrations.promote(r.id, now);
                if (r.status === 'waitlisted' || r.status === 'offered') {
                  r.status = 'confirmed';
                  r.forced = true;
                }
              } else if (c.t === 'tick') {
                minute += c.minutes;
                for (const due of await store.registrations.dueOffers(at(minute), 100)) {
                  await store.registrations.expireOffer(due.id, storeRefill(), at(minute));
                }
                for (const r of regs.filter((x) => x.status === 'offered' && x.offerUntil <= minute)) {
                  r.status = 'expired';
                  modelRefill();
                }
              } else {
                capacity++;
                await store.registrations.refill(eventId, storeRefill(), now);
                modelRefill();
              }

              const stored = await store.registrations.listForEvent(eventId);
              const line = waiting().map((r) => r.id);
              expect(stored.map((r) => [r.id, r.status, r.position ?? null])).toEqual(
                regs.map((r) => [r.id, r.status, r.status === 'waitlisted' ? line.indexOf(r.id) + 1 : null]),
              );
              const seats = stored.filter((r) => r.status === 'confirmed' || r.status === 'offered').length;
              expect(seats).toBeLessThanOrEqual(capacity + regs.filter((r) => r.forced && holds(r)).length);
              expect(await store.registrations.counts(eventId, capacity)).toEqual({
                capacity,
                confirmed: regs.filter((r) => r.status === 'confirmed').length,
                offered: regs.filter((r) => r.status === 'offered').length,
                waitlisted: line.length,
                free: Math.max(0, capacity - seats),
              });
            }
          }),
          { numRuns: 40 },
        );
      }, 120_000);
    });
  });
}
