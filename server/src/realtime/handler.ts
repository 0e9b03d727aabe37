import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Ack } from '#shared/protocol/ack';
import { invalidPayload, toErrorBody } from '../core/errors';
import type { ParvisSocket } from './types';

/**
 * One listener for one event, made once per server and shared by every socket: Socket.IO (like any EventEmitter)
 * calls a listener with the socket as `this`. A closure per socket and per event would cost each idle viewer a few
 * hundred bytes for each of the twenty-odd events of the protocol.
 */
export interface SocketHandler {
  readonly event: string;
  readonly listener: (this: ParvisSocket, ...args: unknown[]) => void;
}

/** Declares a client → server event behind its zod schema; the handler gets the valid payload and the socket. */
export type HandleFn = <S extends z.ZodType, R>(
  event: string,
  schema: S,
  handler: (payload: z.infer<S>, socket: ParvisSocket) => Promise<R>,
) => void;

/** Declares a listener of a reserved event (`disconnecting`...), called with the socket. */
export type OnFn = (event: string, listener: (socket: ParvisSocket) => void) => void;

/**
 * Builds a module's socket handlers once, for every socket of the server. Every event declared with `handle` sits
 * behind its schema: whatever arrives, the sender gets a typed ack and nothing is thrown into Socket.IO, so a
 * malformed message never disconnects anyone.
 */
export function defineHandlers(log: Logger, define: (handle: HandleFn, on: OnFn) => void): SocketHandler[] {
  const handlers: SocketHandler[] = [];
  const handle: HandleFn = (event, schema, handler) => {
    handlers.push({
      event,
      listener(...args) {
        void answer(this, log, event, schema, handler, args);
      },
    });
  };
  const on: OnFn = (event, listener) => {
    handlers.push({
      event,
      listener() {
        listener(this);
      },
    });
  };
  define(handle, on);
  return handlers;
}

/** Gives a new socket the server's handlers. */
export function attachHandlers(socket: ParvisSocket, handlers: readonly SocketHandler[]): void {
  for (const { event, listener } of handlers) socket.on(event, listener);
}

async function answer<S extends z.ZodType, R>(
  socket: ParvisSocket,
  log: Logger,
  event: string,
  schema: S,
  handler: (payload: z.infer<S>, socket: ParvisSocket) => Promise<R>,
  args: unknown[],
): Promise<void> {
  const ack = args.at(-1);
  // Without a callback there is no one to answer; the protocol requires acks, so drop the message.
  if (typeof ack !== 'function') return;
  const reply = ack as (response: Ack<R>) => void;
  const parsed = schema.safeParse(args.length > 1 ? args[0] : undefined);
  if (!parsed.success) {
    reply({ ok: false, error: toErrorBody(invalidPayload(parsed.error), log, { event }) });
    return;
  }
  try {
    reply({ ok: true, data: await handler(parsed.data, socket) });
  } catch (err) {
    reply({ ok: false, error: toErrorBody(err, log, { event }) });
  }
}
