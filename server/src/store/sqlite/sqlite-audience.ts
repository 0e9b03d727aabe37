import type Database from 'better-sqlite3';
import {
  emptyTotals,
  wholeMs,
  type AudienceMode,
  type AudienceSampleRecord,
  type AudienceStore,
  type AudienceTotals,
  type WatchCredit,
} from '../audience-store';
import { ms } from '../instants';
import type { SqliteEventData } from './sqlite-connection';

/**
 * The migration of audience figures (issue 12). Samples keep one row per process and instant, so that a process
 * writing its count again replaces it while the processes add up when read. Watch time is one row per person and mode
 * (an upsert that sums), views one row each: counting rows gives the distinct people and views.
 */
export const AUDIENCE_MIGRATION = `
  CREATE TABLE audience_samples (
    event_id   TEXT NOT NULL,
    at_ms      INTEGER NOT NULL,
    process_id TEXT NOT NULL,
    viewers    INTEGER NOT NULL CHECK (viewers >= 0),
    PRIMARY KEY (event_id, at_ms, process_id)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE audience_watch (
    event_id TEXT NOT NULL,
    mode     TEXT NOT NULL CHECK (mode IN ('live', 'replay')),
    person   TEXT NOT NULL,
    watch_ms INTEGER NOT NULL CHECK (watch_ms >= 0),
    PRIMARY KEY (event_id, mode, person)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE audience_views (
    event_id TEXT NOT NULL,
    mode     TEXT NOT NULL CHECK (mode IN ('live', 'replay')),
    view     TEXT NOT NULL,
    PRIMARY KEY (event_id, mode, view)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE audience_delays (
    event_id   TEXT NOT NULL,
    process_id TEXT NOT NULL,
    at_ms      INTEGER NOT NULL,
    delays     TEXT NOT NULL,
    PRIMARY KEY (event_id, process_id)
  ) STRICT, WITHOUT ROWID;
`;

const TABLES = ['audience_samples', 'audience_watch', 'audience_views', 'audience_delays'] as const;

/** Audience figures in SQLite. */
export class SqliteAudienceStore implements AudienceStore, SqliteEventData {
  private readonly q;
  private readonly watchTx: Database.Transaction<(eventId: string, credit: WatchCredit, add: number) => void>;

  constructor(private readonly db: Database.Database) {
    this.q = {
      putSample: db.prepare<[string, number, string, number]>(
        `INSERT INTO audience_samples (event_id, at_ms, process_id, viewers) VALUES (?, ?, ?, ?)
         ON CONFLICT(event_id, at_ms, process_id) DO UPDATE SET viewers = excluded.viewers`,
      ),
      samples: db.prepare<[string], { at_ms: number; viewers: number }>(
        'SELECT at_ms, SUM(viewers) AS viewers FROM audience_samples WHERE event_id = ? GROUP BY at_ms ORDER BY at_ms',
      ),
      addWatch: db.prepare<[string, string, string, number]>(
        `INSERT INTO audience_watch (event_id, mode, person, watch_ms) VALUES (?, ?, ?, ?)
         ON CONFLICT(event_id, mode, person) DO UPDATE SET watch_ms = watch_ms + excluded.watch_ms`,
      ),
      addView: db.prepare<[string, string, string]>('INSERT OR IGNORE INTO audience_views (event_id, mode, view) VALUES (?, ?, ?)'),
      watchTotals: db.prepare<[string], { mode: AudienceMode; viewers: number; watch_ms: number }>(
        'SELECT mode, COUNT(*) AS viewers, SUM(watch_ms) AS watch_ms FROM audience_watch WHERE event_id = ? GROUP BY mode',
      ),
      viewTotals: db.prepare<[string], { mode: AudienceMode; views: number }>(
        'SELECT mode, COUNT(*) AS views FROM audience_views WHERE event_id = ? GROUP BY mode',
      ),
      putDelays: db.prepare<[string, string, number, string]>(
        `INSERT INTO audience_delays (event_id, process_id, at_ms, delays) VALUES (?, ?, ?, ?)
         ON CONFLICT(event_id, process_id) DO UPDATE SET at_ms = excluded.at_ms, delays = excluded.delays`,
      ),
      delays: db.prepare<[string, number], { delays: string }>('SELECT delays FROM audience_delays WHERE event_id = ? AND at_ms >= ?'),
      deleteEvent: TABLES.map((table) => db.prepare<[string]>(`DELETE FROM ${table} WHERE event_id = ?`)),
      deleteAll: TABLES.map((table) => db.prepare(`DELETE FROM ${table}`)),
    };
    // The person, their time and the view together: a figure never counts one without the other.
    this.watchTx = db.transaction((eventId: string, credit: WatchCredit, add: number) => {
      this.q.addWatch.run(eventId, credit.mode, credit.person, add);
      this.q.addView.run(eventId, credit.mode, credit.view);
    });
  }

  async putSample(eventId: string, at: string, processId: string, viewers: number): Promise<void> {
    this.q.putSample.run(eventId, ms(at), processId, Math.max(0, Math.floor(viewers)));
  }

  async samples(eventId: string): Promise<AudienceSampleRecord[]> {
    return this.q.samples.all(eventId).map((row) => ({ at: new Date(row.at_ms).toISOString(), viewers: row.viewers }));
  }

  async addWatch(eventId: string, credit: WatchCredit): Promise<void> {
    this.watchTx(eventId, credit, wholeMs(credit.ms));
  }

  async totals(eventId: string): Promise<Record<AudienceMode, AudienceTotals>> {
    const totals = { live: emptyTotals(), replay: emptyTotals() };
    for (const row of this.q.watchTotals.all(eventId)) Object.assign(totals[row.mode], { viewers: row.viewers, watchMs: row.watch_ms });
    for (const row of this.q.viewTotals.all(eventId)) totals[row.mode].views = row.views;
    return totals;
  }

  async putDelays(eventId: string, processId: string, at: string, delaysMs: readonly number[]): Promise<void> {
    this.q.putDelays.run(eventId, processId, ms(at), JSON.stringify(delaysMs.filter(Number.isFinite)));
  }

  async delays(eventId: string, since: string): Promise<number[]> {
    return this.q.delays.all(eventId, ms(since)).flatMap((row) => JSON.parse(row.delays) as number[]);
  }

  async deleteEventData(eventId: string): Promise<void> {
    this.db.transaction(() => this.deleteEventRows(eventId))();
  }

  async clearAll(): Promise<void> {
    this.resetRows();
  }

  deleteEventRows(eventId: string): void {
    for (const statement of this.q.deleteEvent) statement.run(eventId);
  }

  resetRows(): void {
    for (const statement of this.q.deleteAll) statement.run();
  }
}
