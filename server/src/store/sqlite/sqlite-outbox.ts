import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { MailLanguage } from '#shared/domain/registration';
import type { EmailKind, OutboxIntent, OutboxRecord, OutboxState, OutboxStore } from '../outbox-store';

/** Table `outbox` (migration 7). Instants are kept as ISO text for reading and as epoch ms for comparing. */
interface OutboxRow {
  id: string;
  dedupe_key: string;
  kind: string;
  recipient: string;
  language: string;
  person_id: string | null;
  registration_id: string | null;
  event_id: string | null;
  payload: string;
  due_at: string;
  due_ms: number;
  state: string;
  attempts: number;
  lease_ms: number | null;
  last_error: string | null;
  created_at: string;
  created_ms: number;
  created_seq: number;
  sent_at: string | null;
}

function fromRow(r: OutboxRow): OutboxRecord {
  return {
    id: r.id,
    dedupeKey: r.dedupe_key,
    kind: r.kind as EmailKind,
    to: r.recipient,
    language: r.language as MailLanguage,
    personId: r.person_id,
    registrationId: r.registration_id,
    eventId: r.event_id,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    dueAt: r.due_at,
    state: r.state as OutboxState,
    attempts: r.attempts,
    leaseUntil: r.lease_ms === null ? null : new Date(r.lease_ms).toISOString(),
    lastError: r.last_error,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  };
}

const ms = (iso: string) => new Date(iso).getTime();

function prepare(db: Database.Database) {
  return {
    insert: db.prepare(
      `INSERT INTO outbox (id, dedupe_key, kind, recipient, language, person_id, registration_id, event_id, payload,
                           due_at, due_ms, state, attempts, created_at, created_ms, created_seq)
       VALUES (@id, @dedupeKey, @kind, @to, @language, @personId, @registrationId, @eventId, @payload, @dueAt, @dueMs,
               'pending', 0, @createdAt, @createdMs, (SELECT COALESCE(MAX(created_seq), 0) + 1 FROM outbox))
       ON CONFLICT(dedupe_key) DO NOTHING`,
    ),
    byKey: db.prepare<[string], OutboxRow>('SELECT * FROM outbox WHERE dedupe_key = ?'),
    byId: db.prepare<[string], OutboxRow>('SELECT * FROM outbox WHERE id = ?'),
    due: db.prepare<[number, number, number], OutboxRow>(
      `SELECT * FROM outbox
       WHERE (state = 'pending' AND due_ms <= ?) OR (state = 'sending' AND lease_ms <= ?)
       ORDER BY due_ms, created_seq LIMIT ?`,
    ),
    claim: db.prepare<[number, string]>(
      `UPDATE outbox SET state = 'sending', lease_ms = ?, attempts = attempts + 1 WHERE id = ?`,
    ),
    sent: db.prepare<[string, string, number]>(
      `UPDATE outbox SET state = 'sent', sent_at = ?, lease_ms = NULL, last_error = NULL
       WHERE id = ? AND state = 'sending' AND attempts = ?`,
    ),
    failed: db.prepare<{ id: string; attempt: number; error: string; state: string; dueAt: string | null; dueMs: number | null }>(
      `UPDATE outbox SET state = @state, last_error = @error, lease_ms = NULL,
         due_at = COALESCE(@dueAt, due_at), due_ms = COALESCE(@dueMs, due_ms)
       WHERE id = @id AND state = 'sending' AND attempts = @attempt`,
    ),
    list: db.prepare<[number], OutboxRow>('SELECT * FROM outbox ORDER BY created_seq DESC LIMIT ?'),
    listBefore: db.prepare<[string, number], OutboxRow>(
      `SELECT * FROM outbox WHERE created_seq < (SELECT created_seq FROM outbox WHERE id = ?)
       ORDER BY created_seq DESC LIMIT ?`,
    ),
    prune: db.prepare<[number]>(`DELETE FROM outbox WHERE state IN ('sent', 'failed') AND created_ms < ?`),
    deleteOfPerson: db.prepare<[string]>('DELETE FROM outbox WHERE person_id = ?'),
  };
}

/** The outbox in SQLite. `enqueueNow` is also called inside the registration store's transactions. */
export class SqliteOutboxStore implements OutboxStore {
  private readonly q: ReturnType<typeof prepare>;
  private readonly claimTx: Database.Transaction<(now: number, leaseMs: number, limit: number) => OutboxRecord[]>;
  private readonly enqueueTx: Database.Transaction<(intents: readonly OutboxIntent[], now: string) => OutboxRecord[]>;

  constructor(db: Database.Database) {
    this.q = prepare(db);
    this.claimTx = db.transaction((now: number, leaseMs: number, limit: number) => {
      const rows = this.q.due.all(now, now, limit);
      for (const row of rows) this.q.claim.run(now + leaseMs, row.id);
      return rows.map((row) => fromRow(this.q.byId.get(row.id)!));
    });
    this.enqueueTx = db.transaction((intents: readonly OutboxIntent[], now: string) => this.enqueueNow(intents, now));
  }

  /** Writes intents in the caller's transaction (or on its own, being one statement each). */
  enqueueNow(intents: readonly OutboxIntent[], now: string): OutboxRecord[] {
    return intents.map((intent) => {
      this.q.insert.run({
        id: randomUUID(),
        dedupeKey: intent.dedupeKey,
        kind: intent.kind,
        to: intent.to,
        language: intent.language,
        personId: intent.personId,
        registrationId: intent.registrationId,
        eventId: intent.eventId,
        payload: JSON.stringify(intent.payload),
        dueAt: intent.dueAt,
        dueMs: ms(intent.dueAt),
        createdAt: now,
        createdMs: ms(now),
      });
      return fromRow(this.q.byKey.get(intent.dedupeKey)!);
    });
  }

  /** Drops every row of a person (their erasure), in the caller's transaction. */
  deletePersonRows(personId: string): void {
    this.q.deleteOfPerson.run(personId);
  }

  async enqueue(intents: readonly OutboxIntent[], now: string): Promise<OutboxRecord[]> {
    return this.enqueueTx.immediate(intents, now);
  }

  async claimDue(now: string, leaseMs: number, limit: number): Promise<OutboxRecord[]> {
    if (limit <= 0) return [];
    // IMMEDIATE: the write lock from the start, so that another process claiming at once waits rather than fails.
    return this.claimTx.immediate(ms(now), leaseMs, limit);
  }

  async markSent(id: string, attempt: number, at: string): Promise<void> {
    this.q.sent.run(at, id, attempt);
  }

  async markFailed(id: string, attempt: number, error: string, retryAt: string | null): Promise<void> {
    this.q.failed.run({
      id,
      attempt,
      error: error.slice(0, 1000),
      state: retryAt === null ? 'failed' : 'pending',
      dueAt: retryAt,
      dueMs: retryAt === null ? null : ms(retryAt),
    });
  }

  async get(id: string): Promise<OutboxRecord | undefined> {
    const row = this.q.byId.get(id);
    return row && fromRow(row);
  }

  async list(options: { limit: number; before?: string }): Promise<OutboxRecord[]> {
    if (options.limit <= 0) return [];
    const rows = options.before ? this.q.listBefore.all(options.before, options.limit) : this.q.list.all(options.limit);
    return rows.map(fromRow);
  }

  async pruneBefore(cutoff: string): Promise<number> {
    return this.q.prune.run(ms(cutoff)).changes;
  }
}
