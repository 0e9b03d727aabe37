import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../../core/errors';

/**
 * TEMPORARY, on the issue-10 branches only: the Redis sub-stores of sign-up are being written (helper `regstore`).
 * Every call answers UNAVAILABLE until they land. This file must not reach main.
 */
export function pendingSubStore<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get: (_target, method) => async () => {
      throw new DomainError(ErrorCode.UNAVAILABLE, `store.${name}.${String(method)} is not on Redis yet`);
    },
  });
}
