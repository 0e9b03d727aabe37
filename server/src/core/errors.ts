import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { ErrorCode, type ErrorBody, type ErrorReason } from '#shared/protocol/errors';

/**
 * The one error the server answers with, from a service, a router or the socket gateway alike: a code of the protocol
 * and what goes with it. `toErrorBody` turns it into the body that HTTP answers and acks both carry.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryAfterMs?: number,
    /** Which moderator's rule refused it (slow mode, a timeout, a ban), for clients to say so. */
    readonly reason?: ErrorReason,
    /** A message per field of a refused form, keyed by its path (`title`, `speakers.0.name`). */
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/**
 * A form the domain refused field by field (`endsAt: must be after the start`, `id: is taken`): INVALID_PAYLOAD, or
 * CONFLICT when the value is fine but already used. The message lists the fields, for clients that show only one line.
 */
export class FieldError extends DomainError {
  constructor(
    fields: Record<string, string>,
    code: typeof ErrorCode.INVALID_PAYLOAD | typeof ErrorCode.CONFLICT = ErrorCode.INVALID_PAYLOAD,
  ) {
    super(
      code,
      Object.entries(fields)
        .map(([field, message]) => `${field}: ${message}`)
        .join('; '),
      undefined,
      undefined,
      fields,
    );
    this.name = 'FieldError';
  }
  declare readonly fields: Record<string, string>;
}

/** Turns a zod error into one readable line: "displayName: must not be empty". */
export function describeZodError(err: ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/** The first message for each field of a zod error, keyed by its path (`title`, `speakers.0.name`). */
export function zodFields(err: ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of err.issues) {
    const key = issue.path.join('.');
    if (key && !(key in fields)) fields[key] = issue.message;
  }
  return fields;
}

/** A payload its schema refused, as the error the edges answer: INVALID_PAYLOAD, with `fields` when it names any. */
export function invalidPayload(err: ZodError): DomainError {
  const fields = zodFields(err);
  return new DomainError(
    ErrorCode.INVALID_PAYLOAD,
    describeZodError(err),
    undefined,
    undefined,
    Object.keys(fields).length > 0 ? fields : undefined,
  );
}

/**
 * The body of an error answer, for an HTTP error and a refused ack alike: `{code, message, retryAfterMs?, reason?,
 * fields?}`. A `DomainError` says what went wrong; a stray `ZodError` is a refused payload; anything else is a bug,
 * logged here with `context` (the route or the socket event) and answered INTERNAL without its details.
 */
export function toErrorBody(err: unknown, log: Logger, context: Record<string, unknown>): ErrorBody {
  const known = err instanceof ZodError ? invalidPayload(err) : err;
  if (!(known instanceof DomainError)) {
    log.error({ err, ...context }, 'unhandled error');
    return { code: ErrorCode.INTERNAL, message: 'Internal error' };
  }
  const body: ErrorBody = { code: known.code, message: known.message };
  if (known.retryAfterMs !== undefined) body.retryAfterMs = known.retryAfterMs;
  if (known.reason !== undefined) body.reason = known.reason;
  if (known.fields !== undefined) body.fields = known.fields;
  return body;
}
