import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { eventRoom } from '#shared/protocol/events';
import { createApp } from './app';
import type { Config } from './config';
import { loadJwtSecret } from './modules/access/jwt-secret';
import { TokenService } from './modules/access/token.service';
import { ChatFanout } from './modules/chat/chat-fanout';
import { ChatService } from './modules/chat/chat.service';
import { registerChatHandlers } from './modules/chat/chat.socket';
import { ensureDemoProgramme } from './modules/programme/demo-programme';
import { ProgrammeService } from './modules/programme/programme.service';
import { registerRoomHandlers } from './modules/programme/room.socket';
import { createIo } from './realtime/io';
import { ClusterPresence, LocalPresence, type Presence } from './realtime/presence';
import { attachRedisAdapter, connectRedis } from './realtime/redis-adapter';
import { openRedisStore } from './store/redis/redis-store';
import type { ParvisServer } from './realtime/types';
import { openSqliteStore } from './store/sqlite/sqlite-store';
import type { Store } from './store/store';

export interface RunningParvis {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  store: Store;
  io: ParvisServer;
  log: Logger;
  close(): Promise<void>;
}

/**
 * The composition root: config → store → services → HTTP app and Socket.IO → listen. Tests call it with port 0
 * and a temporary data directory; main.ts calls it with the environment's config.
 */
export async function startParvis(config: Config, log: Logger = pino({ level: config.logLevel })): Promise<RunningParvis> {
  const redisUrl = config.redisUrl;
  // ioredis reports every failed reconnect; one line per outage is enough for the log.
  let redisDown = false;
  const onRedisError = (err: unknown) => {
    if (redisDown) return;
    redisDown = true;
    log.error({ err }, 'Redis is unreachable; requests get UNAVAILABLE until it is back');
  };
  const onRedisReady = () => {
    if (redisDown) log.info('Redis is reachable again');
    redisDown = false;
  };

  const store: Store = redisUrl
    ? await openRedisStore(redisUrl, { onConnectionError: onRedisError })
    : openSqliteStore(join(config.dataDir, 'parvis.sqlite'));
  // Rate limits, viewer counts and the adapter share one more connection: Redis serves many clients cheaply, and
  // the store keeps its own so that its fail-fast settings apply to it alone.
  const redis: Redis | undefined = redisUrl ? await connectRedis(redisUrl, onRedisError) : undefined;
  redis?.on('ready', onRedisReady);
  const seeded = await ensureDemoProgramme(store, new Date());
  if (seeded !== 'kept') log.info(`demo programme ${seeded}`);

  const tokens = new TokenService(loadJwtSecret(config.jwtSecret, config.dataDir));
  const programme = new ProgrammeService(store);
  const chatLimit = { keyPrefix: 'parvis:rate:chat', points: config.chatRateLimit, duration: 10 };
  const limiter: RateLimiterAbstract = redis
    ? new RateLimiterRedis({ ...chatLimit, storeClient: redis, rejectIfRedisNotReady: true })
    : new RateLimiterMemory(chatLimit);
  const chat = new ChatService(store, limiter);

  const app = createApp({
    programme,
    tokens,
    mediaDir: config.mediaDir,
    clientDir: config.clientDir,
    mediaOrigins: config.mediaOrigins,
    log,
  });
  const httpServer = createServer(app);
  const io = createIo(httpServer, { tokens, allowedOrigins: [config.publicOrigin], log });
  const adapterClients = redisUrl
    ? await attachRedisAdapter(io, redisUrl, config.socketAdapter, onRedisError)
    : [];
  const nodeId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const presence: Presence = redis ? new ClusterPresence(io, redis, nodeId, log) : new LocalPresence(io);
  const fanout = new ChatFanout((eventId, messages) => io.to(eventRoom(eventId)).emit('chat:messages', { eventId, messages }));

  io.on('connection', (socket) => {
    registerRoomHandlers(io, socket, { programme, chat, presence, log });
    registerChatHandlers(io, socket, { programme, chat, fanout, log });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await presence.close();
      fanout.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      httpServer.closeAllConnections();
      await store.close();
      for (const client of [...adapterClients, redis]) client?.disconnect();
    })());

  return { url, port, store, io, log, close };
}
