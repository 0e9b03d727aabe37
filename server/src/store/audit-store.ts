import type { AuditEntry } from '#shared/domain/account';

/**
 * The storage port of the audit log, reached as `store.audit`. SQLite and Redis implement it in
 * `sqlite/sqlite-audit.ts` and `redis/redis-audit.ts`; the contract suite is `audit.contract.ts`. The log outlives
 * the demo reset.
 */
export interface AuditStore {
  /** Appends an entry; an id already in the log is kept as first written. */
  append(entry: AuditEntry): Promise<void>;
  /**
   * Newest first, entries of the same millisecond last appended first, at most `limit` (≤ 0 reads nothing).
   * `before` is an instant, exclusive: the next page after an entry is `before: entry.at`.
   */
  list(options: { limit: number; before?: string }): Promise<AuditEntry[]>;
}
