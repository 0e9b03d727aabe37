import type { RoomSettings, Sanction } from '#shared/domain/moderation';
import { isRoomStaff } from '#shared/domain/staff';
import type { Role } from '#shared/domain/user';
import type { ErrorBody } from '#shared/protocol/errors';

/** Why the person cannot send right now, and until when (ms since the epoch). */
export type ChatBlock = { kind: 'timeout'; until: number } | { kind: 'slow-mode'; until: number };

/** Slow mode holds this person back: it is on, and they do not run the room (moderators and admins are exempt). */
export function slowModeFor(settings: RoomSettings | null, role: Role | null): number {
  const seconds = settings?.slowModeSeconds ?? 0;
  return seconds > 0 && !isRoomStaff(role) ? seconds : 0;
}

/** What a refusal of the server says about waiting, or null when it is not about a moderator's rule. */
export function blockFromRefusal(error: ErrorBody, now: number): ChatBlock | null {
  const wait = error.retryAfterMs ?? 0;
  if (error.reason === 'slow-mode' && wait > 0) return { kind: 'slow-mode', until: now + wait };
  if (error.reason === 'timed-out' && wait > 0) return { kind: 'timeout', until: now + wait };
  return null;
}

/**
 * The block in force at `now`: the person's timeout (from the room) first, then a wait learnt from the server or
 * from slow mode after one's own message; null once both are over.
 */
export function currentBlock(sanction: Sanction | null, learnt: ChatBlock | null, now: number): ChatBlock | null {
  const timeoutUntil = sanction?.kind === 'timeout' && sanction.until ? Date.parse(sanction.until) : 0;
  if (timeoutUntil > now) return { kind: 'timeout', until: timeoutUntil };
  if (learnt && learnt.until > now) return learnt;
  return null;
}

/** Whole seconds left until `until`, at least 1 while any time is left. */
export const secondsLeft = (until: number, now: number): number => Math.max(0, Math.ceil((until - now) / 1000));
