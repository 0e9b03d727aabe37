import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { User } from '#shared/domain/user';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../errors';

export const JWT_ISSUER = 'parvis';
export const JWT_AUDIENCE = 'parvis';
const GUEST_TTL_SECONDS = 12 * 60 * 60;

interface Claims {
  sub: string;
  name: string;
  role: User['role'];
}

/** Signs and verifies the JWTs that identify people. The algorithm, issuer and audience are pinned both ways. */
export class TokenService {
  constructor(private readonly secret: string) {}

  issueGuest(displayName: string): { token: string; user: User } {
    const user: User = { id: `guest_${randomUUID()}`, displayName, role: 'guest' };
    return { token: this.sign(user, GUEST_TTL_SECONDS), user };
  }

  sign(user: User, ttlSeconds: number): string {
    const claims: Claims = { sub: user.id, name: user.displayName, role: user.role };
    return jwt.sign(claims, this.secret, {
      algorithm: 'HS256',
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      expiresIn: ttlSeconds,
    });
  }

  /** Returns the person a token names, or throws UNAUTHENTICATED. */
  verify(token: unknown): User {
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'A token must be a non-empty string');
    }
    let payload: jwt.JwtPayload | string;
    try {
      payload = jwt.verify(token, this.secret, {
        algorithms: ['HS256'],
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
      });
    } catch (err) {
      const reason = err instanceof jwt.TokenExpiredError ? 'expired' : 'invalid';
      throw new DomainError(ErrorCode.UNAUTHENTICATED, `The token is ${reason}`);
    }
    const user = User.safeParse(
      typeof payload === 'object' ? { id: payload.sub, displayName: payload.name, role: payload.role } : null,
    );
    if (!user.success) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The token does not name a person');
    return user.data;
  }
}
