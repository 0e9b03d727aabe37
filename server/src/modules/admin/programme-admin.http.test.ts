import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Event } from '#shared/domain/event';
import {
  connectViewer,
  eventually,
  guestToken,
  ok,
  request,
  startTestServer,
  type TestClient,
  type TestServer,
} from '../../test/harness';
import { api, createAccount, login } from '../../test/staff';
import { ensureDemoProgramme } from '../programme/demo-programme';

let server: TestServer;
let admin: string;
const sockets: TestClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  await createAccount(server.store, { email: 'admin@example.org', password: 'admin-password-1', displayName: 'Adèle', isAdmin: true });
  admin = (await login(server.url, 'admin@example.org', 'admin-password-1')).token;
});
afterEach(() => {
  while (sockets.length) sockets.pop()!.close();
});
afterAll(async () => {
  await server?.stop();
});

const call = (method: string, path: string, body?: unknown, token: string | undefined = admin) =>
  api(server.url, method, path, { token, body });

async function socket(token?: string): Promise<TestClient> {
  const s = await connectViewer(server.url, token);
  sockets.push(s);
  return s;
}

function updates(s: TestClient): Event[] {
  const seen: Event[] = [];
  s.on('event:updated', ({ event }) => seen.push(event));
  return seen;
}

const hour = 3_600_000;
const at = (ms: number) => new Date(Date.now() + ms).toISOString();
const valid = () => ({
  kind: 'webinar',
  title: 'Les bibliothèques et l’IA : premiers retours',
  startsAt: at(24 * hour),
  endsAt: at(25 * hour),
  streamUrl: 'https://media.example.org/live/ia/master.m3u8',
});

describe('creating an event', () => {
  it('answers 201 with the event, scheduled, with an address made from its title and the defaults filled in', async () => {
    const res = await call('POST', '/api/events', valid());
    expect(res.status).toBe(201);
    expect(res.body.event).toMatchObject({
      id: 'les-bibliotheques-et-l-ia-premiers-retours',
      status: 'scheduled',
      access: 'open',
      timezone: 'Europe/Paris',
      language: 'fr',
      summary: '',
      speakers: [],
    });
    expect((await call('GET', `/api/events/${res.body.event.id}`)).body.event).toEqual(res.body.event);
    // Same title again: the next free address.
    expect((await call('POST', '/api/events', valid())).body.event.id).toBe('les-bibliotheques-et-l-ia-premiers-retours-2');
  });

  it('shows a new event to anonymous visitors at once, although their listing is cached', async () => {
    const before = await call('GET', '/api/events', undefined, undefined);
    const created = await call('POST', '/api/events', { ...valid(), id: 'listing-cache-check' });
    expect(created.status).toBe(201);
    const after = await call('GET', '/api/events', undefined, undefined);
    const ids = (after.body.events as { id: string }[]).map((e) => e.id);
    expect(ids).toContain('listing-cache-check');
    expect(ids.length).toBe((before.body.events as unknown[]).length + 1);
  });

  it('leaves unlisted and invite-only events out of the public programme, and serves each by its link', async () => {
    const unlisted = await call('POST', '/api/events', { ...valid(), id: 'by-link-only', unlisted: true });
    expect(unlisted.body.event).toMatchObject({ id: 'by-link-only', access: 'open', unlisted: true });
    await call('POST', '/api/events', { ...valid(), id: 'invited-only', access: 'invite' });
    await call('POST', '/api/events', { ...valid(), id: 'listed-one' });
    // Not `call`, whose token defaults to the admin's.
    const get = (path: string, token?: string) => api(server.url, 'GET', path, { token });
    const ids = async (path: string, token?: string) => ((await get(path, token)).body.events as Event[]).map((e) => e.id);

    for (const token of [undefined, await guestToken(server.url, 'Gus'), admin]) {
      const listed = await ids('/api/events', token);
      expect(listed).toContain('listed-one');
      expect(listed).not.toContain('by-link-only');
      expect(listed).not.toContain('invited-only');
    }
    // The admin's programme has them all.
    expect(await ids('/api/events?include=unlisted', admin)).toEqual(expect.arrayContaining(['by-link-only', 'invited-only', 'listed-one']));
    expect((await get('/api/events?include=unlisted')).status).toBe(401);
    expect((await get('/api/events?include=unlisted', await guestToken(server.url, 'Gus'))).status).toBe(403);
    // The link still works for anyone.
    expect((await get('/api/events/by-link-only')).body.event).toMatchObject({ title: valid().title, unlisted: true });

    // Listed again, it is back in the programme, without the flag.
    const relisted = await call('PATCH', '/api/events/by-link-only', { unlisted: false });
    expect(relisted.body.event).not.toHaveProperty('unlisted');
    expect(await ids('/api/events')).toContain('by-link-only');
  });

  it('accepts times with an offset and stores them in UTC', async () => {
    const res = await call('POST', '/api/events', { ...valid(), id: 'offset-times', startsAt: '2031-03-05T19:00:00+01:00', endsAt: '2031-03-05T21:00:00+01:00' });
    expect(res.body.event).toMatchObject({ startsAt: '2031-03-05T18:00:00.000Z', endsAt: '2031-03-05T20:00:00.000Z' });
  });

  it('names each wrong field so the form can show the message next to it', async () => {
    // One valid() call: it reads the clock, and a second call could start a millisecond later.
    const base = valid();
    const res = await call('POST', '/api/events', {
      ...base,
      title: '   ',
      endsAt: base.startsAt,
      streamUrl: 'javascript:alert(1)',
      replayUrl: 'ftp://example.org/x.m3u8',
      capacity: 0,
      timezone: 'Mars/Olympus',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_PAYLOAD');
    expect(res.body.error.fields).toEqual({
      title: 'must not be empty',
      endsAt: 'must be after the start',
      streamUrl: 'must be an http(s) URL or a /media/ path',
      replayUrl: 'must be an http(s) URL or a /media/ path',
      capacity: 'must be a positive number',
      timezone: 'must be an IANA time zone such as Europe/Paris',
    });
    expect(res.body.error.message).toMatch(/^title: must not be empty/);
  });

  it('refuses an address already taken (CONFLICT on the field) and a series that does not exist', async () => {
    const taken = await call('POST', '/api/events', { ...valid(), id: 'rencontre-bd-marie-lenoir' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.fields).toEqual({ id: 'is already used by another event' });
    const noSeries = await call('POST', '/api/events', { ...valid(), seriesId: 'no-such-series' });
    expect(noSeries.status).toBe(400);
    expect(noSeries.body.error.fields).toEqual({ seriesId: 'is not a series of the programme' });
  });

  it('makes the programme the library’s own: a restart no longer moves it around like the demo', async () => {
    expect(await server.store.meta.get('programme.source')).toBe('custom');
    expect(await ensureDemoProgramme(server.store, new Date(Date.now() + 30 * 24 * hour))).toBe('kept');
  });
});

describe('editing an event', () => {
  it('changes only the fields sent, and removes optional ones sent as null', async () => {
    const { event } = (await call('POST', '/api/events', { ...valid(), id: 'to-edit', capacity: 40 })).body;
    const res = await call('PATCH', '/api/events/to-edit', { title: 'Nouveau titre', streamUrl: null, capacity: null, replayUrl: '/media/demo/master.m3u8' });
    expect(res.status).toBe(200);
    expect(res.body.event).toEqual({
      ...event,
      title: 'Nouveau titre',
      streamUrl: undefined,
      capacity: undefined,
      replayUrl: '/media/demo/master.m3u8',
      sequence: 1,
    } as Event);
    expect(res.body.event).not.toHaveProperty('streamUrl');
  });

  it('raises the event’s calendar sequence with every change, so calendars replace their copy', async () => {
    await call('POST', '/api/events', { ...valid(), id: 'to-resequence' });
    expect((await call('PATCH', '/api/events/to-resequence', { title: 'Un' })).body.event.sequence).toBe(1);
    expect((await call('PATCH', '/api/events/to-resequence', { title: 'Deux' })).body.event.sequence).toBe(2);
    expect((await call('GET', '/api/events/to-resequence')).body.event.sequence).toBe(2);
  });

  it('refuses an end before the start, even when only one of them changes', async () => {
    await call('POST', '/api/events', { ...valid(), id: 'to-mistime' });
    const res = await call('PATCH', '/api/events/to-mistime', { endsAt: at(-hour) });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({ endsAt: 'must be after the start' });
  });

  it('holds a registration event in a Parvis room, and takes it out with null; other events cannot be', async () => {
    const created = await call('POST', '/api/events', { ...valid(), id: 'in-room', access: 'registration', capacity: 8, room: 'parvis' });
    expect(created.body.event).toMatchObject({ id: 'in-room', room: 'parvis' });
    expect((await call('GET', '/api/events/in-room')).body.event.room).toBe('parvis');
    const out = await call('PATCH', '/api/events/in-room', { room: null });
    expect(out.body.event).not.toHaveProperty('room');
    expect((await call('PATCH', '/api/events/in-room', { room: 'parvis' })).body.event.room).toBe('parvis');

    const open = await call('POST', '/api/events', { ...valid(), id: 'open-room', room: 'parvis' });
    expect(open.status).toBe(400);
    expect(open.body.error.fields).toEqual({ room: 'is only for registration events' });
    await call('POST', '/api/events', { ...valid(), id: 'open-later' });
    expect((await call('PATCH', '/api/events/open-later', { room: 'parvis' })).body.error.fields).toEqual({ room: 'is only for registration events' });
    // Opening the event to everyone takes it out of the room, which only registrants enter.
    expect((await call('PATCH', '/api/events/in-room', { access: 'open' })).body.event).not.toHaveProperty('room');
  });

  it('answers 404 for an event that does not exist', async () => {
    expect((await call('PATCH', '/api/events/nope', { title: 'x' })).status).toBe(404);
    expect((await call('DELETE', '/api/events/nope')).status).toBe(404);
  });
});

describe('cancelling and deleting', () => {
  it('tells the event’s live room and every other socket at once that it is cancelled', async () => {
    const { event } = (await call('POST', '/api/events', { ...valid(), id: 'to-cancel' })).body;
    const inRoom = await socket(await guestToken(server.url, 'Ana'));
    await ok(request(inRoom, 'event:join', { eventId: event.id }));
    const onProgramme = await socket();
    const [roomSeen, programmeSeen] = [updates(inRoom), updates(onProgramme)];

    const res = await call('PATCH', '/api/events/to-cancel', { status: 'cancelled' });
    expect(res.body.event.status).toBe('cancelled');
    await eventually(() => roomSeen.length > 0 && programmeSeen.length > 0, 5000, 'both updates');
    expect(roomSeen[0]).toMatchObject({ id: 'to-cancel', status: 'cancelled' });
    expect(programmeSeen[0]).toMatchObject({ id: 'to-cancel', status: 'cancelled' });
    // Its chat is closed.
    const sent = await request(inRoom, 'chat:send', { eventId: 'to-cancel', text: 'encore là ?', clientId: 'c1' });
    expect(sent).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const audit = (await call('GET', '/api/audit?limit=1')).body.entries;
    expect(audit[0]).toMatchObject({ action: 'event.cancel', target: 'event:to-cancel', actor: { displayName: 'Adèle' } });
  });

  it('deletes an event and tells everyone', async () => {
    await call('POST', '/api/events', { ...valid(), id: 'to-delete' });
    const viewer = await socket();
    const deleted: string[] = [];
    viewer.on('event:deleted', ({ eventId }) => deleted.push(eventId));
    expect((await call('DELETE', '/api/events/to-delete')).status).toBe(204);
    expect((await call('GET', '/api/events/to-delete')).status).toBe(404);
    await eventually(() => deleted.includes('to-delete'), 5000, 'event:deleted');
  });
});

describe('invite-only events in broadcasts', () => {
  it('sends the stream of an invite-only event to admins but not to other sockets', async () => {
    await call('POST', '/api/events', { ...valid(), id: 'private-talk', access: 'invite' });
    const adminSocket = await socket(admin);
    const guestSocket = await socket(await guestToken(server.url, 'Gus'));
    const [adminSeen, guestSeen] = [updates(adminSocket), updates(guestSocket)];
    await call('PATCH', '/api/events/private-talk', { streamUrl: '/media/live/demo/master.m3u8' });
    await eventually(() => adminSeen.length > 0 && guestSeen.length > 0, 5000, 'both updates');
    expect(adminSeen[0]!.streamUrl).toBe('/media/live/demo/master.m3u8');
    expect(guestSeen[0]).toMatchObject({ id: 'private-talk', access: 'invite' });
    expect(guestSeen[0]).not.toHaveProperty('streamUrl');
  });

  it('removes viewers without a role from the room of an event that becomes invite-only', async () => {
    await call('POST', '/api/events', { ...valid(), id: 'closing-doors' });
    const guest = await socket(await guestToken(server.url, 'Gus'));
    await ok(request(guest, 'event:join', { eventId: 'closing-doors' }));
    const messages: unknown[] = [];
    guest.on('chat:messages', (m) => messages.push(m));
    const seen = updates(guest);
    await call('PATCH', '/api/events/closing-doors', { access: 'invite' });
    await eventually(() => seen.length > 0, 5000, 'the update');
    expect(seen[0]).not.toHaveProperty('streamUrl');
    // A message in the room now reaches those still in it (the admin) and not the guest, who was in the same
    // broadcast a moment ago.
    const adminSocket = await socket(admin);
    await ok(request(adminSocket, 'event:join', { eventId: 'closing-doors' }));
    const toAdmin: unknown[] = [];
    adminSocket.on('chat:messages', (m) => toAdmin.push(m));
    await ok(request(adminSocket, 'chat:send', { eventId: 'closing-doors', text: 'entre nous', clientId: 'p1' }));
    await eventually(() => toAdmin.length > 0, 5000, 'the admin to get the message');
    // The guest's next request is the marker: its answer comes through the guest's own socket after that broadcast.
    expect(await request(guest, 'event:join', { eventId: 'closing-doors' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'This event is for invited people only' },
    });
    expect(messages).toEqual([]);
  });
});

describe('series', () => {
  it('creates, renames and deletes a series; its events stay, outside any series, and everyone hears of them', async () => {
    const created = await call('POST', '/api/series', { title: 'Cycle : la mer' });
    expect(created.status).toBe(201);
    expect(created.body.series).toEqual({ id: 'cycle-la-mer', title: 'Cycle : la mer', summary: '' });
    const renamed = await call('PATCH', '/api/series/cycle-la-mer', { summary: 'Films et rencontres' });
    expect(renamed.body.series).toEqual({ id: 'cycle-la-mer', title: 'Cycle : la mer', summary: 'Films et rencontres' });
    await call('POST', '/api/events', { ...valid(), id: 'sea-1', seriesId: 'cycle-la-mer' });

    const viewer = await socket();
    const seen = updates(viewer);
    expect((await call('DELETE', '/api/series/cycle-la-mer')).status).toBe(204);
    expect((await call('GET', '/api/series')).body.series.map((s: { id: string }) => s.id)).not.toContain('cycle-la-mer');
    const event = (await call('GET', '/api/events/sea-1')).body.event;
    expect(event).not.toHaveProperty('seriesId');
    await eventually(() => seen.some((e) => e.id === 'sea-1'), 5000, 'the event update');
  });

  it('refuses a series without a title, and an address already taken', async () => {
    expect((await call('POST', '/api/series', { title: '' })).body.error.fields).toEqual({ title: 'must not be empty' });
    expect((await call('POST', '/api/series', { id: 'cycle-chili', title: 'Encore' })).status).toBe(409);
    expect((await call('PATCH', '/api/series/nope', { title: 'x' })).status).toBe(404);
  });
});

describe('the audit log', () => {
  it('lists who did what, newest first, and pages back with before', async () => {
    const first = (await call('GET', '/api/audit?limit=3')).body.entries;
    expect(first).toHaveLength(3);
    expect(first[0].at >= first[1].at && first[1].at >= first[2].at).toBe(true);
    for (const entry of first) expect(entry.actor).toMatchObject({ displayName: 'Adèle' });
    const older = (await call('GET', `/api/audit?limit=3&before=${encodeURIComponent(first[2].at)}`)).body.entries;
    expect(older.length).toBeGreaterThan(0);
    expect(older.every((e: { at: string }) => e.at < first[2].at)).toBe(true);
  });

  it('is for admins only', async () => {
    expect((await api(server.url, 'GET', '/api/audit')).status).toBe(401);
    expect((await call('GET', '/api/audit', undefined, await guestToken(server.url, 'Gus'))).status).toBe(403);
  });
});
