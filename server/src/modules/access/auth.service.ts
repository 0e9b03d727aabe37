import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Account, RoleGrant } from '#shared/domain/account';
import type { User } from '#shared/domain/user';
import { ErrorCode } from '#shared/protocol/errors';
import type { AuthRevokedReason } from '#shared/protocol/events';
import type { AccountRecord } from '../../store/account-store';
import type { Store } from '../../store/store';
import { AuditAction, type AuditLog } from '../../core/audit';
import { DomainError, FieldError } from '../../core/errors';
import { consumeOrRefuse } from '../../core/rate-limit';
import { hashPassword, verifyPassword } from './password';
import { ACCESS_TTL_SECONDS, type Principal, type TokenService } from './token.service';

/** A refresh session lasts this long after its last use. */
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** Failed sign-ins allowed for one account from one address within LOGIN_WINDOW_SECONDS. */
export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_WINDOW_SECONDS = 15 * 60;
/** The window of GUEST_RATE_LIMIT: guest names made per address within it. */
export const GUEST_WINDOW_SECONDS = 10 * 60;

/** Tells live sockets that a person's tokens or roles were taken back; they are disconnected everywhere. */
export interface AuthSignals {
  userRevoked(userId: string, reason: AuthRevokedReason): void;
  tokenRevoked(jti: string, reason: AuthRevokedReason): void;
}

/** A signed-in staff member: what the API answers, plus the refresh token that goes in the cookie. */
export interface StaffSession {
  token: string;
  user: User;
  account: Account;
  refreshToken: string;
  refreshExpiresAt: Date;
}

export function toAccount(record: AccountRecord): Account {
  return {
    id: record.id,
    email: record.email,
    displayName: record.displayName,
    isAdmin: record.isAdmin,
    createdAt: record.createdAt,
  };
}

export function userOf(record: AccountRecord): User {
  return { id: record.id, displayName: record.displayName, role: record.isAdmin ? 'admin' : 'staff' };
}

/** Refresh tokens are `<session id>.<secret>`; only a hash of the secret is stored. */
const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('base64url');

function parseRefreshToken(token: string | undefined): { id: string; secret: string } | undefined {
  const match = token && /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/.exec(token);
  return match ? { id: match[1]!, secret: match[2]! } : undefined;
}

const unauthenticated = (message: string) => new DomainError(ErrorCode.UNAUTHENTICATED, message);

export interface AuthServiceDeps {
  store: Store;
  tokens: TokenService;
  /** Counts failed sign-ins per account and address: in memory for one process, in Redis for several. */
  loginLimiter: RateLimiterAbstract;
  /** Counts guest names made per address: a guest costs nothing to make, and each one has its own chat limit. */
  guestLimiter: RateLimiterAbstract;
  audit: AuditLog;
  signals: AuthSignals;
  now?: () => number;
}

/**
 * Sign-in: guest names, staff passwords, access tokens and their revocation, refresh sessions. Every token that comes
 * in is checked here, at HTTP and at the socket handshake alike.
 */
export class AuthService {
  private readonly store: Store;
  private readonly tokens: TokenService;
  private readonly limiter: RateLimiterAbstract;
  private readonly guestLimiter: RateLimiterAbstract;
  private readonly audit: AuditLog;
  private readonly signals: AuthSignals;
  private readonly now: () => number;
  /** A hash of nothing anyone knows, checked when an email has no account (see login). */
  private readonly unknownHash: Promise<string>;

  constructor(deps: AuthServiceDeps) {
    this.store = deps.store;
    this.tokens = deps.tokens;
    this.limiter = deps.loginLimiter;
    this.guestLimiter = deps.guestLimiter;
    this.audit = deps.audit;
    this.signals = deps.signals;
    this.now = deps.now ?? Date.now;
    // Made at start rather than on the first unknown email, so that even that one takes as long as any other.
    this.unknownHash = hashPassword(randomBytes(32).toString('base64url'));
  }

  /** Verifies a token (signature, claims, lifetime) and that it was not revoked, alone or with all its person's. */
  async authenticate(token: unknown): Promise<Principal> {
    const principal = this.tokens.verify(token);
    const [revoked, revokedBefore] = await Promise.all([
      this.store.accounts.isTokenRevoked(principal.jti),
      this.store.accounts.tokensRevokedBefore(principal.user.id),
    ]);
    if (revoked || principal.iat <= revokedBefore) throw unauthenticated('The token was revoked: sign in again');
    return principal;
  }

  /**
   * A guest token for a display name. Limited per address (`address` as `addressKey` counts it): otherwise one
   * client could make hundreds of guests and speak through each within its own chat limit.
   */
  async signInGuest(displayName: string, address: string): Promise<{ token: string; user: User }> {
    await consumeOrRefuse(this.guestLimiter, address, 'Too many guest names from your network: wait a few minutes');
    return this.tokens.issueGuest(displayName);
  }

  /** Same answer, and about the same time, for an unknown email and a wrong password. */
  async login(email: string, password: string, address: string): Promise<StaffSession> {
    const key = `${email}|${address}`;
    await this.countAttempt(key);
    const account = await this.store.accounts.getAccountByEmail(email);
    // The scrypt work happens whether or not the account exists, so timing does not tell which emails do.
    const matches = await verifyPassword(password, account?.passwordHash ?? (await this.unknownHash));
    if (!account?.passwordHash || !matches) throw unauthenticated('Wrong email or password');
    await this.limiter.delete(key).catch(() => undefined);
    return this.startSession(account);
  }

  /** Swaps a refresh token for a new access token and a new refresh token; the old one never works again. */
  async refresh(refreshToken: string | undefined): Promise<StaffSession> {
    const parsed = parseRefreshToken(refreshToken);
    if (!parsed) throw unauthenticated('No session: sign in');
    const next = this.newRefreshSecret();
    const session = await this.store.accounts.rotateSession(
      parsed.id,
      hashSecret(parsed.secret),
      { tokenHash: hashSecret(next.secret), expiresAt: next.expiresAt.toISOString() },
      new Date(this.now()).toISOString(),
    );
    if (!session) {
      // Unknown, expired, or an old token presented again, which means it was copied: end that session for everyone.
      await this.store.accounts.deleteSession(parsed.id);
      throw unauthenticated('Your session has ended: sign in again');
    }
    const account = await this.store.accounts.getAccount(session.userId);
    if (!account) {
      await this.store.accounts.deleteSession(session.id);
      throw unauthenticated('Your session has ended: sign in again');
    }
    return this.sessionBody(account, `${session.id}.${next.secret}`, next.expiresAt);
  }

  /** Revokes the presented access token and ends the refresh session; never fails, so signing out always works. */
  async logout(principal: Principal | null, refreshToken: string | undefined): Promise<void> {
    if (principal) {
      await this.store.accounts.revokeToken(principal.jti, principal.exp);
      this.signals.tokenRevoked(principal.jti, 'signed-out');
    }
    const parsed = parseRefreshToken(refreshToken);
    if (parsed) await this.store.accounts.deleteSession(parsed.id);
  }

  /**
   * Changes the password of the signed-in account. Every other session and every older token of the account stop
   * working (its sockets are disconnected); the caller gets a fresh session.
   */
  async changePassword(
    principal: Principal,
    currentPassword: string,
    newPassword: string,
    address: string,
  ): Promise<StaffSession> {
    if (principal.user.role === 'guest' || principal.user.role === 'registrant') {
      throw new DomainError(ErrorCode.FORBIDDEN, 'Only staff accounts have a password');
    }
    const account = await this.store.accounts.getAccount(principal.user.id);
    if (!account) throw unauthenticated('This account no longer exists');
    if (!account.passwordHash || !account.email) {
      throw new DomainError(ErrorCode.FORBIDDEN, 'This account signs in through its invitation and has no password');
    }
    // Guessing the current password with a stolen token counts against the same limit as the sign-in form.
    const key = `${account.email}|${address}`;
    await this.countAttempt(key);
    if (!(await verifyPassword(currentPassword, account.passwordHash))) {
      throw new FieldError({ currentPassword: 'is not correct' });
    }
    await this.limiter.delete(key).catch(() => undefined);
    await this.store.accounts.setPasswordHash(account.id, await hashPassword(newPassword));
    await this.store.accounts.deleteSessionsOf(account.id);
    await this.store.accounts.revokeTokensOf(account.id, Math.floor(this.now() / 1000));
    this.signals.userRevoked(account.id, 'password-changed');
    await this.audit.record(userOf(account), AuditAction.PASSWORD_CHANGE, `account:${account.id}`);
    return this.startSession(account);
  }

  /** The signed-in person, their account (null for guests and registrants) and the per-event roles they hold. */
  async me(principal: Principal): Promise<{ user: User; account: Account | null; roles: RoleGrant[] }> {
    if (principal.user.role === 'guest' || principal.user.role === 'registrant') return { user: principal.user, account: null, roles: [] };
    const account = await this.store.accounts.getAccount(principal.user.id);
    if (!account) throw unauthenticated('This account no longer exists');
    // The store lists roles per event, not per person: one query per event. Fine for a library's programme.
    const events = await this.store.programme.listEvents({});
    const grants = await Promise.all(events.map((e) => this.store.accounts.listRoles(e.id)));
    const roles = grants.flat().filter((g) => g.userId === account.id);
    return { user: userOf(account), account: toAccount(account), roles };
  }

  /** A new refresh session and access token for an account (sign-in, setup, invitation). */
  async startSession(account: AccountRecord): Promise<StaffSession> {
    const sessionId = randomUUID();
    const next = this.newRefreshSecret();
    await this.store.accounts.createSession({
      id: sessionId,
      userId: account.id,
      tokenHash: hashSecret(next.secret),
      expiresAt: next.expiresAt.toISOString(),
      createdAt: new Date(this.now()).toISOString(),
    });
    return this.sessionBody(account, `${sessionId}.${next.secret}`, next.expiresAt);
  }

  private async sessionBody(account: AccountRecord, refreshToken: string, refreshExpiresAt: Date): Promise<StaffSession> {
    // Tokens issued in the second of a revocation would be refused at once: start just after it.
    const revokedBefore = await this.store.accounts.tokensRevokedBefore(account.id);
    const user = userOf(account);
    const { token } = this.tokens.issue(user, ACCESS_TTL_SECONDS, revokedBefore + 1);
    return { token, user, account: toAccount(account), refreshToken, refreshExpiresAt };
  }

  private newRefreshSecret(): { secret: string; expiresAt: Date } {
    return { secret: randomBytes(32).toString('base64url'), expiresAt: new Date(this.now() + SESSION_TTL_MS) };
  }

  /** One more attempt for this account from this address; RATE_LIMITED past the limit. */
  private async countAttempt(key: string): Promise<void> {
    try {
      await this.limiter.consume(key);
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) {
        throw new DomainError(ErrorCode.UNAVAILABLE, 'Signing in is unavailable for a moment: try again');
      }
      throw new DomainError(
        ErrorCode.RATE_LIMITED,
        'Too many failed attempts: wait before trying again',
        Math.max(1000, Math.ceil(res.msBeforeNext)),
      );
    }
  }
}
