import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { RateLimiterMemory } from 'rate-limiter-flexible';
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
import { Presence } from './realtime/presence';
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
  const store = openSqliteStore(join(config.dataDir, 'parvis.sqlite'));
  const seeded = await ensureDemoProgramme(store, new Date());
  if (seeded !== 'kept') log.info(`demo programme ${seeded}`);

  const tokens = new TokenService(loadJwtSecret(config.jwtSecret, config.dataDir));
  const programme = new ProgrammeService(store);
  const chat = new ChatService(store, new RateLimiterMemory({ keyPrefix: 'chat', points: config.chatRateLimit, duration: 10 }));

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
  const presence = new Presence(io);
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
      presence.close();
      fanout.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      httpServer.closeAllConnections();
      await store.close();
    })());

  return { url, port, store, io, log, close };
}
