import type { EventRole, Invite, RoleGrant } from '#shared/domain/account';

/** A staff account as stored, with its scrypt hash (`null` for a person who came in by invitation only). */
export interface AccountRecord {
  id: string;
  /** Lower-case; null for invited people who have no password. */
  email: string | null;
  displayName: string;
  passwordHash: string | null;
  isAdmin: boolean;
  createdAt: string;
}

/** A signed-in device: the hash of its refresh token, rotated on every use. */
export interface SessionRecord {
  id: string;
  userId: string;
  tokenHash: string;
  expiresAt: string;
  createdAt: string;
}

/**
 * The storage port of people and what they may do, reached as `store.accounts`: accounts, sign-in sessions, token
 * revocation, per-event roles and invitations. SQLite and Redis implement it in `sqlite/sqlite-accounts.ts` and
 * `redis/redis-accounts.ts`; the contract suite is `account.contract.ts`. Accounts, sessions and revocations outlive
 * the demo reset; roles and invites belong to their event and go with it.
 */
export interface AccountStore {
  // Accounts. Emails are unique: createAccount answers false when the email (or the id) is taken, atomically.
  createAccount(account: AccountRecord): Promise<boolean>;
  getAccount(id: string): Promise<AccountRecord | undefined>;
  getAccountByEmail(email: string): Promise<AccountRecord | undefined>;
  setPasswordHash(id: string, passwordHash: string): Promise<void>;
  countAdmins(): Promise<number>;

  // Per-event roles. One role per person per event; granting again replaces it.
  grantRole(grant: RoleGrant): Promise<void>;
  /** False when the person held no role in that event. */
  revokeRole(eventId: string, userId: string): Promise<boolean>;
  roleIn(eventId: string, userId: string): Promise<EventRole | undefined>;
  /** Oldest grant first (ties by user id). */
  listRoles(eventId: string): Promise<RoleGrant[]>;

  // Refresh sessions.
  createSession(session: SessionRecord): Promise<void>;
  /**
   * Swaps a session's refresh-token hash, atomically: succeeds only if `currentHash` is still the stored one and the
   * session has not expired, so a stolen refresh token used twice fails the second time. Returns the session after
   * the swap, or undefined.
   */
  rotateSession(id: string, currentHash: string, next: { tokenHash: string; expiresAt: string }, now: string): Promise<SessionRecord | undefined>;
  deleteSession(id: string): Promise<void>;
  deleteSessionsOf(userId: string): Promise<void>;

  // Revocation. Tokens of a person issued at or before `notBefore` (seconds) are refused; a single token by its jti.
  revokeTokensOf(userId: string, notBefore: number): Promise<void>;
  tokensRevokedBefore(userId: string): Promise<number>;
  revokeToken(jti: string, expiresAt: number): Promise<void>;
  isTokenRevoked(jti: string): Promise<boolean>;

  // Invitations, one-time.
  createInvite(invite: Invite): Promise<void>;
  getInvite(id: string): Promise<Invite | undefined>;
  /** Oldest invite first (ties by id). */
  listInvites(eventId: string): Promise<Invite[]>;
  revokeInvite(id: string, at: string): Promise<boolean>;
  /**
   * Marks an invite used by `userId`, atomically: only one caller ever succeeds, and only while the invite is
   * neither revoked nor expired at `now`. Returns the invite as used, or undefined.
   */
  useInvite(id: string, userId: string, now: string): Promise<Invite | undefined>;
}
