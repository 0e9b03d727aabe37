import { readdirSync, readFileSync } from 'node:fs';
import { startRedisServer, type RedisServer } from '../../server/src/test/redis-server';
import { onCleanup } from './cleanup';

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
