import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job } from './job-store';
import type { Store } from './store';
import { at } from './sign-up-fixtures';

function reminder(eventId: string, dueAt: string, lead = '24h'): Job {
  return { key: `reminder:${lead}:${eventId}`, kind: 'reminder', dueAt, payload: { eventId, lead } };
}

const LEASE = 60_000;

/**
 * The deadlines' contract, run against SQLite and Redis (see contracts.ts): one job per key, claimed by one process
 * at a time with a lease, and not lost when the event moves while its job runs.
 */
export function jobContract(name: string, open: () => Promise<Store>, dispose: (store: Store) => Promise<void>): void {
  describe(`Job store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await dispose(store);
    });

    it('keeps one job per key, moved when scheduled again', async () => {
      await store.jobs.schedule(reminder('e1', at(60)));
      expect(await store.jobs.get('reminder:24h:e1')).toEqual({ ...reminder('e1', at(60)), leaseUntil: null, attempts: 0 });
      const moved = { ...reminder('e1', at(120)), payload: { eventId: 'e1', lead: '24h', moved: [1, 2], empty: [] } };
      await store.jobs.schedule(moved);
      expect(await store.jobs.get('reminder:24h:e1')).toEqual({ ...moved, leaseUntil: null, attempts: 0 });
      expect(await store.jobs.claimDue(at(60), LEASE, 10)).toEqual([]);
      expect(await store.jobs.get('nope')).toBeUndefined();
    });

    it('cancels a job', async () => {
      await store.jobs.schedule(reminder('e1', at(60)));
      await store.jobs.schedule(reminder('e2', at(60)));
      await store.jobs.cancel('reminder:24h:e1');
      await store.jobs.cancel('nope');
      expect(await store.jobs.get('reminder:24h:e1')).toBeUndefined();
      expect((await store.jobs.claimDue(at(60), LEASE, 10)).map((j) => j.key)).toEqual(['reminder:24h:e2']);
    });

    it('hands out due jobs earliest first, each to one claim, with a lease', async () => {
      await store.jobs.schedule(reminder('late', at(30)));
      await store.jobs.schedule(reminder('b', at(10)));
      await store.jobs.schedule(reminder('a', at(10)));
      await store.jobs.schedule(reminder('soon', at(5)));
      await store.jobs.schedule(reminder('future', at(100)));
      expect(await store.jobs.claimDue(at(4), LEASE, 10)).toEqual([]);

      const first = await store.jobs.claimDue(at(30), LEASE, 3);
      expect(first.map((j) => j.key)).toEqual(['reminder:24h:soon', 'reminder:24h:a', 'reminder:24h:b']);
      expect(first[0]).toEqual({ ...reminder('soon', at(5)), leaseUntil: at(31), attempts: 1 });
      expect(await store.jobs.get('reminder:24h:soon')).toEqual(first[0]);
      expect((await store.jobs.claimDue(at(30), LEASE, 10)).map((j) => j.key)).toEqual(['reminder:24h:late']);
      expect(await store.jobs.claimDue(at(30.5), LEASE, 10)).toEqual([]);
      expect(await store.jobs.claimDue(at(30), LEASE, 0)).toEqual([]);

      // The claims of a process that died run out: the jobs are claimed again, earliest due first.
      const again = await store.jobs.claimDue(at(31), LEASE, 10);
      expect(again.map((j) => [j.key, j.attempts])).toEqual([
        ['reminder:24h:soon', 2],
        ['reminder:24h:a', 2],
        ['reminder:24h:b', 2],
        ['reminder:24h:late', 2],
      ]);
    });

    it('removes a job once done, unless it was scheduled again meanwhile', async () => {
      await store.jobs.schedule(reminder('e1', at(10)));
      await store.jobs.schedule(reminder('e2', at(10)));
      const [one, two] = await store.jobs.claimDue(at(10), LEASE, 10);
      await store.jobs.complete(one!.key, one!.dueAt);
      expect(await store.jobs.get(one!.key)).toBeUndefined();

      // The event moved while its reminders were being sent: the job stays, for its new time, unclaimed.
      await store.jobs.schedule(reminder('e2', at(50)));
      await store.jobs.complete(two!.key, two!.dueAt);
      expect(await store.jobs.get(two!.key)).toEqual({ ...reminder('e2', at(50)), leaseUntil: null, attempts: 0 });
      expect(await store.jobs.claimDue(at(49), LEASE, 10)).toEqual([]);
      expect((await store.jobs.claimDue(at(50), LEASE, 10)).map((j) => j.key)).toEqual([two!.key]);
      await store.jobs.complete('nope', at(10));
    });

    it('gives a job back to be tried again later', async () => {
      await store.jobs.schedule(reminder('e1', at(10)));
      const [job] = await store.jobs.claimDue(at(10), LEASE, 10);
      await store.jobs.release(job!.key, at(20));
      expect(await store.jobs.get(job!.key)).toEqual({ ...reminder('e1', at(20)), leaseUntil: null, attempts: 1 });
      expect(await store.jobs.claimDue(at(19), LEASE, 10)).toEqual([]);
      expect(await store.jobs.claimDue(at(20), LEASE, 10)).toMatchObject([{ key: job!.key, attempts: 2, dueAt: at(20) }]);
      await store.jobs.release('nope', at(20));
      expect(await store.jobs.get('nope')).toBeUndefined();
    });
  });
}
