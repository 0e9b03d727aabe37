import { ErrorCode, type ErrorReason } from '#shared/protocol/errors';

/** A rule of the domain said no. Both the HTTP and the socket edges map it to its code. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryAfterMs?: number,
    /** Which moderator's rule refused it (slow mode, a timeout, a ban), for clients to say so. */
    readonly reason?: ErrorReason,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/**
 * A form the domain refused field by field (`endsAt: must be after the start`, `id: is taken`): INVALID_PAYLOAD, or
 * CONFLICT when the value is fine but already used. The edges send `fields` along so a UI can show each message next
 * to its field.
 */
export class FieldError extends DomainError {
  constructor(
    readonly fields: Record<string, string>,
    code: typeof ErrorCode.INVALID_PAYLOAD | typeof ErrorCode.CONFLICT = ErrorCode.INVALID_PAYLOAD,
  ) {
    super(
      code,
      Object.entries(fields)
        .map(([field, message]) => `${field}: ${message}`)
        .join('; '),
    );
    this.name = 'FieldError';
  }
}
