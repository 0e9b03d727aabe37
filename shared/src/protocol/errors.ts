import type { RoomRefusal } from '../domain/room';

/** Error codes shared by HTTP error bodies and Socket.IO acks. */
export const ErrorCode = {
  INVALID_PAYLOAD: 'INVALID_PAYLOAD',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  RATE_LIMITED: 'RATE_LIMITED',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNAVAILABLE: 'UNAVAILABLE',
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** HTTP status that goes with each code. */
export const httpStatusOf: Record<ErrorCode, number> = {
  INVALID_PAYLOAD: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** Present with RATE_LIMITED: how long to wait before trying again. */
  retryAfterMs?: number;
  /**
   * With INVALID_PAYLOAD from a form: a message per field, keyed by its path (`title`, `speakers.0.name`), so a UI can
   * show each next to its field.
   */
  fields?: Record<string, string>;
  /**
   * Why a chat message, question or vote was refused when a rule of the room did it: `slow-mode` (RATE_LIMITED, with
   * `retryAfterMs`), `timed-out` (FORBIDDEN, with `retryAfterMs` until the timeout ends), `banned` (FORBIDDEN), or
   * `event-closed` (FORBIDDEN: the event has ended or was cancelled, see `shared/src/domain/writing.ts`).
   *
   * Sign-up (CONFLICT): `full` (no seat left and no waiting list), `closed` (not open to sign-up: not a registration
   * event, cancelled, started or ended), `offer-expired` (the held seat went to the next person), `not-offered` (the
   * registration holds no offer to accept or decline).
   *
   * Rooms (`GET /api/events/:id/room`): the `RoomRefusal`s of shared/src/domain/room.ts (`not-registered`,
   * `waitlisted`, `too-early`, `room-ended`, `not-a-room`, `by-phone`, `rooms-unavailable`, `removed`), each with the
   * code documented there.
   */
  reason?: ErrorReason;
}

export type ErrorReason =
  | 'slow-mode'
  | 'timed-out'
  | 'banned'
  | 'event-closed'
  | 'full'
  | 'closed'
  | 'offer-expired'
  | 'not-offered'
  | RoomRefusal;
