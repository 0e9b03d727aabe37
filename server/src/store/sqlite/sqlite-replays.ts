import type Database from 'better-sqlite3';
import type { FilmRights } from '#shared/domain/broadcast';
import { newReplayRecord, type ReplayPatch, type ReplayRecord, type ReplayState, type ReplayStore } from '../replay-store';
import type { SqliteEventData } from './sqlite-connection';

/** The replay of each event that has one, or whose replay settings were chosen ahead (issue 11). */
export const REPLAYS_MIGRATION = `
  CREATE TABLE replays (
    event_id         TEXT PRIMARY KEY,
    state            TEXT NOT NULL CHECK (state IN ('none', 'assembling', 'ready', 'failed')),
    duration_seconds REAL NOT NULL,
    bytes            INTEGER NOT NULL,
    trim_in          REAL,
    trim_out         REAL,
    talk_starts_at   TEXT,
    film_rights      TEXT NOT NULL CHECK (film_rights IN ('replay', 'live-only')),
    published        INTEGER NOT NULL CHECK (published IN (0, 1)),
    thumbnail        TEXT
  ) STRICT, WITHOUT ROWID;
`;

interface ReplayRow {
  event_id: string;
  state: string;
  duration_seconds: number;
  bytes: number;
  trim_in: number | null;
  trim_out: number | null;
  talk_starts_at: string | null;
  film_rights: string;
  published: number;
  thumbnail: string | null;
}

function fromRow(row: ReplayRow): ReplayRecord {
  return {
    eventId: row.event_id,
    state: row.state as ReplayState,
    durationSeconds: row.duration_seconds,
    bytes: row.bytes,
    trimIn: row.trim_in,
    trimOut: row.trim_out,
    talkStartsAt: row.talk_starts_at,
    filmRights: row.film_rights as FilmRights,
    published: row.published === 1,
    thumbnail: row.thumbnail,
  };
}

function toRow(record: ReplayRecord): ReplayRow {
  return {
    event_id: record.eventId,
    state: record.state,
    duration_seconds: record.durationSeconds,
    bytes: record.bytes,
    trim_in: record.trimIn,
    trim_out: record.trimOut,
    talk_starts_at: record.talkStartsAt,
    film_rights: record.filmRights,
    published: record.published ? 1 : 0,
    thumbnail: record.thumbnail,
  };
}

/** Table `replays`. An update reads and writes the row in one transaction, so that concurrent patches both hold. */
export class SqliteReplayStore implements ReplayStore, SqliteEventData {
  private readonly q;
  private readonly updateTx: Database.Transaction<(eventId: string, patch: ReplayPatch) => ReplayRecord>;

  constructor(private readonly db: Database.Database) {
    this.q = {
      get: db.prepare<[string], ReplayRow>('SELECT * FROM replays WHERE event_id = ?'),
      list: db.prepare<[], ReplayRow>('SELECT * FROM replays ORDER BY event_id'),
      upsert: db.prepare<[ReplayRow]>(
        `INSERT INTO replays (event_id, state, duration_seconds, bytes, trim_in, trim_out, talk_starts_at, film_rights,
                              published, thumbnail)
         VALUES (@event_id, @state, @duration_seconds, @bytes, @trim_in, @trim_out, @talk_starts_at, @film_rights,
                 @published, @thumbnail)
         ON CONFLICT(event_id) DO UPDATE SET state = excluded.state, duration_seconds = excluded.duration_seconds,
           bytes = excluded.bytes, trim_in = excluded.trim_in, trim_out = excluded.trim_out,
           talk_starts_at = excluded.talk_starts_at, film_rights = excluded.film_rights,
           published = excluded.published, thumbnail = excluded.thumbnail`,
      ),
      delete: db.prepare<[string]>('DELETE FROM replays WHERE event_id = ?'),
    };
    this.updateTx = db.transaction((eventId: string, patch: ReplayPatch): ReplayRecord => {
      const row = this.q.get.get(eventId);
      const record: ReplayRecord = { ...(row ? fromRow(row) : newReplayRecord(eventId)) };
      for (const [key, value] of Object.entries(patch)) {
        if (value !== undefined) (record as unknown as Record<string, unknown>)[key] = value;
      }
      this.q.upsert.run(toRow(record));
      return record;
    });
  }

  async get(eventId: string): Promise<ReplayRecord | undefined> {
    const row = this.q.get.get(eventId);
    return row && fromRow(row);
  }

  async update(eventId: string, patch: ReplayPatch): Promise<ReplayRecord> {
    return this.updateTx(eventId, patch);
  }

  async list(): Promise<ReplayRecord[]> {
    return this.q.list.all().map(fromRow);
  }

  deleteEventRows(eventId: string): void {
    this.q.delete.run(eventId);
  }

  resetRows(): void {
    this.db.exec('DELETE FROM replays');
  }
}
