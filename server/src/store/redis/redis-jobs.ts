import type { Redis } from 'ioredis';
import { ms } from '../instants';
import type { Job, JobKind, JobRecord, JobStore } from '../job-store';
import { exec, io } from './redis-connection';

/*
 * Key layout of the deadlines, under the store's prefix P (global keys: a scheduler claims across every event):
 *
 *   P jobs          hash   job key → job JSON: the Job fields with the payload as a JSON string (Lua re-encodes what it
 *                          decodes), plus `dueMs`, `leaseMs` and `attempts`
 *   P jobs:due      zset   keys of unclaimed jobs by due ms (ties in byte order of the key, as SQLite's ORDER BY)
 *   P jobs:leased   zset   keys of claimed jobs by the end of their lease in ms
 *
 * A job is in exactly one of the two sets. A claimed job was due when claimed, so once its lease has run out it is
 * due again: claiming looks at both sets.
 */
function jobKeys(prefix: string) {
  return { jobs: `${prefix}jobs`, due: `${prefix}jobs:due`, leased: `${prefix}jobs:leased` };
}

/**
 * claimDue: the first `limit` due jobs and the first `limit` jobs whose lease ran out, merged by due time then key,
 * the first `limit` of them claimed. KEYS: 1 jobs, 2 due, 3 leased. ARGV: 1 now ms, 2 lease end ms, 3 limit.
 * Returns job JSONs.
 */
const CLAIM_JOBS_LUA = `
-- Byte order, as SQLite's: Lua's own string comparison follows the server's locale.
local function before(a, b)
  for i = 1, math.min(#a, #b) do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end
local now, leaseEnd, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local found = {}
for _, from in ipairs({ KEYS[2], KEYS[3] }) do
  for _, key in ipairs(redis.call('ZRANGEBYSCORE', from, '-inf', now, 'LIMIT', 0, limit)) do
    found[#found + 1] = { from = from, job = cjson.decode(redis.call('HGET', KEYS[1], key)) }
  end
end
table.sort(found, function(a, b)
  if a.job.dueMs ~= b.job.dueMs then return a.job.dueMs < b.job.dueMs end
  return before(a.job.key, b.job.key)
end)
local out = {}
for i = 1, math.min(limit, #found) do
  local job = found[i].job
  redis.call('ZREM', found[i].from, job.key)
  redis.call('ZADD', KEYS[3], leaseEnd, job.key)
  job.leaseMs = leaseEnd
  job.attempts = job.attempts + 1
  out[i] = cjson.encode(job)
  redis.call('HSET', KEYS[1], job.key, out[i])
end
return out
`;

/**
 * complete: removes the job, unless it was scheduled again since it was claimed (its due time changed): then it stays,
 * unclaimed. release: unclaims it, due again at `retryAt`. KEYS: 1 jobs, 2 due, 3 leased. ARGV: 1 key, 2 'complete' |
 * 'release', 3 the claimed due time (complete) or the retry time (release), 4 retry ms.
 */
const SETTLE_JOB_LUA = `
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return 0 end
local job = cjson.decode(json)
redis.call('ZREM', KEYS[3], ARGV[1])
if ARGV[2] == 'complete' and job.dueAt == ARGV[3] then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('ZREM', KEYS[2], ARGV[1])
  return 1
end
if ARGV[2] == 'release' then
  job.dueAt = ARGV[3]
  job.dueMs = tonumber(ARGV[4])
end
job.leaseMs = cjson.null
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(job))
redis.call('ZADD', KEYS[2], job.dueMs, ARGV[1])
return 1
`;

interface StoredJob extends Omit<JobRecord, 'payload' | 'leaseUntil'> {
  payload: string;
  dueMs: number;
  leaseMs: number | null;
}

function toJob(json: string): JobRecord {
  const j = JSON.parse(json) as StoredJob;
  return {
    key: j.key,
    kind: j.kind as JobKind,
    dueAt: j.dueAt,
    payload: JSON.parse(j.payload) as Record<string, unknown>,
    leaseUntil: j.leaseMs === null || j.leaseMs === undefined ? null : new Date(j.leaseMs).toISOString(),
    attempts: j.attempts,
  };
}

interface JobScripts {
  parvisClaimJobs(jobs: string, due: string, leased: string, now: number, leaseEnd: number, limit: number): Promise<string[]>;
  parvisSettleJob(jobs: string, due: string, leased: string, key: string, how: string, at: string, atMs: number): Promise<number>;
}

/** Deadlines on Redis, under the store's prefix. */
export class RedisJobStore implements JobStore {
  private readonly k: ReturnType<typeof jobKeys>;
  private readonly scripts: JobScripts;

  constructor(
    private readonly client: Redis,
    prefix: string,
  ) {
    this.k = jobKeys(prefix);
    client.defineCommand('parvisClaimJobs', { lua: CLAIM_JOBS_LUA, numberOfKeys: 3 });
    client.defineCommand('parvisSettleJob', { lua: SETTLE_JOB_LUA, numberOfKeys: 3 });
    this.scripts = client as unknown as JobScripts;
  }

  async schedule(job: Job): Promise<void> {
    const stored: StoredJob = {
      key: job.key,
      kind: job.kind,
      dueAt: job.dueAt,
      dueMs: ms(job.dueAt),
      payload: JSON.stringify(job.payload),
      leaseMs: null,
      attempts: 0,
    };
    // MULTI: the record and its place in the due set change together; a claim in between is forgotten (unclaimed).
    await exec(
      this.client
        .multi()
        .hset(this.k.jobs, job.key, JSON.stringify(stored))
        .zrem(this.k.leased, job.key)
        .zadd(this.k.due, stored.dueMs, job.key),
    );
  }

  async cancel(key: string): Promise<void> {
    await exec(this.client.multi().hdel(this.k.jobs, key).zrem(this.k.due, key).zrem(this.k.leased, key));
  }

  async get(key: string): Promise<JobRecord | undefined> {
    const json = await io(() => this.client.hget(this.k.jobs, key));
    return json === null ? undefined : toJob(json);
  }

  async claimDue(now: string, leaseMs: number, limit: number): Promise<JobRecord[]> {
    if (limit <= 0) return [];
    const { jobs, due, leased } = this.k;
    const claimed = await io(() => this.scripts.parvisClaimJobs(jobs, due, leased, ms(now), ms(now) + leaseMs, limit));
    return claimed.map(toJob);
  }

  async complete(key: string, claimedDueAt: string): Promise<void> {
    await io(() => this.scripts.parvisSettleJob(this.k.jobs, this.k.due, this.k.leased, key, 'complete', claimedDueAt, 0));
  }

  async release(key: string, retryAt: string): Promise<void> {
    await io(() => this.scripts.parvisSettleJob(this.k.jobs, this.k.due, this.k.leased, key, 'release', retryAt, ms(retryAt)));
  }
}
