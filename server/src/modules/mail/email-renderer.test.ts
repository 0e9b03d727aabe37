import ICAL from 'ical.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MailLanguage } from '#shared/domain/registration';
import { EmailKind, isAppointmentEmail, type OutboxRecord } from '../../store/outbox-store';
import { openSqliteStore } from '../../store/sqlite/sqlite-store';
import type { Store } from '../../store/store';
import { mailParts, signUp, workshop, MAIL_ORIGIN, type MailParts } from '../../test/mail-fixtures';
import { COLOURS } from './email-layout';
import type { RenderedEmail } from './email-renderer';

/**
 * Every email, in both languages, rendered from real registrations in a real store, and checked the way a screen
 * reader and a text-only mail client would meet it.
 */

const NOW = new Date('2026-03-01T10:00:00.000Z');
// Friday 27 March 2026, 14:00–15:30 in Paris.
const START = '2026-03-27T13:00:00.000Z';
const DEADLINE = '2026-03-02T10:00:00.000Z';
const JOIN_URL = 'https://visio.example.org/atelier-fle';
// Appointments' emails need a help desk and a partner: modules/appointments/appointments.http.test.ts reads them.
const KINDS = Object.values(EmailKind).filter((kind) => !isAppointmentEmail(kind));
const LANGUAGES: MailLanguage[] = ['fr', 'en'];

let store: Store;
let parts: MailParts;
beforeEach(() => {
  store = openSqliteStore(':memory:');
  parts = mailParts(store);
});
afterEach(async () => {
  await store.close();
});

const refill = (offerExpiresAt: string | null) => ({ rules: { capacity: 1, waitlist: true, fairCap: null }, offerExpiresAt });

/** A row of `kind` about a registration whose state makes the email true, as the sign-up service would leave it. */
async function rowOf(kind: EmailKind, language: MailLanguage): Promise<OutboxRecord> {
  const event = workshop(`atelier-${kind}-${language}`, START, { capacity: 1 });
  await store.programme.saveProgramme([], [event]);
  await store.registrations.setSettings(event.id, { joinUrl: JOIN_URL });
  const who = (n: string) => ({ email: `${n}-${kind}-${language}@example.org`, name: `${n} ${language}`, language });
  const first = await signUp(store, event, who('ana'), NOW);
  const stored = async (registrationId: string, k: EmailKind) =>
    (await store.outbox.list({ limit: 500 })).find((r) => r.registrationId === registrationId && r.kind === k)!;

  if (kind === EmailKind.WAITLISTED || kind === EmailKind.OFFER) {
    const second = await signUp(store, event, who('bo'), NOW);
    if (kind === EmailKind.OFFER) await store.registrations.cancel(first.registration.id, 'person', refill(DEADLINE), NOW.toISOString());
    return stored(second.registration.id, kind);
  }
  if (kind === EmailKind.CONFIRMATION) return stored(first.registration.id, kind);
  if (kind === EmailKind.CANCELLED) {
    await store.registrations.cancel(first.registration.id, 'person', refill(null), NOW.toISOString());
    return stored(first.registration.id, kind);
  }
  if (kind === EmailKind.CANCELLED_BY_LIBRARY) {
    await store.registrations.cancel(first.registration.id, 'library', refill(null), NOW.toISOString());
    return stored(first.registration.id, kind);
  }
  if (kind === EmailKind.EVENT_CANCELLED || kind === EmailKind.EVENT_CHANGED) {
    const changed = kind === EmailKind.EVENT_CANCELLED ? { status: 'cancelled' as const } : { startsAt: '2026-03-27T14:00:00.000Z', endsAt: '2026-03-27T15:30:00.000Z' };
    await store.programme.saveProgramme([], [{ ...event, ...changed, sequence: 1 }]);
  }
  const payload: Record<string, Record<string, unknown>> = {
    [EmailKind.REMINDER]: { lead: '1h' },
    [EmailKind.EVENT_CHANGED]: { previousStartsAt: START, previousEndsAt: event.endsAt },
    [EmailKind.BROADCAST]: { subject: 'Salle changée / Room changed', body: 'Apportez un cahier.\n\n<script>alert(1)</script>' },
  };
  const [row] = await store.outbox.enqueue(
    [
      {
        dedupeKey: `${kind}:${first.registration.id}`,
        kind,
        to: first.person.email!,
        language,
        personId: first.person.id,
        registrationId: first.registration.id,
        eventId: event.id,
        payload: payload[kind] ?? {},
        dueAt: NOW.toISOString(),
      },
    ],
    NOW.toISOString(),
  );
  return row!;
}

async function render(kind: EmailKind, language: MailLanguage): Promise<RenderedEmail> {
  const result = await parts.renderer.render(await rowOf(kind, language), NOW);
  if (result.outcome !== 'email') throw new Error(`${kind} (${language}) was not rendered: ${result.reason}`);
  return result.email;
}

interface Tag {
  name: string;
  attributes: string;
  /** The text up to the matching closing tag, for elements that hold text (a, h1). */
  inner: string;
}

/** The elements of our own generated HTML (no `>` inside attribute values: they are escaped). */
function tags(html: string, name: string): Tag[] {
  const found: Tag[] = [];
  const open = new RegExp(`<${name}(\\s[^>]*)?>`, 'gi');
  for (const m of html.matchAll(open)) {
    const from = m.index + m[0].length;
    const close = html.indexOf(`</${name}>`, from);
    found.push({ name, attributes: m[1] ?? '', inner: close < 0 ? '' : html.slice(from, close) });
  }
  return found;
}

const textOf = (fragment: string) =>
  fragment
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .trim();
const attribute = (tag: Tag, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag.attributes)?.[1]?.replace(/&amp;/g, '&');
const plain = (s: string) => s.replace(/[\u00a0\u202f\u2009]/g, ' ');

describe('every email, in French and in English', () => {
  for (const kind of KINDS) {
    for (const language of LANGUAGES) {
      it(`${kind} (${language}) is readable by a screen reader and in plain text, with the personal link`, async () => {
        const email = await render(kind, language);
        const { html, text } = email;

        expect(html).toMatch(new RegExp(`<html lang="${language}"`));
        const headings = tags(html, 'h1');
        expect(headings).toHaveLength(1);
        expect(textOf(headings[0]!.inner).length).toBeGreaterThan(3);
        expect(tags(html, 'table')).toHaveLength(0);
        for (const img of tags(html, 'img')) expect(attribute(img, 'alt')).toBeDefined();

        const links = tags(html, 'a');
        expect(links.length).toBeGreaterThanOrEqual(2);
        for (const link of links) {
          const name = textOf(link.inner);
          expect(name.length).toBeGreaterThan(8);
          expect(name.toLowerCase()).not.toMatch(/^(ici|here|click here|cliquez ici|lien|link)$/);
          const href = attribute(link, 'href')!;
          expect(href).toMatch(/^https:\/\//);
          // The text part carries every link the HTML has, with the same words before it.
          expect(text).toContain(`${name}\n${href}`);
        }
        const personal = links.map((l) => attribute(l, 'href')!).filter((h) => h.startsWith(`${MAIL_ORIGIN}/me#`) && !h.includes('not-me'));
        expect(personal).toHaveLength(1);
        expect((await parts.links.authenticate(personal[0]!.slice(`${MAIL_ORIGIN}/me#`.length))).email).toBe(email.to);

        expect(email.subject.length).toBeGreaterThan(5);
        expect(plain(text)).toContain(language === 'fr' ? 'mars 2026' : 'March 2026');
        expect(email.messageId).toBe(`<${email.id}@parvis.example>`);
      });
    }
  }

  it('uses colours with enough contrast on white for text, small print and links (WCAG AA, 4.5:1)', () => {
    const luminance = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const contrast = (a: string, b: string) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (hi! + 0.05) / (lo! + 0.05);
    };
    expect(contrast(COLOURS.text, COLOURS.background)).toBeGreaterThanOrEqual(7);
    expect(contrast(COLOURS.muted, COLOURS.background)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(COLOURS.link, COLOURS.background)).toBeGreaterThanOrEqual(4.5);
    // The button: white on the link colour.
    expect(contrast('#ffffff', COLOURS.link)).toBeGreaterThanOrEqual(4.5);
  });
});

describe('what each email says', () => {
  it('tells a waitlisted person their position, and gives the one-click “I did not ask for this”', async () => {
    const fr = await render(EmailKind.WAITLISTED, 'fr');
    expect(plain(fr.text)).toContain('Vous êtes en position 1 sur la liste d’attente.');
    expect(fr.text).toMatch(/&not-me=/);
    const en = await render(EmailKind.WAITLISTED, 'en');
    expect(en.text).toContain('You are number 1 on the waiting list.');
  });

  it('gives an offer’s deadline in the event’s zone and a link to accept it on the personal page', async () => {
    const fr = await render(EmailKind.OFFER, 'fr');
    expect(plain(fr.text)).toContain('Elle vous est réservée jusqu’au lundi 2 mars 2026 à 11:00 (heure d’Europe centrale).');
    expect(fr.text).toMatch(/Accepter ou refuser la place \(mes inscriptions\)\nhttps:\/\/parvis\.example\/me#/);
    const en = await render(EmailKind.OFFER, 'en');
    expect(plain(en.text)).toContain('It is held for you until Monday, 2 March 2026 at 11:00 (Central European Time).');
  });

  it('puts the outside room’s link in the last reminder only', async () => {
    const last = await render(EmailKind.REMINDER, 'fr');
    expect(last.html).toContain(`href="${JOIN_URL}"`);
    expect(plain(last.text)).toContain(`Rejoindre la salle en ligne de « Conversation en français atelier-reminder-fr »\n${JOIN_URL}`);

    const event = workshop('veille', START);
    await store.programme.saveProgramme([], [event]);
    await store.registrations.setSettings(event.id, { joinUrl: JOIN_URL });
    const { registration, person } = await signUp(store, event, { email: 'eve@example.org', name: 'Eve', language: 'en' }, NOW);
    const [row] = await store.outbox.enqueue(
      [{ dedupeKey: `reminder:24h:${registration.id}`, kind: EmailKind.REMINDER, to: 'eve@example.org', language: 'en', personId: person.id, registrationId: registration.id, eventId: event.id, payload: { lead: '24h' }, dueAt: NOW.toISOString() }],
      NOW.toISOString(),
    );
    const day = await parts.renderer.render(row!, NOW);
    expect(day.outcome).toBe('email');
    if (day.outcome === 'email') {
      expect(day.email.subject).toBe('Reminder: Conversation en français veille, Fri 27 Mar');
      expect(day.email.html).not.toContain(JOIN_URL);
      expect(day.email.text).not.toContain(JOIN_URL);
    }
  });

  it('attaches a REQUEST invitation to a confirmation and a change, and a CANCEL to a cancelled event', async () => {
    const methodOf = (email: RenderedEmail) => {
      const [ics] = email.attachments;
      const calendar = new ICAL.Component(ICAL.parse(ics!.content));
      const vevent = calendar.getFirstSubcomponent('vevent')!;
      return {
        method: calendar.getFirstPropertyValue('method'),
        status: vevent.getFirstPropertyValue('status'),
        sequence: vevent.getFirstPropertyValue('sequence'),
        contentType: ics!.contentType,
      };
    };
    expect(methodOf(await render(EmailKind.CONFIRMATION, 'fr'))).toMatchObject({ method: 'REQUEST', status: 'CONFIRMED', sequence: 0 });
    const changed = await render(EmailKind.EVENT_CHANGED, 'en');
    expect(methodOf(changed)).toMatchObject({ method: 'REQUEST', sequence: 1 });
    // The new time, and what it was.
    expect(plain(changed.text)).toContain('When: Friday, 27 March 2026, 15:00–16:30 (Central European Time)');
    expect(plain(changed.text)).toContain('Before: Friday, 27 March 2026, 14:00–15:30 (Central European Time)');
    expect(methodOf(await render(EmailKind.EVENT_CANCELLED, 'fr'))).toMatchObject({
      method: 'CANCEL',
      status: 'CANCELLED',
      sequence: 1,
      contentType: 'text/calendar; charset=utf-8; method=CANCEL',
    });
    for (const kind of [EmailKind.WAITLISTED, EmailKind.OFFER, EmailKind.REMINDER, EmailKind.CANCELLED, EmailKind.BROADCAST]) {
      expect((await render(kind, 'fr')).attachments).toEqual([]);
    }
  });

  it('writes a librarian’s message as text, never as markup', async () => {
    const email = await render(EmailKind.BROADCAST, 'en');
    expect(email.subject).toBe('Salle changée / Room changed');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.html).not.toContain('<script>');
    expect(email.text).toContain('> Apportez un cahier.');
  });

  it('sends nothing about a cancelled event but the cancellation itself', async () => {
    const event = workshop('annule', START, { status: 'cancelled' });
    await store.programme.saveProgramme([], [event]);
    await signUp(store, event, { email: 'zoe@example.org', name: 'Zoé', language: 'fr' }, NOW);
    const [row] = await store.outbox.list({ limit: 1 });
    expect(await parts.renderer.render(row!, NOW)).toEqual({ outcome: 'skip', reason: 'not sent: the event is cancelled (its own email says so)' });
  });
});
