import type Database from 'better-sqlite3';
import type { Job, JobKind, JobRecord, JobStore } from '../job-store';

/** Table `jobs` (migration 7). */
interface JobRow {
  key: string;
  kind: string;
  due_at: string;
  due_ms: number;
  payload: string;
  lease_ms: number | null;
  attempts: number;
}

function fromRow(r: JobRow): JobRecord {
  return {
    key: r.key,
    kind: r.kind as JobKind,
    dueAt: r.due_at,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    leaseUntil: r.lease_ms === null ? null : new Date(r.lease_ms).toISOString(),
    attempts: r.attempts,
  };
}

const ms = (iso: string) => new Date(iso).getTime();

/** Deadlines in SQLite: one row per job key, claimed with a lease. */
export class SqliteJobStore implements JobStore {
  private readonly q;
  private readonly claimTx: Database.Transaction<(now: number, leaseMs: number, limit: number) => JobRecord[]>;
  private readonly completeTx: Database.Transaction<(key: string, claimedDueAt: string) => void>;

  constructor(db: Database.Database) {
    this.q = {
      upsert: db.prepare<{ key: string; kind: string; dueAt: string; dueMs: number; payload: string }>(
        `INSERT INTO jobs (key, kind, due_at, due_ms, payload, lease_ms, attempts)
         VALUES (@key, @kind, @dueAt, @dueMs, @payload, NULL, 0)
         ON CONFLICT(key) DO UPDATE SET kind = excluded.kind, due_at = excluded.due_at, due_ms = excluded.due_ms,
           payload = excluded.payload, lease_ms = NULL, attempts = 0`,
      ),
      delete: db.prepare<[string]>('DELETE FROM jobs WHERE key = ?'),
      get: db.prepare<[string], JobRow>('SELECT * FROM jobs WHERE key = ?'),
      due: db.prepare<[number, number, number], JobRow>(
        `SELECT * FROM jobs WHERE due_ms <= ? AND (lease_ms IS NULL OR lease_ms <= ?) ORDER BY due_ms, key LIMIT ?`,
      ),
      claim: db.prepare<[number, string]>('UPDATE jobs SET lease_ms = ?, attempts = attempts + 1 WHERE key = ?'),
      complete: db.prepare<[string, string]>('DELETE FROM jobs WHERE key = ? AND due_at = ?'),
      unclaim: db.prepare<[string]>('UPDATE jobs SET lease_ms = NULL WHERE key = ?'),
      release: db.prepare<[string, number, string]>('UPDATE jobs SET lease_ms = NULL, due_at = ?, due_ms = ? WHERE key = ?'),
    };
    this.claimTx = db.transaction((now: number, leaseMs: number, limit: number) => {
      const rows = this.q.due.all(now, now, limit);
      for (const row of rows) this.q.claim.run(now + leaseMs, row.key);
      return rows.map((row) => fromRow(this.q.get.get(row.key)!));
    });
    this.completeTx = db.transaction((key: string, claimedDueAt: string) => {
      // Scheduled again while it ran (an event moved): the row has another due time and stays, free to be claimed.
      if (this.q.complete.run(key, claimedDueAt).changes === 0) this.q.unclaim.run(key);
    });
  }

  async schedule(job: Job): Promise<void> {
    this.q.upsert.run({ key: job.key, kind: job.kind, dueAt: job.dueAt, dueMs: ms(job.dueAt), payload: JSON.stringify(job.payload) });
  }

  async cancel(key: string): Promise<void> {
    this.q.delete.run(key);
  }

  async get(key: string): Promise<JobRecord | undefined> {
    const row = this.q.get.get(key);
    return row && fromRow(row);
  }

  async claimDue(now: string, leaseMs: number, limit: number): Promise<JobRecord[]> {
    if (limit <= 0) return [];
    // IMMEDIATE: the write lock from the start, so that another process claiming at once waits rather than fails.
    return this.claimTx.immediate(ms(now), leaseMs, limit);
  }

  async complete(key: string, claimedDueAt: string): Promise<void> {
    this.completeTx.immediate(key, claimedDueAt);
  }

  async release(key: string, retryAt: string): Promise<void> {
    this.q.release.run(retryAt, ms(retryAt), key);
  }
}
