import { readdirSync, readFileSync } from 'node:fs';
import { startRedisServer, type RedisServer } from '../../server/src/test/redis-server';
import { onCleanup } from './cleanup';
import { startServer, type BenchServer } from './server';

/** A fresh redis-server on a free port (the test suite's helper), with its pid for CPU accounting. */
export async function startRedis(): Promise<RedisServer & { pid: number }> {
  const redis = await startRedisServer();
  const unregister = onCleanup(() => redis.stop());
  return {
    ...redis,
    url: redis.url,
    port: redis.port,
    dir: redis.dir,
    pid: findRedisPid(redis.port),
    async stop() {
      unregister();
      await redis.stop();
    },
  };
}

/** redis-server renames its process to "redis-server 127.0.0.1:<port>". */
function findRedisPid(port: number): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmd.includes('redis-server') && cmd.includes(`:${port}`)) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return NaN;
}

/** Two Parvis processes, A and B, sharing one fresh redis-server: the multi-process rows' set-up. */
export interface BenchCluster {
  redis: RedisServer & { pid: number };
  a: BenchServer;
  b: BenchServer;
  /** Stops B, A and then Redis (the servers first, so that they do not log Redis going away). */
  stop(): Promise<void>;
}

export async function startCluster(env: Record<string, string> = {}): Promise<BenchCluster> {
  const redis = await startRedis();
  const withRedis = { ...env, REDIS_URL: redis.url };
  const started: BenchServer[] = [];
  try {
    started.push(await startServer('A', withRedis));
    started.push(await startServer('B', withRedis));
  } catch (err) {
    for (const server of started.reverse()) await server.stop();
    await redis.stop();
    throw err;
  }
  const [a, b] = started as [BenchServer, BenchServer];
  return {
    redis,
    a,
    b,
    async stop() {
      await b.stop();
      await a.stop();
      await redis.stop();
    },
  };
}
