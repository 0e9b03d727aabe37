import Database from 'better-sqlite3';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../../core/errors';

/*
 * What every SQLite sub-store shares: the mapping of storage failures to UNAVAILABLE, and its part in the cascades.
 * The database is opened, and its schema migrated, in sqlite-store.ts.
 */

/**
 * What a SQLite sub-store does in the cascades that the composed store runs in one transaction (deleting an event,
 * the demo reset). Synchronous on purpose: better-sqlite3 runs a transaction's function to its end, so an async step
 * would escape the transaction and its rollback.
 */
export interface SqliteEventData {
  /** Deletes this sub-store's rows of one event. */
  deleteEventRows(eventId: string): void;
  /** Deletes this sub-store's rows that the demo reset removes (those of events, never those of people). */
  resetRows(): void;
}

/*
 * SQLite failures that mean "the storage cannot do this now" rather than "this request is wrong": a full disk (or
 * max_page_count reached), an I/O error, a lock still held after the busy timeout, a file that cannot be opened or
 * has become read-only, memory exhausted. Extended codes (SQLITE_IOERR_WRITE, SQLITE_BUSY_SNAPSHOT…) count with
 * their family. A constraint violation or a bug keeps its error, and answers INTERNAL.
 */
const TRANSIENT_CODE = /^SQLITE_(FULL|IOERR|BUSY|LOCKED|CANTOPEN|READONLY|NOMEM|PROTOCOL)(_|$)/;

/**
 * The error to give callers for what better-sqlite3 threw: UNAVAILABLE for a storage failure (as for a Redis outage,
 * so acks say "try again" and not INTERNAL), or for anything thrown once the database is closed (a request still in
 * flight while the server shuts down); the error itself otherwise.
 */
export function unavailable(err: unknown, db: Database.Database): unknown {
  const transient = err instanceof Database.SqliteError && TRANSIENT_CODE.test(err.code);
  if (!transient && db.open) return err;
  const mapped = new DomainError(ErrorCode.UNAVAILABLE, 'The store is unavailable for a moment: try again');
  mapped.cause = err;
  return mapped;
}

/** {@link unavailable}, telling `onUnavailable` about the failures it turns into UNAVAILABLE. */
export function mapFailure(err: unknown, db: Database.Database, onUnavailable: (err: unknown) => void): unknown {
  const mapped = unavailable(err, db);
  if (mapped !== err) onUnavailable(err);
  return mapped;
}

/**
 * A sub-store as services see it: each of its methods answers a promise, with storage failures turned into
 * UNAVAILABLE by {@link unavailable} and told to `onUnavailable` (for the log: callers only hear "try again"). A proxy
 * rather than a try/catch in each method, so that no method, including one added later, can forget it. `P` is the
 * port: whatever else the class has (its cascade steps) stays hidden.
 */
export function guarded<P extends object>(target: P, db: Database.Database, onUnavailable: (err: unknown) => void): P {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(obj, prop) {
      const value: unknown = Reflect.get(obj, prop, obj);
      if (typeof value !== 'function') return value;
      let method = wrapped.get(prop);
      if (!method) {
        method = async (...args: unknown[]) => {
          try {
            return await (value as (...a: unknown[]) => unknown).apply(obj, args);
          } catch (err) {
            throw mapFailure(err, db, onUnavailable);
          }
        };
        wrapped.set(prop, method);
      }
      return method;
    },
  });
}
