import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Event } from '#shared/domain/event';
import { openRedisStore } from '../../store/redis/redis-store';
import { openSqliteStore } from '../../store/sqlite/sqlite-store';
import type { Store } from '../../store/store';
import { mailParts, signUp, workshop, MAIL_FROM, MAIL_ORIGIN } from '../../test/mail-fixtures';
import { startRedisServer, type RedisServer } from '../../test/redis-server';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../../test/smtp-server';
import { SmtpTransport } from './mail-transport';
import { MAX_ATTEMPTS, retryDelayMs } from './outbox-sender';

/**
 * The sender against a real SMTP server (smtp-server on a loopback port; what it accepts is parsed with mailparser),
 * on each real store (SQLite, and Redis on a redis-server of its own). Time is the tests' own: every `runOnce` is given
 * the instant it runs at, so backoff is checked to the millisecond without waiting for it.
 */

const T0 = new Date('2026-03-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const MINUTE = 60_000;

/** A store, and a way to open another connection to the same data (another process's, as far as the store knows). */
interface Backend {
  store: Store;
  another(): Promise<Store>;
  cleanup(): void;
}

let redis: RedisServer | undefined;
let prefixes = 0;
afterAll(async () => {
  await redis?.stop();
});

const BACKENDS: Record<'SQLite' | 'Redis', () => Promise<Backend>> = {
  SQLite: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parvis-mail-'));
    const file = join(dir, 'parvis.sqlite');
    return {
      store: openSqliteStore(file),
      another: async () => openSqliteStore(file),
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    };
  },
  Redis: async () => {
    redis ??= await startRedisServer();
    const url = redis.url;
    // A key prefix per test: each starts from an empty outbox.
    const prefix = `parvis-mail-${++prefixes}:`;
    return { store: await openRedisStore(url, { prefix }), another: () => openRedisStore(url, { prefix }), cleanup: () => {} };
  },
};

let backend: Backend;
let store: Store;
let smtp: TestSmtpServer;
const transports: SmtpTransport[] = [];
const extraStores: Store[] = [];
let event: Event;

async function setUp(kind: keyof typeof BACKENDS): Promise<void> {
  backend = await BACKENDS[kind]();
  store = backend.store;
  smtp = await startSmtpServer();
  // Friday 27 March 2026, 14:00 in Paris (winter time, UTC+1), two days before clocks go forward.
  event = workshop('atelier-fle', '2026-03-27T13:00:00.000Z');
  await store.programme.saveProgramme([], [event]);
}

async function tearDown(): Promise<void> {
  for (const t of transports.splice(0)) t.close();
  await smtp.close();
  for (const s of extraStores.splice(0)) await s.close();
  await store.close();
  backend.cleanup();
}

/** Another connection to the test's store, closed with it. */
async function anotherConnection(): Promise<Store> {
  const other = await backend.another();
  extraStores.push(other);
  return other;
}

function transport(): SmtpTransport {
  const t = new SmtpTransport(smtp.url);
  transports.push(t);
  return t;
}

/** Text with Intl's and French typography's narrow and no-break spaces as plain spaces, for readable expectations. */
const plain = (s: string | undefined) => (s ?? '').replace(/[\u00a0\u202f\u2009]/g, ' ');

const messagesWithId = (id: string) => smtp.received.filter((m) => m.parsed.messageId === `<${id}@parvis.example>`);

/** The VEVENT of an .ics, its zones registered so that DTSTART;TZID reads as the right instant. */
function parseIcs(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  return { calendar, event: new ICAL.Event(calendar.getFirstSubcomponent('vevent')!) };
}

describe.each(['SQLite', 'Redis'] as const)('the outbox on %s', (kind) => {
  beforeEach(() => setUp(kind));
  afterEach(tearDown);

  describe('sending a confirmation through SMTP', () => {
    it('arrives once, in French, with an HTML and a text part, the invitation to add to a calendar and the personal link', async () => {
      const parts = mailParts(store);
      const { person, registration } = await signUp(store, event, { email: 'ana@example.org', name: 'Ana Lima', language: 'fr' }, T0);
      const sender = parts.sender(transport());

      expect(await sender.runOnce(T0)).toBe(1);
      const mail = await smtp.waitFor((m) => m.to.includes('ana@example.org'));
      // A later run has nothing left to send: the marker is the run itself, which answers how many emails left.
      expect(await sender.runOnce(at(10 * MINUTE))).toBe(0);
      expect(smtp.received).toHaveLength(1);

      const { parsed } = mail;
      expect(parsed.subject).toBe('Inscription confirmée\u00a0: Conversation en français atelier-fle');
      expect(parsed.from?.text).toContain('no-reply@parvis.example');
      expect(parsed.headers.get('content-language')).toBe('fr');
      expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
      expect(parsed.html).toContain('<html lang="fr"');
      expect(parsed.html).toContain('Votre place est réservée</h1>');
      expect(plain(parsed.text)).toContain('Quand : vendredi 27 mars 2026, 14:00 – 15:30 (heure d’Europe centrale)');

      const personalUrl = parts.links.pageUrl(person).split('#')[0]!;
      expect(personalUrl).toBe(`${MAIL_ORIGIN}/me`);
      const links = [...(parsed.html as string).matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
      const personal = links.find((href) => href.startsWith(`${MAIL_ORIGIN}/me#`) && !href.includes('not-me'));
      expect(personal).toBeDefined();
      expect((await parts.links.authenticate(personal!.slice(`${MAIL_ORIGIN}/me#`.length))).id).toBe(person.id);
      expect(parsed.text).toContain(personal!);
      expect(links).toContain(`${personal}&not-me=${registration.id}`);

      expect(parsed.attachments).toHaveLength(1);
      const [ics] = parsed.attachments;
      expect(ics!.contentType).toBe('text/calendar');
      const { calendar, event: vevent } = parseIcs(ics!.content.toString('utf8'));
      expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
      expect(vevent.uid).toBe('atelier-fle@parvis.example');
      expect(vevent.startDate.toJSDate().toISOString()).toBe('2026-03-27T13:00:00.000Z');
      expect(vevent.organizer).toBe(`mailto:${MAIL_FROM.address}`);
      expect(vevent.attendees.map((a) => String(a.getFirstValue()).toLowerCase())).toEqual(['mailto:ana@example.org']);
    });

    it('arrives in English for a person who signed up in English, with dates written out in English in the event’s zone', async () => {
      const parts = mailParts(store);
      await signUp(store, event, { email: 'bo@example.org', name: 'Bo Chen', language: 'en' }, T0);
      await parts.sender(transport()).runOnce(T0);
      const { parsed } = await smtp.waitFor((m) => m.to.includes('bo@example.org'));
      expect(parsed.subject).toBe('You are registered: Conversation en français atelier-fle');
      expect(parsed.html).toContain('<html lang="en"');
      expect(plain(parsed.text)).toContain('When: Friday, 27 March 2026, 14:00–15:30 (Central European Time)');
      expect(parsed.text).toContain('My registrations (cancel, add to my calendar, erase my data)');
      expect(parsed.text).toMatch(/https:\/\/parvis\.example\/me#[\w-]+\.[\w-]+\.[\w-]+/);
      expect(parsed.attachments[0]!.contentType).toBe('text/calendar');
    });
  });

  describe('retrying', () => {
    it('sends the email on a later attempt when the server refuses for a while, once, at the backoff times', async () => {
      smtp.answer = (n) => (n <= 2 ? { code: 451, message: '4.3.0 Mailbox busy, try later' } : 'accept');
      const parts = mailParts(store);
      await signUp(store, event, { email: 'ana@example.org', name: 'Ana', language: 'fr' }, T0);
      const [row] = await store.outbox.list({ limit: 1 });
      const sender = parts.sender(transport());

      expect(await sender.runOnce(T0)).toBe(0);
      let stored = (await store.outbox.get(row!.id))!;
      expect(stored).toMatchObject({ state: 'pending', attempts: 1, dueAt: at(MINUTE).toISOString() });
      expect(stored.lastError).toContain('451');

      // Not before the minute is up: no new attempt reaches the server.
      expect(await sender.runOnce(at(MINUTE - 1))).toBe(0);
      expect(smtp.attempts).toBe(1);

      expect(await sender.runOnce(at(MINUTE))).toBe(0);
      stored = (await store.outbox.get(row!.id))!;
      expect(stored).toMatchObject({ state: 'pending', attempts: 2, dueAt: at(MINUTE + 2 * MINUTE).toISOString() });
      expect(await sender.runOnce(at(3 * MINUTE - 1))).toBe(0);
      expect(smtp.attempts).toBe(2);

      expect(await sender.runOnce(at(3 * MINUTE))).toBe(1);
      stored = (await store.outbox.get(row!.id))!;
      expect(stored).toMatchObject({ state: 'sent', attempts: 3, lastError: null, sentAt: at(3 * MINUTE).toISOString() });
      expect(await sender.runOnce(at(24 * 60 * MINUTE))).toBe(0);
      expect(smtp.received).toHaveLength(1);
      expect(messagesWithId(row!.id)).toHaveLength(1);
      expect(smtp.attempts).toBe(3);
    });

    it('gives up after 10 refused attempts, marks the email failed with the server’s answer, and never tries again', async () => {
      smtp.answer = () => ({ code: 550, message: '5.1.1 No such user here' });
      const parts = mailParts(store);
      await signUp(store, event, { email: 'nobody@example.org', name: 'Nobody', language: 'en' }, T0);
      const [row] = await store.outbox.list({ limit: 1 });
      const sender = parts.sender(transport());

      let now = T0.getTime();
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        expect(await sender.runOnce(new Date(now))).toBe(0);
        const stored = (await store.outbox.get(row!.id))!;
        expect(stored.attempts).toBe(attempt);
        if (attempt < MAX_ATTEMPTS) {
          expect(stored.state).toBe('pending');
          expect(Date.parse(stored.dueAt) - now).toBe(Math.min(60 * MINUTE, MINUTE * 2 ** (attempt - 1)));
          now = Date.parse(stored.dueAt);
        }
      }
      expect(retryDelayMs(7)).toBe(60 * MINUTE);
      const failed = (await store.outbox.get(row!.id))!;
      expect(failed.state).toBe('failed');
      expect(failed.lastError).toContain('550');
      expect(await sender.runOnce(new Date(now + 7 * 24 * 60 * MINUTE))).toBe(0);
      expect(smtp.attempts).toBe(MAX_ATTEMPTS);
      expect(smtp.received).toHaveLength(0);
    });
  });

  describe('several senders', () => {
    it('sends each email once when two senders on two store connections claim the same rows', async () => {
      const other = await anotherConnection();
      const big = workshop('grand-atelier', '2026-03-27T13:00:00.000Z', { capacity: 100 });
      await store.programme.saveProgramme([], [big]);
      const people = Array.from({ length: 25 }, (_, i) => `person${i}@example.org`);
      for (const email of people) await signUp(store, big, { email, name: email, language: 'fr' }, T0);

      const a = mailParts(store).sender(transport());
      const b = mailParts(other).sender(transport());
      const [sentA, sentB] = await Promise.all([a.runOnce(T0), b.runOnce(T0)]);
      expect(sentA + sentB).toBe(people.length);
      // Both had work: the rows were shared out, not all taken by whoever came first.
      expect(sentA).toBeGreaterThan(0);
      expect(sentB).toBeGreaterThan(0);

      const rows = await store.outbox.list({ limit: 100 });
      expect(rows.every((r) => r.state === 'sent' && r.attempts === 1)).toBe(true);
      await smtp.waitFor(() => smtp.received.length === people.length, 15_000, 'every email');
      expect(smtp.received.map((m) => m.to[0]).sort()).toEqual([...people].sort());
      expect(new Set(smtp.received.map((m) => m.parsed.messageId)).size).toBe(people.length);
    });

    it('lets another sender take over an email whose sender hung past its lease; the late one changes nothing', async () => {
      const other = await anotherConnection();
      // The first message hangs (the server never answers it): its sender is stuck mid-send, as a process that died.
      smtp.answer = (n) => (n === 1 ? 'hold' : 'accept');
      await signUp(store, event, { email: 'ana@example.org', name: 'Ana', language: 'fr' }, T0);
      const [row] = await store.outbox.list({ limit: 1 });
      const leaseMs = 10 * MINUTE;
      const hung = mailParts(store).sender(transport(), leaseMs);
      const rescuer = mailParts(other).sender(transport(), leaseMs);

      const stuck = hung.runOnce(T0);
      await smtp.waitForAttempts(1);
      // While the lease holds, nobody else touches the row.
      expect(await rescuer.runOnce(at(leaseMs - 1))).toBe(0);
      expect(await rescuer.runOnce(at(leaseMs))).toBe(1);
      const delivered = await smtp.waitFor((m) => m.to.includes('ana@example.org'));
      expect(delivered.parsed.messageId).toBe(`<${row!.id}@parvis.example>`);
      expect((await store.outbox.get(row!.id))!).toMatchObject({ state: 'sent', attempts: 2 });

      // The hung sender's connection finally breaks: its failure lands on an attempt that is no longer current.
      transports[0]!.close();
      await smtp.close();
      await stuck;
      expect((await store.outbox.get(row!.id))!).toMatchObject({ state: 'sent', attempts: 2, lastError: null });
      expect(smtp.received).toHaveLength(1);
    });
  });

  describe('emails that must not leave', () => {
    it('does not send, nor try again, an email whose registration was erased or deleted before it left', async () => {
      const parts = mailParts(store);
      const other = workshop('autre-atelier', '2026-03-30T12:00:00.000Z');
      const doomed = workshop('atelier-supprime', '2026-03-31T12:00:00.000Z');
      await store.programme.saveProgramme([], [other, doomed]);
      // Ana keeps a registration elsewhere, so erasing this event's data keeps her and her other emails.
      await signUp(store, event, { email: 'ana@example.org', name: 'Ana', language: 'fr' }, T0);
      await signUp(store, other, { email: 'ana@example.org', name: 'Ana', language: 'fr' }, T0);
      await signUp(store, doomed, { email: 'bo@example.org', name: 'Bo', language: 'fr' }, T0);
      const rows = await store.outbox.list({ limit: 10 });
      const erasedRow = rows.find((r) => r.eventId === event.id)!;
      const deletedRow = rows.find((r) => r.eventId === doomed.id)!;
      // Retention erases the first event's registrations; the last event is deleted with its registrations.
      expect(await store.registrations.eraseEvent(event.id, T0.toISOString())).toBe(1);
      await store.programme.deleteEvent(doomed.id);

      const sender = parts.sender(transport());
      expect(await sender.runOnce(T0)).toBe(1);
      await smtp.waitFor((m) => m.parsed.subject?.includes('autre-atelier') ?? false, 15_000, 'the other confirmation');
      expect(smtp.received).toHaveLength(1);
      expect(await store.outbox.get(erasedRow.id)).toMatchObject({
        state: 'failed',
        attempts: 1,
        lastError: 'not sent: the registration’s personal data was erased',
      });
      expect(await store.outbox.get(deletedRow.id)).toMatchObject({ state: 'failed', lastError: 'not sent: the registration was deleted' });
      expect(await sender.runOnce(at(24 * 60 * MINUTE))).toBe(0);
      expect(smtp.attempts).toBe(1);
    });

    it('does not send a confirmation for a seat given up before it left, but sends the cancellation', async () => {
      const parts = mailParts(store);
      const { registration } = await signUp(store, event, { email: 'ana@example.org', name: 'Ana', language: 'fr' }, T0);
      await store.registrations.cancel(registration.id, 'person', { rules: { capacity: 8, waitlist: true, fairCap: null }, offerExpiresAt: null }, T0.toISOString());
      const sender = parts.sender(transport());
      expect(await sender.runOnce(T0)).toBe(1);
      const only = await smtp.waitFor((m) => m.to.includes('ana@example.org'));
      expect(only.parsed.subject).toBe('Inscription annulée\u00a0: Conversation en français atelier-fle');
      const rows = await store.outbox.list({ limit: 10 });
      const confirmation = rows.find((r) => r.kind === 'confirmation')!;
      expect(confirmation).toMatchObject({ state: 'failed', lastError: 'not sent: the registration is now cancelled' });
      expect(smtp.received).toHaveLength(1);
    });
  });
});

// Keeps the parsed type in view for readers of the assertions above.
export type { ReceivedMail };
