import type { MailLanguage } from '#shared/domain/registration';

/*
 * The storage port of the outbox, reached as `store.outbox`: every email Parvis sends is a row here before anything
 * is acknowledged, and the sender (modules/mail) sends each row once across processes, with retries. SQLite and Redis
 * implement it in `sqlite/sqlite-outbox.ts` and `redis/redis-outbox.ts`; the contract suite is `outbox.contract.ts`.
 *
 * A row holds the intent (what happened, to whom, in which language), not the rendered email: the sender renders it
 * when it sends, from the registration and the event as they are then.
 */

export const EmailKind = {
  /** A seat is yours (signed up, offer accepted, promoted): with the .ics invitation. */
  CONFIRMATION: 'confirmation',
  /** You are on the waiting list, at this position. */
  WAITLISTED: 'waitlisted',
  /** A seat freed up: take it before the deadline. */
  OFFER: 'offer',
  /** Your offer ran out; the seat went to the next person. */
  OFFER_EXPIRED: 'offer-expired',
  /** The event is soon (payload `{lead: '24h' | '1h'}`); the last one carries the outside room's link. */
  REMINDER: 'reminder',
  /** You cancelled (or declined an offer). */
  CANCELLED: 'cancelled',
  /** The library cancelled your registration. */
  CANCELLED_BY_LIBRARY: 'cancelled-by-library',
  /** The library changed the event (time, place): with the updated .ics. */
  EVENT_CHANGED: 'event-changed',
  /** The library cancelled the event: with a METHOD:CANCEL .ics. */
  EVENT_CANCELLED: 'event-cancelled',
  /** A message from the library to every confirmed registrant (payload `{subject, body}`). */
  BROADCAST: 'broadcast',
  /**
   * A help-desk appointment was given to a partner (payload `{role: 'reader' | 'partner' | 'librarian',
   * partnerPersonId}`): who, when and how, with the .ics invitation. Rendered by modules/appointments.
   */
  APPOINTMENT: 'appointment',
  /** The appointment is soon (payload as APPOINTMENT, plus `{lead}`), to each of the three. */
  APPOINTMENT_REMINDER: 'appointment-reminder',
} as const;
export type EmailKind = (typeof EmailKind)[keyof typeof EmailKind];
/** The emails of help-desk appointments, which modules/appointments writes. */
export type AppointmentEmailKind = typeof EmailKind.APPOINTMENT | typeof EmailKind.APPOINTMENT_REMINDER;
export const isAppointmentEmail = (kind: EmailKind): kind is AppointmentEmailKind =>
  kind === EmailKind.APPOINTMENT || kind === EmailKind.APPOINTMENT_REMINDER;

export interface OutboxIntent {
  /**
   * What makes the email unique (`confirmation:<registrationId>`, `reminder:1h:<registrationId>`): enqueueing an
   * intent whose key is already in the outbox stores nothing new.
   */
  dedupeKey: string;
  kind: EmailKind;
  /** The address, lower-case. */
  to: string;
  language: MailLanguage;
  personId: string | null;
  registrationId: string | null;
  eventId: string | null;
  /** Kind-specific data (`{lead}`, `{subject, body}`, `{position}`, `{changes}`). */
  payload: Record<string, unknown>;
  /** Not sent before this instant. */
  dueAt: string;
}

export type OutboxState = 'pending' | 'sending' | 'sent' | 'failed';

export interface OutboxRecord extends OutboxIntent {
  id: string;
  state: OutboxState;
  /** Send attempts begun so far. */
  attempts: number;
  /** While `sending`: the claim holds until then; past it another process may take the row again. */
  leaseUntil: string | null;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface OutboxStore {
  /** Stores the intents whose `dedupeKey` is new, in one step; answers every intent's row (new or already there). */
  enqueue(intents: readonly OutboxIntent[], now: string): Promise<OutboxRecord[]>;
  /**
   * Claims up to `limit` rows to send, atomically across processes: `pending` rows due at `now`, and `sending` rows
   * whose lease ran out (a process died mid-send). They become `sending` with `leaseUntil = now + leaseMs`, and
   * `attempts` goes up. Oldest due first.
   */
  claimDue(now: string, leaseMs: number, limit: number): Promise<OutboxRecord[]>;
  /** The email left: `sent`. Only if the row is still `sending` under this attempt (a late sender changes nothing). */
  markSent(id: string, attempt: number, at: string): Promise<void>;
  /**
   * The attempt failed: back to `pending` until `retryAt`, or `failed` for good when `retryAt` is null. Only if the row
   * is still `sending` under this attempt.
   */
  markFailed(id: string, attempt: number, error: string, retryAt: string | null): Promise<void>;
  get(id: string): Promise<OutboxRecord | undefined>;
  /** Newest first, for the admins' outbox page; `before` is the id of the last row of the previous page. */
  list(options: { limit: number; before?: string }): Promise<OutboxRecord[]>;
  /** Deletes sent and failed rows created before `cutoff` (they hold addresses); answers how many. */
  pruneBefore(cutoff: string): Promise<number>;
}
