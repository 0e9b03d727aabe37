import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AudienceDelay } from '#shared/protocol/events';
import type { EventFigures } from '#shared/protocol/figures';
import type { ViewerHeartbeatPayload } from '#shared/protocol/payloads';
import { ManualClock } from '../../test/manual-clock';
import {
  connectViewer,
  eventually,
  guestToken,
  LIVE_EVENT_ID,
  ok,
  request,
  startTestServer,
  type TestClient,
  type TestServer,
} from '../../test/harness';
import { startRedisServer, type RedisServer } from '../../test/redis-server';
import { api, createAccount, login } from '../../test/staff';

/*
 * A scripted audience on the real server, with the audience's clock moved by hand: people join and leave at known
 * instants, their players beat every 15 s as the client's heartbeat controller does, and each process's sampler looks
 * at every 30-s instant. The figures must come out exactly: on SQLite, on Redis, and with the audience spread over two
 * Parvis instances on one Redis.
 *
 *   seconds:       0    15   30   45   60   75   90   105  120  135  150
 *   Alice          ▶────────────────────────────────────────✕              (leaves by closing the tab at 120)
 *   Bob (2 tabs)             ▶───────────────────✕                         (both tabs closed at 90)
 *   anonymous                     ▶───────────────────✕                    (no name, closes at 105)
 *   Chloé                              ▶────────────────────────────⏸      (pauses at 150, page still open)
 *   Dan (replay)   ▶───────────────────⏸                                   (watches the replay, pauses at 60)
 *
 * Live viewers at 0, 30, 60, 90, 120, 150: 1, 2, 4, 3, 1, 0 (Bob's two tabs are one person). Peak 4 at 60 s.
 * Live watch time: Alice 120 + Bob 60 + anonymous 60 + Chloé 90 = 330 s over 4 people (82.5 s each).
 */

const T0 = Date.parse('2026-11-25T18:00:00.000Z');
const SECRET = 'audience-figures-secret-0123456789-0123456789';

interface Viewer {
  name: string | null;
  tabs: number;
  mode: 'live' | 'replay';
  join: number;
  leave: number;
  /** How the viewer goes: closing the page (a disconnect) or pausing. */
  how: 'close' | 'pause';
  delayMs: number | null;
  /** Which process serves them, as an index into the servers (modulo their number). */
  server: number;
}

const SCRIPT: Viewer[] = [
  { name: 'Alice', tabs: 1, mode: 'live', join: 0, leave: 120, how: 'close', delayMs: 8000, server: 0 },
  { name: 'Bob', tabs: 2, mode: 'live', join: 30, leave: 90, how: 'close', delayMs: 12_000, server: 0 },
  { name: null, tabs: 1, mode: 'live', join: 45, leave: 105, how: 'close', delayMs: 10_000, server: 1 },
  { name: 'Chloé', tabs: 1, mode: 'live', join: 60, leave: 150, how: 'pause', delayMs: 20_000, server: 0 },
  { name: 'Dan', tabs: 1, mode: 'replay', join: 0, leave: 60, how: 'pause', delayMs: null, server: 1 },
];

const cases = [
  { name: 'one process on SQLite', store: 'sqlite', processes: 1 },
  { name: 'one process on Redis', store: 'redis', processes: 1 },
  { name: 'two processes on one Redis', store: 'redis', processes: 2 },
] as const;

describe.each(cases)('a scripted audience: $name', ({ store, processes }) => {
  let redis: RedisServer | undefined;
  const servers: TestServer[] = [];
  const sockets: TestClient[] = [];
  const clock = new ManualClock(T0);
  let adminToken: string;

  beforeAll(async () => {
    if (store === 'redis') redis = await startRedisServer();
    for (let i = 0; i < processes; i++) {
      servers.push(
        await startTestServer(
          { ...(redis && { redisUrl: redis.url }), jwtSecret: SECRET },
          undefined,
          { audienceClock: clock, audienceTimer: false },
        ),
      );
    }
    await createAccount(servers[0]!.store, { email: 'admin@example.org', password: 'correct horse battery', isAdmin: true });
    adminToken = (await login(servers[0]!.url, 'admin@example.org', 'correct horse battery')).token;
  }, 60_000);

  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });

  afterAll(async () => {
    for (const server of servers) await server.stop();
    await redis?.stop();
  });

  const serverOf = (v: Viewer) => servers[v.server % servers.length]!;
  const localSockets = () => servers.reduce((n, s) => n + s.io.of('/').sockets.size, 0);

  it('gives the expected samples, peak, unique viewers, watch time and replay views, and the delay to moderators', async () => {
    // A moderator (an admin) in the room, on the first process.
    const admin = await connectViewer(servers[0]!.url, adminToken);
    sockets.push(admin);
    await ok(request(admin, 'event:join', { eventId: LIVE_EVENT_ID }));
    const delays: AudienceDelay[] = [];
    admin.on('audience:delay', (d) => delays.push(d));

    const tabs = new Map<Viewer, TestClient[]>();
    const beat = (socket: TestClient, v: Viewer, playing: boolean) => {
      const payload: ViewerHeartbeatPayload = {
        eventId: LIVE_EVENT_ID,
        mode: v.mode,
        playing,
        positionSeconds: v.mode === 'replay' ? (clock.now().getTime() - T0) / 1000 : null,
        delayMs: v.mode === 'live' ? v.delayMs : null,
      };
      return ok(request(socket, 'viewer:heartbeat', payload));
    };

    for (let t = 0; t <= 180; t += 15) {
      clock.set(T0 + t * 1000);
      for (const v of SCRIPT.filter((v) => v.leave === t)) {
        const open = tabs.get(v)!;
        tabs.delete(v);
        if (v.how === 'pause') {
          for (const socket of open) await beat(socket, v, false);
        } else {
          // Closing the page: the server credits the time since the last heartbeat when it sees the socket go, which
          // it does before the clock moves on.
          const before = localSockets();
          for (const socket of open) socket.close();
          await eventually(() => localSockets() === before - open.length, 5000, `${v.name ?? 'anonymous'} gone`);
        }
      }
      for (const v of SCRIPT.filter((v) => v.join === t)) {
        const url = serverOf(v).url;
        const token = v.name ? await guestToken(url, v.name) : undefined;
        const open: TestClient[] = [];
        for (let i = 0; i < v.tabs; i++) {
          const socket = await connectViewer(url, token);
          sockets.push(socket);
          await ok(request(socket, 'event:join', { eventId: LIVE_EVENT_ID }));
          open.push(socket);
        }
        tabs.set(v, open);
      }
      for (const [v, open] of tabs) for (const socket of open) await beat(socket, v, true);
      // Every process looks at each 30-s instant; the first one last, so that it reads the others' delays.
      if (t % 30 === 0) for (const server of [...servers].reverse()) await server.audience.sampler.tick();
      if (t === 60) {
        // Alice 8 s, Bob's two tabs 12 s, the anonymous viewer 10 s, Chloé 20 s, whichever process serves them.
        await eventually(() => delays.some((d) => d.viewers === 5), 5000, 'the delay of five players');
        expect(delays.find((d) => d.viewers === 5)).toEqual({ eventId: LIVE_EVENT_ID, p50Ms: 12_000, maxMs: 20_000, viewers: 5 });
      }
    }

    const at = (s: number) => new Date(T0 + s * 1000).toISOString();
    for (const server of servers) {
      const res = await api<EventFigures>(server.url, 'GET', `/api/admin/events/${LIVE_EVENT_ID}/figures`, { token: adminToken });
      expect(res.status).toBe(200);
      const figures = res.body;
      expect(figures.samples).toEqual([
        { at: at(0), viewers: 1 },
        { at: at(30), viewers: 2 },
        { at: at(60), viewers: 4 },
        { at: at(90), viewers: 3 },
        { at: at(120), viewers: 1 },
        { at: at(150), viewers: 0 },
      ]);
      expect(figures.peak).toEqual({ at: at(60), viewers: 4 });
      expect(figures.live).toEqual({ uniqueViewers: 4, watchSeconds: 330, averageWatchSeconds: 83 });
      expect(figures.replay).toEqual({ views: 1, uniqueViewers: 1, watchSeconds: 60 });
    }

    const csv = await fetch(`${servers[0]!.url}/api/admin/events/${LIVE_EVENT_ID}/figures.csv?lang=en`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await csv.text();
    expect(text).toContain('Peak viewers,4\r\n');
    expect(text).toContain('Unique viewers (live),4\r\n');
    expect(text).toContain(`${at(60)},4\r\n`);
  }, 60_000);

  it('refuses heartbeats from a socket outside the event’s room or in a loop, and the figures to anyone but an admin', async () => {
    const outsider = await connectViewer(servers[0]!.url, await guestToken(servers[0]!.url, 'Eve'));
    sockets.push(outsider);
    const refused = await request(outsider, 'viewer:heartbeat', {
      eventId: LIVE_EVENT_ID,
      mode: 'live',
      playing: true,
      positionSeconds: null,
      delayMs: 1000,
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // A client sending heartbeats in a loop is held back before anything is written.
    await ok(request(outsider, 'event:join', { eventId: LIVE_EVENT_ID }));
    const beat = { eventId: LIVE_EVENT_ID, mode: 'live', playing: true, positionSeconds: null, delayMs: 1000 };
    const acks = await Promise.all(Array.from({ length: 30 }, () => request(outsider, 'viewer:heartbeat', beat)));
    expect(acks.filter((a) => a.ok)).toHaveLength(20);
    expect(acks.find((a) => !a.ok)).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    const guest = await guestToken(servers[0]!.url, 'Frank');
    expect((await api(servers[0]!.url, 'GET', `/api/admin/events/${LIVE_EVENT_ID}/figures`, { token: guest })).status).toBe(403);
    expect((await api(servers[0]!.url, 'GET', '/api/admin/figures')).status).toBe(401);
  });
});
