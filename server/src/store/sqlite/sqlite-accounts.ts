import type Database from 'better-sqlite3';
import type { EventRole, Invite, RoleGrant } from '#shared/domain/account';
import type { AccountRecord, AccountStore, SessionRecord } from '../account-store';
import { byInstant, ms } from '../instants';
import type { SqliteEventData } from './sqlite-connection';

/*
 * Tables of migration 2: accounts, event_roles, sessions, revoked_tokens, token_cutoffs, invites. Instants the store
 * compares are kept twice, as the ISO text given (returned unchanged) and as epoch ms (compared).
 */

interface AccountRow {
  id: string;
  email: string | null;
  display_name: string;
  password_hash: string | null;
  is_admin: 0 | 1;
  created_at: string;
}

interface RoleRow {
  event_id: string;
  user_id: string;
  display_name: string;
  role: EventRole;
  granted_at: string;
}

interface SessionRow {
  id: string;
  user_id: string;
  token_hash: string;
  expires_at: string;
  expires_ms: number;
  created_at: string;
}

interface InviteRow {
  id: string;
  event_id: string;
  role: EventRole;
  created_by: string;
  created_at: string;
  expires_at: string;
  expires_ms: number;
  revoked_at: string | null;
  used_by: string | null;
  used_at: string | null;
}

function accountFromRow(r: AccountRow): AccountRecord {
  return {
    id: r.id,
    email: r.email,
    displayName: r.display_name,
    passwordHash: r.password_hash,
    isAdmin: r.is_admin === 1,
    createdAt: r.created_at,
  };
}

function roleFromRow(r: RoleRow): RoleGrant {
  return { eventId: r.event_id, userId: r.user_id, displayName: r.display_name, role: r.role, grantedAt: r.granted_at };
}

function sessionFromRow(r: SessionRow): SessionRecord {
  return { id: r.id, userId: r.user_id, tokenHash: r.token_hash, expiresAt: r.expires_at, createdAt: r.created_at };
}

function inviteFromRow(r: InviteRow): Invite {
  return {
    id: r.id,
    eventId: r.event_id,
    role: r.role,
    createdBy: r.created_by,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    usedBy: r.used_by,
    usedAt: r.used_at,
  };
}

function prepareStatements(db: Database.Database) {
  return {
    // Neither the id nor the email may be taken: an account is never overwritten.
    insertAccount: db.prepare(
      `INSERT INTO accounts (id, email, display_name, password_hash, is_admin, created_at)
       VALUES (@id, @email, @displayName, @passwordHash, @isAdmin, @createdAt) ON CONFLICT DO NOTHING`,
    ),
    account: db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE id = ?'),
    accountByEmail: db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE email = ?'),
    setPasswordHash: db.prepare<[string, string]>('UPDATE accounts SET password_hash = ? WHERE id = ?'),
    countAdmins: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM accounts WHERE is_admin = 1'),

    upsertRole: db.prepare(
      `INSERT INTO event_roles (event_id, user_id, display_name, role, granted_at)
       VALUES (@eventId, @userId, @displayName, @role, @grantedAt)
       ON CONFLICT(event_id, user_id) DO UPDATE SET display_name = excluded.display_name, role = excluded.role,
         granted_at = excluded.granted_at`,
    ),
    deleteRole: db.prepare<[string, string]>('DELETE FROM event_roles WHERE event_id = ? AND user_id = ?'),
    role: db.prepare<[string, string], { role: EventRole }>(
      'SELECT role FROM event_roles WHERE event_id = ? AND user_id = ?',
    ),
    roles: db.prepare<[string], RoleRow>('SELECT * FROM event_roles WHERE event_id = ?'),
    deleteEventRoles: db.prepare<[string]>('DELETE FROM event_roles WHERE event_id = ?'),

    upsertSession: db.prepare(
      `INSERT OR REPLACE INTO sessions (id, user_id, token_hash, expires_at, expires_ms, created_at)
       VALUES (@id, @userId, @tokenHash, @expiresAt, @expiresMs, @createdAt)`,
    ),
    pruneSessions: db.prepare<[number]>('DELETE FROM sessions WHERE expires_ms <= ?'),
    // Compare-and-swap in one statement: only the holder of the current hash, before expiry, gets a row back.
    rotateSession: db.prepare<[{ id: string; currentHash: string; tokenHash: string; expiresAt: string; expiresMs: number; nowMs: number }], SessionRow>(
      `UPDATE sessions SET token_hash = @tokenHash, expires_at = @expiresAt, expires_ms = @expiresMs
       WHERE id = @id AND token_hash = @currentHash AND expires_ms > @nowMs RETURNING *`,
    ),
    deleteSession: db.prepare<[string]>('DELETE FROM sessions WHERE id = ?'),
    deleteSessionsOf: db.prepare<[string]>('DELETE FROM sessions WHERE user_id = ?'),

    // The cutoff only moves forward: a late or repeated call cannot make revoked tokens valid again.
    raiseCutoff: db.prepare<[string, number]>(
      `INSERT INTO token_cutoffs (user_id, not_before) VALUES (?, ?)
       ON CONFLICT(user_id) DO UPDATE SET not_before = max(not_before, excluded.not_before)`,
    ),
    cutoff: db.prepare<[string], { not_before: number }>('SELECT not_before FROM token_cutoffs WHERE user_id = ?'),
    revokeToken: db.prepare<[string, number]>(
      `INSERT INTO revoked_tokens (jti, expires_at) VALUES (?, ?)
       ON CONFLICT(jti) DO UPDATE SET expires_at = excluded.expires_at`,
    ),
    pruneRevoked: db.prepare<[number]>('DELETE FROM revoked_tokens WHERE expires_at <= ?'),
    isRevoked: db.prepare<[string, number], { one: 1 }>(
      'SELECT 1 AS one FROM revoked_tokens WHERE jti = ? AND expires_at > ?',
    ),

    upsertInvite: db.prepare(
      `INSERT OR REPLACE INTO invites (id, event_id, role, created_by, created_at, expires_at, expires_ms, revoked_at,
                                       used_by, used_at)
       VALUES (@id, @eventId, @role, @createdBy, @createdAt, @expiresAt, @expiresMs, @revokedAt, @usedBy, @usedAt)`,
    ),
    invite: db.prepare<[string], InviteRow>('SELECT * FROM invites WHERE id = ?'),
    invites: db.prepare<[string], InviteRow>('SELECT * FROM invites WHERE event_id = ?'),
    revokeInvite: db.prepare<[string, string]>(
      'UPDATE invites SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL AND used_by IS NULL',
    ),
    // One statement, so exactly one caller can flip used_by from NULL.
    useInvite: db.prepare<[{ id: string; userId: string; now: string; nowMs: number }], InviteRow>(
      `UPDATE invites SET used_by = @userId, used_at = @now
       WHERE id = @id AND used_by IS NULL AND revoked_at IS NULL AND expires_ms > @nowMs RETURNING *`,
    ),
    deleteEventInvites: db.prepare<[string]>('DELETE FROM invites WHERE event_id = ?'),
  };
}

/** Accounts, sessions, revocations, roles and invites in SQLite. Roles and invites go with their event. */
export class SqliteAccountStore implements AccountStore, SqliteEventData {
  private readonly q: ReturnType<typeof prepareStatements>;

  constructor(private readonly db: Database.Database) {
    this.q = prepareStatements(db);
  }

  async createAccount(account: AccountRecord): Promise<boolean> {
    const changes = this.q.insertAccount.run({
      ...account,
      email: account.email === null ? null : account.email.toLowerCase(),
      isAdmin: account.isAdmin ? 1 : 0,
    }).changes;
    return changes > 0;
  }

  async getAccount(id: string): Promise<AccountRecord | undefined> {
    const row = this.q.account.get(id);
    return row && accountFromRow(row);
  }

  async getAccountByEmail(email: string): Promise<AccountRecord | undefined> {
    const row = this.q.accountByEmail.get(email.toLowerCase());
    return row && accountFromRow(row);
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    this.q.setPasswordHash.run(passwordHash, id);
  }

  async countAdmins(): Promise<number> {
    return this.q.countAdmins.get()!.n;
  }

  async grantRole(grant: RoleGrant): Promise<void> {
    this.q.upsertRole.run(grant);
  }

  async revokeRole(eventId: string, userId: string): Promise<boolean> {
    return this.q.deleteRole.run(eventId, userId).changes > 0;
  }

  async roleIn(eventId: string, userId: string): Promise<EventRole | undefined> {
    return this.q.role.get(eventId, userId)?.role;
  }

  async listRoles(eventId: string): Promise<RoleGrant[]> {
    return this.q.roles
      .all(eventId)
      .map(roleFromRow)
      .sort(byInstant((g) => g.grantedAt, (g) => g.userId));
  }

  async createSession(session: SessionRecord): Promise<void> {
    // Sessions expired by the caller's clock are useless: dropping them here keeps the table small.
    this.q.pruneSessions.run(ms(session.createdAt));
    this.q.upsertSession.run({ ...session, expiresMs: ms(session.expiresAt) });
  }

  async rotateSession(
    id: string,
    currentHash: string,
    next: { tokenHash: string; expiresAt: string },
    now: string,
  ): Promise<SessionRecord | undefined> {
    const row = this.q.rotateSession.get({
      id,
      currentHash,
      tokenHash: next.tokenHash,
      expiresAt: next.expiresAt,
      expiresMs: ms(next.expiresAt),
      nowMs: ms(now),
    });
    return row && sessionFromRow(row);
  }

  async deleteSession(id: string): Promise<void> {
    this.q.deleteSession.run(id);
  }

  async deleteSessionsOf(userId: string): Promise<void> {
    this.q.deleteSessionsOf.run(userId);
  }

  async revokeTokensOf(userId: string, notBefore: number): Promise<void> {
    // Whole seconds, like a JWT's iat: a fraction would only ever be rounded away by the comparison.
    this.q.raiseCutoff.run(userId, Math.floor(notBefore));
  }

  async tokensRevokedBefore(userId: string): Promise<number> {
    return this.q.cutoff.get(userId)?.not_before ?? 0;
  }

  async revokeToken(jti: string, expiresAt: number): Promise<void> {
    // A revocation matters only until the token expires (the wall clock decides, as Redis' key expiry does there).
    const nowSec = Date.now() / 1000;
    this.q.pruneRevoked.run(nowSec);
    if (expiresAt > nowSec) this.q.revokeToken.run(jti, Math.ceil(expiresAt));
  }

  async isTokenRevoked(jti: string): Promise<boolean> {
    return this.q.isRevoked.get(jti, Date.now() / 1000) !== undefined;
  }

  async createInvite(invite: Invite): Promise<void> {
    this.q.upsertInvite.run({ ...invite, expiresMs: ms(invite.expiresAt) });
  }

  async getInvite(id: string): Promise<Invite | undefined> {
    const row = this.q.invite.get(id);
    return row && inviteFromRow(row);
  }

  async listInvites(eventId: string): Promise<Invite[]> {
    return this.q.invites
      .all(eventId)
      .map(inviteFromRow)
      .sort(byInstant((i) => i.createdAt, (i) => i.id));
  }

  async revokeInvite(id: string, at: string): Promise<boolean> {
    return this.q.revokeInvite.run(at, id).changes > 0;
  }

  async useInvite(id: string, userId: string, now: string): Promise<Invite | undefined> {
    const row = this.q.useInvite.get({ id, userId, now, nowMs: ms(now) });
    return row && inviteFromRow(row);
  }

  deleteEventRows(eventId: string): void {
    this.q.deleteEventRoles.run(eventId);
    this.q.deleteEventInvites.run(eventId);
  }

  /** Only what belongs to events: accounts, sessions and revocations outlive the demo reset. */
  resetRows(): void {
    this.db.exec('DELETE FROM event_roles; DELETE FROM invites;');
  }
}
