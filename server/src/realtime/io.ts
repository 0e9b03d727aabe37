import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import { ErrorCode } from '#shared/protocol/errors';
import type { Principal } from '../modules/access/token.service';
import { DomainError } from '../core/errors';
import { ADMINS_ROOM, tokenRoom, userRoom } from './rooms';
import { encodeAcksOnce } from './ack-encoder';
import type { ConnectionCap } from './connection-cap';
import type { ParvisServer, ParvisSocket } from './types';

/** Small on purpose: the largest legitimate message is a 500-character chat line. */
export const MAX_HTTP_BUFFER_SIZE = 16 * 1024;

/** setTimeout cannot wait longer than this (about 24.8 days); no token lives that long. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface IoOptions {
  /** Verifies a handshake token, revocation included (the auth service). */
  authenticate(token: unknown): Promise<Principal>;
  /** Origins a browser may open a socket from: PUBLIC_ORIGIN and ALLOWED_ORIGINS. */
  allowedOrigins: string[];
  /** The client's address of a handshake, as the limits per address count it (TRUST_PROXY applies). */
  addressOf(req: IncomingMessage): string;
  /** Sockets per address (SOCKETS_PER_ADDRESS). */
  connections: ConnectionCap;
  log: Logger;
}

/**
 * Whether a handshake may proceed, judged on its `Origin` before anything else: a page of another site must not open a
 * socket in its visitor's name (cross-site WebSocket hijacking), whatever CORS says. Requests without an Origin come
 * from tools, not from browsers, and are let through.
 */
export function originAllowed(allowed: ReadonlySet<string>, req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  return origin === undefined || allowed.has(origin);
}

/**
 * JSONP polling (`?j=`) runs as a `<script>` that any page may include, and a script request carries no `Origin`:
 * it would pass the check above as if it came from a tool. No supported browser needs JSONP, so it is refused.
 */
export function isJsonp(req: IncomingMessage): boolean {
  return new URL(req.url ?? '/', 'http://parvis').searchParams.has('j');
}

export function createIo(httpServer: HttpServer, opts: IoOptions): ParvisServer {
  const allowed = new Set(opts.allowedOrigins);
  const io: ParvisServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_HTTP_BUFFER_SIZE,
    cors: { origin: opts.allowedOrigins },
    allowRequest: (req, callback) => {
      if (isJsonp(req)) return callback('JSONP polling is not supported', false);
      if (originAllowed(allowed, req)) return callback(null, true);
      opts.log.debug({ origin: req.headers.origin }, 'refused a socket handshake from another origin');
      callback('Origin not allowed', false);
    },
    serveClient: false,
    // parvis.ts answers the other upgrades (/janus, see modules/rooms): engine.io must not end them meanwhile.
    destroyUpgrade: false,
    // No connectionStateRecovery, on purpose: a recovered session skips the handshake middleware, and a person whose
    // token was revoked must not slip back in with their old rooms. Clients rejoin with `since` instead.
    pingInterval: 20_000,
    pingTimeout: 20_000,
  });
  encodeAcksOnce(io);

  const principals = new WeakMap<ParvisSocket, Principal>();

  // Handshake: a token makes a known person; no token makes a read-only viewer; a bad or revoked token is refused
  // outright, so a client never believes it can chat when it cannot.
  io.use((socket, next) => {
    socket.data.address = opts.addressOf(socket.request);
    const token = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
    if (token === undefined || token === null || token === '') {
      socket.data.user = null;
      return next();
    }
    opts.authenticate(token).then(
      (principal) => {
        socket.data.user = principal.user;
        principals.set(socket, principal);
        next();
      },
      (err: unknown) => {
        if (!(err instanceof DomainError)) opts.log.warn({ err }, 'could not check a handshake token');
        const refusal = new Error(err instanceof DomainError ? err.message : 'The token could not be checked') as Error & {
          data: { code: string };
        };
        refusal.data = { code: err instanceof DomainError ? err.code : ErrorCode.UNAVAILABLE };
        next(refusal);
      },
    );
  });

  // Last, so that a socket counted here is one that connects: nothing after it can refuse it.
  io.use((socket, next) => {
    const { address } = socket.data;
    void opts.connections.admit(address, socket.id).then((admitted) => {
      if (!admitted) {
        const tooMany = new Error('Too many connections from your network: close a few tabs, or try again later');
        return next(Object.assign(tooMany, { data: { code: ErrorCode.RATE_LIMITED } }));
      }
      // Gone while it was counted: Socket.IO drops it without a disconnect event, so give the place back here.
      if (socket.conn.readyState !== 'open') {
        opts.connections.release(address, socket.id);
        return next();
      }
      socket.once('disconnect', () => opts.connections.release(address, socket.id));
      next();
    });
  });

  io.on('connection', (socket) => {
    const principal = principals.get(socket);
    if (!principal) return;
    const rooms = [userRoom(principal.user.id), tokenRoom(principal.jti)];
    if (principal.user.role === 'admin') rooms.push(ADMINS_ROOM);
    void socket.join(rooms);
    // The token is checked again when it expires: the socket then drops, and the client renews and reconnects.
    const timer = setTimeout(
      () => {
        socket.emit('auth:expired', {});
        socket.disconnect(true);
      },
      Math.min(MAX_TIMER_MS, Math.max(0, principal.exp * 1000 - Date.now())),
    );
    socket.once('disconnect', () => clearTimeout(timer));
  });

  return io;
}

export type ConnectionHandler = (io: ParvisServer, socket: ParvisSocket) => void;
