import { randomUUID } from 'node:crypto';
import type { AuditEntry } from '#shared/domain/account';
import type { Store } from '../store/store';

/** What the audit log records. Every admin action, and every change of who may do what. */
export const AuditAction = {
  EVENT_CREATE: 'event.create',
  EVENT_UPDATE: 'event.update',
  EVENT_CANCEL: 'event.cancel',
  EVENT_DELETE: 'event.delete',
  EVENT_STATUS: 'event.status',
  SERIES_CREATE: 'series.create',
  SERIES_UPDATE: 'series.update',
  SERIES_DELETE: 'series.delete',
  INVITE_CREATE: 'invite.create',
  INVITE_REVOKE: 'invite.revoke',
  ROLE_GRANT: 'role.grant',
  ROLE_REVOKE: 'role.revoke',
  PASSWORD_CHANGE: 'account.password',
  ADMIN_SETUP: 'admin.setup',
  ADMIN_CREATE: 'admin.create',
  // Moderation of a live room (issue 5): target `event:<id>`, details say which question, message or person.
  QUESTION_MODERATE: 'question.moderate',
  CHAT_DELETE: 'chat.delete',
  CHAT_REVIEW: 'chat.review',
  SANCTION_TIMEOUT: 'moderation.timeout',
  SANCTION_BAN: 'moderation.ban',
  SANCTION_LIFT: 'moderation.lift',
  ROOM_CONFIGURE: 'room.configure',
  BACKSTAGE_NOTE: 'backstage.note',
  POLL_CREATE: 'poll.create',
  POLL_OPEN: 'poll.open',
  POLL_CLOSE: 'poll.close',
  POLL_DELETE: 'poll.delete',
  // Sign-up (issue 10): target `event:<id>`, details name the registration by id only (`registrationId`), never the
  // person: the audit log outlives the retention period of registrants' data.
  REGISTRATION_DESK: 'registration.desk',
  REGISTRATION_CANCEL: 'registration.cancel',
  REGISTRATION_PROMOTE: 'registration.promote',
  REGISTRATION_ATTENDANCE: 'registration.attendance',
  REGISTRATION_EMAIL: 'registration.email',
  REGISTRATION_SETTINGS: 'registration.settings',
  // Broadcasting from OBS (issue 11): target `event:<id>`. The key itself is never written in the log.
  INGEST_ROTATE: 'ingest.rotate',
  // The replay (issue 11): target `event:<id>`. Settings carry what changed (trimIn, trimOut, published, filmRights).
  REPLAY_SETTINGS: 'replay.settings',
  REPLAY_THUMBNAILS: 'replay.thumbnails',
  REPLAY_THUMBNAIL: 'replay.thumbnail',
  /** A moderator marked the end of a ciné-conférence's film: details `at`. */
  TALK_STARTS: 'replay.talk-starts',
  // Live captions (issue 12): target `event:<id>`. The ingest secret is never written in the log; an edit or removal
  // names the cue (`cueId`, `lang`).
  CAPTIONS_ROTATE: 'captions.rotate',
  CAPTION_EDIT: 'caption.edit',
  CAPTION_DELETE: 'caption.delete',
  // Help desks (issue 14): target `series:<id>` (details `title`, `slots`) and `event:<id>` (details `registrationId`
  // only, never the reader or the partner, as for sign-up).
  HELP_DESK_CREATE: 'help-desk.create',
  APPOINTMENT_ASSIGN: 'appointment.assign',
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

export interface Actor {
  id: string;
  displayName: string;
}

/** Appends who did what, when. The store keeps it; admins read it newest first. */
export class AuditLog {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** `target` names what was acted on: `event:<id>`, `series:<id>`, `invite:<id>`, `account:<id>`. */
  async record(actor: Actor, action: AuditAction, target: string, details: Record<string, unknown> = {}): Promise<void> {
    await this.store.audit.append({
      id: randomUUID(),
      at: this.now().toISOString(),
      actor: { id: actor.id, displayName: actor.displayName },
      action,
      target,
      details,
    });
  }

  list(options: { limit: number; before?: string | undefined }): Promise<AuditEntry[]> {
    return this.store.audit.list(options.before ? { limit: options.limit, before: options.before } : { limit: options.limit });
  }
}
