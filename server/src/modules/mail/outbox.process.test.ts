import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../store/sqlite/sqlite-store';
import type { Store } from '../../store/store';
import { signUp, workshop } from '../../test/mail-fixtures';
import { spawnParvis, type ParvisProcess } from '../../test/process';
import { startSmtpServer, type TestSmtpServer } from '../../test/smtp-server';

/**
 * Real Parvis processes (as `npm start` runs them) sharing one SQLite file and one real SMTP server: an email stored
 * when a process dies is sent by the next one, once; two processes sending side by side send each email once.
 *
 * The sign-ups are written through a connection of the test's own to the same database, as another process of the
 * deployment would: the store operation that stores the email is the one the sign-up service calls.
 */

const SECRET = 'outbox-process-test-secret-0123456789-0123';
const ORIGIN = 'https://parvis.example';
let dataDir: string;
let smtp: TestSmtpServer;
let store: Store;
const processes: ParvisProcess[] = [];

async function parvis(tickMs: number): Promise<ParvisProcess> {
  const p = await spawnParvis({
    DATA_DIR: dataDir,
    JWT_SECRET: SECRET,
    PUBLIC_ORIGIN: ORIGIN,
    // Each process greets the server with its own name, for the log of who sent what.
    SMTP_URL: `${smtp.url}/?name=parvis-${processes.length + 1}`,
    SCHEDULER_TICK_MS: String(tickMs),
  });
  processes.push(p);
  return p;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'parvis-outbox-proc-'));
  smtp = await startSmtpServer();
});
afterAll(async () => {
  for (const p of processes) await p.kill('SIGKILL');
  await store?.close();
  await smtp?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const alive = () => processes.filter((p) => p.child.exitCode === null && p.child.signalCode === null);

/** The test's own connection to the processes' database, opened once a process has created it. */
function database(): Store {
  store ??= openSqliteStore(join(dataDir, 'parvis.sqlite'));
  return store;
}

const copiesOf = (outboxId: string) => smtp.received.filter((m) => m.parsed.messageId === `<${outboxId}@parvis.example>`).length;

describe('the outbox across processes', () => {
  it('sends, exactly once after a restart, an email stored while the process that was to send it was killed', async () => {
    // The first process's sender would not run for an hour: it is killed (SIGKILL, no goodbye) before it sends.
    const first = await parvis(3_600_000);
    database();
    const event = workshop('atelier-crash', new Date(Date.now() + 7 * 86_400_000).toISOString(), { capacity: 50 });
    await store.programme.saveProgramme([], [event]);
    const { registration } = await signUp(store, event, { email: 'ana@example.org', name: 'Ana', language: 'fr' }, new Date());
    const row = (await store.outbox.list({ limit: 10 })).find((r) => r.registrationId === registration.id)!;
    await first.kill('SIGKILL');
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(await store.outbox.get(row.id)).toMatchObject({ state: 'pending', attempts: 0 });
    expect(smtp.attempts).toBe(0);

    await parvis(50);
    const mail = await smtp.waitFor((m) => m.to.includes('ana@example.org'), 30_000, 'the confirmation');
    expect(mail.parsed.messageId).toBe(`<${row.id}@parvis.example>`);
    expect(mail.parsed.text).toContain(`${ORIGIN}/me#`);

    // The marker: an email stored after, which the same process sends after; only then is "once" checked.
    await signUp(store, event, { email: 'marker@example.org', name: 'Marker', language: 'en' }, new Date());
    await smtp.waitFor((m) => m.to.includes('marker@example.org'), 30_000, 'the marker');
    expect(copiesOf(row.id)).toBe(1);
    expect(await store.outbox.get(row.id)).toMatchObject({ state: 'sent', attempts: 1 });
  });

  it('sends each email once when two processes send from the same outbox', async () => {
    while (alive().length < 2) await parvis(20);
    database();
    const event = workshop('atelier-duo', new Date(Date.now() + 8 * 86_400_000).toISOString(), { capacity: 100 });
    await store.programme.saveProgramme([], [event]);
    const people = Array.from({ length: 30 }, (_, i) => `duo${i}@example.org`);
    // Due a moment from now, all at once: both processes find the whole lot due on the same ticks and compete for it.
    const now = new Date(Date.now() + 1000);
    const rows: string[] = [];
    for (const email of people) {
      const { registration } = await signUp(store, event, { email, name: email, language: 'fr' }, now);
      rows.push((await store.outbox.list({ limit: 5 })).find((r) => r.registrationId === registration.id)!.id);
    }
    for (const email of people) await smtp.waitFor((m) => m.to.includes(email), 30_000, `the email to ${email}`);

    await signUp(store, event, { email: 'duo-marker@example.org', name: 'Marker', language: 'fr' }, new Date());
    await smtp.waitFor((m) => m.to.includes('duo-marker@example.org'), 30_000, 'the marker');
    for (const id of rows) expect(copiesOf(id)).toBe(1);
    const stored = await Promise.all(rows.map((id) => store.outbox.get(id)));
    expect(stored.every((r) => r?.state === 'sent')).toBe(true);
  });
});
