import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event } from '#shared/domain/event';
import type { JoinResult } from '#shared/protocol/events';
import { connectViewer, eventually, ok, request, startTestServer, type TestClient, type TestServer } from '../../test/harness';
import { startRedisServer, type RedisServer } from '../../test/redis-server';
import { api, createAccount, login, testEvent } from '../../test/staff';

/**
 * Two server processes' worth of Parvis (two servers in this process, each with its own Redis connections and
 * Socket.IO adapter) on one redis-server: what an admin does on one reaches sockets connected to the other.
 */

const SECRET = 'cluster-revocation-secret-0123456789-0123';
let redis: RedisServer;
let a: TestServer;
let b: TestServer;
let admin: string;
const sockets: TestClient[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  a = await startTestServer({ redisUrl: redis.url, jwtSecret: SECRET });
  b = await startTestServer({ redisUrl: redis.url, jwtSecret: SECRET });
  await createAccount(a.store, { email: 'admin@example.org', password: 'admin-password-1', isAdmin: true });
  admin = (await login(a.url, 'admin@example.org', 'admin-password-1')).token;
  await a.store.programme.saveProgramme([], [testEvent('cluster-private', { access: 'invite' }), testEvent('cluster-open')]);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await a?.stop();
  await b?.stop();
  await redis?.stop();
});

async function socket(url: string, token?: string): Promise<TestClient> {
  const s = await connectViewer(url, token);
  sockets.push(s);
  return s;
}

describe('across processes on Redis', () => {
  it('drops a moderator connected to the other process when their role is taken back', async () => {
    const link = (await api(a.url, 'POST', '/api/events/cluster-private/invites', { token: admin, body: { role: 'moderator' } })).body.url;
    const accepted = (await api(b.url, 'POST', '/api/invites/accept', { body: { token: link.split('#')[1], displayName: 'Mo' } })).body;
    const mod = await socket(b.url, accepted.token);
    expect((await ok(request<JoinResult>(mod, 'event:join', { eventId: 'cluster-private' }))).role).toBe('moderator');

    expect((await api(a.url, 'DELETE', `/api/events/cluster-private/roles/${accepted.user.id}`, { token: admin })).status).toBe(204);
    await eventually(() => mod.disconnected, 5000, 'the socket on the other process to drop');
    const status = await api(b.url, 'POST', '/api/events/cluster-private/status', { token: accepted.token, body: { status: 'live' } });
    expect(status.status).toBe(403);
  });

  it('drops the sockets of a signed-out token on the other process, and refuses the token there', async () => {
    const { token, cookie } = await login(a.url, 'admin@example.org', 'admin-password-1');
    const elsewhere = await socket(b.url, token);
    expect((await api(a.url, 'POST', '/api/auth/logout', { token, cookie })).status).toBe(204);
    await eventually(() => elsewhere.disconnected, 5000, 'the socket on the other process to drop');
    await expect(connectViewer(b.url, token)).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
  });

  it('tells viewers on the other process that an event was cancelled', async () => {
    const viewer = await socket(b.url);
    const seen: Event[] = [];
    viewer.on('event:updated', ({ event }) => seen.push(event));
    await api(a.url, 'PATCH', '/api/events/cluster-open', { token: admin, body: { status: 'cancelled' } });
    await eventually(() => seen.some((e) => e.id === 'cluster-open' && e.status === 'cancelled'), 5000, 'the update');
  });
});
