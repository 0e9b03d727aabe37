import { ApiError } from '../../app/api-client';

/** Why an invitation link cannot be used, as the page tells it. */
export type InviteProblem =
  | { kind: 'missing' | 'not-found' | 'used' | 'revoked' | 'expired' }
  | { kind: 'unusable'; message: string }
  | { kind: 'other'; error: unknown };

/**
 * Reads the server's refusal of an invitation. It answers NOT_FOUND for a token it does not know (or that is not
 * its own: a bad signature), and CONFLICT for one used, revoked or expired, saying which in its message.
 */
export function inviteProblem(error: unknown): InviteProblem {
  if (!(error instanceof ApiError)) return { kind: 'other', error };
  switch (error.code) {
    case 'NOT_FOUND':
    case 'UNAUTHENTICATED':
    case 'INVALID_PAYLOAD':
      return { kind: 'not-found' };
    case 'CONFLICT':
    case 'FORBIDDEN': {
      const message = error.message.toLowerCase();
      if (/revoked|révoqu/.test(message)) return { kind: 'revoked' };
      if (/expired|expir/.test(message)) return { kind: 'expired' };
      if (/used|accepted|utilis|accept/.test(message)) return { kind: 'used' };
      return { kind: 'unusable', message: error.message };
    }
    default:
      return { kind: 'other', error };
  }
}

/** The token of an invitation link, from the fragment of `/invite#<token>`; empty when there is none. */
export function tokenFromHash(hash: string): string {
  const raw = hash.replace(/^#/, '').trim();
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
