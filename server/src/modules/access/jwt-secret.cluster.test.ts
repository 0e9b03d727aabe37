import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatSendResult } from '#shared/protocol/events';
import { connectViewer, guestToken, LIVE_EVENT_ID, ok, request, type TestClient } from '../../test/harness';
import { spawnParvis, type ParvisProcess } from '../../test/process';
import { startRedisServer, type RedisServer } from '../../test/redis-server';
import { SHARED_SECRET_KEY } from './jwt-secret';

/**
 * Two real processes on one real redis-server, as behind a load balancer, with no JWT_SECRET and a data directory
 * each (two machines): the generated key must still be one.
 */

let redis: RedisServer;
const dirs: string[] = [];
const processes: ParvisProcess[] = [];
const sockets: TestClient[] = [];

async function parvis(): Promise<ParvisProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parvis-shared-secret-'));
  dirs.push(dataDir);
  const p = await spawnParvis({ REDIS_URL: redis.url, DATA_DIR: dataDir });
  processes.push(p);
  return p;
}

beforeAll(async () => {
  redis = await startRedisServer();
});
afterEach(async () => {
  while (sockets.length) sockets.pop()!.close();
  await Promise.all(processes.splice(0).map((p) => p.stop()));
});
afterAll(async () => {
  await redis?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('processes on Redis without JWT_SECRET', { timeout: 90_000 }, () => {
  it('accept on one process a token signed by the other, and after both restarted', async () => {
    const [a, b] = await Promise.all([parvis(), parvis()]);
    const token = await guestToken(a.url, 'Ana');

    const onB = await connectViewer(b.url, token);
    sockets.push(onB);
    await ok(request(onB, 'event:join', { eventId: LIVE_EVENT_ID }));
    const sent = await ok(request<ChatSendResult>(onB, 'chat:send', { eventId: LIVE_EVENT_ID, text: 'signé par A', clientId: crypto.randomUUID() }));
    expect(sent).toMatchObject({ message: { author: { displayName: 'Ana' } } });

    // The key lives in Redis, not in either data directory.
    for (const dir of dirs) expect(readdirSync(dir)).not.toContain('jwt-secret');

    await Promise.all(processes.splice(0).map((p) => p.stop()));
    const c = await parvis();
    const onC = await connectViewer(c.url, token);
    sockets.push(onC);
    await ok(request(onC, 'event:join', { eventId: LIVE_EVENT_ID }));
  });

  it('refuses to start on a weak key someone put in Redis, and says which key to delete', async () => {
    const client = new Redis(redis.url);
    try {
      await client.set(SHARED_SECRET_KEY, 'short');
      await expect(parvis()).rejects.toThrow(/signing key in Redis \(parvis:jwt-secret\) has 5 characters.*delete that key/);
    } finally {
      await client.del(SHARED_SECRET_KEY);
      client.disconnect();
    }
  });
});
