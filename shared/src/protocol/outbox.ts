import { z } from 'zod';

/*
 * The admins' view of the outbox (`GET /api/admin/outbox`): the recent emails, whether they left, and why not. The
 * kinds are those of `server/src/store/outbox-store.ts` (`EmailKind`).
 */

/** `GET /api/admin/outbox?limit=&before=`: `before` is the id of the last email of the previous page. */
export const OutboxQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().min(1).max(100).optional(),
});
export type OutboxQuery = z.input<typeof OutboxQuery>;

export type OutboxEntryState = 'pending' | 'sending' | 'sent' | 'failed';

/** One email as the admin's outbox page lists it. */
export interface OutboxEntry {
  id: string;
  /** `confirmation`, `waitlisted`, `offer`, `offer-expired`, `reminder`, `cancelled`, `cancelled-by-library`, … */
  kind: string;
  to: string;
  language: 'fr' | 'en';
  eventId: string | null;
  registrationId: string | null;
  state: OutboxEntryState;
  /** Attempts begun so far (10 at most before `failed`). */
  attempts: number;
  /** Why the last attempt failed, or why the email was not sent at all (its person was erased…). */
  lastError: string | null;
  /** When it is (or was) due: after a failure, when it is tried again. */
  dueAt: string;
  createdAt: string;
  sentAt: string | null;
}

/** `GET /api/admin/outbox` */
export interface OutboxPage {
  emails: OutboxEntry[];
  /** `eml`: emails are written to files (no SMTP server), which `GET /api/admin/outbox/:id.eml` serves. */
  transport: 'smtp' | 'eml';
}
