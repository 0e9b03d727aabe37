import { createAdapter as createPubSubAdapter } from '@socket.io/redis-adapter';
import { createAdapter as createStreamsAdapter } from '@socket.io/redis-streams-adapter';
import { Redis, type RedisOptions } from 'ioredis';
import type { Config } from '../config';
import type { ParvisServer } from './types';

/**
 * ioredis settings for a server that must answer, not hang: a command fails within about 2 s when Redis is
 * unreachable (no unbounded offline queue), and the connection keeps retrying in the background, at most once a
 * second, so the process recovers by itself when Redis is back.
 */
export const FAIL_FAST: RedisOptions = {
  maxRetriesPerRequest: 1,
  enableOfflineQueue: false,
  commandTimeout: 2000,
  connectTimeout: 2000,
  retryStrategy: (times) => Math.min(100 * times, 1000),
};

/**
 * Both adapters call `publish` without handling its promise (e.g. @socket.io/redis-adapter's broadcast), so while
 * Redis is down each broadcast would be an unhandled rejection, which ends a Node process. Marking the promise
 * handled keeps the process up; the broadcast is lost, and clients catch up with `since` when they rejoin.
 */
function handlePublishFailures(client: Redis, onError: (err: unknown) => void): Redis {
  const publish = client.publish.bind(client) as (...args: unknown[]) => Promise<number>;
  (client as unknown as { publish: (...args: unknown[]) => Promise<number> }).publish = (...args) => {
    const sent = publish(...args);
    sent.catch(onError);
    return sent;
  };
  return client;
}

/** Connects and waits until Redis answers, so that start-up fails loudly when REDIS_URL is wrong. */
export async function connectRedis(
  url: string,
  onError: (err: unknown) => void,
  options: RedisOptions = {},
): Promise<Redis> {
  const client = new Redis(url, { ...FAIL_FAST, lazyConnect: true, ...options });
  client.on('error', onError);
  await client.connect();
  return client;
}

/**
 * Plugs the chosen Socket.IO Redis adapter into `io` and returns the connections it opened, to close at shutdown.
 * The adapters need connections of their own: a subscriber cannot run other commands, and the streams adapter
 * blocks its reader on XREAD.
 */
export async function attachRedisAdapter(
  io: ParvisServer,
  url: string,
  kind: Config['socketAdapter'],
  onError: (err: unknown) => void,
): Promise<Redis[]> {
  if (kind === 'streams') {
    // Its reader blocks on XREAD for up to 5 s, longer than the command timeout allows.
    const client = handlePublishFailures(
      await connectRedis(url, onError, { enableOfflineQueue: true, commandTimeout: undefined }),
      onError,
    );
    io.adapter(createStreamsAdapter(client, { streamName: 'parvis:socket.io', maxLen: 10_000 }));
    return [client];
  }
  const pub = handlePublishFailures(await connectRedis(url, onError), onError);
  const sub = await connectRedis(url, onError, { enableOfflineQueue: true });
  io.adapter(createPubSubAdapter(pub, sub, { key: 'parvis:socket.io' }));
  return [pub, sub];
}
