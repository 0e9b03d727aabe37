import type { ChainableCommander, Redis } from 'ioredis';

/**
 * Writes one lease change to a sorted set whose scores are the time each member was last renewed, after dropping the
 * members whose lease ran out. Redis's own clock (TIME) stamps them, so processes on machines whose clocks disagree
 * still agree on who is live.
 * KEYS: 1 the set. ARGV: 1 lease (ms), 2 grace (ms), 3 cap (0: none), 4 how many members leave (n), then the n
 * leaving members, then the members to add or renew.
 * A leaving member is removed at once when grace is 0; otherwise it is made to expire `grace` ms from now, unless a
 * holder renews it meanwhile (the same person still watching on another process).
 * Returns the number of live members, or -1 when a cap is given, the first member to add is new and the set already
 * holds `cap` members (then nothing is written).
 */
const LEASE_LUA = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[1])
local grace = tonumber(ARGV[2])
local cap = tonumber(ARGV[3])
local leaving = tonumber(ARGV[4])
local first = 5 + leaving
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - lease)
for i = 5, first - 1 do
  if grace == 0 then
    redis.call('ZREM', KEYS[1], ARGV[i])
  else
    local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
    local until_ = now - lease + grace
    if score and tonumber(score) > until_ then redis.call('ZADD', KEYS[1], until_, ARGV[i]) end
  end
end
if cap > 0 and #ARGV >= first and not redis.call('ZSCORE', KEYS[1], ARGV[first]) and redis.call('ZCARD', KEYS[1]) >= cap then
  return -1
end
for i = first, #ARGV do
  redis.call('ZADD', KEYS[1], now, ARGV[i])
end
if #ARGV >= first then redis.call('PEXPIRE', KEYS[1], lease) end
return redis.call('ZCARD', KEYS[1])
`;

type LeaseCommand = (key: string, leaseMs: number, graceMs: number, cap: number, leaving: number, ...members: string[]) => unknown;

export interface LeaseChange {
  key: string;
  /** Members whose holder let them go. */
  leave?: string[];
  /** Members to add or renew. */
  put?: string[];
  /** With one member in `put`: refuse it when it is new and the set already holds this many. */
  cap?: number;
}

/**
 * Cluster-wide sets whose members live as long as a process that holds them renews them: a process that dies stops
 * renewing, and its members drop out within one lease, without anyone cleaning up. Viewer counts (a member per
 * person) and the sockets per address (a member per socket) are such sets.
 */
export class RedisLeases {
  /**
   * @param graceMs how long a member that one holder let go stays, so that another holder can renew it first: a
   *   person who closes their tab on one process and still watches on another must not blink out of the count. 0
   *   removes it at once (a socket has one holder).
   */
  constructor(
    private readonly redis: Redis,
    readonly leaseMs: number,
    readonly graceMs = 0,
  ) {
    if (!('parvisLease' in redis)) redis.defineCommand('parvisLease', { lua: LEASE_LUA, numberOfKeys: 1 });
  }

  /**
   * Applies every change in one round trip and answers, for each, the number of live members after it, or -1 when
   * its cap refused it.
   */
  async apply(changes: readonly LeaseChange[]): Promise<number[]> {
    if (changes.length === 0) return [];
    const batch = this.redis.pipeline();
    const lease = (batch as ChainableCommander & { parvisLease: LeaseCommand }).parvisLease.bind(batch);
    for (const { key, leave = [], put = [], cap = 0 } of changes) {
      lease(key, this.leaseMs, this.graceMs, cap, leave.length, ...leave, ...put);
    }
    const results = (await batch.exec()) ?? [];
    return changes.map((_, i) => {
      const [err, count] = results[i] ?? [new Error('no reply from Redis')];
      if (err) throw err;
      return Number(count);
    });
  }
}
