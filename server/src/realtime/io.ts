import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import { ErrorCode } from '#shared/protocol/errors';
import type { TokenService } from '../modules/access/token.service';
import { DomainError } from '../modules/errors';
import type { ParvisServer, ParvisSocket } from './types';

/** Small on purpose: the largest legitimate message is a 500-character chat line. */
export const MAX_HTTP_BUFFER_SIZE = 16 * 1024;

export interface IoOptions {
  tokens: TokenService;
  /** Origins allowed to open a socket from a browser, besides same-origin. */
  allowedOrigins: string[];
  log: Logger;
}

export function createIo(httpServer: HttpServer, opts: IoOptions): ParvisServer {
  const io: ParvisServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_HTTP_BUFFER_SIZE,
    cors: { origin: opts.allowedOrigins },
    serveClient: false,
    pingInterval: 20_000,
    pingTimeout: 20_000,
  });

  // Handshake: a token makes a known person; no token makes a read-only viewer; a bad token is refused outright,
  // so a client never believes it can chat when it cannot.
  io.use((socket, next) => {
    const token = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
    if (token === undefined || token === null || token === '') {
      socket.data.user = null;
      return next();
    }
    try {
      socket.data.user = opts.tokens.verify(token);
      next();
    } catch (err) {
      const refusal = new Error(err instanceof DomainError ? err.message : 'Invalid token') as Error & {
        data: { code: string };
      };
      refusal.data = { code: ErrorCode.UNAUTHENTICATED };
      next(refusal);
    }
  });

  return io;
}

export type ConnectionHandler = (io: ParvisServer, socket: ParvisSocket) => void;
