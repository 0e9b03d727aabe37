import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event } from '#shared/domain/event';
import type { MyRegistrations, RegistrantList } from '#shared/domain/registration';
import type { RoomJoin } from '#shared/domain/room';
import { loadConfig } from '../../config';
import { eventually, startTestServer } from '../../test/harness';
import { createRegistrationEvent, HOUR, JWT_SECRET, MINUTE, person, signUp, startSignUpWorld, tokenOf, type SignUpWorld } from '../../test/sign-up';
import { api, createAccount, login } from '../../test/staff';
import { VideoroomHandle, type JanusMessage } from './janus-client';
import { janusRoomId } from './janus-provider';
import { signJanusToken } from './janus-tokens';
import { derivedSecret } from './rooms';

/* GET /api/events/:id/room and the host's actions on a real server running a real Janus, with a clock the test moves. */

const rooms = { ...loadConfig({}).rooms, mode: 'janus' as const };
let world: SignUpWorld;
let event: Event;
let ana: string;
let bruno: string;
let chloe: string;
const handles: VideoroomHandle[] = [];

const url = () => world.server.url;
const room = (token: string | undefined, scheme: 'Person' | 'Bearer' = 'Person', id = event.id) =>
  api(url(), 'GET', `/api/events/${id}/room`, token ? { headers: { authorization: `${scheme} ${token}` } } : {});
const host = (action: 'remove' | 'mute', participantId: number, token = world.admin) =>
  api(url(), 'POST', `/api/events/${event.id}/room/participants/${participantId}/${action}`, { token });

/** A browser in the room, through Parvis's /janus proxy. */
async function enter(join: RoomJoin): Promise<VideoroomHandle> {
  const handle = await VideoroomHandle.open(`${url().replace('http', 'ws')}/janus`, join.token);
  handles.push(handle);
  await handle.async({ request: 'join', ptype: 'publisher', room: join.room, id: join.participantId, display: join.display, token: join.token });
  return handle;
}

beforeAll(async () => {
  world = await startSignUpWorld('sqlite', { rooms });
  event = await createRegistrationEvent(world, { capacity: 1, room: 'parvis' });
  const [a, b, c] = [person('Ana'), person('Bruno'), person('Chloé')];
  await signUp(url(), event.id, a);
  await signUp(url(), event.id, b);
  // Chloé signed up for another event only.
  const other = await createRegistrationEvent(world, { capacity: 5 });
  await signUp(url(), other.id, c);
  [ana, bruno, chloe] = [await tokenOf(world.server, a.email), await tokenOf(world.server, b.email), await tokenOf(world.server, c.email)];
});
afterAll(async () => {
  for (const h of handles) h.close();
  await world?.stop();
});

describe('who may enter a room, and when', () => {
  it('refuses people who are not confirmed, each with the reason', async () => {
    world.clock.set(Date.parse(event.startsAt) - 5 * MINUTE);
    expect((await room(chloe)).body.error).toMatchObject({ code: 'FORBIDDEN', reason: 'not-registered' });
    expect((await room(bruno)).body.error).toMatchObject({ code: 'FORBIDDEN', reason: 'waitlisted' });
    expect((await room(undefined)).status).toBe(401);
  });

  it('opens from 15 minutes before the start, and says when', async () => {
    world.clock.set(Date.parse(event.startsAt) - 20 * MINUTE);
    const early = await room(ana);
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ reason: 'too-early', retryAfterMs: 5 * MINUTE });
  });

  it('gives a confirmed registrant what the browser needs, marks attendance, and lets them into Janus through /janus', async () => {
    world.clock.set(Date.parse(event.startsAt) - 14 * MINUTE);
    const res = await room(ana);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('no-store');
    const join = res.body as RoomJoin;
    expect(join).toMatchObject({ provider: 'janus', display: 'Ana', host: false, endsAt: event.endsAt, iceServers: [] });
    expect(join.server).toMatch(/^ws:\/\/.+\/janus$/);
    // Her personal page leads to the room page rather than to an outside link.
    const mine = (await api(url(), 'GET', '/api/me/registrations', { headers: { authorization: `Person ${ana}` } })).body as MyRegistrations;
    expect(mine.registrations.find((r) => r.eventId === event.id)).toMatchObject({ status: 'confirmed', inRoom: true });
    const list = (await api(url(), 'GET', `/api/admin/events/${event.id}/registrations`, { token: world.admin })).body as RegistrantList;
    expect(list.registrants.find((r) => r.name === 'Ana')?.attendedAt).toBeDefined();
    const inRoom = await enter(join);
    // Leaving frees her participant id (a second tab of the same person is refused by Janus while the first is in).
    expect(await inRoom.async({ request: 'leave' })).toMatchObject({ videoroom: 'event', leaving: 'ok' });
    // Another site's page cannot open the proxied socket, token or not.
    await expect(VideoroomHandle.open(`${url().replace('http', 'ws')}/janus`, join.token, { origin: 'https://ailleurs.example' })).rejects.toThrow(/403/);
  });

  it('lets the event’s staff in as hosts', async () => {
    const res = await room(world.admin, 'Bearer');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ host: true, display: 'Bibliothécaire' });
  });

  it('lets the host remove someone: they leave the room, and the room refuses them afterwards', async () => {
    const admin = (await room(world.admin, 'Bearer')).body as RoomJoin;
    const watcher = await enter(admin);
    const seen: JanusMessage[] = [];
    watcher.connection.on('event', (m) => seen.push(m));
    const anaJoin = (await room(ana)).body as RoomJoin;
    const anas = await enter(anaJoin);
    const told: JanusMessage[] = [];
    anas.connection.on('event', (m) => told.push(m));

    // Not for registrants.
    expect((await api(url(), 'POST', `/api/events/${event.id}/room/participants/${admin.participantId}/remove`, { headers: { authorization: `Person ${ana}` } })).status).toBe(401);
    expect((await host('mute', anaJoin.participantId)).status).toBe(204);
    expect((await host('remove', anaJoin.participantId)).status).toBe(204);
    await eventually(() => told.some((m) => m.plugindata?.data.reason === 'kicked'), 5000, 'Ana kicked');
    await eventually(
      () => seen.some((m) => m.plugindata?.data.leaving === anaJoin.participantId || m.plugindata?.data.kicked === anaJoin.participantId),
      5000,
      'the host told',
    );
    expect((await room(ana)).body.error).toMatchObject({ code: 'FORBIDDEN', reason: 'removed' });
  });

  it('closes at the end', async () => {
    world.clock.set(Date.parse(event.endsAt));
    expect((await room(world.admin, 'Bearer')).body.error).toMatchObject({ code: 'CONFLICT', reason: 'room-ended' });
  });

  it('answers not-a-room for an event held elsewhere', async () => {
    const plain = await createRegistrationEvent(world, { capacity: 3 });
    expect((await room(world.admin, 'Bearer', plain.id)).body.error).toMatchObject({ code: 'NOT_FOUND', reason: 'not-a-room' });
  });
});

describe('the rooms’ lifecycle at each tick', () => {
  it('opens a room within the lead and destroys it after the end, from the programme’s times', async () => {
    const later = await createRegistrationEvent(world, { capacity: 3, room: 'parvis', startsIn: 100 * HOUR });
    const start = Date.parse(later.startsAt);
    // A session of our own on Janus, with a token signed as Parvis signs its own.
    const secret = derivedSecret(JWT_SECRET, 'janus-token');
    const h = await VideoroomHandle.open(`${url().replace('http', 'ws')}/janus`, signJanusToken(secret, new Date(Date.now() + HOUR)));
    handles.push(h);
    const exists = async () => (await h.sync({ request: 'exists', room: janusRoomId(later.id) })).exists;

    await world.server.scheduler.runOnce(new Date(start - 30 * MINUTE));
    expect(await exists()).toBe(false);
    await world.server.scheduler.runOnce(new Date(start - 10 * MINUTE));
    expect(await exists()).toBe(true);
    await world.server.scheduler.runOnce(new Date(start + 10 * MINUTE));
    expect(await exists()).toBe(true);
    await world.server.scheduler.runOnce(new Date(Date.parse(later.endsAt) + MINUTE));
    expect(await exists()).toBe(false);
  });
});

describe('without Janus', () => {
  it('says in one line that Janus is missing, and room events answer rooms-unavailable', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    const server = await startTestServer({ rooms: { ...rooms, janusPath: '/nonexistent/janus' } }, log);
    try {
      expect(lines.filter((l) => l.includes('Janus is not installed'))).toHaveLength(1);
      expect(lines.find((l) => l.includes('Janus is not installed'))).toContain('apt-get install janus');
      expect(server.rooms.running).toBe(false);
      await createAccount(server.store, { email: 'a@example.org', password: 'admin-password-1', displayName: 'A', isAdmin: true });
      const { token } = await login(server.url, 'a@example.org', 'admin-password-1');
      const at = Date.now() + 5 * MINUTE;
      const body = { id: 'sans-janus', kind: 'workshop', title: 'Sans Janus', access: 'registration', capacity: 3, room: 'parvis', startsAt: new Date(at).toISOString(), endsAt: new Date(at + HOUR).toISOString() };
      expect((await api(server.url, 'POST', '/api/events', { token, body })).status).toBe(201);
      const res = await api(server.url, 'GET', '/api/events/sans-janus/room', { token });
      expect(res.status).toBe(503);
      expect(res.body.error).toMatchObject({ code: 'UNAVAILABLE', reason: 'rooms-unavailable' });
      // The event's outside room is the way in instead: the registrant's personal page gives its link.
      const joinUrl = 'https://visio.example/atelier';
      expect((await api(server.url, 'PUT', '/api/admin/events/sans-janus/registration-settings', { token, body: { joinUrl } })).status).toBe(200);
      const dana = person('Dana');
      await signUp(server.url, 'sans-janus', dana);
      const mine = await api(server.url, 'GET', '/api/me/registrations', { headers: { authorization: `Person ${await tokenOf(server, dana.email)}` } });
      const registration = (mine.body as MyRegistrations).registrations[0];
      expect(registration).toMatchObject({ status: 'confirmed', joinUrl });
      expect(registration).not.toHaveProperty('inRoom');
    } finally {
      await server.stop();
    }
  });
});
