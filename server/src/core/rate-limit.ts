import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from './errors';

/** How many actions (`points`) a key may take per `duration` seconds; `keyPrefix` names the limit (`parvis:rate:chat`). */
export interface RateLimit {
  keyPrefix: string;
  points: number;
  duration: number;
}

/** Builds a limiter from its limit; the composition root makes one and hands it to whoever sets limits. */
export type RateLimiterFactory = (limit: RateLimit) => RateLimiterAbstract;

/**
 * Limiters counted in Redis when processes share the load, so that a limit holds however requests are spread, and in
 * memory otherwise. A Redis that is down refuses at once (`rejectIfRedisNotReady`) rather than queueing: the caller
 * answers UNAVAILABLE (see `consumeOrRefuse`).
 */
export function rateLimiterFactory(redis: Redis | undefined): RateLimiterFactory {
  return (limit) =>
    redis ? new RateLimiterRedis({ ...limit, storeClient: redis, rejectIfRedisNotReady: true }) : new RateLimiterMemory(limit);
}

/**
 * Counts one action of `key` against a limiter: RATE_LIMITED with `retryAfterMs` when over the limit, UNAVAILABLE
 * when the limiter's store (Redis) cannot be reached. In memory for one process, in Redis when processes share the load,
 * so that a limit holds however a person's sockets are spread.
 */
export async function consumeOrRefuse(limiter: RateLimiterAbstract, key: string, refusal: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (res) {
    if (!(res instanceof RateLimiterRes)) {
      throw new DomainError(ErrorCode.UNAVAILABLE, 'This is unavailable for a moment: try again');
    }
    throw new DomainError(ErrorCode.RATE_LIMITED, refusal, Math.max(1, Math.ceil(res.msBeforeNext)));
  }
}
