import { randomUUID } from 'node:crypto';
import { Redis, ReplyError, type ChainableCommander } from 'ioredis';
import type { ChatMessage } from '#shared/domain/chat';
import type { Event, EventQuery, Series } from '#shared/domain/event';
import type { AuditEntry, EventRole, Invite, RoleGrant } from '#shared/domain/account';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../../core/errors';
import { tombstone } from '../moderation-store';
import { RedisModerationStore, chatDeletedKey } from './redis-moderation';
import { RedisPollStore } from './redis-polls';
import type { QuestionState } from '#shared/domain/question';
import type {
  AccountRecord,
  AppendResult,
  MergeResult,
  NewChatMessage,
  NewQuestion,
  QuestionPatch,
  QuestionRecord,
  SessionRecord,
  StateChange,
  StateResult,
  Store,
  VoteResult,
} from '../store';

export interface RedisStoreOptions {
  /** Every key the store writes starts with this. Default `parvis:`. */
  prefix?: string;
  /**
   * Told about connection errors of a client the store opened (each failed reconnect attempt). Callers already get
   * UNAVAILABLE on every request meanwhile; this is for the log. Without it the errors are dropped, not printed.
   */
  onConnectionError?: (err: Error) => void;
}

/*
 * Key layout, all under the prefix P:
 *
 *   P events               hash   event id → Event JSON
 *   P events:by-start      zset   event id scored by startsAt in ms (ties ordered by id, as SQLite's ORDER BY)
 *   P series               hash   series id → Series JSON
 *   P meta                 hash   key → value
 *   P chat:{E}             stream one entry per message, ID `<offset>-0`, single field `m` = message JSON
 *   P chat:{E}:seq         string the last offset given out in event E (INCR)
 *   P chat:{E}:client      hash   JSON [authorId, clientId] → offset, the idempotency record
 *   P questions:{E}        hash   question id → QuestionRecord JSON (its `votes` kept equal to SCARD of its voters)
 *   P questions:{E}:client hash   JSON [authorId, clientId] → question id, the idempotency record
 *   P questions:{E}:voters:{Q} set  user ids that voted for question Q (the brace tag is E's, so every key of an
 *                                 event's Q&A shares one slot; scripts that reach a question's voters build its key
 *                                 from the prefix passed in ARGV)
 *   P roles:{E}            hash   user id → RoleGrant JSON, the roles held in event E
 *   P invites:{E}          hash   invite id → Invite JSON plus `expiresMs` (epoch ms, a string) for the scripts
 *   P invite-events        hash   invite id → its event id, to find an invite from its id alone
 *
 *   P accounts             hash   account id → AccountRecord JSON
 *   P accounts:by-email    hash   lower-case email → account id, the uniqueness record (HSETNX)
 *   P accounts:admins      set    ids of admin accounts
 *   P session:{S}          hash   userId, tokenHash, expiresAt, expiresMs, createdAt; expires with the session
 *   P sessions:of:{U}      set    ids of U's sessions; ids of expired ones are pruned when U signs in again
 *   P revoked:{jti}        string "1", expiring when the token does (SET EXAT)
 *   P tokens:not-before    zset   user id scored by their revocation cutoff in seconds (ZADD GT: only forward)
 *   P audit                hash   entry id → AuditEntry JSON
 *   P audit:by-time        zset   `<seq, 16 digits>:<entry id>` scored by `at` in ms; the seq orders entries of
 *                                 the same ms, last appended first when read in reverse
 *   P audit:seq            string the last seq given out (INCR)
 *
 * A demo reset (clearAll) deletes every key except meta and the people's keys (accounts, sessions, revocations,
 * audit): see survivesReset. Roles and invites belong to events and go with them.
 *
 * Events and series are hashes rather than one key each so that a single script can declare every key it reads
 * (listEvents) and a reset has few keys to delete. A programme is hundreds of events, so filtering the few fields
 * that the zset does not index (end, kind, series) happens in memory after one range read.
 *
 * Chat is a Stream keyed by offset rather than a sorted set: XRANGE from `<after+1>-0` and XREVRANGE with COUNT are
 * both O(log n + k), and Redis itself refuses an ID that is not greater than the last one, so an offset can never be
 * written twice or go backwards even if the counter were damaged. The event id sits in braces so that the three keys
 * of an event can never collide with another event's (an id may contain ':'), and so they would share a slot if
 * this ever ran on Redis Cluster, which a multi-key script requires.
 */
function keys(prefix: string) {
  return {
    events: `${prefix}events`,
    eventsByStart: `${prefix}events:by-start`,
    series: `${prefix}series`,
    meta: `${prefix}meta`,
    chat: (eventId: string) => `${prefix}chat:{${eventId}}`,
    chatSeq: (eventId: string) => `${prefix}chat:{${eventId}}:seq`,
    chatClient: (eventId: string) => `${prefix}chat:{${eventId}}:client`,
    questions: (eventId: string) => `${prefix}questions:{${eventId}}`,
    questionsClient: (eventId: string) => `${prefix}questions:{${eventId}}:client`,
    /** Followed by a question id: that question's voter set. */
    votersPrefix: (eventId: string) => `${prefix}questions:{${eventId}}:voters:`,
    roles: (eventId: string) => `${prefix}roles:{${eventId}}`,
    invites: (eventId: string) => `${prefix}invites:{${eventId}}`,
    inviteEvents: `${prefix}invite-events`,
    accounts: `${prefix}accounts`,
    accountsByEmail: `${prefix}accounts:by-email`,
    admins: `${prefix}accounts:admins`,
    session: (sessionId: string) => `${prefix}session:{${sessionId}}`,
    sessionsOf: (userId: string) => `${prefix}sessions:of:{${userId}}`,
    revoked: (jti: string) => `${prefix}revoked:{${jti}}`,
    tokenCutoffs: `${prefix}tokens:not-before`,
    audit: `${prefix}audit`,
    auditByTime: `${prefix}audit:by-time`,
    auditSeq: `${prefix}audit:seq`,
  };
}

/**
 * Keys (after the prefix) that a demo reset keeps: meta, and everything about people rather than events, and the
 * generated signing key (modules/access/jwt-secret.ts), which running processes hold and SQLite keeps in a file.
 */
const SURVIVING_KEYS = new Set([
  'meta',
  'jwt-secret',
  'accounts',
  'accounts:by-email',
  'accounts:admins',
  'tokens:not-before',
  'audit',
  'audit:by-time',
  'audit:seq',
]);
const SURVIVING_FAMILIES = ['session:{', 'sessions:of:{', 'revoked:{'];

function survivesReset(name: string): boolean {
  return SURVIVING_KEYS.has(name) || SURVIVING_FAMILIES.some((family) => name.startsWith(family));
}

/**
 * appendChat, atomically.
 * KEYS: 1 offset counter, 2 chat stream, 3 idempotency hash.
 * ARGV: 1 idempotency field, 2 message JSON (everything but eventId and offset, which the key and entry ID carry).
 * Returns { created (1|0), offset, message JSON }: when the field is already known, the stored message, untouched.
 */
const APPEND_CHAT_LUA = `
local known = redis.call('HGET', KEYS[3], ARGV[1])
if known then
  local entry = redis.call('XRANGE', KEYS[2], known .. '-0', known .. '-0')[1]
  return { 0, known, entry[2][2] }
end
local offset = redis.call('INCR', KEYS[1])
redis.call('XADD', KEYS[2], offset .. '-0', 'm', ARGV[2])
redis.call('HSET', KEYS[3], ARGV[1], offset)
return { 1, tostring(offset), ARGV[2] }
`;

/**
 * The events that start at or before a bound, in start order, read in one step so that a concurrent saveProgramme
 * is seen entirely or not at all.
 * KEYS: 1 events:by-start zset, 2 events hash. ARGV: 1 highest start score (ms, or +inf).
 * Returns the Event JSON strings.
 */
const EVENTS_UNTIL_LUA = `
local ids = redis.call('ZRANGE', KEYS[1], '-inf', ARGV[1], 'BYSCORE')
local out = {}
for i, id in ipairs(ids) do
  out[i] = redis.call('HGET', KEYS[2], id)
end
return out
`;

/**
 * deleteEvent, atomically: the event with its chat, questions, roles and invites.
 * KEYS: 1 events, 2 events:by-start, 3 chat stream, 4 chat seq, 5 chat idempotency, 6 roles, 7 invites of the
 * event, 8 invite-events, 9 questions, 10 questions' idempotency. ARGV: 1 event id, 2 voters key prefix.
 * Returns 1 when the event existed, else 0.
 */
const DELETE_EVENT_LUA = `
for _, qid in ipairs(redis.call('HKEYS', KEYS[9])) do
  redis.call('DEL', ARGV[2] .. qid)
end
redis.call('DEL', KEYS[9], KEYS[10])
local existed = redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
local ids = redis.call('HKEYS', KEYS[7])
for i = 1, #ids, 500 do
  redis.call('HDEL', KEYS[8], unpack(ids, i, math.min(i + 499, #ids)))
end
redis.call('DEL', KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7])
return existed
`;

/**
 * deleteSeries, as a compare-and-set: the caller read the events and sends the new JSON of those in the series
 * (re-encoding events in Lua would turn an empty array into an object). Refused, for the caller to read again, when
 * one of those events changed since or another event joined the series meanwhile.
 * KEYS: 1 series, 2 events. ARGV: 1 series id, 2 the text `"seriesId":<id as JSON>`, then per event to unlink:
 * event id, JSON as read, new JSON. Returns 1 when deleted, 0 when there was no such series, -1 on a conflict.
 */
const DELETE_SERIES_LUA = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
local unlinking = {}
for i = 3, #ARGV, 3 do
  if redis.call('HGET', KEYS[2], ARGV[i]) ~= ARGV[i + 1] then return -1 end
  unlinking[ARGV[i]] = true
end
local all = redis.call('HGETALL', KEYS[2])
for i = 1, #all, 2 do
  if not unlinking[all[i]] and string.find(all[i + 1], ARGV[2], 1, true) then return -1 end
end
redis.call('HDEL', KEYS[1], ARGV[1])
for i = 3, #ARGV, 3 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 2])
end
return 1
`;

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
 * appendAudit; an id already in the log is kept as first written.
 * KEYS: 1 audit, 2 audit:by-time, 3 audit:seq. ARGV: 1 id, 2 entry JSON, 3 at in ms.
 */
const APPEND_AUDIT_LUA = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
local seq = redis.call('INCR', KEYS[3])
redis.call('ZADD', KEYS[2], ARGV[3], string.format('%016d', seq) .. ':' .. ARGV[1])
return 1
`;

/**
 * listAudit: newest first, ties last appended first.
 * KEYS: 1 audit:by-time, 2 audit. ARGV: 1 highest score ('+inf' or '(<ms>', exclusive), 2 limit.
 * Returns the entry JSON strings.
 */
const LIST_AUDIT_LUA = `
local members = redis.call('ZRANGE', KEYS[1], ARGV[1], '-inf', 'BYSCORE', 'REV', 'LIMIT', 0, ARGV[2])
local out = {}
for i, member in ipairs(members) do
  out[i] = redis.call('HGET', KEYS[2], string.sub(member, 18))
end
return out
`;

/*
 * Questions. A QuestionRecord is flat apart from `author` (two strings), so cjson gives it back as it was; nulls stay
 * nulls. `allowed` lists of states arrive as one comma-separated ARGV.
 */
const QUESTION_LUA_PRELUDE = `
local function allowed(state, list) return string.find(',' .. list .. ',', ',' .. state .. ',', 1, true) ~= nil end
`;

/**
 * askQuestion. KEYS: 1 questions, 2 idempotency hash. ARGV: 1 idempotency field, 2 new id, 3 record JSON.
 * Returns { created (1|0), record JSON }.
 */
const ASK_QUESTION_LUA = `
local known = redis.call('HGET', KEYS[2], ARGV[1])
if known then return { 0, redis.call('HGET', KEYS[1], known) } end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return { 1, ARGV[3] }
`;

/**
 * vote. KEYS: 1 questions, 2 the question's voters. ARGV: 1 question id, 2 user id, 3 '1' up / '0' withdraw.
 * Returns { 0 } not found, { 2, JSON } when the question takes no votes, { 1, JSON, changed (1|0) }.
 */
const VOTE_LUA = `
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return { 0 } end
local q = cjson.decode(json)
if q.state ~= 'approved' and q.state ~= 'live' then return { 2, json } end
local changed
if ARGV[3] == '1' then changed = redis.call('SADD', KEYS[2], ARGV[2]) else changed = redis.call('SREM', KEYS[2], ARGV[2]) end
if changed == 1 then
  q.votes = redis.call('SCARD', KEYS[2])
  json = cjson.encode(q)
  redis.call('HSET', KEYS[1], ARGV[1], json)
end
return { 1, json, changed }
`;

/** votesBy. KEYS: 1 questions. ARGV: 1 voters key prefix, 2 user id. Returns the question ids. */
const VOTES_BY_LUA = `
local out = {}
for _, qid in ipairs(redis.call('HKEYS', KEYS[1])) do
  if redis.call('SISMEMBER', ARGV[1] .. qid, ARGV[2]) == 1 then out[#out + 1] = qid end
end
return out
`;

/**
 * setQuestionState. KEYS: 1 questions. ARGV: 1 id, 2 target state, 3 allowed states, 4 at, 5 '1' when a reason
 * follows, 6 reason. Returns { 0 } not found, { 2, JSON } refused, { 1, JSON, previous state [, the previous live
 * question, now answered, JSON] }.
 */
const SET_QUESTION_STATE_LUA = `${QUESTION_LUA_PRELUDE}
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return { 0 } end
local q = cjson.decode(json)
if not allowed(q.state, ARGV[3]) then return { 2, json } end
local previous = q.state
local answered = false
if ARGV[2] == 'live' then
  local all = redis.call('HGETALL', KEYS[1])
  for i = 1, #all, 2 do
    if all[i] ~= ARGV[1] then
      local other = cjson.decode(all[i + 1])
      if other.state == 'live' then
        other.state = 'answered'
        other.answeredAt = ARGV[4]
        answered = cjson.encode(other)
        redis.call('HSET', KEYS[1], all[i], answered)
      end
    end
  end
  q.liveAt = ARGV[4]
elseif ARGV[2] == 'answered' then
  q.answeredAt = ARGV[4]
elseif ARGV[2] == 'rejected' then
  if ARGV[5] == '1' then q.rejectedReason = ARGV[6] else q.rejectedReason = cjson.null end
end
q.state = ARGV[2]
local out = cjson.encode(q)
redis.call('HSET', KEYS[1], ARGV[1], out)
if answered then return { 1, out, previous, answered } end
return { 1, out, previous }
`;

/**
 * mergeQuestion. KEYS: 1 questions, 2 from's voters, 3 into's voters. ARGV: 1 from id, 2 into id, 3 allowed states
 * of from, 4 of into. Returns { 0 } not found, { 2, from JSON, into JSON } refused, { 1, from JSON, into JSON, from's
 * previous state }.
 */
const MERGE_QUESTION_LUA = `${QUESTION_LUA_PRELUDE}
local fj = redis.call('HGET', KEYS[1], ARGV[1])
local ij = redis.call('HGET', KEYS[1], ARGV[2])
if not fj or not ij then return { 0 } end
local from = cjson.decode(fj)
local into = cjson.decode(ij)
if ARGV[1] == ARGV[2] or not allowed(from.state, ARGV[3]) or not allowed(into.state, ARGV[4]) then return { 2, fj, ij } end
local previous = from.state
redis.call('SUNIONSTORE', KEYS[3], KEYS[3], KEYS[2])
into.votes = redis.call('SCARD', KEYS[3])
from.state = 'merged'
from.mergedInto = ARGV[2]
fj = cjson.encode(from)
ij = cjson.encode(into)
redis.call('HSET', KEYS[1], ARGV[1], fj, ARGV[2], ij)
return { 1, fj, ij, previous }
`;

/** updateQuestion. KEYS: 1 questions. ARGV: 1 id, 2 patch JSON (only the fields to change). Returns JSON or nil. */
const UPDATE_QUESTION_LUA = `
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return false end
local q = cjson.decode(json)
for k, v in pairs(cjson.decode(ARGV[2])) do q[k] = v end
local out = cjson.encode(q)
redis.call('HSET', KEYS[1], ARGV[1], out)
return out
`;

/** The scripts as ioredis exposes them once `defineCommand` ran (EVALSHA, falling back to EVAL after a restart). */
interface ScriptCommands {
  parvisAppendChat(seqKey: string, chatKey: string, clientKey: string, field: string, body: string): Promise<[number, string, string]>;
  parvisEventsUntil(byStartKey: string, eventsKey: string, maxScore: string): Promise<string[]>;
  parvisDeleteEvent(...keysThenEventId: string[]): Promise<number>;
  parvisDeleteSeries(seriesKey: string, eventsKey: string, seriesId: string, needle: string, ...triples: string[]): Promise<number>;
  parvisCreateAccount(
    accountsKey: string,
    byEmailKey: string,
    adminsKey: string,
    id: string,
    email: string,
    hasEmail: string,
    json: string,
    isAdmin: string,
  ): Promise<number>;
  parvisAccountByEmail(byEmailKey: string, accountsKey: string, email: string): Promise<string | null>;
  parvisSetPasswordHash(accountsKey: string, id: string, hash: string): Promise<number>;
  parvisRotateSession(
    sessionKey: string,
    currentHash: string,
    nextHash: string,
    nextExpiresAt: string,
    nextExpiresMs: string,
    nowMs: string,
    ttlMs: string,
  ): Promise<[userId: string, createdAt: string] | null>;
  parvisUseInvite(invitesKey: string, id: string, userId: string, now: string, nowMs: string): Promise<string | null>;
  parvisRevokeInvite(invitesKey: string, id: string, at: string): Promise<number | null>;
  parvisAppendAudit(auditKey: string, byTimeKey: string, seqKey: string, id: string, json: string, atMs: string): Promise<number>;
  parvisListAudit(byTimeKey: string, auditKey: string, maxScore: string, limit: string): Promise<(string | null)[]>;
  parvisAskQuestion(questionsKey: string, clientKey: string, field: string, id: string, json: string): Promise<[number, string]>;
  parvisVote(questionsKey: string, votersKey: string, id: string, userId: string, up: string): Promise<[number, string?, number?]>;
  parvisVotesBy(questionsKey: string, votersPrefix: string, userId: string): Promise<string[]>;
  parvisSetQuestionState(
    questionsKey: string,
    id: string,
    to: string,
    allowed: string,
    at: string,
    hasReason: string,
    reason: string,
  ): Promise<[number, string?, string?, string?]>;
  parvisMergeQuestion(
    questionsKey: string,
    fromVoters: string,
    intoVoters: string,
    fromId: string,
    intoId: string,
    allowedFrom: string,
    allowedInto: string,
  ): Promise<[number, string?, string?, string?]>;
  parvisUpdateQuestion(questionsKey: string, id: string, patch: string): Promise<string | null>;
}

/** An invite as stored in its event's hash: with its expiry in ms, which the scripts compare. */
type StoredInvite = Invite & { expiresMs: string };

/** The part of a ChatMessage stored in the stream entry. */
type StoredMessage = Omit<ChatMessage, 'eventId' | 'offset'>;

/*
 * A Redis that is down must not hang requests. Once connected, the offline queue is off, so a call made while the
 * connection is down fails at once instead of waiting for a reconnect; commandTimeout bounds a call sent to a
 * server that stopped answering (hung, or a dead peer that sent no FIN). Unfulfilled commands are not resent after a
 * reconnect: their caller was already told UNAVAILABLE. Reconnection never stops, with backoff capped at 1 s, so
 * the process recovers by itself when Redis is back.
 */
const CLIENT_OPTIONS = {
  lazyConnect: true,
  enableOfflineQueue: false,
  commandTimeout: 2000,
  connectTimeout: 2000,
  maxRetriesPerRequest: 1,
  autoResendUnfulfilledCommands: false,
  retryStrategy: (attempt: number) => Math.min(50 * 2 ** attempt, 1000),
} as const;

/*
 * Server replies that mean "not now" rather than "wrong command": loading the dataset after a restart, a script
 * running too long, a replica without its master, a failed disk write.
 */
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|MISCONF|READONLY|TRYAGAIN|CLUSTERDOWN|NOREPLICAS)\b/;

export function unavailable(err: unknown): unknown {
  if (err instanceof ReplyError && !TRANSIENT_REPLY.test((err as Error).message)) return err;
  const mapped = new DomainError(ErrorCode.UNAVAILABLE, 'The store is unavailable for a moment: try again');
  mapped.cause = err;
  return mapped;
}

/**
 * Opens the Redis store. Given a URL, it connects (rejecting with UNAVAILABLE when Redis cannot be reached) and
 * `close()` will quit that connection. Given a client, it uses it as it is configured and leaves it open on
 * `close()`; it defines the store's scripts on it.
 */
export async function openRedisStore(target: string | Redis, opts: RedisStoreOptions = {}): Promise<Store> {
  const prefix = opts.prefix ?? 'parvis:';
  if (typeof target !== 'string') return new RedisStore(target, prefix, false);

  const client = new Redis(target, CLIENT_OPTIONS);
  client.on('error', opts.onConnectionError ?? (() => {}));
  try {
    await client.connect();
  } catch (err) {
    client.disconnect();
    throw unavailable(err);
  }
  return new RedisStore(client, prefix, true);
}

class RedisStore implements Store {
  readonly kind = 'redis' as const;
  readonly moderation: RedisModerationStore;
  readonly polls: RedisPollStore;
  private readonly k: ReturnType<typeof keys>;
  private readonly scripts: ScriptCommands;

  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
    private readonly ownsClient: boolean,
  ) {
    this.k = keys(prefix);
    this.moderation = new RedisModerationStore(client, prefix);
    this.polls = new RedisPollStore(client, prefix);
    client.defineCommand('parvisAppendChat', { lua: APPEND_CHAT_LUA, numberOfKeys: 3 });
    client.defineCommand('parvisEventsUntil', { lua: EVENTS_UNTIL_LUA, numberOfKeys: 2 });
    client.defineCommand('parvisDeleteEvent', { lua: DELETE_EVENT_LUA, numberOfKeys: 10 });
    client.defineCommand('parvisAskQuestion', { lua: ASK_QUESTION_LUA, numberOfKeys: 2 });
    client.defineCommand('parvisVote', { lua: VOTE_LUA, numberOfKeys: 2 });
    client.defineCommand('parvisVotesBy', { lua: VOTES_BY_LUA, numberOfKeys: 1 });
    client.defineCommand('parvisSetQuestionState', { lua: SET_QUESTION_STATE_LUA, numberOfKeys: 1 });
    client.defineCommand('parvisMergeQuestion', { lua: MERGE_QUESTION_LUA, numberOfKeys: 3 });
    client.defineCommand('parvisUpdateQuestion', { lua: UPDATE_QUESTION_LUA, numberOfKeys: 1 });
    client.defineCommand('parvisDeleteSeries', { lua: DELETE_SERIES_LUA, numberOfKeys: 2 });
    client.defineCommand('parvisCreateAccount', { lua: CREATE_ACCOUNT_LUA, numberOfKeys: 3 });
    client.defineCommand('parvisAccountByEmail', { lua: ACCOUNT_BY_EMAIL_LUA, numberOfKeys: 2 });
    client.defineCommand('parvisSetPasswordHash', { lua: SET_PASSWORD_HASH_LUA, numberOfKeys: 1 });
    client.defineCommand('parvisRotateSession', { lua: ROTATE_SESSION_LUA, numberOfKeys: 1 });
    client.defineCommand('parvisUseInvite', { lua: USE_INVITE_LUA, numberOfKeys: 1 });
    client.defineCommand('parvisRevokeInvite', { lua: REVOKE_INVITE_LUA, numberOfKeys: 1 });
    client.defineCommand('parvisAppendAudit', { lua: APPEND_AUDIT_LUA, numberOfKeys: 3 });
    client.defineCommand('parvisListAudit', { lua: LIST_AUDIT_LUA, numberOfKeys: 2 });
    this.scripts = client as unknown as ScriptCommands;
  }

  /** Runs one round trip, turning a lost or hung connection into UNAVAILABLE. */
  private async io<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      throw unavailable(err);
    }
  }

  async listEvents(query: EventQuery): Promise<Event[]> {
    // An event belongs to [from, to] when it overlaps it: starts by `to` (the zset bound) and ends at or after `from`.
    const maxScore = query.to ? String(Date.parse(query.to)) : '+inf';
    const raw = await this.io(() => this.scripts.parvisEventsUntil(this.k.eventsByStart, this.k.events, maxScore));
    const from = query.from ? Date.parse(query.from) : -Infinity;
    return raw
      .filter((json): json is string => typeof json === 'string')
      .map((json) => JSON.parse(json) as Event)
      .filter(
        (e) =>
          Date.parse(e.endsAt) >= from &&
          (!query.kind || e.kind === query.kind) &&
          (!query.series || e.seriesId === query.series),
      );
  }

  async getEvent(id: string): Promise<Event | undefined> {
    const json = await this.io(() => this.client.hget(this.k.events, id));
    return json === null ? undefined : (JSON.parse(json) as Event);
  }

  async listSeries(): Promise<Series[]> {
    const all = await this.io(() => this.client.hgetall(this.k.series));
    return Object.values(all)
      .map((json) => JSON.parse(json) as Series)
      .sort((a, b) => compare(a.title, b.title) || compare(a.id, b.id));
  }

  async saveProgramme(series: Series[], events: Event[]): Promise<void> {
    if (series.length === 0 && events.length === 0) return;
    // MULTI/EXEC: a reader sees the programme before or after, never half of it.
    const tx = this.client.multi();
    if (series.length) tx.hset(this.k.series, Object.fromEntries(series.map((s) => [s.id, JSON.stringify(s)])));
    if (events.length) {
      tx.hset(this.k.events, Object.fromEntries(events.map((e) => [e.id, JSON.stringify(e)])));
      tx.zadd(this.k.eventsByStart, ...events.flatMap((e) => [Date.parse(e.startsAt), e.id]));
    }
    const results = await this.io(() => tx.exec());
    const failed = results?.find(([err]) => err);
    if (!results || failed) throw failed?.[0] ?? new Error('saveProgramme transaction was discarded');
  }

  async clearAll(): Promise<void> {
    // SCAN rather than KEYS so a large database is not blocked. What survives is the same as in SQLite.
    const pattern = `${escapeGlob(this.prefix)}*`;
    let cursor = '0';
    do {
      const [next, found] = await this.io(() => this.client.scan(cursor, 'MATCH', pattern, 'COUNT', 500));
      cursor = next;
      const doomed = found.filter((key) => !survivesReset(key.slice(this.prefix.length)));
      if (doomed.length) await this.io(() => this.client.unlink(...doomed));
    } while (cursor !== '0');
    await this.moderation.clearAll();
    await this.polls.clearAll();
  }

  async appendChat(m: NewChatMessage): Promise<AppendResult> {
    const stored: StoredMessage = { id: randomUUID(), author: m.author, text: m.text, sentAt: m.sentAt, clientId: m.clientId };
    const [created, offset, body] = await this.io(() =>
      this.scripts.parvisAppendChat(
        this.k.chatSeq(m.eventId),
        this.k.chat(m.eventId),
        this.k.chatClient(m.eventId),
        JSON.stringify([m.author.id, m.clientId]),
        JSON.stringify(stored),
      ),
    );
    const message = toMessage(m.eventId, Number(offset), body);
    // A retry of a message deleted since gets its tombstone, as every other reader does.
    if (created === 0 && (await this.io(() => this.client.sismember(chatDeletedKey(this.prefix, m.eventId), message.id)))) {
      return { message: tombstone(message), created: false };
    }
    return { message, created: created === 1 };
  }

  async chatAfter(eventId: string, afterOffset: number, max: number): Promise<ChatMessage[]> {
    if (max <= 0) return [];
    const start = `${Math.max(0, Math.floor(afterOffset)) + 1}-0`;
    return this.readChat(eventId, (tx) => tx.xrange(this.k.chat(eventId), start, '+', 'COUNT', max), false);
  }

  async chatTail(eventId: string, count: number): Promise<ChatMessage[]> {
    if (count <= 0) return [];
    return this.readChat(eventId, (tx) => tx.xrevrange(this.k.chat(eventId), '+', '-', 'COUNT', count), true);
  }

  /**
   * Reads stream entries together with the event's deleted ids (one MULTI, so a deletion is seen entirely or not),
   * and answers deleted messages as tombstones: a stream entry cannot be edited.
   */
  private async readChat(eventId: string, read: (tx: ChainableCommander) => ChainableCommander, newestFirst: boolean): Promise<ChatMessage[]> {
    const tx = read(this.client.multi()).smembers(chatDeletedKey(this.prefix, eventId));
    const results = await this.io(() => tx.exec());
    const failed = results?.find(([err]) => err);
    if (!results || failed) throw unavailable(failed?.[0] ?? new Error('chat read transaction was discarded'));
    const entries = results[0]![1] as [id: string, fields: string[]][];
    const deleted = new Set(results[1]![1] as string[]);
    if (newestFirst) entries.reverse();
    return entries.map((entry) => {
      const message = fromEntry(eventId, entry);
      return deleted.has(message.id) ? tombstone(message) : message;
    });
  }

  async lastChatOffset(eventId: string): Promise<number> {
    // Offsets have no gaps, so the counter is the newest offset.
    return Number(await this.io(() => this.client.get(this.k.chatSeq(eventId)))) || 0;
  }

  async askQuestion(q: NewQuestion): Promise<{ question: QuestionRecord; created: boolean }> {
    const record: QuestionRecord = {
      id: randomUUID(),
      eventId: q.eventId,
      text: q.text,
      anonymous: q.anonymous,
      author: { id: q.author.id, displayName: q.author.displayName },
      clientId: q.clientId,
      state: q.state,
      votes: 0,
      starred: false,
      position: null,
      createdAt: q.createdAt,
      liveAt: null,
      answeredAt: null,
      rejectedReason: null,
      mergedInto: null,
    };
    const [created, json] = await this.io(() =>
      this.scripts.parvisAskQuestion(
        this.k.questions(q.eventId),
        this.k.questionsClient(q.eventId),
        JSON.stringify([q.author.id, q.clientId]),
        record.id,
        JSON.stringify(record),
      ),
    );
    return { question: toQuestion(json), created: created === 1 };
  }

  async getQuestion(eventId: string, questionId: string): Promise<QuestionRecord | undefined> {
    const json = await this.io(() => this.client.hget(this.k.questions(eventId), questionId));
    return json === null ? undefined : toQuestion(json);
  }

  async listQuestions(eventId: string): Promise<QuestionRecord[]> {
    const all = await this.io(() => this.client.hvals(this.k.questions(eventId)));
    return all.map(toQuestion).sort(byInstant((q) => q.createdAt, (q) => q.id));
  }

  async vote(eventId: string, questionId: string, userId: string, up: boolean): Promise<VoteResult> {
    const [outcome, json, changed] = await this.io(() =>
      this.scripts.parvisVote(
        this.k.questions(eventId),
        this.k.votersPrefix(eventId) + questionId,
        questionId,
        userId,
        up ? '1' : '0',
      ),
    );
    if (outcome === 0) return { outcome: 'not-found' };
    if (outcome === 2) return { outcome: 'closed', question: toQuestion(json!) };
    return { outcome: 'counted', question: toQuestion(json!), changed: changed === 1 };
  }

  async votesBy(eventId: string, userId: string): Promise<string[]> {
    const ids = await this.io(() =>
      this.scripts.parvisVotesBy(this.k.questions(eventId), this.k.votersPrefix(eventId), userId),
    );
    return ids.sort(compare);
  }

  async setQuestionState(eventId: string, questionId: string, change: StateChange): Promise<StateResult> {
    const hasReason = change.reason !== undefined && change.reason !== null;
    const [outcome, json, previous, answered] = await this.io(() =>
      this.scripts.parvisSetQuestionState(
        this.k.questions(eventId),
        questionId,
        change.to,
        change.from.join(','),
        change.at,
        hasReason ? '1' : '0',
        hasReason ? change.reason! : '',
      ),
    );
    if (outcome === 0) return { outcome: 'not-found' };
    if (outcome === 2) return { outcome: 'refused', question: toQuestion(json!) };
    const changed = { outcome: 'changed', question: toQuestion(json!), previous: previous as QuestionState } as const;
    return answered ? { ...changed, answered: toQuestion(answered) } : changed;
  }

  async mergeQuestion(
    eventId: string,
    fromId: string,
    intoId: string,
    allowed: { from: readonly QuestionState[]; into: readonly QuestionState[] },
  ): Promise<MergeResult> {
    const voters = this.k.votersPrefix(eventId);
    const [outcome, fj, ij, previous] = await this.io(() =>
      this.scripts.parvisMergeQuestion(
        this.k.questions(eventId),
        voters + fromId,
        voters + intoId,
        fromId,
        intoId,
        allowed.from.join(','),
        allowed.into.join(','),
      ),
    );
    if (outcome === 0) return { outcome: 'not-found' };
    const from = toQuestion(fj!);
    const into = toQuestion(ij!);
    return outcome === 2
      ? { outcome: 'refused', from, into }
      : { outcome: 'merged', from, into, previous: previous as QuestionState };
  }

  async updateQuestion(eventId: string, questionId: string, patch: QuestionPatch): Promise<QuestionRecord | undefined> {
    const fields: QuestionPatch = {};
    if (patch.text !== undefined) fields.text = patch.text;
    if (patch.starred !== undefined) fields.starred = patch.starred;
    if (patch.position !== undefined) fields.position = patch.position;
    const json = await this.io(() =>
      this.scripts.parvisUpdateQuestion(this.k.questions(eventId), questionId, JSON.stringify(fields)),
    );
    return json === null ? undefined : toQuestion(json);
  }

  async deleteEvent(id: string): Promise<boolean> {
    const k = this.k;
    const existed = await this.io(() =>
      this.scripts.parvisDeleteEvent(
        k.events,
        k.eventsByStart,
        k.chat(id),
        k.chatSeq(id),
        k.chatClient(id),
        k.roles(id),
        k.invites(id),
        k.inviteEvents,
        k.questions(id),
        k.questionsClient(id),
        id,
        k.votersPrefix(id),
      ),
    );
    await this.moderation.deleteEventData(id);
    await this.polls.deleteEventData(id);
    return existed === 1;
  }

  async deleteSeries(id: string): Promise<boolean> {
    const needle = `"seriesId":${JSON.stringify(id)}`;
    // A conflict means the programme changed between the read and the script: read again. Admin edits are rare, so
    // a few attempts are plenty.
    for (let attempt = 1; attempt <= 5; attempt++) {
      const all = await this.io(() => this.client.hgetall(this.k.events));
      const triples: string[] = [];
      for (const [eventId, json] of Object.entries(all)) {
        const { seriesId, ...unlinked } = JSON.parse(json) as Event;
        if (seriesId === id) triples.push(eventId, json, JSON.stringify(unlinked));
      }
      const result = await this.io(() =>
        this.scripts.parvisDeleteSeries(this.k.series, this.k.events, id, needle, ...triples),
      );
      if (result !== -1) return result === 1;
    }
    throw new DomainError(ErrorCode.CONFLICT, 'The programme kept changing while the series was deleted: try again');
  }

  async createAccount(account: AccountRecord): Promise<boolean> {
    const stored: AccountRecord = { ...account, email: account.email === null ? null : account.email.toLowerCase() };
    const created = await this.io(() =>
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
    const json = await this.io(() => this.client.hget(this.k.accounts, id));
    return json === null ? undefined : toAccount(json);
  }

  async getAccountByEmail(email: string): Promise<AccountRecord | undefined> {
    const json = await this.io(() =>
      this.scripts.parvisAccountByEmail(this.k.accountsByEmail, this.k.accounts, email.toLowerCase()),
    );
    return json === null ? undefined : toAccount(json);
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.io(() => this.scripts.parvisSetPasswordHash(this.k.accounts, id, passwordHash));
  }

  async countAdmins(): Promise<number> {
    return this.io(() => this.client.scard(this.k.admins));
  }

  async grantRole(grant: RoleGrant): Promise<void> {
    const stored: RoleGrant = {
      eventId: grant.eventId,
      userId: grant.userId,
      displayName: grant.displayName,
      role: grant.role,
      grantedAt: grant.grantedAt,
    };
    await this.io(() => this.client.hset(this.k.roles(grant.eventId), grant.userId, JSON.stringify(stored)));
  }

  async revokeRole(eventId: string, userId: string): Promise<boolean> {
    return (await this.io(() => this.client.hdel(this.k.roles(eventId), userId))) === 1;
  }

  async roleIn(eventId: string, userId: string): Promise<EventRole | undefined> {
    const json = await this.io(() => this.client.hget(this.k.roles(eventId), userId));
    return json === null ? undefined : (JSON.parse(json) as RoleGrant).role;
  }

  async listRoles(eventId: string): Promise<RoleGrant[]> {
    const all = await this.io(() => this.client.hvals(this.k.roles(eventId)));
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
    await this.exec(tx);
    await this.pruneSessionsOf(session.userId);
  }

  /** Forgets the ids of a person's sessions that have expired, so the set does not grow with every sign-in. */
  private async pruneSessionsOf(userId: string): Promise<void> {
    const setKey = this.k.sessionsOf(userId);
    const ids = await this.io(() => this.client.smembers(setKey));
    if (ids.length === 0) return;
    const alive = await this.exec(ids.reduce((p, id) => p.exists(this.k.session(id)), this.client.pipeline()));
    // An id whose key is gone cannot come back: session ids are never reused.
    const dead = ids.filter((_, i) => alive[i] === 0);
    if (dead.length) await this.io(() => this.client.srem(setKey, ...dead));
  }

  async rotateSession(
    id: string,
    currentHash: string,
    next: { tokenHash: string; expiresAt: string },
    now: string,
  ): Promise<SessionRecord | undefined> {
    const nextMs = ms(next.expiresAt);
    const nowMs = ms(now);
    const kept = await this.io(() =>
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
    await this.io(() => this.client.del(this.k.session(id)));
  }

  async deleteSessionsOf(userId: string): Promise<void> {
    const setKey = this.k.sessionsOf(userId);
    const ids = await this.io(() => this.client.smembers(setKey));
    if (ids.length === 0) return;
    // Only the ids read are removed from the set: a session created meanwhile (after this sign-out) stays findable.
    await this.exec(
      this.client
        .multi()
        .del(...ids.map((id) => this.k.session(id)))
        .srem(setKey, ...ids),
    );
  }

  async revokeTokensOf(userId: string, notBefore: number): Promise<void> {
    // GT: the cutoff only moves forward, so a late or repeated call cannot make revoked tokens valid again.
    await this.io(() => this.client.zadd(this.k.tokenCutoffs, 'GT', Math.floor(notBefore), userId));
  }

  async tokensRevokedBefore(userId: string): Promise<number> {
    const score = await this.io(() => this.client.zscore(this.k.tokenCutoffs, userId));
    return score === null ? 0 : Number(score);
  }

  async revokeToken(jti: string, expiresAt: number): Promise<void> {
    // A token past its exp is refused anyway: nothing to remember (and EXAT refuses a time in the past).
    if (expiresAt <= Date.now() / 1000) return;
    await this.io(() => this.client.set(this.k.revoked(jti), '1', 'EXAT', Math.ceil(expiresAt)));
  }

  async isTokenRevoked(jti: string): Promise<boolean> {
    return (await this.io(() => this.client.exists(this.k.revoked(jti)))) === 1;
  }

  async createInvite(invite: Invite): Promise<void> {
    const stored: StoredInvite = { ...toInvite(invite), expiresMs: String(ms(invite.expiresAt)) };
    await this.exec(
      this.client
        .multi()
        .hset(this.k.invites(invite.eventId), invite.id, JSON.stringify(stored))
        .hset(this.k.inviteEvents, invite.id, invite.eventId),
    );
  }

  async getInvite(id: string): Promise<Invite | undefined> {
    const eventId = await this.io(() => this.client.hget(this.k.inviteEvents, id));
    if (eventId === null) return undefined;
    // The event may be deleted in between: then there is no invite any more either.
    const json = await this.io(() => this.client.hget(this.k.invites(eventId), id));
    return json === null ? undefined : toInvite(JSON.parse(json) as StoredInvite);
  }

  async listInvites(eventId: string): Promise<Invite[]> {
    const all = await this.io(() => this.client.hvals(this.k.invites(eventId)));
    return all
      .map((json) => toInvite(JSON.parse(json) as StoredInvite))
      .sort(byInstant((i) => i.createdAt, (i) => i.id));
  }

  async revokeInvite(id: string, at: string): Promise<boolean> {
    const eventId = await this.io(() => this.client.hget(this.k.inviteEvents, id));
    if (eventId === null) return false;
    return (await this.io(() => this.scripts.parvisRevokeInvite(this.k.invites(eventId), id, at))) === 1;
  }

  async useInvite(id: string, userId: string, now: string): Promise<Invite | undefined> {
    const nowMs = ms(now);
    const eventId = await this.io(() => this.client.hget(this.k.inviteEvents, id));
    if (eventId === null) return undefined;
    const json = await this.io(() =>
      this.scripts.parvisUseInvite(this.k.invites(eventId), id, userId, now, String(nowMs)),
    );
    return json === null ? undefined : toInvite(JSON.parse(json) as StoredInvite);
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    const atMs = ms(entry.at);
    await this.io(() =>
      this.scripts.parvisAppendAudit(
        this.k.audit,
        this.k.auditByTime,
        this.k.auditSeq,
        entry.id,
        JSON.stringify(entry),
        String(atMs),
      ),
    );
  }

  async listAudit(options: { limit: number; before?: string }): Promise<AuditEntry[]> {
    // NaN and numbers ≤ 0 read nothing; Infinity reads everything.
    const limit = Math.min(Math.floor(options.limit), Number.MAX_SAFE_INTEGER);
    if (!(limit > 0)) return [];
    const max = options.before === undefined ? '+inf' : `(${ms(options.before)}`;
    const found = await this.io(() => this.scripts.parvisListAudit(this.k.auditByTime, this.k.audit, max, String(limit)));
    return found.filter((json): json is string => typeof json === 'string').map((json) => JSON.parse(json) as AuditEntry);
  }

  /** Runs a MULTI or a pipeline, failing (as UNAVAILABLE when the connection is at fault) if any command failed. */
  private async exec(batch: ChainableCommander): Promise<unknown[]> {
    const results = await this.io(() => batch.exec());
    const failed = results?.find(([err]) => err);
    if (!results || failed) throw failed?.[0] ?? new Error('The transaction was discarded');
    return results.map(([, value]) => value);
  }

  async getMeta(key: string): Promise<string | undefined> {
    return (await this.io(() => this.client.hget(this.k.meta, key))) ?? undefined;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.io(() => this.client.hset(this.k.meta, key, value));
  }

  async close(): Promise<void> {
    if (!this.ownsClient || this.client.status === 'end') return;
    try {
      await this.client.quit();
    } catch {
      // Down or hung: nothing to say goodbye to, but the reconnect loop must stop.
      this.client.disconnect();
    }
  }
}

function toMessage(eventId: string, offset: number, body: string): ChatMessage {
  const m = JSON.parse(body) as StoredMessage;
  return { id: m.id, eventId, offset, author: m.author, text: m.text, sentAt: m.sentAt, clientId: m.clientId };
}

/** The QuestionRecord fields only, nulls where cjson or an older record left a field out. */
function toQuestion(json: string): QuestionRecord {
  const q = JSON.parse(json) as QuestionRecord;
  return {
    id: q.id,
    eventId: q.eventId,
    text: q.text,
    anonymous: q.anonymous,
    author: { id: q.author.id, displayName: q.author.displayName },
    clientId: q.clientId,
    state: q.state,
    votes: q.votes,
    starred: q.starred,
    position: q.position ?? null,
    createdAt: q.createdAt,
    liveAt: q.liveAt ?? null,
    answeredAt: q.answeredAt ?? null,
    rejectedReason: q.rejectedReason ?? null,
    mergedInto: q.mergedInto ?? null,
  };
}

function toAccount(json: string): AccountRecord {
  const a = JSON.parse(json) as AccountRecord;
  return {
    id: a.id,
    email: a.email,
    displayName: a.displayName,
    passwordHash: a.passwordHash,
    isAdmin: a.isAdmin,
    createdAt: a.createdAt,
  };
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

/** Epoch ms of an ISO instant. Instants are compared as instants, never as text (`…00Z` and `…00.000Z` are equal). */
function ms(iso: string): number {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new RangeError(`Not an ISO instant: ${iso}`);
  return t;
}

/** Oldest first by an instant, ties in byte order of a key: the order both stores list roles and invites in. */
function byInstant<T>(instant: (x: T) => string, key: (x: T) => string): (a: T, b: T) => number {
  return (a, b) => ms(instant(a)) - ms(instant(b)) || compare(key(a), key(b));
}

function fromEntry(eventId: string, [id, fields]: [id: string, fields: string[]]): ChatMessage {
  return toMessage(eventId, Number.parseInt(id, 10), fields[1]!);
}

/** Byte order, like SQLite's default collation, rather than a locale's. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The prefix is data, not a pattern: `a*` must not clear `ab...`. */
function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}
