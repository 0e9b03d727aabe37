import type { Request, Response } from 'express';
import type { User } from '#shared/domain/user';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../../core/errors';
import type { AuthService, StaffSession } from './auth.service';
import type { Principal } from './token.service';

export const REFRESH_COOKIE = 'parvis_refresh';
/** The refresh cookie goes to the sign-in routes only, never to the rest of the API or the pages. */
export const REFRESH_COOKIE_PATH = '/api/auth';

/** The token of an `Authorization: Bearer …` header; undefined without the header, UNAUTHENTICATED when malformed. */
export function bearerToken(req: Request): string | undefined {
  const header = req.get('authorization');
  if (header === undefined) return undefined;
  const match = /^Bearer +([^\s]+)\s*$/i.exec(header);
  if (!match) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The Authorization header must be "Bearer <token>"');
  return match[1];
}

/**
 * Who sends an HTTP request. A token that does not verify is refused (401) even on public routes, so that a client
 * learns at once that it must renew it, rather than silently seeing less than it should.
 */
export class HttpAuth {
  constructor(private readonly auth: AuthService) {}

  async optional(req: Request): Promise<Principal | null> {
    const token = bearerToken(req);
    return token === undefined ? null : this.auth.authenticate(token);
  }

  async required(req: Request): Promise<Principal> {
    const principal = await this.optional(req);
    if (!principal) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Sign in to do this');
    return principal;
  }

  async user(req: Request): Promise<User | null> {
    return (await this.optional(req))?.user ?? null;
  }
}

/** The value of one cookie of the request. Express has no cookie parser built in and one cookie needs none. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export interface CookieOptions {
  /** True when PUBLIC_ORIGIN is https: the cookie then never travels over plain HTTP. */
  secure: boolean;
}

export function setRefreshCookie(res: Response, session: StaffSession, options: CookieOptions): void {
  res.cookie(REFRESH_COOKIE, session.refreshToken, {
    httpOnly: true,
    sameSite: 'strict',
    secure: options.secure,
    path: REFRESH_COOKIE_PATH,
    expires: session.refreshExpiresAt,
  });
}

export function clearRefreshCookie(res: Response, options: CookieOptions): void {
  res.clearCookie(REFRESH_COOKIE, { httpOnly: true, sameSite: 'strict', secure: options.secure, path: REFRESH_COOKIE_PATH });
}

/** The body of every staff sign-in answer: the access token, the person, the account. */
export function staffAuthBody(session: StaffSession) {
  return { token: session.token, user: session.user, account: session.account };
}
