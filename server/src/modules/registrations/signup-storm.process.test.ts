import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRedisStore } from '../../store/redis/redis-store';
import { openSqliteStore } from '../../store/sqlite/sqlite-store';
import type { Store } from '../../store/store';
import { spawnParvis, type ParvisProcess } from '../../test/process';
import { startRedisServer, type RedisServer } from '../../test/redis-server';
import { testEvent } from '../../test/staff';

const SEATS = 20;
const PEOPLE = 500;

/*
 * Five hundred people sign up at once for twenty seats, through two real server processes that share one store: one
 * SQLite file (the embedded default, as two `npm start` on one data directory), or one Redis. The seat count and the
 * waiting-list positions hold because each sign-up is one store operation: a transaction that SQLite's write lock
 * serialises across the processes, a Lua script that Redis runs whole.
 */
describe.each(['one SQLite file', 'Redis'] as const)('a sign-up storm over two processes on %s', (on) => {
  let dataDir: string;
  let redis: RedisServer | undefined;
  const processes: ParvisProcess[] = [];
  let store: Store;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'parvis-storm-'));
    if (on === 'Redis') redis = await startRedisServer();
    const env = {
      DATA_DIR: dataDir,
      JWT_SECRET: 'storm-test-secret-0123456789-abcdefghijkl',
      ...(redis && { REDIS_URL: redis.url }),
    };
    // One at a time: the first seeds the demo, the second finds it.
    processes.push(await spawnParvis(env));
    processes.push(await spawnParvis(env));
    store = redis ? await openRedisStore(redis.url) : openSqliteStore(join(dataDir, 'parvis.sqlite'));
    const start = Date.now() + 48 * 3_600_000;
    await store.programme.saveProgramme(
      [],
      [
        testEvent('atelier-tempete', {
          access: 'registration',
          capacity: SEATS,
          startsAt: new Date(start).toISOString(),
          endsAt: new Date(start + 3_600_000).toISOString(),
        }),
      ],
    );
  }, 90_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await store?.close();
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives exactly 20 seats and waiting-list positions 1 to 480, with no holes and no repeats', async () => {
    const answers = await Promise.all(
      Array.from({ length: PEOPLE }, async (_, i) => {
        const res = await fetch(`${processes[i % 2]!.url}/api/events/atelier-tempete/registrations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: `Personne ${i}`, email: `tempete-${i}@example.org`, language: 'fr', consent: true }),
        });
        return { status: res.status, body: (await res.json()) as { registration: { status: string; position?: number } } };
      }),
    );
    const failures = answers.filter((a) => a.status !== 201);
    expect(failures, JSON.stringify(failures.slice(0, 3))).toEqual([]);
    const statuses = answers.map((a) => a.body.registration.status);
    expect(statuses.filter((s) => s === 'confirmed')).toHaveLength(SEATS);
    expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(PEOPLE - SEATS);
    // The positions each person was told, and the ones the store holds now: both exactly 1…480.
    const told = answers.flatMap((a) => (a.body.registration.position === undefined ? [] : [a.body.registration.position])).sort((x, y) => x - y);
    const expected = Array.from({ length: PEOPLE - SEATS }, (_, i) => i + 1);
    expect(told).toEqual(expected);
    const stored = (await store.registrations.listForEvent('atelier-tempete'))
      .filter((r) => r.status === 'waitlisted')
      .map((r) => r.position)
      .sort((x, y) => x! - y!);
    expect(stored).toEqual(expected);
    expect(await store.registrations.counts('atelier-tempete', SEATS)).toEqual({
      capacity: SEATS,
      confirmed: SEATS,
      offered: 0,
      waitlisted: PEOPLE - SEATS,
      free: 0,
    });
    // And every one of them has their email waiting in the outbox, once.
    const mails = (await store.outbox.list({ limit: 2 * PEOPLE })).filter((m) => m.eventId === 'atelier-tempete');
    expect(mails).toHaveLength(PEOPLE);
  }, 120_000);
});
