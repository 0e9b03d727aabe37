import { describe, expect, it } from 'vitest';
import { ApiError } from '../../app/api-client';
import { inviteProblem, tokenFromHash } from './invite-errors';

describe('inviteProblem', () => {
  it('tells an unknown link from one used, revoked or expired', () => {
    expect(inviteProblem(new ApiError('NOT_FOUND', 'No such invitation', 404))).toEqual({ kind: 'not-found' });
    expect(inviteProblem(new ApiError('CONFLICT', 'This invitation has already been used', 409))).toEqual({ kind: 'used' });
    expect(inviteProblem(new ApiError('CONFLICT', 'This invitation was revoked', 409))).toEqual({ kind: 'revoked' });
    expect(inviteProblem(new ApiError('CONFLICT', 'This invitation has expired', 409))).toEqual({ kind: 'expired' });
  });

  it('keeps the server message of a conflict it cannot place', () => {
    expect(inviteProblem(new ApiError('CONFLICT', 'The event is over', 409))).toEqual({ kind: 'unusable', message: 'The event is over' });
  });

  it('leaves network trouble to the generic messages', () => {
    const error = new ApiError('NETWORK', 'offline');
    expect(inviteProblem(error)).toEqual({ kind: 'other', error });
  });
});

describe('tokenFromHash', () => {
  it('reads the token after the #', () => {
    expect(tokenFromHash('#eyJhbGciOiJIUzI1NiJ9.eyJpIjoxfQ.sig')).toBe('eyJhbGciOiJIUzI1NiJ9.eyJpIjoxfQ.sig');
    expect(tokenFromHash('#abc%2Bdef')).toBe('abc+def');
    expect(tokenFromHash('')).toBe('');
    expect(tokenFromHash('#%E0%A4%A')).toBe('%E0%A4%A');
  });
});
