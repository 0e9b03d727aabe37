import { createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import type { User } from '#shared/domain/user';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../../core/errors';

export const JWT_ISSUER = 'parvis';
export const JWT_AUDIENCE = 'parvis';
/** Invite links are signed with the same key for another audience, so one can never pass for an access token. */
export const INVITE_AUDIENCE = 'parvis-invite';
/** Personal links of people who signed up (`/me#<token>`), and their calendar feeds: other audiences again. */
export const PERSON_AUDIENCE = 'parvis-person';
export const FEED_AUDIENCE = 'parvis-feed';
/** A personal link works for a year, or until the person's links are revoked (their `linkEpoch` goes up). */
export const PERSON_LINK_TTL_SECONDS = 366 * 24 * 60 * 60;
/** Staff access tokens are short-lived; the refresh cookie renews them. */
export const ACCESS_TTL_SECONDS = 15 * 60;
/** Guest tokens carry a name and no power, so they may live for an evening. */
export const GUEST_TTL_SECONDS = 12 * 60 * 60;

/**
 * A registrant's live-room token lasts an evening, like a guest's; whether it still lets them in is read from their
 * registration at each join, so a cancelled or erased registration closes the door at once.
 */
export const REGISTRANT_TTL_SECONDS = GUEST_TTL_SECONDS;
/** The user id of a registrant in the live room: the person's id behind this prefix (see {@link personIdOf}). */
export const REGISTRANT_ID_PREFIX = 'person_';

/**
 * The roles a token can carry. Per-event roles are never in a token: they are looked up for each action. `registrant`
 * is a person who signed up, in their registered name: which events they may enter is looked up too.
 */
const TokenRole = z.enum(['guest', 'registrant', 'staff', 'admin']);

/** The person behind a registrant's live-room identity, or null for anyone else. */
export function personIdOf(user: User | null): string | null {
  if (!user || user.role !== 'registrant' || !user.id.startsWith(REGISTRANT_ID_PREFIX)) return null;
  return user.id.slice(REGISTRANT_ID_PREFIX.length);
}

const AccessClaims = z.object({
  sub: z.string().min(1).max(100),
  name: z.string().min(1).max(100),
  role: TokenRole,
  jti: z.string().min(1).max(100),
  iat: z.number().int(),
  exp: z.number().int(),
});

/** A verified access token: the person, and the token's id and lifetime (in seconds) for revocation and expiry. */
export interface Principal {
  user: User;
  jti: string;
  iat: number;
  exp: number;
}

export interface IssuedToken {
  token: string;
  principal: Principal;
}

const VERIFY_BASE = { algorithms: ['HS256'] as jwt.Algorithm[], issuer: JWT_ISSUER };

/**
 * Signs and verifies the JWTs of Parvis: access tokens (guests and staff) and invite links. The algorithm, issuer and
 * audience are pinned both ways. Revocation needs the store and lives in the auth service.
 */
export class TokenService {
  /**
   * JWT_SECRET as a key object, made once: given a string, jsonwebtoken first tries to parse it as a PEM key (and
   * throws) on every sign and verify, which costs over a millisecond each time; the tokens are the same bytes.
   */
  private readonly secret: KeyObject;

  constructor(
    secret: string,
    private readonly now: () => number = Date.now,
  ) {
    this.secret = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  issueGuest(displayName: string): { token: string; user: User } {
    const user: User = { id: `guest_${randomUUID()}`, displayName, role: 'guest' };
    return { token: this.issue(user, GUEST_TTL_SECONDS).token, user };
  }

  /** A live-room token for a person who signed up, in their registered name (`POST /api/auth/registrant`). */
  issueRegistrant(personId: string, name: string): { token: string; user: User } {
    const user: User = { id: `${REGISTRANT_ID_PREFIX}${personId}`, displayName: name, role: 'registrant' };
    return { token: this.issue(user, REGISTRANT_TTL_SECONDS).token, user };
  }

  /**
   * @param notBefore the earliest `iat` allowed (seconds): a person's tokens issued at or before their revocation
   *   time are refused, so a token issued in that same second must carry a later `iat`.
   */
  issue(user: User, ttlSeconds: number, notBefore = 0): IssuedToken {
    const iat = Math.max(Math.floor(this.now() / 1000), notBefore);
    const principal: Principal = { user, jti: randomUUID(), iat, exp: iat + ttlSeconds };
    const token = jwt.sign(
      { sub: user.id, name: user.displayName, role: user.role, jti: principal.jti, iat, exp: principal.exp },
      this.secret,
      { algorithm: 'HS256', issuer: JWT_ISSUER, audience: JWT_AUDIENCE },
    );
    return { token, principal };
  }

  /** Checks the signature, the claims and the lifetime; throws UNAUTHENTICATED. Does not check revocation. */
  verify(token: unknown): Principal {
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'A token must be a non-empty string');
    }
    let payload: jwt.JwtPayload | string;
    try {
      payload = jwt.verify(token, this.secret, { ...VERIFY_BASE, audience: JWT_AUDIENCE });
    } catch (err) {
      const reason = err instanceof jwt.TokenExpiredError ? 'expired' : 'invalid';
      throw new DomainError(ErrorCode.UNAUTHENTICATED, `The token is ${reason}`);
    }
    const claims = AccessClaims.safeParse(payload);
    if (!claims.success) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The token does not name a person');
    const { sub, name, role, jti, iat, exp } = claims.data;
    return { user: { id: sub, displayName: name, role }, jti, iat, exp };
  }

  /** The token of an invite link: `{purpose:'invite', jti}` for the invite audience, expiring with the invite. */
  signInvite(inviteId: string, expiresAt: Date): string {
    return jwt.sign({ purpose: 'invite', exp: Math.floor(expiresAt.getTime() / 1000) }, this.secret, {
      algorithm: 'HS256',
      issuer: JWT_ISSUER,
      audience: INVITE_AUDIENCE,
      jwtid: inviteId,
    });
  }

  /** The invite id of a link's token; NOT_FOUND when it is not one of ours, CONFLICT when it has expired. */
  verifyInvite(token: string): string {
    let payload: jwt.JwtPayload | string;
    try {
      payload = jwt.verify(token, this.secret, { ...VERIFY_BASE, audience: INVITE_AUDIENCE });
    } catch (err) {
      if (err instanceof jwt.TokenExpiredError) throw new DomainError(ErrorCode.CONFLICT, 'This invitation has expired');
      throw new DomainError(ErrorCode.NOT_FOUND, 'This invitation link is not valid');
    }
    if (typeof payload !== 'object' || payload.purpose !== 'invite' || typeof payload.jti !== 'string') {
      throw new DomainError(ErrorCode.NOT_FOUND, 'This invitation link is not valid');
    }
    return payload.jti;
  }

  /**
   * The token of a person's personal link (`purpose: 'person'`) or calendar feed (`purpose: 'feed'`): the person's id
   * and the link epoch it was given under, so that raising the epoch voids it. Feeds do not expire (calendar apps keep
   * polling them for months); links last {@link PERSON_LINK_TTL_SECONDS}.
   */
  signPerson(personId: string, epoch: number, purpose: 'person' | 'feed'): string {
    return jwt.sign({ purpose, epoch }, this.secret, {
      algorithm: 'HS256',
      issuer: JWT_ISSUER,
      audience: purpose === 'person' ? PERSON_AUDIENCE : FEED_AUDIENCE,
      subject: personId,
      ...(purpose === 'person' && { expiresIn: PERSON_LINK_TTL_SECONDS }),
    });
  }

  /** The person and epoch of a personal-link or feed token; UNAUTHENTICATED when it is not a valid one. */
  verifyPerson(token: unknown, purpose: 'person' | 'feed'): { personId: string; epoch: number } {
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'This personal link is not valid');
    }
    let payload: jwt.JwtPayload | string;
    try {
      payload = jwt.verify(token, this.secret, {
        ...VERIFY_BASE,
        audience: purpose === 'person' ? PERSON_AUDIENCE : FEED_AUDIENCE,
        clockTimestamp: Math.floor(this.now() / 1000),
      });
    } catch (err) {
      const reason = err instanceof jwt.TokenExpiredError ? 'has expired' : 'is not valid';
      throw new DomainError(ErrorCode.UNAUTHENTICATED, `This personal link ${reason}`);
    }
    if (
      typeof payload !== 'object' ||
      payload.purpose !== purpose ||
      typeof payload.sub !== 'string' ||
      typeof payload.epoch !== 'number'
    ) {
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'This personal link is not valid');
    }
    return { personId: payload.sub, epoch: payload.epoch };
  }
}
