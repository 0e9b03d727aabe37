import { z } from 'zod';

/**
 * A person's role. In a token and on a socket it is the global one: `guest` (a name, no account), `staff` (an account
 * that may hold per-event roles) or `admin`. In an event (chat authors, the join ack) it is the effective one:
 * `admin`, then the per-event `moderator` or `speaker`, then `registrant` or `guest`.
 */
export const Role = z.enum(['guest', 'registrant', 'speaker', 'moderator', 'staff', 'admin']);
export type Role = z.infer<typeof Role>;

const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** A display name: trimmed, 1–40 characters, no control characters. */
export const DisplayName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(40, 'must be at most 40 characters')
  .refine((s) => !CONTROL_CHARS.test(s), 'must not contain control characters');

export const User = z.object({
  id: z.string(),
  displayName: z.string(),
  role: Role,
});
export type User = z.infer<typeof User>;

export const GuestRequest = z.object({ displayName: DisplayName });
export type GuestRequest = z.infer<typeof GuestRequest>;

export interface AuthResponse {
  token: string;
  user: User;
}
