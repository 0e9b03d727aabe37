import type { Invite } from '#shared/domain/account';
import { describe, expect, it } from 'vitest';
import { inviteState } from './invites';

const NOW = Date.parse('2026-11-25T12:00:00.000Z');
const invite = (patch: Partial<Invite>): Invite => ({
  id: 'i1',
  eventId: 'e1',
  role: 'moderator',
  createdBy: 'a1',
  createdAt: '2026-11-24T12:00:00.000Z',
  expiresAt: '2026-12-01T12:00:00.000Z',
  revokedAt: null,
  usedBy: null,
  usedAt: null,
  ...patch,
});

describe('inviteState', () => {
  it('is pending until used, revoked or expired', () => {
    expect(inviteState(invite({}), NOW)).toBe('pending');
    expect(inviteState(invite({ usedBy: 'u2', usedAt: '2026-11-25T10:00:00.000Z' }), NOW)).toBe('used');
    expect(inviteState(invite({ revokedAt: '2026-11-25T10:00:00.000Z' }), NOW)).toBe('revoked');
    expect(inviteState(invite({ expiresAt: '2026-11-25T11:59:59.000Z' }), NOW)).toBe('expired');
  });

  it('says used rather than expired for an invitation accepted in time', () => {
    expect(inviteState(invite({ usedBy: 'u2', usedAt: '2026-11-24T13:00:00.000Z', expiresAt: '2026-11-25T00:00:00.000Z' }), NOW)).toBe('used');
  });
});
