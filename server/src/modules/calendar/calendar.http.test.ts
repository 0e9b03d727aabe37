import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event } from '#shared/domain/event';
import { TokenService } from '../access/token.service';
import { PersonLinks } from '../registrations/person-links';
import { startTestServer, type TestServer } from '../../test/harness';
import { signUp, workshop } from '../../test/mail-fixtures';
import { api, createAccount, login } from '../../test/staff';

/**
 * The calendar files over HTTP, each parsed with ical.js (a parser written apart from the generator, as a calendar
 * app would read them): times across daylight-saving changes, stable UIDs, SEQUENCE, cancellations, what the feeds
 * show and to whom.
 */

const SECRET = 'calendar-test-secret-0123456789-0123456789';
const ORIGIN = 'https://parvis.example';
let server: TestServer;
let admin: string;
let staff: string;
const zoneBefore = process.env.TZ;

beforeAll(async () => {
  // The server's own zone must not leak into the files: run it somewhere that is neither UTC nor Paris.
  process.env.TZ = 'America/New_York';
  server = await startTestServer({ jwtSecret: SECRET, publicOrigin: ORIGIN });
  await createAccount(server.store, { email: 'admin@example.org', password: 'admin-password-1', isAdmin: true });
  await createAccount(server.store, { email: 'staff@example.org', password: 'staff-password-1' });
  admin = (await login(server.url, 'admin@example.org', 'admin-password-1')).token;
  staff = (await login(server.url, 'staff@example.org', 'staff-password-1')).token;
});
afterAll(async () => {
  await server?.stop();
  if (zoneBefore === undefined) delete process.env.TZ;
  else process.env.TZ = zoneBefore;
});

async function createEvent(body: Record<string, unknown>): Promise<Event> {
  const res = await api<{ event: Event }>(server.url, 'POST', '/api/events', { token: admin, body: { kind: 'workshop', timezone: 'Europe/Paris', ...body } });
  if (res.status !== 201) throw new Error(`could not create ${JSON.stringify(body)}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.event;
}

interface Download {
  status: number;
  headers: Headers;
  text: string;
}

async function download(path: string, headers: Record<string, string> = {}): Promise<Download> {
  const res = await fetch(server.url + path, { headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

interface ParsedCalendar {
  method: unknown;
  zones: string[];
  events: { uid: string; sequence: number; start: string; end: string; summary: string; status: unknown; url: unknown; rawStart: string }[];
}

/** Parses with ical.js, resolving each TZID with the VTIMEZONE the file itself carries. */
function parse(text: string): ParsedCalendar {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const zones = calendar.getAllSubcomponents('vtimezone');
  for (const zone of zones) ICAL.TimezoneService.register(zone);
  return {
    method: calendar.getFirstPropertyValue('method'),
    zones: zones.map((z) => String(z.getFirstPropertyValue('tzid'))),
    events: calendar.getAllSubcomponents('vevent').map((component) => {
      const event = new ICAL.Event(component);
      return {
        uid: event.uid,
        sequence: event.sequence,
        start: event.startDate.toJSDate().toISOString(),
        end: event.endDate.toJSDate().toISOString(),
        summary: event.summary,
        status: component.getFirstPropertyValue('status'),
        url: component.getFirstPropertyValue('url'),
        rawStart: /^DTSTART[^\r\n]*/m.exec(text.slice(text.indexOf(`UID:${event.uid}`)))![0],
      };
    }),
  };
}

describe('one event’s .ics', () => {
  it('keeps 14:00 in Paris on both sides of each daylight-saving change, with the zone’s VTIMEZONE', async () => {
    // Clocks go forward on Sunday 28 March 2027 and back on Sunday 31 October 2027.
    const cases = [
      { id: 'dst-printemps-avant', startsAt: '2027-03-26T13:00:00.000Z' },
      { id: 'dst-printemps-apres', startsAt: '2027-03-29T12:00:00.000Z' },
      { id: 'dst-automne-avant', startsAt: '2027-10-29T12:00:00.000Z' },
      { id: 'dst-automne-apres', startsAt: '2027-11-01T13:00:00.000Z' },
    ];
    for (const c of cases) {
      const end = new Date(Date.parse(c.startsAt) + 90 * 60_000).toISOString();
      await createEvent({ id: c.id, title: `Atelier ${c.id}`, startsAt: c.startsAt, endsAt: end });
      const file = await download(`/api/events/${c.id}/calendar.ics`);
      expect(file.status).toBe(200);
      const parsed = parse(file.text);
      expect(parsed.zones).toEqual(['Europe/Paris']);
      const [event] = parsed.events;
      expect(event!.start).toBe(c.startsAt);
      expect(event!.end).toBe(end);
      expect(event!.rawStart).toMatch(/^DTSTART;TZID=Europe\/Paris:2027\d{4}T140000$/);
    }
  });

  it('is a file to download, with a stable UID, an ETag, and the event’s page', async () => {
    await createEvent({ id: 'rencontre-ics', title: 'Rencontre, avec des virgules; et «guillemets»', startsAt: '2027-05-10T16:00:00Z', endsAt: '2027-05-10T17:30:00Z' });
    const first = await download('/api/events/rencontre-ics/calendar.ics');
    expect(first.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(first.headers.get('content-disposition')).toBe('attachment; filename="rencontre-ics.ics"');
    expect(first.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    const parsed = parse(first.text);
    expect(parsed.method).toBe('PUBLISH');
    expect(parsed.events).toHaveLength(1);
    expect(parsed.events[0]).toMatchObject({
      uid: 'rencontre-ics@parvis.example',
      sequence: 0,
      summary: 'Rencontre, avec des virgules; et «guillemets»',
      status: 'CONFIRMED',
      url: `${ORIGIN}/events/rencontre-ics`,
    });

    const second = await download('/api/events/rencontre-ics/calendar.ics');
    expect(parse(second.text).events[0]!.uid).toBe('rencontre-ics@parvis.example');
    expect(second.headers.get('etag')).toBe(etag);
    const cached = await download('/api/events/rencontre-ics/calendar.ics', { 'if-none-match': etag! });
    expect(cached.status).toBe(304);
  });

  it('raises SEQUENCE after each edit, and is a CANCEL once the event is cancelled', async () => {
    await createEvent({ id: 'atelier-modifie', title: 'Atelier modifié', startsAt: '2027-06-04T12:00:00Z', endsAt: '2027-06-04T13:30:00Z' });
    const before = await download('/api/events/atelier-modifie/calendar.ics');
    expect(parse(before.text).events[0]!.sequence).toBe(0);

    const moved = await api(server.url, 'PATCH', '/api/events/atelier-modifie', {
      token: admin,
      body: { startsAt: '2027-06-04T13:00:00Z', endsAt: '2027-06-04T14:30:00Z' },
    });
    expect(moved.status).toBe(200);
    const after = await download('/api/events/atelier-modifie/calendar.ics', { 'if-none-match': before.headers.get('etag')! });
    expect(after.status).toBe(200);
    expect(parse(after.text).events[0]).toMatchObject({ uid: 'atelier-modifie@parvis.example', sequence: 1, start: '2027-06-04T13:00:00.000Z' });

    const cancelled = await api(server.url, 'PATCH', '/api/events/atelier-modifie', { token: admin, body: { status: 'cancelled' } });
    expect(cancelled.status).toBe(200);
    const gone = parse((await download('/api/events/atelier-modifie/calendar.ics')).text);
    expect(gone.method).toBe('CANCEL');
    expect(gone.events[0]).toMatchObject({ uid: 'atelier-modifie@parvis.example', sequence: 2, status: 'CANCELLED' });
  });

  it('is served for an unlisted event to whoever has its link, and for an invite-only one to its staff only', async () => {
    await createEvent({ id: 'par-lien', title: 'Par lien', startsAt: '2027-05-11T16:00:00Z', endsAt: '2027-05-11T17:00:00Z', unlisted: true });
    expect((await download('/api/events/par-lien/calendar.ics')).status).toBe(200);

    await createEvent({ id: 'sur-invitation', title: 'Sur invitation', startsAt: '2027-05-12T16:00:00Z', endsAt: '2027-05-12T17:00:00Z', access: 'invite' });
    expect((await download('/api/events/sur-invitation/calendar.ics')).status).toBe(401);
    expect((await download('/api/events/sur-invitation/calendar.ics', { authorization: `Bearer ${staff}` })).status).toBe(403);
    const allowed = await download('/api/events/sur-invitation/calendar.ics', { authorization: `Bearer ${admin}` });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('cache-control')).toMatch(/^private/);
    expect(parse(allowed.text).events[0]!.uid).toBe('sur-invitation@parvis.example');

    expect((await download('/api/events/nulle-part/calendar.ics')).status).toBe(404);
  });
});

describe('the programme feed', () => {
  it('lists the public programme with the kind and series filters, never unlisted or invite-only events', async () => {
    const series = await api<{ series: { id: string } }>(server.url, 'POST', '/api/series', { token: admin, body: { id: 'conversation', title: 'Conversation' } });
    expect(series.status).toBe(201);
    await createEvent({ id: 'feed-atelier-1', title: 'Feed atelier 1', seriesId: 'conversation', startsAt: '2027-04-02T12:00:00Z', endsAt: '2027-04-02T13:30:00Z' });
    await createEvent({ id: 'feed-atelier-2', title: 'Feed atelier 2', startsAt: '2027-04-05T12:00:00Z', endsAt: '2027-04-05T13:30:00Z' });
    await createEvent({ id: 'feed-webinaire', kind: 'webinar', title: 'Feed webinaire', startsAt: '2027-04-06T12:00:00Z', endsAt: '2027-04-06T13:30:00Z' });
    await createEvent({ id: 'feed-cache', title: 'Feed caché', startsAt: '2027-04-07T12:00:00Z', endsAt: '2027-04-07T13:30:00Z', unlisted: true });
    await createEvent({ id: 'feed-invite', title: 'Feed invité', startsAt: '2027-04-08T12:00:00Z', endsAt: '2027-04-08T13:30:00Z', access: 'invite' });

    const uids = async (query: string) => {
      const file = await download(`/api/calendar.ics${query}`);
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
      expect(file.headers.get('content-disposition')).toBeNull();
      const parsed = parse(file.text);
      expect(parsed.method).toBe('PUBLISH');
      return parsed.events.map((e) => e.uid.replace('@parvis.example', ''));
    };
    const all = await uids('');
    expect(all).toEqual(expect.arrayContaining(['feed-atelier-1', 'feed-atelier-2', 'feed-webinaire']));
    expect(all).not.toContain('feed-cache');
    expect(all).not.toContain('feed-invite');
    expect(all).not.toContain('par-lien');
    expect(all).not.toContain('sur-invitation');

    const webinars = await uids('?kind=webinar');
    expect(webinars).toContain('feed-webinaire');
    expect(webinars).not.toContain('feed-atelier-1');
    expect(await uids('?series=conversation')).toEqual(['feed-atelier-1']);
    expect(await uids('?kind=workshop&series=conversation')).toEqual(['feed-atelier-1']);
    expect((await download('/api/calendar.ics?kind=concert')).status).toBe(400);

    // A cancelled event stays in the feed, marked so, for subscribed calendars to drop it.
    const dropped = await api(server.url, 'PATCH', '/api/events/feed-atelier-2', { token: admin, body: { status: 'cancelled' } });
    expect(dropped.status).toBe(200);
    const after = parse((await download('/api/calendar.ics?kind=workshop')).text);
    expect(after.events.find((e) => e.uid === 'feed-atelier-2@parvis.example')).toMatchObject({ status: 'CANCELLED', sequence: 1 });
  });
});

describe('a person’s own feed', () => {
  it('lists their active registrations, tentative while they wait, and stops at once when their links are revoked', async () => {
    const links = new PersonLinks(new TokenService(SECRET), server.store, ORIGIN);
    const full = workshop('perso-complet', '2027-04-09T12:00:00.000Z', { capacity: 1 });
    const open = workshop('perso-ouvert', '2027-04-12T12:00:00.000Z');
    const left = workshop('perso-annule', '2027-04-16T12:00:00.000Z');
    await server.store.programme.saveProgramme([], [full, open, left]);
    const now = new Date();
    await signUp(server.store, full, { email: 'first@example.org', name: 'First', language: 'fr' }, now);
    const { person } = await signUp(server.store, full, { email: 'eve@example.org', name: 'Eve', language: 'en' }, now);
    await signUp(server.store, open, { email: 'eve@example.org', name: 'Eve', language: 'en' }, now);
    const gone = await signUp(server.store, left, { email: 'eve@example.org', name: 'Eve', language: 'en' }, now);
    await server.store.registrations.cancel(gone.registration.id, 'person', { rules: { capacity: 8, waitlist: true, fairCap: null }, offerExpiresAt: null }, now.toISOString());

    const url = links.feedUrl(person);
    expect(url.startsWith(`${ORIGIN}/api/calendar/person/`)).toBe(true);
    const path = url.slice(ORIGIN.length);
    const file = await download(path);
    expect(file.status).toBe(200);
    expect(file.headers.get('cache-control')).toMatch(/^private/);
    const parsed = parse(file.text);
    expect(parsed.zones).toEqual(['Europe/Paris']);
    expect(parsed.events.map((e) => [e.uid, e.status, e.summary])).toEqual([
      ['perso-complet@parvis.example', 'TENTATIVE', '[Waiting list] Conversation en français perso-complet'],
      ['perso-ouvert@parvis.example', 'CONFIRMED', 'Conversation en français perso-ouvert'],
    ]);
    expect(parsed.events[1]!.start).toBe('2027-04-12T12:00:00.000Z');

    await server.store.registrations.bumpLinkEpoch(person.id);
    const revoked = await download(path);
    expect(revoked.status).toBe(401);
    expect(JSON.parse(revoked.text).error.code).toBe('UNAUTHENTICATED');
    expect((await download('/api/calendar/person/not-a-token.ics')).status).toBe(401);
    expect((await download(`/api/calendar/person/${links.token(person)}.ics`)).status).toBe(401);
  });
});
