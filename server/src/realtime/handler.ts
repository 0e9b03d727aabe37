import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Ack } from '#shared/protocol/ack';
import { ErrorCode } from '#shared/protocol/errors';
import { describeZodError } from '../http/http-error';
import { DomainError } from '../modules/errors';
import type { ParvisSocket } from './types';

/**
 * Registers a client → server event behind its zod schema. Whatever arrives, the sender gets a typed ack and nothing
 * is thrown into Socket.IO: a malformed message never disconnects anyone.
 */
export function handle<S extends z.ZodType, R>(
  socket: ParvisSocket,
  log: Logger,
  event: string,
  schema: S,
  handler: (payload: z.infer<S>) => Promise<R>,
): void {
  socket.on(event, async (...args: unknown[]) => {
    const ack = args.at(-1);
    // Without a callback there is no one to answer; the protocol requires acks, so drop the message.
    if (typeof ack !== 'function') return;
    const reply = ack as (response: Ack<R>) => void;
    const parsed = schema.safeParse(args.length > 1 ? args[0] : undefined);
    if (!parsed.success) {
      reply({ ok: false, error: { code: ErrorCode.INVALID_PAYLOAD, message: describeZodError(parsed.error) } });
      return;
    }
    try {
      reply({ ok: true, data: await handler(parsed.data) });
    } catch (err) {
      if (err instanceof DomainError) {
        reply({
          ok: false,
          error: {
            code: err.code,
            message: err.message,
            ...(err.retryAfterMs !== undefined && { retryAfterMs: err.retryAfterMs }),
            ...(err.reason !== undefined && { reason: err.reason }),
          },
        });
      } else {
        log.error({ err, event }, 'unhandled error in socket handler');
        reply({ ok: false, error: { code: ErrorCode.INTERNAL, message: 'Internal error' } });
      }
    }
  });
}
