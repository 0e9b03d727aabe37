import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { MailLanguage } from '#shared/domain/registration';
import { ms } from '../instants';
import type { EmailKind, OutboxIntent, OutboxRecord, OutboxState, OutboxStore } from '../outbox-store';
import { io } from './redis-connection';

/*
 * Key layout of the outbox, under the store's prefix P. Its keys are global (the sender claims across every event),
 * and the sign-up scripts of redis-registrations.ts write rows in the same script as the change they tell about.
 *
 *   P outbox               hash   row id → row JSON: the OutboxRecord fields, with the payload as a JSON string (Lua
 *                                 re-encodes what it decodes, and would turn an empty array into an object), plus
 *                                 `seq`, `dueMs`, `leaseMs` and `createdMs`
 *   P outbox:dedupe        hash   dedupe key → row id
 *   P outbox:pending       zset   `<seq, 15 digits>:<id>` of pending rows, by due ms: ties go oldest first
 *   P outbox:sending       zset   the same members for claimed rows, by the end of their lease in ms
 *   P outbox:done          zset   ids of sent and failed rows by creation ms, for pruning
 *   P outbox:list          zset   every row id by seq, for the admins' pages
 *   P outbox:seq           string the last seq given out (INCR)
 *   P outbox:of:{person}   set    row ids of one person, dropped with their erasure
 *
 * Sent and failed rows survive the demo reset, as in SQLite; unsent ones go (see resetUnsent).
 */
export function outboxKeys(prefix: string) {
  return {
    /** The keys every outbox script declares, in the order OUTBOX_LUA reads them. */
    list: ['outbox', 'outbox:dedupe', 'outbox:pending', 'outbox:sending', 'outbox:done', 'outbox:list', 'outbox:seq'].map(
      (name) => prefix + name,
    ),
    /** Followed by a person id and `}`: that person's rows. */
    ofPrefix: `${prefix}outbox:of:{`,
  };
}

/** The outbox keys that the demo reset keeps (it drops the unsent rows itself, atomically). */
export const OUTBOX_KEYS_KEPT_ON_RESET = {
  names: ['outbox', 'outbox:dedupe', 'outbox:pending', 'outbox:sending', 'outbox:done', 'outbox:list', 'outbox:seq'],
  families: ['outbox:of:{'],
} as const;

/**
 * Lua shared by every script that touches the outbox. The script defines `OB_AT` first: the index in KEYS of the
 * first of {@link outboxKeys}' seven keys; ARGV carries the `of` key prefix and a random seed at `OB_ARGV` and
 * `OB_ARGV + 1`. Row ids are UUID-shaped, derived from the seed and the row's seq, so that they are random yet the
 * script stays deterministic for replication.
 */
export const OUTBOX_LUA = `
local NULL = cjson.null
local function isnull(v) return v == nil or v == NULL end
local OB = { rows = KEYS[OB_AT], dedupe = KEYS[OB_AT + 1], pending = KEYS[OB_AT + 2], sending = KEYS[OB_AT + 3],
  done = KEYS[OB_AT + 4], list = KEYS[OB_AT + 5], seq = KEYS[OB_AT + 6], of = ARGV[OB_ARGV], seed = ARGV[OB_ARGV + 1] }
local function ob_member(r) return string.format('%015d:%s', r.seq, r.id) end
local function ob_id(seq)
  local h = redis.sha1hex(OB.seed .. ':' .. seq)
  return string.sub(h, 1, 8) .. '-' .. string.sub(h, 9, 12) .. '-4' .. string.sub(h, 14, 16) .. '-a' .. string.sub(h, 18, 20)
    .. '-' .. string.sub(h, 21, 32)
end
-- An intent: its fields, payload as JSON text, dueMs. Answers the row JSON, new or already there.
local function ob_enqueue(i, now, nowMs)
  local known = redis.call('HGET', OB.dedupe, i.dedupeKey)
  if known then return redis.call('HGET', OB.rows, known) end
  local seq = redis.call('INCR', OB.seq)
  local r = { id = ob_id(seq), seq = seq, dedupeKey = i.dedupeKey, kind = i.kind, to = i.to, language = i.language,
    personId = i.personId, registrationId = i.registrationId, eventId = i.eventId, payload = i.payload, dueAt = i.dueAt,
    dueMs = i.dueMs, state = 'pending', attempts = 0, leaseMs = NULL, lastError = NULL, createdAt = now,
    createdMs = nowMs, sentAt = NULL }
  local json = cjson.encode(r)
  redis.call('HSET', OB.rows, r.id, json)
  redis.call('HSET', OB.dedupe, r.dedupeKey, r.id)
  redis.call('ZADD', OB.pending, r.dueMs, ob_member(r))
  redis.call('ZADD', OB.list, seq, r.id)
  if not isnull(r.personId) then redis.call('SADD', OB.of .. r.personId .. '}', r.id) end
  return json
end
local function ob_drop(r)
  redis.call('HDEL', OB.rows, r.id)
  if redis.call('HGET', OB.dedupe, r.dedupeKey) == r.id then redis.call('HDEL', OB.dedupe, r.dedupeKey) end
  redis.call('ZREM', OB.pending, ob_member(r))
  redis.call('ZREM', OB.sending, ob_member(r))
  redis.call('ZREM', OB.done, r.id)
  redis.call('ZREM', OB.list, r.id)
  if not isnull(r.personId) then redis.call('SREM', OB.of .. r.personId .. '}', r.id) end
end
-- Every row of a person goes (their erasure): they hold the address.
local function ob_drop_person(personId)
  local key = OB.of .. personId .. '}'
  for _, id in ipairs(redis.call('SMEMBERS', key)) do
    local json = redis.call('HGET', OB.rows, id)
    if json then ob_drop(cjson.decode(json)) end
  end
  redis.call('DEL', key)
end
`;

const head = (body: string) => `local OB_AT, OB_ARGV = 1, 1\n${OUTBOX_LUA}\n${body}`;

/** enqueue. ARGV: 3 now, 4 now ms, 5 JSON array of intents (payload as JSON text, with dueMs). Returns row JSONs. */
const ENQUEUE_LUA = head(`
local out = {}
for _, i in ipairs(cjson.decode(ARGV[5])) do out[#out + 1] = ob_enqueue(i, ARGV[3], tonumber(ARGV[4])) end
return out
`);

/**
 * claimDue: the first `limit` pending rows due and the first `limit` claimed rows whose lease has run out, merged by
 * due time and age, the first `limit` of them claimed. (Among more than `limit` expired leases at once, those that
 * expired first are looked at first.) ARGV: 3 now ms, 4 lease end ms, 5 limit. Returns row JSONs.
 */
const CLAIM_LUA = head(`
local now, leaseEnd, limit = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local found = {}
for _, from in ipairs({ OB.pending, OB.sending }) do
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', from, '-inf', now, 'LIMIT', 0, limit)) do
    found[#found + 1] = { from = from, m = m, r = cjson.decode(redis.call('HGET', OB.rows, string.sub(m, 17))) }
  end
end
table.sort(found, function(a, b)
  if a.r.dueMs ~= b.r.dueMs then return a.r.dueMs < b.r.dueMs end
  return a.r.seq < b.r.seq
end)
local out = {}
for i = 1, math.min(limit, #found) do
  local x = found[i]
  redis.call('ZREM', x.from, x.m)
  redis.call('ZADD', OB.sending, leaseEnd, x.m)
  x.r.state = 'sending'
  x.r.attempts = x.r.attempts + 1
  x.r.leaseMs = leaseEnd
  out[i] = cjson.encode(x.r)
  redis.call('HSET', OB.rows, x.r.id, out[i])
end
return out
`);

/**
 * markSent / markFailed, only for the attempt that holds the row. ARGV: 3 id, 4 attempt, 5 'sent' | 'retry' |
 * 'failed', 6 sent at (sent) or error (retry, failed), 7 retry at, 8 retry at ms.
 */
const SETTLE_LUA = head(`
local json = redis.call('HGET', OB.rows, ARGV[3])
if not json then return 0 end
local r = cjson.decode(json)
if r.state ~= 'sending' or r.attempts ~= tonumber(ARGV[4]) then return 0 end
redis.call('ZREM', OB.sending, ob_member(r))
r.leaseMs = NULL
if ARGV[5] == 'sent' then
  r.state, r.sentAt, r.lastError = 'sent', ARGV[6], NULL
elseif ARGV[5] == 'retry' then
  r.state, r.lastError, r.dueAt, r.dueMs = 'pending', ARGV[6], ARGV[7], tonumber(ARGV[8])
  redis.call('ZADD', OB.pending, r.dueMs, ob_member(r))
else
  r.state, r.lastError = 'failed', ARGV[6]
end
if r.state ~= 'pending' then redis.call('ZADD', OB.done, r.createdMs, r.id) end
redis.call('HSET', OB.rows, r.id, cjson.encode(r))
return 1
`);

/** list, newest first. ARGV: 3 limit, 4 the id the page starts after, or ''. Returns row JSONs. */
const LIST_LUA = head(`
local max = '+inf'
if ARGV[4] ~= '' then
  local seq = redis.call('ZSCORE', OB.list, ARGV[4])
  if not seq then return {} end
  max = '(' .. seq
end
local out = {}
for i, id in ipairs(redis.call('ZREVRANGEBYSCORE', OB.list, max, '-inf', 'LIMIT', 0, tonumber(ARGV[3]))) do
  out[i] = redis.call('HGET', OB.rows, id)
end
return out
`);

/** pruneBefore. ARGV: 3 cutoff ms. Returns how many rows went. */
const PRUNE_LUA = head(`
local ids = redis.call('ZRANGEBYSCORE', OB.done, '-inf', '(' .. ARGV[3])
for _, id in ipairs(ids) do ob_drop(cjson.decode(redis.call('HGET', OB.rows, id))) end
return #ids
`);

/** The demo reset's part: every unsent row goes, sent and failed ones stay. */
const RESET_UNSENT_LUA = head(`
for _, from in ipairs({ OB.pending, OB.sending }) do
  for _, m in ipairs(redis.call('ZRANGE', from, 0, -1)) do
    local json = redis.call('HGET', OB.rows, string.sub(m, 17))
    if json then ob_drop(cjson.decode(json)) end
  end
  redis.call('DEL', from)
end
`);

type Script = (...args: (string | number)[]) => Promise<unknown>;

/** The outbox row as stored (see the key layout). */
interface StoredRow extends Omit<OutboxRecord, 'payload' | 'leaseUntil'> {
  payload: string;
  leaseMs: number | null;
}

/** An OutboxRecord from the JSON that Lua wrote (absent fields are nulls). */
export function toOutboxRecord(json: string): OutboxRecord {
  const r = JSON.parse(json) as StoredRow;
  return {
    id: r.id,
    dedupeKey: r.dedupeKey,
    kind: r.kind as EmailKind,
    to: r.to,
    language: r.language as MailLanguage,
    personId: r.personId ?? null,
    registrationId: r.registrationId ?? null,
    eventId: r.eventId ?? null,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    dueAt: r.dueAt,
    state: r.state as OutboxState,
    attempts: r.attempts,
    leaseUntil: r.leaseMs === null || r.leaseMs === undefined ? null : new Date(r.leaseMs).toISOString(),
    lastError: r.lastError ?? null,
    createdAt: r.createdAt,
    sentAt: r.sentAt ?? null,
  };
}

/** The outbox on Redis, under the store's prefix. */
export class RedisOutboxStore implements OutboxStore {
  private readonly keys: string[];
  private readonly ofPrefix: string;
  private readonly scripts: Record<string, Script>;

  constructor(
    private readonly client: Redis,
    prefix: string,
  ) {
    ({ list: this.keys, ofPrefix: this.ofPrefix } = outboxKeys(prefix));
    const scripts = {
      parvisOutboxEnqueue: ENQUEUE_LUA,
      parvisOutboxClaim: CLAIM_LUA,
      parvisOutboxSettle: SETTLE_LUA,
      parvisOutboxList: LIST_LUA,
      parvisOutboxPrune: PRUNE_LUA,
      parvisOutboxResetUnsent: RESET_UNSENT_LUA,
    };
    for (const [name, lua] of Object.entries(scripts)) client.defineCommand(name, { lua, numberOfKeys: this.keys.length });
    this.scripts = client as unknown as Record<string, Script>;
  }

  private run(name: string, ...args: (string | number)[]): Promise<unknown> {
    return io(() => this.scripts[name]!(...this.keys, this.ofPrefix, randomUUID(), ...args));
  }

  async enqueue(intents: readonly OutboxIntent[], now: string): Promise<OutboxRecord[]> {
    if (intents.length === 0) return [];
    const stored = intents.map((i) => ({ ...i, payload: JSON.stringify(i.payload), dueMs: ms(i.dueAt) }));
    const rows = (await this.run('parvisOutboxEnqueue', now, ms(now), JSON.stringify(stored))) as string[];
    return rows.map(toOutboxRecord);
  }

  async claimDue(now: string, leaseMs: number, limit: number): Promise<OutboxRecord[]> {
    if (limit <= 0) return [];
    const rows = (await this.run('parvisOutboxClaim', ms(now), ms(now) + leaseMs, limit)) as string[];
    return rows.map(toOutboxRecord);
  }

  async markSent(id: string, attempt: number, at: string): Promise<void> {
    await this.run('parvisOutboxSettle', id, attempt, 'sent', at, '', 0);
  }

  async markFailed(id: string, attempt: number, error: string, retryAt: string | null): Promise<void> {
    const message = error.slice(0, 1000);
    if (retryAt === null) await this.run('parvisOutboxSettle', id, attempt, 'failed', message, '', 0);
    else await this.run('parvisOutboxSettle', id, attempt, 'retry', message, retryAt, ms(retryAt));
  }

  async get(id: string): Promise<OutboxRecord | undefined> {
    const json = await io(() => this.client.hget(this.keys[0]!, id));
    return json === null ? undefined : toOutboxRecord(json);
  }

  async list(options: { limit: number; before?: string }): Promise<OutboxRecord[]> {
    if (options.limit <= 0) return [];
    const rows = (await this.run('parvisOutboxList', options.limit, options.before ?? '')) as string[];
    return rows.map(toOutboxRecord);
  }

  async pruneBefore(cutoff: string): Promise<number> {
    return (await this.run('parvisOutboxPrune', ms(cutoff))) as number;
  }

  /** The demo reset's part (see redis-store.ts): unsent emails go with the registrations they were about. */
  async resetUnsent(): Promise<void> {
    await this.run('parvisOutboxResetUnsent');
  }
}
