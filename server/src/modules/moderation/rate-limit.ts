import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../../core/errors';

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
