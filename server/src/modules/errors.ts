import type { ErrorCode } from '#shared/protocol/errors';

/** A rule of the domain said no. Both the HTTP and the socket edges map it to its code. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
