import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { io as connectClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '#shared/domain/chat';
import { eventually, guestToken, LIVE_EVENT_ID, ok, request, type TestClient } from '../test/harness';
import { freePort, spawnParvis, type ParvisProcess } from '../test/process';
import { startRedisServer, type RedisServer } from '../test/redis-server';

/**
 * The example deployment in deploy/haproxy.cfg, for real: HAProxy in front of two Parvis processes on one Redis.
 * Long polling only works through it if the sessions are sticky, so these tests hold the example to its word.
 */

let redis: RedisServer;
let nodes: ParvisProcess[] = [];
let haproxy: ChildProcess;
let url: string;
let dataDir: string;
const clients: TestClient[] = [];

async function client(transport: 'polling' | 'websocket', token: string): Promise<TestClient> {
  const socket: TestClient = connectClient(url, {
    transports: [transport],
    // Node's client keeps cookies only when asked to; browsers always send them back on same-origin requests.
    withCredentials: true,
    auth: { token },
    reconnection: false,
    forceNew: true,
  });
  clients.push(socket);
  await new Promise<void>((done, fail) => {
    socket.once('connect', () => done());
    socket.once('connect_error', fail);
  });
  return socket;
}

beforeAll(async () => {
  redis = await startRedisServer();
  dataDir = mkdtempSync(join(tmpdir(), 'parvis-haproxy-'));
  const env = { REDIS_URL: redis.url, JWT_SECRET: 'haproxy-test-secret-0123456789-0123456789', DATA_DIR: dataDir };
  nodes = [await spawnParvis(env), await spawnParvis(env)];
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  haproxy = spawn('haproxy', ['-db', '-f', resolve('deploy/haproxy.cfg')], {
    env: {
      ...process.env,
      PARVIS_BIND: `127.0.0.1:${port}`,
      PARVIS_NODE1: `127.0.0.1:${nodes[0]!.port}`,
      PARVIS_NODE2: `127.0.0.1:${nodes[1]!.port}`,
    },
    stdio: 'ignore',
  });
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('HAProxy did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}, 90_000);

afterAll(async () => {
  for (const c of clients) c.close();
  haproxy?.kill('SIGKILL');
  await Promise.all(nodes.map((n) => n.stop()));
  await redis?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('HAProxy in front of two processes (deploy/haproxy.cfg)', { timeout: 60_000 }, () => {
  it('keeps long-polling sessions on one process and relays chat between polling and WebSocket viewers', async () => {
    const token = await guestToken(url, 'Ana');
    // Several polling sessions, so that the least-connections balancing spreads them over both processes.
    const polling = await Promise.all(Array.from({ length: 4 }, () => client('polling', token)));
    const ws = await client('websocket', await guestToken(url, 'Bob'));
    const received: string[][] = [];
    for (const socket of [...polling, ws]) {
      const log: string[] = [];
      received.push(log);
      socket.on('chat:messages', ({ messages }) => log.push(...messages.map((m) => m.text)));
      await ok(request(socket, 'event:join', { eventId: LIVE_EVENT_ID }));
    }

    const sent = await ok(
      request<{ message: ChatMessage }>(polling[0]!, 'chat:send', {
        eventId: LIVE_EVENT_ID,
        text: 'par long polling',
        clientId: crypto.randomUUID(),
      }),
    );
    expect(sent.message.text).toBe('par long polling');
    await ok(request(ws, 'chat:send', { eventId: LIVE_EVENT_ID, text: 'par websocket', clientId: crypto.randomUUID() }));
    await eventually(() => received.every((log) => log.length === 2), 10_000, 'both messages everywhere');
    for (const log of received) expect(log).toEqual(['par long polling', 'par websocket']);
    for (const socket of polling) expect(socket.connected).toBe(true);
  });

  it('serves the API and the pages through the proxy', async () => {
    const res = await fetch(`${url}/api/events/${LIVE_EVENT_ID}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { event: { status: string } }).event.status).toBe('live');
  });
});
