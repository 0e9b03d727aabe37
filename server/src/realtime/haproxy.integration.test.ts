import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
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
let statsSocket: string;
const clients: TestClient[] = [];

/** A backend's state as HAProxy sees it ('UP' or 'DOWN'), read from its stats socket. */
function backendStatus(backend: string): Promise<string | undefined> {
  return new Promise((done, fail) => {
    let csv = '';
    const socket = createConnection(statsSocket, () => socket.end('show stat\n'));
    socket.on('data', (chunk) => (csv += chunk.toString()));
    socket.once('error', fail);
    socket.once('close', () => {
      const [header, ...rows] = csv.trim().split('\n');
      const columns = header!.replace(/^# /, '').split(',');
      const row = rows.map((r) => r.split(',')).find((r) => r[0] === backend && r[1] === 'BACKEND');
      done(row?.[columns.indexOf('status')]);
    });
  });
}

/** Waits until HAProxy's health checks (every 2 s, two in a row) have moved the backend to `status`. */
async function untilBackend(backend: string, status: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await backendStatus(backend)) !== status) {
    if (Date.now() > deadline) throw new Error(`${backend} did not become ${status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

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
  // The example as it is, plus a stats socket for the test to read what HAProxy thinks of each backend.
  statsSocket = join(dataDir, 'haproxy.sock');
  const statsConfig = join(dataDir, 'haproxy-stats.cfg');
  writeFileSync(statsConfig, `global\n  stats socket ${statsSocket} mode 600 level user\n`);
  haproxy = spawn('haproxy', ['-db', '-f', resolve('deploy/haproxy.cfg'), '-f', statsConfig], {
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

  // Last: it takes Redis away for a while.
  it('keeps reaching the processes while none is ready because Redis is down, and the ready ones once it is back', async () => {
    expect(await backendStatus('parvis_ready')).toBe('UP');
    await redis.kill('SIGKILL');
    await untilBackend('parvis_ready', 'DOWN');

    // Not HAProxy's "no server available": a process answers, alive, and says itself that its store is away.
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });

    // This Redis keeps no data across a restart: the programme is empty, but it answers again.
    await redis.restart();
    await untilBackend('parvis_ready', 'UP');
    expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ ok: true });
    expect((await fetch(`${url}/api/events`)).status).toBe(200);
  });
});
