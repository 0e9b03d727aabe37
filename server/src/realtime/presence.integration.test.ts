import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JoinResult } from '#shared/protocol/events';
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
} from '../test/harness';
import { startRedisServer, type RedisServer } from '../test/redis-server';

/**
 * Viewer counts by person, and the cap on sockets per address, on the real server: one process (LocalPresence,
 * LocalConnectionCap), and two processes sharing a real redis-server (ClusterPresence, ClusterConnectionCap), where a
 * person's tabs and a client's sockets may be spread over both. Every socket comes from an address of its own
 * (X-Forwarded-For through a trusted loopback proxy) unless a test says otherwise.
 */

const SOCKETS_PER_ADDRESS = 3;
const SECRET = 'presence-test-secret-0123456789-0123456789';

interface Deployment {
  /** Two entry points: the same process twice, or two processes. */
  a: TestServer;
  b: TestServer;
  stop(): Promise<void>;
}

const settings = { jwtSecret: SECRET, trustProxy: 'loopback', socketsPerAddress: SOCKETS_PER_ADDRESS } as const;

const deployments: Record<string, () => Promise<Deployment>> = {
  'one process': async () => {
    const server = await startTestServer(settings);
    return { a: server, b: server, stop: () => server.stop() };
  },
  'two processes on Redis': async () => {
    const redis: RedisServer = await startRedisServer();
    const a = await startTestServer({ ...settings, redisUrl: redis.url });
    const b = await startTestServer({ ...settings, redisUrl: redis.url });
    return {
      a,
      b,
      async stop() {
        await Promise.all([a.stop(), b.stop()]);
        await redis.stop();
      },
    };
  },
};

describe.each(Object.keys(deployments))('on %s', (kind) => {
  let deployment: Deployment;
  const open: TestClient[] = [];
  let lastAddress = 0;
  const newAddress = () => `198.51.100.${++lastAddress}`;

  beforeEach(async () => {
    deployment = await deployments[kind]!();
  });
  afterEach(async () => {
    while (open.length) open.pop()!.close();
    await deployment.stop();
  });

  async function connect(server: TestServer, token?: string, address = newAddress()): Promise<TestClient> {
    const socket = await connectViewer(server.url, token, { 'x-forwarded-for': address });
    open.push(socket);
    return socket;
  }

  /** Joins the live event and answers the viewer count the join acknowledged, keeping every count told after it. */
  async function join(socket: TestClient): Promise<{ viewers: number; told: number[] }> {
    const told: number[] = [];
    socket.on('presence:viewers', ({ eventId, viewers }) => {
      if (eventId === LIVE_EVENT_ID) told.push(viewers);
    });
    const { viewers } = await ok(request<JoinResult>(socket, 'event:join', { eventId: LIVE_EVENT_ID }));
    return { viewers, told };
  }

  it('counts a person with three tabs once, and each anonymous viewer once', async () => {
    const { a, b } = deployment;
    const ana = await guestToken(a.url, 'Ana');
    const anaOnA = await connect(a, ana);
    const anaOnB = await connect(b, ana);
    const anaAgainOnA = await connect(a, ana);
    for (const tab of [anaOnA, anaOnB, anaAgainOnA]) await join(tab);

    const bob = await join(await connect(b));
    expect(bob.viewers).toBe(2);
    await eventually(() => bob.told.at(-1) === 2, 5000, 'a count of 2 told to Bob');

    // Ana closes both of her tabs on A and keeps watching on B: she still counts.
    anaOnA.close();
    anaAgainOnA.close();
    const carl = await join(await connect(a));
    expect(carl.viewers).toBe(3);

    // Her last tab closes: she no longer does, on either process.
    anaOnB.close();
    await eventually(() => bob.told.at(-1) === 2 && carl.told.at(-1) === 2, 5000, 'a count of 2 on both processes');
  });

  it('counts a guest who chose a name once, whatever address each tab comes from', async () => {
    const { a, b } = deployment;
    const token = await guestToken(a.url, 'Dora');
    await join(await connect(a, token));
    const last = await join(await connect(b, token));
    expect(last.viewers).toBe(1);
  });

  it('refuses a socket past SOCKETS_PER_ADDRESS, across processes, and takes one again when one closes', async () => {
    const { a, b } = deployment;
    const wifi = newAddress();
    const held = [await connect(a, undefined, wifi), await connect(b, undefined, wifi), await connect(a, undefined, wifi)];
    const counts = [];
    for (const socket of held) counts.push((await join(socket)).viewers);
    // Anonymous viewers count per socket: as many as the address may hold, never more.
    expect(counts.at(-1)).toBe(SOCKETS_PER_ADDRESS);

    for (const server of [a, b]) {
      await expect(connect(server, undefined, wifi)).rejects.toMatchObject({
        message: expect.stringMatching(/Too many connections/),
        data: { code: 'RATE_LIMITED' },
      });
    }
    // Another network is not held back.
    await connect(b, undefined, newAddress());

    // The server hears of the close a moment later: knock until the place is free (bounded, like `eventually`).
    held[1]!.close();
    const deadline = Date.now() + 5000;
    let again: TestClient | undefined;
    while (!again) {
      again = await connect(a, undefined, wifi).catch(async (err: unknown) => {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 50));
        return undefined;
      });
    }
  });
});
