import type { Redis } from 'ioredis';
import type { AuditEntry } from '#shared/domain/account';
import type { AuditStore } from '../audit-store';
import { ms } from '../instants';
import { io } from './redis-connection';

/*
 * Key layout of the audit log, under the store's prefix P. All three survive the demo reset.
 *
 *   P audit                hash   entry id → AuditEntry JSON
 *   P audit:by-time        zset   `<seq, 16 digits>:<entry id>` scored by `at` in ms; the seq orders entries of
 *                                 the same ms, last appended first when read in reverse
 *   P audit:seq            string the last seq given out (INCR)
 */
function auditKeys(prefix: string) {
  return {
    audit: `${prefix}audit`,
    byTime: `${prefix}audit:by-time`,
    seq: `${prefix}audit:seq`,
  };
}

/** The keys (after the prefix) that the demo reset keeps: all of the log's. */
export const AUDIT_KEYS_KEPT_ON_RESET = ['audit', 'audit:by-time', 'audit:seq'] as const;

/**
 * append; an id already in the log is kept as first written.
 * KEYS: 1 audit, 2 audit:by-time, 3 audit:seq. ARGV: 1 id, 2 entry JSON, 3 at in ms.
 */
const APPEND_AUDIT_LUA = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
local seq = redis.call('INCR', KEYS[3])
redis.call('ZADD', KEYS[2], ARGV[3], string.format('%016d', seq) .. ':' .. ARGV[1])
return 1
`;

/**
 * list: newest first, ties last appended first.
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

interface AuditScripts {
  parvisAppendAudit(auditKey: string, byTimeKey: string, seqKey: string, id: string, json: string, atMs: string): Promise<number>;
  parvisListAudit(byTimeKey: string, auditKey: string, maxScore: string, limit: string): Promise<(string | null)[]>;
}

/** The audit log on Redis, under the store's prefix. */
export class RedisAuditStore implements AuditStore {
  private readonly k: ReturnType<typeof auditKeys>;
  private readonly scripts: AuditScripts;

  constructor(client: Redis, prefix: string) {
    this.k = auditKeys(prefix);
    client.defineCommand('parvisAppendAudit', { lua: APPEND_AUDIT_LUA, numberOfKeys: 3 });
    client.defineCommand('parvisListAudit', { lua: LIST_AUDIT_LUA, numberOfKeys: 2 });
    this.scripts = client as unknown as AuditScripts;
  }

  async append(entry: AuditEntry): Promise<void> {
    const atMs = ms(entry.at);
    await io(() =>
      this.scripts.parvisAppendAudit(this.k.audit, this.k.byTime, this.k.seq, entry.id, JSON.stringify(entry), String(atMs)),
    );
  }

  async list(options: { limit: number; before?: string }): Promise<AuditEntry[]> {
    // NaN and numbers ≤ 0 read nothing; Infinity reads everything.
    const limit = Math.min(Math.floor(options.limit), Number.MAX_SAFE_INTEGER);
    if (!(limit > 0)) return [];
    const max = options.before === undefined ? '+inf' : `(${ms(options.before)}`;
    const found = await io(() => this.scripts.parvisListAudit(this.k.byTime, this.k.audit, max, String(limit)));
    return found.filter((json): json is string => typeof json === 'string').map((json) => JSON.parse(json) as AuditEntry);
  }
}
