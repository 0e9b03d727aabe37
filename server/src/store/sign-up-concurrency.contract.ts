import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RegistrationRecord } from './registration-store';
import type { Store } from './store';
import { intent } from './outbox.contract';
import { allMail, at, refill, registered, rules, signUp } from './sign-up-fixtures';

/** Two stores on one database, as two processes would hold it (SQLite: two connections to one file; Redis: two clients). */
export interface StorePair {
  one: Store;
  two: Store;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/**
 * What sign-up promises under concurrency, on two store instances sharing one database, with every call started at
 * once and spread over both: seats never oversold, waiting-list positions without holes or repeats, one registration
 * per person, each offer passed on once, each email and job handed to one sender at a time.
 */
export function signUpConcurrencyContract(name: string, openPair: () => Promise<StorePair>, dispose: (pair: StorePair) => Promise<void>): void {
  describe(`Sign-up concurrency contract: ${name}`, () => {
    let pair: StorePair;
    let both: [Store, Store];
    beforeEach(async () => {
      pair = await openPair();
      both = [pair.one, pair.two];
    });
    afterEach(async () => {
      await dispose(pair);
    });

    it('gives 500 people signing up at once for 20 seats exactly 20 seats and places 1…480', { timeout: 60_000 }, async () => {
      const results = await Promise.all(
        range(500).map((i) => both[i % 2]!.registrations.register(signUp('storm', `p${i}@storm.example`, { rules: rules(20) }))),
      );
      const registrations = results.map((r) => {
        if (r.outcome !== 'registered') throw new Error('a sign-up was refused');
        expect(r.created).toBe(true);
        return r.registration;
      });
      expect(registrations.filter((r) => r.status === 'confirmed')).toHaveLength(20);
      const answered = registrations.filter((r) => r.status === 'waitlisted').map((r) => r.position!);
      expect(answered.sort((a, b) => a - b)).toEqual(range(480));
      expect(new Set(registrations.map((r) => r.id)).size).toBe(500);

      const listed = await pair.two.registrations.listForEvent('storm');
      expect(listed).toHaveLength(500);
      expect(listed.filter((r) => r.status === 'waitlisted').map((r) => r.position)).toEqual(range(480));
      // Each person's place is the one they were told.
      const told = new Map(registrations.map((r) => [r.id, r.position]));
      expect(listed.every((r) => told.get(r.id) === r.position)).toBe(true);
      expect(await pair.one.registrations.counts('storm', 20)).toEqual({ capacity: 20, confirmed: 20, offered: 0, waitlisted: 480, free: 0 });

      // Every sign-up wrote its email, with the place it gave.
      const mail = await allMail(pair.one);
      expect(mail.filter((m) => m.kind === 'confirmation')).toHaveLength(20);
      const places = mail.filter((m) => m.kind === 'waitlisted').map((m) => m.payload.position as number);
      expect(places.sort((a, b) => a - b)).toEqual(range(480));
    });

    it('gives one registration to the same email signing up 20 times at once', async () => {
      const results = await Promise.all(
        range(20).map((i) => both[i % 2]!.registrations.register(signUp('e1', 'ana@x.example', { rules: rules(1) }))),
      );
      const ids = new Set(results.map((r) => (r.outcome === 'registered' ? r.registration.id : 'full')));
      const people = new Set(results.map((r) => (r.outcome === 'registered' ? r.person.id : 'full')));
      expect(ids.size).toBe(1);
      expect(people.size).toBe(1);
      expect(results.filter((r) => r.outcome === 'registered' && r.created)).toHaveLength(1);
      expect(await pair.two.registrations.listForEvent('e1')).toHaveLength(1);
      expect(await pair.one.registrations.counts('e1', 1)).toMatchObject({ confirmed: 1, waitlisted: 0 });
      expect(await allMail(pair.two)).toHaveLength(1);
    });

    it('keeps seats and places exact while people cancel, accept and sign up at once', { timeout: 60_000 }, async () => {
      const cap = rules(20);
      const first = [];
      for (const i of range(40)) first.push((await registered(pair.one, signUp('busy', `p${i}@x.example`, { rules: cap }))).registration);
      const leaving = first.slice(0, 15);
      const offerUntil = at(600);
      // Offers made by early cancellations may be accepted while other cancellations and sign-ups run.
      await Promise.all([
        ...leaving.map((r, i) => both[i % 2]!.registrations.cancel(r.id, 'person', refill(20, offerUntil), at(1))),
        ...first.slice(20).map((r, i) => both[i % 2]!.registrations.acceptOffer(r.id, at(2))),
        ...range(30).map((i) => both[i % 2]!.registrations.register(signUp('busy', `new${i}@x.example`, { rules: cap, now: at(3) }))),
      ]);

      const listed = await pair.two.registrations.listForEvent('busy');
      const holding = listed.filter((r) => r.status === 'confirmed' || r.status === 'offered');
      // Every freed seat went to someone waiting, and no seat twice.
      expect(holding).toHaveLength(20);
      const waiting = listed.filter((r) => r.status === 'waitlisted');
      expect(waiting.map((r) => r.position)).toEqual(range(waiting.length));
      expect(listed.filter((r) => r.status === 'cancelled')).toHaveLength(15);
      expect(waiting.length).toBe(70 - 15 - 20);
    });

    it('passes an offer on once when several processes expire it at once', async () => {
      const cap = rules(1);
      const people: RegistrationRecord[] = [];
      for (const who of ['a', 'b', 'c', 'd']) people.push((await registered(pair.one, signUp('e1', `${who}@x.example`, { rules: cap }))).registration);
      await pair.one.registrations.cancel(people[0]!.id, 'person', refill(1, at(60)), at(1));
      const results = await Promise.all(
        range(10).map((i) => both[i % 2]!.registrations.expireOffer(people[1]!.id, refill(1, at(120)), at(61))),
      );
      expect(results.filter((r) => r.expired)).toHaveLength(1);
      expect(results.filter((r) => r.offered)).toHaveLength(1);
      expect(results.find((r) => r.offered)!.offered!.id).toBe(people[2]!.id);
      expect(await pair.two.registrations.get(people[3]!.id)).toMatchObject({ status: 'waitlisted', position: 1 });
      const mail = await allMail(pair.two);
      expect(mail.filter((m) => m.kind === 'offer-expired')).toHaveLength(1);
      expect(mail.filter((m) => m.kind === 'offer').map((m) => m.registrationId)).toEqual([people[1]!.id, people[2]!.id]);
    });

    it('never hands the same email to two of 200 claims at once within a lease', { timeout: 60_000 }, async () => {
      await pair.one.outbox.enqueue(range(150).map((i) => intent(`k${i}`)), at(0));
      const claims = await Promise.all(range(200).map((i) => both[i % 2]!.outbox.claimDue(at(1), 60_000, 2)));
      const ids = claims.flat().map((r) => r.id);
      expect(ids).toHaveLength(150);
      expect(new Set(ids).size).toBe(150);
      expect(claims.flat().every((r) => r.attempts === 1 && r.state === 'sending')).toBe(true);
      // Within the lease nothing is left to claim; after it, everything once more.
      expect(await pair.two.outbox.claimDue(at(1.5), 60_000, 1000)).toEqual([]);
      const again = await Promise.all(range(200).map((i) => both[i % 2]!.outbox.claimDue(at(2), 60_000, 2)));
      expect(new Set(again.flat().map((r) => r.id)).size).toBe(150);
      expect(again.flat()).toHaveLength(150);
    });

    it('hands each due job to one of many claims at once', async () => {
      for (const i of range(30)) await pair.one.jobs.schedule({ key: `job-${i}`, kind: 'reminder', dueAt: at(i % 5), payload: {} });
      const claims = await Promise.all(range(60).map((i) => both[i % 2]!.jobs.claimDue(at(10), 60_000, 1)));
      const keys = claims.flat().map((j) => j.key);
      expect(keys).toHaveLength(30);
      expect(new Set(keys).size).toBe(30);
    });
  });
}
