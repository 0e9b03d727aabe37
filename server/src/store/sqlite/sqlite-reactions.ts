import type Database from 'better-sqlite3';
import type { Reaction } from '#shared/domain/moderation';
import { ms } from '../instants';
import { countsToAdd, type ReactionBurstRecord, type ReactionCounts, type ReactionStore } from '../reaction-store';
import type { SqliteEventData } from './sqlite-connection';

/**
 * The migration of the reactions a live kept (issue 11): one row per event, instant and reaction, so that adding a
 * process's counts is an upsert that sums, whatever other processes added for the same instant.
 */
export const REACTIONS_MIGRATION = `
  CREATE TABLE reaction_bursts (
    event_id TEXT NOT NULL,
    at_ms    INTEGER NOT NULL,
    reaction TEXT NOT NULL,
    count    INTEGER NOT NULL CHECK (count > 0),
    PRIMARY KEY (event_id, at_ms, reaction)
  ) STRICT, WITHOUT ROWID;
`;

interface BurstRow {
  at_ms: number;
  reaction: string;
  count: number;
}

/** Reaction bursts in SQLite. */
export class SqliteReactionStore implements ReactionStore, SqliteEventData {
  private readonly q;
  private readonly addTx: Database.Transaction<(eventId: string, atMs: number, pairs: [Reaction, number][]) => void>;

  constructor(private readonly db: Database.Database) {
    this.q = {
      add: db.prepare<[string, number, string, number]>(
        `INSERT INTO reaction_bursts (event_id, at_ms, reaction, count) VALUES (?, ?, ?, ?)
         ON CONFLICT(event_id, at_ms, reaction) DO UPDATE SET count = count + excluded.count`,
      ),
      list: db.prepare<[string], BurstRow>(
        'SELECT at_ms, reaction, count FROM reaction_bursts WHERE event_id = ? ORDER BY at_ms, reaction',
      ),
      deleteEvent: db.prepare<[string]>('DELETE FROM reaction_bursts WHERE event_id = ?'),
      deleteAll: db.prepare('DELETE FROM reaction_bursts'),
    };
    // One transaction per add: a burst of several reactions is kept whole or not at all.
    this.addTx = db.transaction((eventId: string, atMs: number, pairs: [Reaction, number][]) => {
      for (const [reaction, n] of pairs) this.q.add.run(eventId, atMs, reaction, n);
    });
  }

  async add(eventId: string, at: string, counts: ReactionCounts): Promise<void> {
    const pairs = countsToAdd(counts);
    if (pairs.length) this.addTx(eventId, ms(at), pairs);
  }

  async list(eventId: string): Promise<ReactionBurstRecord[]> {
    const bursts: ReactionBurstRecord[] = [];
    let last: { atMs: number; record: ReactionBurstRecord } | undefined;
    for (const row of this.q.list.all(eventId)) {
      if (last?.atMs !== row.at_ms) {
        last = { atMs: row.at_ms, record: { at: new Date(row.at_ms).toISOString(), counts: {} } };
        bursts.push(last.record);
      }
      last.record.counts[row.reaction as Reaction] = row.count;
    }
    return bursts;
  }

  async deleteEventData(eventId: string): Promise<void> {
    this.db.transaction(() => this.deleteEventRows(eventId))();
  }

  async clearAll(): Promise<void> {
    this.resetRows();
  }

  deleteEventRows(eventId: string): void {
    this.q.deleteEvent.run(eventId);
  }

  resetRows(): void {
    this.q.deleteAll.run();
  }
}
