import { z } from 'zod';
import { DISPLAY_NAME_MESSAGES, displayNameProblem, normaliseDisplayName } from './display-name';

export {
  DISPLAY_NAME_MESSAGES,
  displayNameKey,
  displayNameProblem,
  normaliseDisplayName,
  type DisplayNameProblem,
} from './display-name';

/**
 * A person's role. In a token and on a socket it is the global one: `guest` (a name, no account), `staff` (an account
 * that may hold per-event roles) or `admin`. In an event (chat authors, the join ack) it is the effective one:
 * `admin`, then the per-event `moderator`, `speaker` or `captioner`, then `registrant` or `guest`.
 */
export const Role = z.enum(['guest', 'registrant', 'speaker', 'moderator', 'staff', 'admin', 'captioner']);
export type Role = z.infer<typeof Role>;

/**
 * A display name: normalised ({@link normaliseDisplayName}), 1–{@link DISPLAY_NAME_MAX_LENGTH} characters, with something visible in it, and no
 * control, invisible or direction-changing characters. The server checks a name with it on arrival; the client applies
 * the same rules (display-name.ts) before sending, without zod.
 */
export const DisplayName = z
  .string()
  .transform(normaliseDisplayName)
  .superRefine((name, ctx) => {
    const problem = displayNameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: DISPLAY_NAME_MESSAGES[problem], params: { problem } });
  });

export const User = z.object({
  id: z.string(),
  displayName: z.string(),
  role: Role,
});
export type User = z.infer<typeof User>;

/**
 * `POST /api/auth/guest`. `eventId` is the event the person is about to write in: the names of its staff (its
 * speakers, moderators and admins) are not theirs to take.
 */
export const GuestRequest = z.object({ displayName: DisplayName, eventId: z.string().min(1).max(100).optional() });
export type GuestRequest = z.infer<typeof GuestRequest>;

export interface AuthResponse {
  token: string;
  user: User;
}
