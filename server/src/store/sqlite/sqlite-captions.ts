import type Database from 'better-sqlite3';
import type { CaptionCue, CaptionSource } from '#shared/domain/caption';
import type { CaptionAppend, CaptionAppendResult, CaptionEdit, CaptionStore } from '../caption-store';
import { ms } from '../instants';
import type { SqliteEventData } from './sqlite-connection';

/**
 * The captions' migration (issue 12): cues, the `seq` values seen (kept apart from the cues so that a removed cue's
 * `seq` stays seen and a late resend does not bring it back), and each event's ingest secret. `start_ms` orders the
 * cues of a language as instants, not as text.
 */
export const CAPTIONS_MIGRATION = `
  CREATE TABLE captions (
    event_id  TEXT NOT NULL,
    id        TEXT NOT NULL,
    lang      TEXT NOT NULL,
    source    TEXT NOT NULL CHECK (source IN ('desk', 'ingest')),
    seq       INTEGER NOT NULL,
    start_at  TEXT NOT NULL,
    start_ms  INTEGER NOT NULL,
    end_at    TEXT,
    text      TEXT NOT NULL,
    edited_at TEXT,
    PRIMARY KEY (event_id, id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX captions_by_time ON captions(event_id, lang, start_ms, seq);
  CREATE INDEX captions_by_seq ON captions(event_id, lang, source, seq);

  CREATE TABLE caption_seqs (
    event_id TEXT NOT NULL,
    lang     TEXT NOT NULL,
    source   TEXT NOT NULL,
    seq      INTEGER NOT NULL,
    PRIMARY KEY (event_id, lang, source, seq)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE caption_secrets (
    event_id TEXT PRIMARY KEY,
    secret   TEXT NOT NULL
  ) STRICT;
`;

interface CueRow {
  event_id: string;
  id: string;
  lang: string;
  source: string;
  seq: number;
  start_at: string;
  start_ms: number;
  end_at: string | null;
  text: string;
  edited_at: string | null;
}

function fromRow(row: CueRow): CaptionCue {
  return {
    id: row.id,
    eventId: row.event_id,
    lang: row.lang,
    seq: row.seq,
    startAt: row.start_at,
    endAt: row.end_at,
    text: row.text,
    source: row.source as CaptionSource,
    editedAt: row.edited_at,
  };
}

function prepareStatements(db: Database.Database) {
  return {
    seen: db.prepare<[string, string, string, number], { one: number }>(
      'SELECT 1 AS one FROM caption_seqs WHERE event_id = ? AND lang = ? AND source = ? AND seq = ?',
    ),
    markSeen: db.prepare('INSERT INTO caption_seqs (event_id, lang, source, seq) VALUES (?, ?, ?, ?)'),
    lastSeq: db.prepare<[string, string, string], { seq: number | null }>(
      'SELECT MAX(seq) AS seq FROM caption_seqs WHERE event_id = ? AND lang = ? AND source = ?',
    ),
    bySeq: db.prepare<[string, string, string, number], CueRow>(
      'SELECT * FROM captions WHERE event_id = ? AND lang = ? AND source = ? AND seq = ? ORDER BY start_ms, seq, id',
    ),
    before: db.prepare<[string, string, number], CueRow>(
      'SELECT * FROM captions WHERE event_id = ? AND lang = ? AND start_ms <= ? ORDER BY start_ms DESC, seq DESC, id DESC LIMIT 1',
    ),
    after: db.prepare<[string, string, number], CueRow>(
      'SELECT * FROM captions WHERE event_id = ? AND lang = ? AND start_ms > ? ORDER BY start_ms, seq, id LIMIT 1',
    ),
    insert: db.prepare(
      `INSERT INTO captions (event_id, id, lang, source, seq, start_at, start_ms, end_at, text, edited_at)
       VALUES (@eventId, @id, @lang, @source, @seq, @startAt, @startMs, @endAt, @text, NULL)`,
    ),
    setEnd: db.prepare<[string | null, string, string]>('UPDATE captions SET end_at = ? WHERE event_id = ? AND id = ?'),
    get: db.prepare<[string, string], CueRow>('SELECT * FROM captions WHERE event_id = ? AND id = ?'),
    list: db.prepare<[string, string], CueRow>('SELECT * FROM captions WHERE event_id = ? AND lang = ? ORDER BY start_ms, seq, id'),
    last: db.prepare<[string, string, number], CueRow>(
      `SELECT * FROM (SELECT * FROM captions WHERE event_id = ? AND lang = ? ORDER BY start_ms DESC, seq DESC, id DESC LIMIT ?)
       ORDER BY start_ms, seq, id`,
    ),
    languages: db.prepare<[string], { lang: string }>('SELECT DISTINCT lang FROM captions WHERE event_id = ? ORDER BY lang'),
    update: db.prepare(
      `UPDATE captions SET text = @text, start_at = @startAt, start_ms = @startMs, end_at = @endAt, edited_at = @editedAt
       WHERE event_id = @eventId AND id = @id`,
    ),
    remove: db.prepare<[string, string]>('DELETE FROM captions WHERE event_id = ? AND id = ?'),
    secret: db.prepare<[string], { secret: string }>('SELECT secret FROM caption_secrets WHERE event_id = ?'),
    insertSecret: db.prepare('INSERT INTO caption_secrets (event_id, secret) VALUES (?, ?) ON CONFLICT(event_id) DO NOTHING'),
    setSecret: db.prepare(
      'INSERT INTO caption_secrets (event_id, secret) VALUES (?, ?) ON CONFLICT(event_id) DO UPDATE SET secret = excluded.secret',
    ),
    deleteCues: db.prepare<[string]>('DELETE FROM captions WHERE event_id = ?'),
    deleteSeqs: db.prepare<[string]>('DELETE FROM caption_seqs WHERE event_id = ?'),
    deleteSecret: db.prepare<[string]>('DELETE FROM caption_secrets WHERE event_id = ?'),
  };
}

/** Caption cues and ingest secrets in SQLite. Appending is one IMMEDIATE transaction: check the seq, place, write. */
export class SqliteCaptionStore implements CaptionStore, SqliteEventData {
  private readonly q: ReturnType<typeof prepareStatements>;
  private readonly appendTx: Database.Transaction<(input: CaptionAppend) => CaptionAppendResult>;
  private readonly updateTx: Database.Transaction<(eventId: string, cueId: string, edit: CaptionEdit) => CaptionCue | undefined>;
  private readonly secretTx: Database.Transaction<(eventId: string, fresh: string) => string>;

  constructor(private readonly db: Database.Database) {
    this.q = prepareStatements(db);

    this.appendTx = db.transaction((input: CaptionAppend): CaptionAppendResult => {
      const { eventId, lang, source } = input;
      if (input.seq !== null && this.q.seen.get(eventId, lang, source, input.seq)) {
        return { cues: this.q.bySeq.all(eventId, lang, source, input.seq).map(fromRow), repeated: true, ended: [] };
      }
      const seq = input.seq ?? (this.q.lastSeq.get(eventId, lang, source)?.seq ?? 0) + 1;
      this.q.markSeen.run(eventId, lang, source, seq);
      const ended = new Set<string>();
      for (const line of input.lines) {
        const startMs = ms(line.startAt);
        // The line said just before ends here, unless something ended it earlier; the one said just after ends this.
        const before = this.q.before.get(eventId, lang, startMs);
        if (before && (before.end_at === null || ms(before.end_at) > startMs)) {
          this.q.setEnd.run(line.startAt, eventId, before.id);
          ended.add(before.id);
        }
        const after = this.q.after.get(eventId, lang, startMs);
        this.q.insert.run({ eventId, id: line.id, lang, source, seq, startAt: line.startAt, startMs, endAt: after?.start_at ?? null, text: line.text });
      }
      const ids = new Set(input.lines.map((l) => l.id));
      return {
        cues: input.lines.map((l) => fromRow(this.q.get.get(eventId, l.id)!)),
        repeated: false,
        ended: [...ended].filter((id) => !ids.has(id)).map((id) => fromRow(this.q.get.get(eventId, id)!)),
      };
    });

    this.updateTx = db.transaction((eventId: string, cueId: string, edit: CaptionEdit) => {
      const row = this.q.get.get(eventId, cueId);
      if (!row) return undefined;
      const startAt = edit.startAt ?? row.start_at;
      this.q.update.run({
        eventId,
        id: cueId,
        text: edit.text ?? row.text,
        startAt,
        startMs: ms(startAt),
        endAt: edit.endAt === undefined ? row.end_at : edit.endAt,
        editedAt: edit.editedAt,
      });
      return fromRow(this.q.get.get(eventId, cueId)!);
    });

    this.secretTx = db.transaction((eventId: string, fresh: string) => {
      this.q.insertSecret.run(eventId, fresh);
      return this.q.secret.get(eventId)!.secret;
    });
  }

  async append(input: CaptionAppend): Promise<CaptionAppendResult> {
    return this.appendTx.immediate(input);
  }

  async list(eventId: string, lang: string, options: { last?: number } = {}): Promise<CaptionCue[]> {
    const rows = options.last === undefined ? this.q.list.all(eventId, lang) : this.q.last.all(eventId, lang, options.last);
    return rows.map(fromRow);
  }

  async languages(eventId: string): Promise<string[]> {
    return this.q.languages.all(eventId).map((r) => r.lang);
  }

  async get(eventId: string, cueId: string): Promise<CaptionCue | undefined> {
    const row = this.q.get.get(eventId, cueId);
    return row ? fromRow(row) : undefined;
  }

  async update(eventId: string, cueId: string, edit: CaptionEdit): Promise<CaptionCue | undefined> {
    return this.updateTx.immediate(eventId, cueId, edit);
  }

  async remove(eventId: string, cueId: string): Promise<boolean> {
    return this.q.remove.run(eventId, cueId).changes > 0;
  }

  async ingestSecret(eventId: string, fresh: string): Promise<string> {
    return this.secretTx.immediate(eventId, fresh);
  }

  async rotateIngestSecret(eventId: string, fresh: string): Promise<string> {
    this.q.setSecret.run(eventId, fresh);
    return fresh;
  }

  deleteEventRows(eventId: string): void {
    this.q.deleteCues.run(eventId);
    this.q.deleteSeqs.run(eventId);
    this.q.deleteSecret.run(eventId);
  }

  resetRows(): void {
    this.db.exec('DELETE FROM captions; DELETE FROM caption_seqs; DELETE FROM caption_secrets;');
  }
}
