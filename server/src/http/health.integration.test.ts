import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test/harness';
import { startRedisServer, type RedisServer } from '../test/redis-server';

async function get(server: TestServer, path: string): Promise<{ status: number; body: unknown; cache: string | null }> {
  const res = await fetch(`${server.url}${path}`);
  return { status: res.status, body: await res.json(), cache: res.headers.get('cache-control') };
}

/** Asks until `path` answers `status`: Redis is reconnected to with a backoff of up to a second. */
async function until(server: TestServer, path: string, status: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await get(server, path)).status !== status) {
    if (Date.now() > deadline) throw new Error(`${path} did not answer ${status} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('liveness and readiness', () => {
  let server: TestServer | undefined;
  let redis: RedisServer | undefined;
  afterEach(async () => {
    // The server first, while Redis answers (a test that failed midway may have left it stopped): closing the
    // server unsubscribes the Socket.IO adapter.
    await redis?.kill('SIGCONT');
    await server?.stop();
    await redis?.stop();
    server = redis = undefined;
  });

  it('answers ready on SQLite, and both probes are never cached', async () => {
    server = await startTestServer();
    expect(await get(server, '/healthz')).toEqual({ status: 200, body: { ok: true }, cache: 'no-store' });
    expect(await get(server, '/readyz')).toEqual({ status: 200, body: { ok: true }, cache: 'no-store' });
  });

  it('answers not ready while Redis is down, alive all the same, and ready again once Redis is back', { timeout: 60_000 }, async () => {
    redis = await startRedisServer();
    server = await startTestServer({ redisUrl: redis.url, jwtSecret: 'readiness-test-secret-0123456789-0123456789' });
    expect((await get(server, '/readyz')).status).toBe(200);

    await redis.kill('SIGKILL');
    const down = await get(server, '/readyz');
    expect(down).toMatchObject({ status: 503, body: { ok: false, error: { code: 'UNAVAILABLE' } } });
    // Still alive: restarting this process would not bring Redis back.
    expect(await get(server, '/healthz')).toMatchObject({ status: 200, body: { ok: true } });

    await redis.restart();
    await until(server, '/readyz', 200);
    expect((await get(server, '/readyz')).body).toEqual({ ok: true });
  });

  it('answers not ready while Redis hangs, without hanging itself', { timeout: 60_000 }, async () => {
    redis = await startRedisServer();
    server = await startTestServer({ redisUrl: redis.url, jwtSecret: 'readiness-test-secret-0123456789-0123456789' });
    expect((await get(server, '/readyz')).status).toBe(200);

    await redis.kill('SIGSTOP');
    expect(await get(server, '/readyz')).toMatchObject({ status: 503, body: { ok: false } });
    await redis.kill('SIGCONT');
    await until(server, '/readyz', 200);
  });
});
