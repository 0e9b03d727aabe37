import { z } from 'zod';
import { EMAIL_MAX_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './limits';
import { DisplayName } from './user';

/**
 * Roles a person holds in one event. A moderator, speaker or captioner of event A has no power over event B. A
 * captioner sends the event's live captions (issue 12) and is staff of it without a moderator's powers.
 */
export const EventRole = z.enum(['moderator', 'speaker', 'captioner']);
export type EventRole = z.infer<typeof EventRole>;

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(EMAIL_MAX_LENGTH)
  .pipe(z.email({ message: 'must be an email address' }));

/** At least 10 characters; long passphrases are welcome, up to 200. */
export const Password = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`);

export const LoginRequest = z.object({ email: Email, password: z.string().min(1).max(PASSWORD_MAX_LENGTH) });
export type LoginRequest = z.infer<typeof LoginRequest>;

export const PasswordChangeRequest = z.object({ currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH), newPassword: Password });
export type PasswordChangeRequest = z.infer<typeof PasswordChangeRequest>;

/** A staff account as the API shows it (never with its password hash). */
export const Account = z.object({
  id: z.string(),
  email: z.string().nullable(),
  displayName: z.string(),
  isAdmin: z.boolean(),
  createdAt: z.iso.datetime(),
});
export type Account = z.infer<typeof Account>;

export const RoleGrant = z.object({
  eventId: z.string(),
  userId: z.string(),
  displayName: z.string(),
  role: EventRole,
  grantedAt: z.iso.datetime(),
});
export type RoleGrant = z.infer<typeof RoleGrant>;

export const InviteRequest = z.object({ role: EventRole });
export const InviteAcceptRequest = z.object({ token: z.string().min(1).max(4096), displayName: DisplayName });

export const Invite = z.object({
  id: z.string(),
  eventId: z.string(),
  role: EventRole,
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().nullable(),
  usedBy: z.string().nullable(),
  usedAt: z.iso.datetime().nullable(),
});
export type Invite = z.infer<typeof Invite>;

export const AuditEntry = z.object({
  id: z.string(),
  at: z.iso.datetime(),
  actor: z.object({ id: z.string(), displayName: z.string() }),
  /** e.g. `event.create`, `event.cancel`, `invite.create`, `role.revoke`. */
  action: z.string(),
  /** What was acted on, e.g. `event:rencontre-bd`. */
  target: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
