import type { Redis } from 'ioredis';
import type { EventRole, Invite, RoleGrant } from '#shared/domain/account';
import type { AccountRecord, AccountStore, SessionRecord } from '../account-store';
import { byInstant, ms } from '../instants';
import { exec, io, type RedisEventData } from './redis-connection';

/*
 * Key layout of people and what they may do, under the store's prefix P:
 *
 *   P accounts             hash   account id → AccountRecord JSON
 *   P accounts:by-email    hash   lower-case email → account id, the uniqueness record (HSETNX)
 *   P accounts:admins      set    ids of admin accounts
 *   P session:{S}          hash   userId, tokenHash, expiresAt, expiresMs, createdAt; expires with the session
 *   P sessions:of:{U}      set    ids of U's sessions; ids of expired ones are pruned when U signs in again
 *   P revoked:{jti}        string "1", expiring when the token does (SET EXAT)
 *   P tokens:not-before    zset   user id scored by their revocation cutoff in seconds (ZADD GT: only forward)
 *   P roles:{E}            hash   user id → RoleGrant JSON, the roles held in event E
 *   P invites:{E}          hash   invite id → Invite JSON plus `expiresMs` (epoch ms, a string) for the scripts
 *   P invite-events        hash   invite id → its event id, to find an invite from its id alone
 *
 * Roles and invites belong to their event and go with it; the rest is about people and survives the demo reset
 * (see ACCOUNT_KEYS_KEPT_ON_RESET).
 */
function accountKeys(prefix: string) {
  return {
    accounts: `${prefix}accounts`,
    accountsByEmail: `${prefix}accounts:by-email`,
    admins: `${prefix}accounts:admins`,
    session: (sessionId: string) => `${prefix}session:{${sessionId}}`,
    sessionsOf: (userId: string) => `${prefix}sessions:of:{${userId}}`,
    revoked: (jti: string) => `${prefix}revoked:{${jti}}`,
    tokenCutoffs: `${prefix}tokens:not-before`,
    roles: (eventId: string) => `${prefix}roles:{${eventId}}`,
    invites: (eventId: string) => `${prefix}invites:{${eventId}}`,
    inviteEvents: `${prefix}invite-events`,
  };
}

/** The keys (after the prefix) that the demo reset keeps: names, and families by their beginning. */
export const ACCOUNT_KEYS_KEPT_ON_RESET = {
  names: ['accounts', 'accounts:by-email', 'accounts:admins', 'tokens:not-before'],
  families: ['session:{', 'sessions:of:{', 'revoked:{'],
} as const;

/**
 * createAccount: neither the id nor the email may be taken.
 * KEYS: 1 accounts, 2 accounts:by-email, 3 accounts:admins. ARGV: 1 id, 2 email, 3 "1" when there is an email,
 * 4 account JSON, 5 "1" for an admin. Returns 1 when created, 0 when refused.
 */
const CREATE_ACCOUNT_LUA = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
if ARGV[3] == '1' and redis.call('HSETNX', KEYS[2], ARGV[2], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[4])
if ARGV[5] == '1' then redis.call('SADD', KEYS[3], ARGV[1]) end
return 1
`;

/** KEYS: 1 accounts:by-email, 2 accounts. ARGV: 1 email. Returns the account JSON or nil. */
const ACCOUNT_BY_EMAIL_LUA = `
local id = redis.call('HGET', KEYS[1], ARGV[1])
if not id then return false end
return redis.call('HGET', KEYS[2], id)
`;

/**
 * setPasswordHash, without creating an account that does not exist. An AccountRecord is flat (strings, a boolean,
 * nulls), so cjson gives it back as it was.
 * KEYS: 1 accounts. ARGV: 1 id, 2 hash.
 */
const SET_PASSWORD_HASH_LUA = `
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return 0 end
local account = cjson.decode(json)
account.passwordHash = ARGV[2]
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(account))
return 1
`;

/**
 * rotateSession: compare the hash and the expiry, then swap.
 * KEYS: 1 session. ARGV: 1 current hash, 2 next hash, 3 next expiresAt, 4 next expiresMs, 5 now ms, 6 ms the
 * session has left after the swap. Returns { userId, createdAt } after a swap, or nil.
 */
const ROTATE_SESSION_LUA = `
local s = redis.call('HMGET', KEYS[1], 'tokenHash', 'expiresMs', 'userId', 'createdAt')
if not s[1] or s[1] ~= ARGV[1] or tonumber(s[2]) <= tonumber(ARGV[5]) then return false end
redis.call('HSET', KEYS[1], 'tokenHash', ARGV[2], 'expiresAt', ARGV[3], 'expiresMs', ARGV[4])
if tonumber(ARGV[6]) > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[6])
else
  redis.call('DEL', KEYS[1])
end
return { s[3], s[4] }
`;

/*
 * Invites are flat JSON (strings and nulls, plus expiresMs as a string), so cjson gives them back as they were.
 * A field missing counts as null.
 */
const INVITE_LUA_PRELUDE = `
local function absent(v) return v == nil or v == cjson.null end
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return false end
local invite = cjson.decode(json)
`;

/**
 * useInvite: only while neither used, revoked nor expired; then marked used.
 * KEYS: 1 invites of the event. ARGV: 1 invite id, 2 user id, 3 now (ISO), 4 now ms. Returns the new JSON or nil.
 */
const USE_INVITE_LUA = `${INVITE_LUA_PRELUDE}
if not absent(invite.usedBy) or not absent(invite.revokedAt) or tonumber(invite.expiresMs) <= tonumber(ARGV[4]) then
  return false
end
invite.usedBy = ARGV[2]
invite.usedAt = ARGV[3]
local out = cjson.encode(invite)
redis.call('HSET', KEYS[1], ARGV[1], out)
return out
`;

/**
 * revokeInvite: only an invite neither used nor revoked already.
 * KEYS: 1 invites of the event. ARGV: 1 invite id, 2 at (ISO). Returns 1 when revoked, else nil.
 */
const REVOKE_INVITE_LUA = `${INVITE_LUA_PRELUDE}
if not absent(invite.usedBy) or not absent(invite.revokedAt) then return false end
invite.revokedAt = ARGV[2]
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(invite))
return 1
`;

/**
 * deleteEventData: the roles and invites of an event, and its invites' entries in invite-events.
 * KEYS: 1 roles of the event, 2 invites of the event, 3 invite-events.
 */
const DELETE_EVENT_ACCESS_LUA = `
local ids = redis.call('HKEYS', KEYS[2])
for i = 1, #ids, 500 do
  redis.call('HDEL', KEYS[3], unpack(ids, i, math.min(i + 499, #ids)))
end
redis.call('DEL', KEYS[1], KEYS[2])
`;

interface AccountScripts {
  /** The keys and arguments of CREATE_ACCOUNT_LUA, in its order. */
  parvisCreateAccount(...keysThenArgs: string[]): Promise<number>;
  parvisAccountByEmail(byEmailKey: string, accountsKey: string, email: string): Promise<string | null>;
  parvisSetPasswordHash(accountsKey: string, id: string, hash: string): Promise<number>;
  /** The key and arguments of ROTATE_SESSION_LUA, in its order. */
  parvisRotateSession(...keyThenArgs: string[]): Promise<[userId: string, createdAt: string] | null>;
  parvisUseInvite(invitesKey: string, id: string, userId: string, now: string, nowMs: string): Promise<string | null>;
  parvisRevokeInvite(invitesKey: string, id: string, at: string): Promise<number | null>;
  parvisDeleteEventAccess(rolesKey: string, invitesKey: string, inviteEventsKey: string): Promise<null>;
}

/** An invite as stored in its event's hash: with its expiry in ms, which the scripts compare. */
type StoredInvite = Invite & { expiresMs: string };

/** Accounts, sessions, revocations, roles and invites on Redis, under the store's prefix. */
export class RedisAccountStore implements AccountStore, RedisEventData {
  private readonly k: ReturnType<typeof accountKeys>;
  private readonly scripts: AccountScripts;

  constructor(
    private readonly client: Redis,
    prefix: string,
  ) {
    this.k = accountKeys(prefix);
    client.defineCommand('parvisCreateAccount', { lua: CREATE_ACCOUNT_LUA, numberOfKeys: 3 });
    client.defineCommand('parvisAccountByEmail', { lua: ACCOUNT_BY_EMAIL_LUA, numberOfKeys: 2 });
    client.defineCommand('parvisSetPasswordHash', { lua: SET_PASSWORD_HASH_LUA, numberOfKeys: 1 });
    client.defineCommand('parvisRotateSession', { lua: ROTATE_SESSION_LUA, numberOfKeys: 1 });
    client.defineCommand('parvisUseInvite', { lua: USE_INVITE_LUA, numberOfKeys: 1 });
    client.defineCommand('parvisRevokeInvite', { lua: REVOKE_INVITE_LUA, numberOfKeys: 1 });
    client.defineCommand('parvisDeleteEventAccess', { lua: DELETE_EVENT_ACCESS_LUA, numberOfKeys: 3 });
    this.scripts = client as unknown as AccountScripts;
  }

  async createAccount(account: AccountRecord): Promise<boolean> {
    const stored: AccountRecord = { ...account, email: account.email === null ? null : account.email.toLowerCase() };
    const created = await io(() =>
      this.scripts.parvisCreateAccount(
        this.k.accounts,
        this.k.accountsByEmail,
        this.k.admins,
        stored.id,
        stored.email ?? '',
        stored.email === null ? '0' : '1',
        JSON.stringify(stored),
        stored.isAdmin ? '1' : '0',
      ),
    );
    return created === 1;
  }

  async getAccount(id: string): Promise<AccountRecord | undefined> {
    const json = await io(() => this.client.hget(this.k.accounts, id));
    return json === null ? undefined : toAccount(json);
  }

  async getAccountByEmail(email: string): Promise<AccountRecord | undefined> {
    const json = await io(() =>
      this.scripts.parvisAccountByEmail(this.k.accountsByEmail, this.k.accounts, email.toLowerCase()),
    );
    return json === null ? undefined : toAccount(json);
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await io(() => this.scripts.parvisSetPasswordHash(this.k.accounts, id, passwordHash));
  }

  async countAdmins(): Promise<number> {
    return io(() => this.client.scard(this.k.admins));
  }

  async grantRole(grant: RoleGrant): Promise<void> {
    const stored: RoleGrant = {
      eventId: grant.eventId,
      userId: grant.userId,
      displayName: grant.displayName,
      role: grant.role,
      grantedAt: grant.grantedAt,
    };
    await io(() => this.client.hset(this.k.roles(grant.eventId), grant.userId, JSON.stringify(stored)));
  }

  async revokeRole(eventId: string, userId: string): Promise<boolean> {
    return (await io(() => this.client.hdel(this.k.roles(eventId), userId))) === 1;
  }

  async roleIn(eventId: string, userId: string): Promise<EventRole | undefined> {
    const json = await io(() => this.client.hget(this.k.roles(eventId), userId));
    return json === null ? undefined : (JSON.parse(json) as RoleGrant).role;
  }

  async listRoles(eventId: string): Promise<RoleGrant[]> {
    const all = await io(() => this.client.hvals(this.k.roles(eventId)));
    return all.map((json) => JSON.parse(json) as RoleGrant).sort(byInstant((g) => g.grantedAt, (g) => g.userId));
  }

  async createSession(session: SessionRecord): Promise<void> {
    const key = this.k.session(session.id);
    const expiresMs = ms(session.expiresAt);
    // The session lives as long as the caller's clock says it should, counted from its creation.
    const ttl = expiresMs - ms(session.createdAt);
    const tx = this.client.multi().del(key);
    if (ttl > 0) {
      tx.hset(key, {
        userId: session.userId,
        tokenHash: session.tokenHash,
        expiresAt: session.expiresAt,
        expiresMs: String(expiresMs),
        createdAt: session.createdAt,
      })
        .pexpire(key, ttl)
        .sadd(this.k.sessionsOf(session.userId), session.id);
    }
    await exec(tx);
    await this.pruneSessionsOf(session.userId);
  }

  /** Forgets the ids of a person's sessions that have expired, so the set does not grow with every sign-in. */
  private async pruneSessionsOf(userId: string): Promise<void> {
    const setKey = this.k.sessionsOf(userId);
    const ids = await io(() => this.client.smembers(setKey));
    if (ids.length === 0) return;
    const alive = await exec(ids.reduce((p, id) => p.exists(this.k.session(id)), this.client.pipeline()));
    // An id whose key is gone cannot come back: session ids are never reused.
    const dead = ids.filter((_, i) => alive[i] === 0);
    if (dead.length) await io(() => this.client.srem(setKey, ...dead));
  }

  async rotateSession(
    id: string,
    currentHash: string,
    next: { tokenHash: string; expiresAt: string },
    now: string,
  ): Promise<SessionRecord | undefined> {
    const nextMs = ms(next.expiresAt);
    const nowMs = ms(now);
    const kept = await io(() =>
      this.scripts.parvisRotateSession(
        this.k.session(id),
        currentHash,
        next.tokenHash,
        next.expiresAt,
        String(nextMs),
        String(nowMs),
        String(nextMs - nowMs),
      ),
    );
    if (!kept) return undefined;
    const [userId, createdAt] = kept;
    return { id, userId, tokenHash: next.tokenHash, expiresAt: next.expiresAt, createdAt };
  }

  async deleteSession(id: string): Promise<void> {
    // Its id stays in the person's set until pruned: a dangling id is harmless.
    await io(() => this.client.del(this.k.session(id)));
  }

  async deleteSessionsOf(userId: string): Promise<void> {
    const setKey = this.k.sessionsOf(userId);
    const ids = await io(() => this.client.smembers(setKey));
    if (ids.length === 0) return;
    // Only the ids read are removed from the set: a session created meanwhile (after this sign-out) stays findable.
    await exec(
      this.client
        .multi()
        .del(...ids.map((id) => this.k.session(id)))
        .srem(setKey, ...ids),
    );
  }

  async revokeTokensOf(userId: string, notBefore: number): Promise<void> {
    // GT: the cutoff only moves forward, so a late or repeated call cannot make revoked tokens valid again.
    await io(() => this.client.zadd(this.k.tokenCutoffs, 'GT', Math.floor(notBefore), userId));
  }

  async tokensRevokedBefore(userId: string): Promise<number> {
    const score = await io(() => this.client.zscore(this.k.tokenCutoffs, userId));
    return score === null ? 0 : Number(score);
  }

  async revokeToken(jti: string, expiresAt: number): Promise<void> {
    // A token past its exp is refused anyway: nothing to remember (and EXAT refuses a time in the past).
    if (expiresAt <= Date.now() / 1000) return;
    await io(() => this.client.set(this.k.revoked(jti), '1', 'EXAT', Math.ceil(expiresAt)));
  }

  async isTokenRevoked(jti: string): Promise<boolean> {
    return (await io(() => this.client.exists(this.k.revoked(jti)))) === 1;
  }

  async createInvite(invite: Invite): Promise<void> {
    const stored: StoredInvite = { ...toInvite(invite), expiresMs: String(ms(invite.expiresAt)) };
    await exec(
      this.client
        .multi()
        .hset(this.k.invites(invite.eventId), invite.id, JSON.stringify(stored))
        .hset(this.k.inviteEvents, invite.id, invite.eventId),
    );
  }

  async getInvite(id: string): Promise<Invite | undefined> {
    const eventId = await io(() => this.client.hget(this.k.inviteEvents, id));
    if (eventId === null) return undefined;
    // The event may be deleted in between: then there is no invite any more either.
    const json = await io(() => this.client.hget(this.k.invites(eventId), id));
    return json === null ? undefined : toInvite(JSON.parse(json) as StoredInvite);
  }

  async listInvites(eventId: string): Promise<Invite[]> {
    const all = await io(() => this.client.hvals(this.k.invites(eventId)));
    return all
      .map((json) => toInvite(JSON.parse(json) as StoredInvite))
      .sort(byInstant((i) => i.createdAt, (i) => i.id));
  }

  async revokeInvite(id: string, at: string): Promise<boolean> {
    const eventId = await io(() => this.client.hget(this.k.inviteEvents, id));
    if (eventId === null) return false;
    return (await io(() => this.scripts.parvisRevokeInvite(this.k.invites(eventId), id, at))) === 1;
  }

  async useInvite(id: string, userId: string, now: string): Promise<Invite | undefined> {
    const nowMs = ms(now);
    const eventId = await io(() => this.client.hget(this.k.inviteEvents, id));
    if (eventId === null) return undefined;
    const json = await io(() =>
      this.scripts.parvisUseInvite(this.k.invites(eventId), id, userId, now, String(nowMs)),
    );
    return json === null ? undefined : toInvite(JSON.parse(json) as StoredInvite);
  }

  async deleteEventData(eventId: string): Promise<void> {
    await io(() => this.scripts.parvisDeleteEventAccess(this.k.roles(eventId), this.k.invites(eventId), this.k.inviteEvents));
  }
}

/** The AccountRecord fields only. */
function toAccount(json: string): AccountRecord {
  const { id, email, displayName, passwordHash, isAdmin, createdAt } = JSON.parse(json) as AccountRecord;
  return { id, email, displayName, passwordHash, isAdmin, createdAt };
}

/** The Invite fields only: drops what the store keeps for itself (expiresMs). */
function toInvite(i: Invite): Invite {
  return {
    id: i.id,
    eventId: i.eventId,
    role: i.role,
    createdBy: i.createdBy,
    createdAt: i.createdAt,
    expiresAt: i.expiresAt,
    revokedAt: i.revokedAt ?? null,
    usedBy: i.usedBy ?? null,
    usedAt: i.usedAt ?? null,
  };
}
