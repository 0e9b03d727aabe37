import type Database from 'better-sqlite3';
import type { AuditEntry } from '#shared/domain/account';
import type { AuditStore } from '../audit-store';
import { ms } from '../instants';

/** Table `audit_log` (migration 2): `seq` orders entries of the same millisecond. */
interface AuditRow {
  seq: number;
  id: string;
  at: string;
  at_ms: number;
  actor_id: string;
  actor_name: string;
  action: string;
  target: string;
  details: string;
}

function auditFromRow(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    at: r.at,
    actor: { id: r.actor_id, displayName: r.actor_name },
    action: r.action,
    target: r.target,
    details: JSON.parse(r.details),
  };
}

function prepareStatements(db: Database.Database) {
  return {
    // An entry appended again under the same id is kept once, as first written.
    insert: db.prepare(
      `INSERT INTO audit_log (id, at, at_ms, actor_id, actor_name, action, target, details)
       VALUES (@id, @at, @atMs, @actorId, @actorName, @action, @target, @details) ON CONFLICT(id) DO NOTHING`,
    ),
    // Newest first; entries of the same millisecond, the last appended first.
    newest: db.prepare<[number], AuditRow>('SELECT * FROM audit_log ORDER BY at_ms DESC, seq DESC LIMIT ?'),
    before: db.prepare<[number, number], AuditRow>(
      'SELECT * FROM audit_log WHERE at_ms < ? ORDER BY at_ms DESC, seq DESC LIMIT ?',
    ),
  };
}

/** The audit log in SQLite. It survives the demo reset, so it takes no part in it. */
export class SqliteAuditStore implements AuditStore {
  private readonly q: ReturnType<typeof prepareStatements>;

  constructor(db: Database.Database) {
    this.q = prepareStatements(db);
  }

  async append(entry: AuditEntry): Promise<void> {
    this.q.insert.run({
      id: entry.id,
      at: entry.at,
      atMs: ms(entry.at),
      actorId: entry.actor.id,
      actorName: entry.actor.displayName,
      action: entry.action,
      target: entry.target,
      details: JSON.stringify(entry.details),
    });
  }

  async list(options: { limit: number; before?: string }): Promise<AuditEntry[]> {
    // NaN and numbers ≤ 0 read nothing; Infinity reads everything.
    const limit = Math.min(Math.floor(options.limit), Number.MAX_SAFE_INTEGER);
    if (!(limit > 0)) return [];
    const rows = options.before === undefined ? this.q.newest.all(limit) : this.q.before.all(ms(options.before), limit);
    return rows.map(auditFromRow);
  }
}
