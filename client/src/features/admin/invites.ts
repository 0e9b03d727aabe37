import type { Invite } from '#shared/domain/account';

export type InviteState = 'pending' | 'used' | 'revoked' | 'expired';

/** Where an invitation stands at `now`: revoked and used win over expired, which only matters while pending. */
export function inviteState(invite: Invite, now: number): InviteState {
  if (invite.revokedAt) return 'revoked';
  if (invite.usedAt || invite.usedBy) return 'used';
  if (Date.parse(invite.expiresAt) <= now) return 'expired';
  return 'pending';
}

/** Newest first. */
export const byNewest = (a: Invite, b: Invite): number => b.createdAt.localeCompare(a.createdAt);
