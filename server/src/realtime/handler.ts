import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Ack } from '#shared/protocol/ack';
import {
  clientEventSchemas,
  isClientEventName,
  type ClientEventName,
  type ClientResult,
  type ParsedPayload,
} from '#shared/protocol/client-events';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError, invalidPayload, toErrorBody } from '../core/errors';
import type { ParvisSocket } from './types';

/** Events Socket.IO itself raises on a socket, which a module may listen to; clients cannot send them. */
export type ReservedEvent = 'disconnecting';

/**
 * One listener for one event, made once per server and shared by every socket: Socket.IO (like any EventEmitter)
 * calls a listener with the socket as `this`. A closure per socket and per event would cost each idle viewer a few
 * hundred bytes for each of the twenty-odd events of the protocol.
 */
export interface SocketHandler {
  readonly event: ClientEventName | ReservedEvent;
  readonly listener: (this: ParvisSocket, ...args: unknown[]) => void;
}

/**
 * Declares the handler of a client → server event. The payload's schema comes from `clientEventSchemas`, so the
 * handler receives the payload as its schema parsed it, and must answer the ack `data` that `ClientToServerEvents`
 * declares: an event the protocol does not declare, or a wrong answer, does not compile.
 */
export type HandleFn = <E extends ClientEventName>(
  event: E,
  handler: (payload: ParsedPayload<E>, socket: ParvisSocket) => Promise<ClientResult<E>>,
) => void;

/** Declares a listener of an event Socket.IO raises (`disconnecting`), called with the socket. */
export type OnFn = (event: ReservedEvent, listener: (socket: ParvisSocket) => void) => void;

/**
 * Builds a module's socket handlers once, for every socket of the server. Every event declared with `handle` sits
 * behind its schema: whatever arrives, the sender gets a typed ack and nothing is thrown into Socket.IO, so a
 * malformed message never disconnects anyone.
 */
export function defineHandlers(log: Logger, define: (handle: HandleFn, on: OnFn) => void): SocketHandler[] {
  const handlers: SocketHandler[] = [];
  const handle: HandleFn = (event, handler) => {
    const schema: z.ZodType = clientEventSchemas[event];
    // Sound: `schema` parses into exactly the `ParsedPayload<E>` the handler takes.
    const run = handler as (payload: unknown, socket: ParvisSocket) => Promise<unknown>;
    handlers.push({
      event,
      listener(...args) {
        void answer(this, log, event, schema, run, args);
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

/**
 * The server's connection listener: gives each new socket every handler, and answers at once, with `NOT_FOUND`, an
 * event the protocol does not have, rather than leaving its sender to wait for a timeout. Throws when an event of the
 * protocol has no handler, or two, so a server missing one does not start.
 */
export function socketGateway(log: Logger, handlers: readonly SocketHandler[]): (socket: ParvisSocket) => void {
  const handled = new Set<string>();
  for (const { event } of handlers) {
    if (!isClientEventName(event)) continue;
    if (handled.has(event)) throw new Error(`Two socket handlers for ${event}`);
    handled.add(event);
  }
  const missing = Object.keys(clientEventSchemas).filter((event) => !handled.has(event));
  if (missing.length > 0) throw new Error(`No socket handler for ${missing.join(', ')}`);

  // Socket.IO calls "any" listeners before an event's own listeners, for every event: known events are left to theirs,
  // which answer them (an ack answers once, and the first answer would win).
  function unknownEvent(this: ParvisSocket, event: unknown, ...args: unknown[]): void {
    if (isClientEventName(event)) return;
    const ack = args.at(-1);
    if (typeof ack !== 'function') return;
    // Event names may be any string or number a client chose: quoted and cut short in the message.
    const shown = JSON.stringify(String(event).slice(0, 64));
    const error = new DomainError(ErrorCode.NOT_FOUND, `No event ${shown}`);
    (ack as (response: Ack<never>) => void)({ ok: false, error: toErrorBody(error, log, {}) });
  }

  return (socket) => {
    for (const { event, listener } of handlers) socket.on(event, listener);
    socket.onAny(unknownEvent);
  };
}

async function answer(
  socket: ParvisSocket,
  log: Logger,
  event: ClientEventName,
  schema: z.ZodType,
  handler: (payload: unknown, socket: ParvisSocket) => Promise<unknown>,
  args: unknown[],
): Promise<void> {
  const ack = args.at(-1);
  // Without a callback there is no one to answer; the protocol requires acks, so drop the message.
  if (typeof ack !== 'function') return;
  const reply = ack as (response: Ack<unknown>) => void;
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
