import type Database from 'better-sqlite3';
import type { BroadcastState, StreamHealth } from '#shared/domain/broadcast';
import {
  idleBroadcast,
  type BroadcastRecord,
  type FinishOptions,
  type IngestStore,
  type StartPublishResult,
  type StopPublish,
} from '../ingest-store';
import { ms } from '../instants';
import type { SqliteEventData } from './sqlite-connection';

/**
 * The ingest's migration: stream keys (one per event, unique across events so that a key leads to one event) and
 * broadcasts. `deadline_ms` is the reconnect deadline as epoch ms, indexed for the sweeper among reconnecting
 * broadcasts only. The stream's health is one JSON column, rewritten every few seconds while someone publishes.
 */
export const INGEST_MIGRATION = `
  CREATE TABLE ingest_keys (
    event_id   TEXT PRIMARY KEY,
    stream_key TEXT NOT NULL UNIQUE
  ) STRICT;

  CREATE TABLE broadcasts (
    event_id           TEXT PRIMARY KEY,
    state              TEXT NOT NULL CHECK (state IN ('idle', 'live', 'reconnecting', 'ended')),
    publishes          INTEGER NOT NULL,
    current_session    INTEGER,
    publisher_id       TEXT,
    started_at         TEXT,
    disconnected_at    TEXT,
    reconnect_deadline TEXT,
    deadline_ms        INTEGER,
    ended_at           TEXT,
    health             TEXT
  ) STRICT;
  CREATE INDEX broadcasts_reconnecting ON broadcasts(deadline_ms) WHERE state = 'reconnecting';
`;

interface BroadcastRow {
  event_id: string;
  state: string;
  publishes: number;
  current_session: number | null;
  publisher_id: string | null;
  started_at: string | null;
  disconnected_at: string | null;
  reconnect_deadline: string | null;
  deadline_ms: number | null;
  ended_at: string | null;
  health: string | null;
}

function fromRow(row: BroadcastRow): BroadcastRecord {
  return {
    eventId: row.event_id,
    state: row.state as BroadcastState,
    publishes: row.publishes,
    currentSession: row.current_session,
    publisherId: row.publisher_id,
    startedAt: row.started_at,
    disconnectedAt: row.disconnected_at,
    reconnectDeadline: row.reconnect_deadline,
    endedAt: row.ended_at,
  };
}

function prepareStatements(db: Database.Database) {
  return {
    keyOf: db.prepare<[string], { stream_key: string }>('SELECT stream_key FROM ingest_keys WHERE event_id = ?'),
    insertKey: db.prepare('INSERT INTO ingest_keys (event_id, stream_key) VALUES (?, ?) ON CONFLICT(event_id) DO NOTHING'),
    setKey: db.prepare(
      'INSERT INTO ingest_keys (event_id, stream_key) VALUES (?, ?) ON CONFLICT(event_id) DO UPDATE SET stream_key = excluded.stream_key',
    ),
    eventOfKey: db.prepare<[string], { event_id: string }>('SELECT event_id FROM ingest_keys WHERE stream_key = ?'),
    broadcast: db.prepare<[string], BroadcastRow>('SELECT * FROM broadcasts WHERE event_id = ?'),
    active: db.prepare<[], BroadcastRow>("SELECT * FROM broadcasts WHERE state IN ('live', 'reconnecting')"),
    // Every column but health, which saveHealth owns.
    upsert: db.prepare(
      `INSERT INTO broadcasts (event_id, state, publishes, current_session, publisher_id, started_at, disconnected_at,
                               reconnect_deadline, deadline_ms, ended_at)
       VALUES (@eventId, @state, @publishes, @currentSession, @publisherId, @startedAt, @disconnectedAt,
               @reconnectDeadline, @deadlineMs, @endedAt)
       ON CONFLICT(event_id) DO UPDATE SET state = excluded.state, publishes = excluded.publishes,
         current_session = excluded.current_session, publisher_id = excluded.publisher_id,
         started_at = excluded.started_at, disconnected_at = excluded.disconnected_at,
         reconnect_deadline = excluded.reconnect_deadline, deadline_ms = excluded.deadline_ms, ended_at = excluded.ended_at`,
    ),
    due: db.prepare<[number], { event_id: string }>(
      "SELECT event_id FROM broadcasts WHERE state = 'reconnecting' AND deadline_ms <= ? ORDER BY deadline_ms, event_id",
    ),
    saveHealth: db.prepare(
      `INSERT INTO broadcasts (event_id, state, publishes, health) VALUES (?, 'idle', 0, ?)
       ON CONFLICT(event_id) DO UPDATE SET health = excluded.health`,
    ),
    health: db.prepare<[string], { health: string | null }>('SELECT health FROM broadcasts WHERE event_id = ?'),
    deleteKey: db.prepare<[string]>('DELETE FROM ingest_keys WHERE event_id = ?'),
    deleteBroadcast: db.prepare<[string]>('DELETE FROM broadcasts WHERE event_id = ?'),
  };
}

/** Stream keys and broadcasts in SQLite. Each rule is one IMMEDIATE transaction: read, decide, write. */
export class SqliteIngestStore implements IngestStore, SqliteEventData {
  private readonly q: ReturnType<typeof prepareStatements>;
  private readonly keyTx: Database.Transaction<(eventId: string, fresh: string) => string>;
  private readonly startTx: Database.Transaction<(eventId: string, publisherId: string, at: string) => StartPublishResult>;
  private readonly stopTx: Database.Transaction<(eventId: string, stop: StopPublish) => BroadcastRecord | undefined>;
  private readonly sessionTx: Database.Transaction<(eventId: string, session: number) => void>;
  private readonly finishTx: Database.Transaction<(eventId: string, options: FinishOptions) => BroadcastRecord | undefined>;

  constructor(private readonly db: Database.Database) {
    this.q = prepareStatements(db);

    this.keyTx = db.transaction((eventId: string, fresh: string) => {
      this.q.insertKey.run(eventId, fresh);
      return this.q.keyOf.get(eventId)!.stream_key;
    });

    this.startTx = db.transaction((eventId: string, publisherId: string, at: string): StartPublishResult => {
      const before = this.read(eventId);
      if (before.state === 'ended') return { outcome: 'ended', broadcast: before };
      if (before.state === 'live') {
        return before.publisherId === publisherId
          ? { outcome: 'started', broadcast: before, resumed: false }
          : { outcome: 'busy', broadcast: before };
      }
      if (before.state === 'reconnecting' && ms(before.reconnectDeadline!) <= ms(at)) return { outcome: 'ended', broadcast: before };
      const after: BroadcastRecord = {
        ...before,
        state: 'live',
        publishes: before.publishes + 1,
        publisherId,
        startedAt: before.startedAt ?? at,
        disconnectedAt: null,
        reconnectDeadline: null,
      };
      this.write(after);
      return { outcome: 'started', broadcast: after, resumed: before.state === 'reconnecting' };
    });

    this.stopTx = db.transaction((eventId: string, stop: StopPublish) => {
      const before = this.read(eventId);
      if (before.state !== 'live') return undefined;
      if (stop.publisherId !== undefined && stop.publisherId !== before.publisherId) return undefined;
      const after: BroadcastRecord = {
        ...before,
        state: 'reconnecting',
        publisherId: null,
        disconnectedAt: stop.at,
        reconnectDeadline: stop.deadline,
      };
      this.write(after);
      return after;
    });

    this.sessionTx = db.transaction((eventId: string, session: number) => {
      this.write({ ...this.read(eventId), currentSession: session });
    });

    this.finishTx = db.transaction((eventId: string, options: FinishOptions) => {
      const before = this.read(eventId);
      if (before.state !== 'live' && before.state !== 'reconnecting') return undefined;
      if (options.dueBy !== undefined) {
        if (before.state !== 'reconnecting' || ms(before.reconnectDeadline!) > ms(options.dueBy)) return undefined;
      }
      const after: BroadcastRecord = { ...before, state: 'ended', publisherId: null, endedAt: options.at };
      this.write(after);
      return after;
    });
  }

  private read(eventId: string): BroadcastRecord {
    const row = this.q.broadcast.get(eventId);
    return row ? fromRow(row) : idleBroadcast(eventId);
  }

  private write(b: BroadcastRecord): void {
    this.q.upsert.run({ ...b, deadlineMs: b.reconnectDeadline === null ? null : ms(b.reconnectDeadline) });
  }

  async keyOf(eventId: string, fresh: string): Promise<string> {
    return this.keyTx.immediate(eventId, fresh);
  }

  async rotateKey(eventId: string, fresh: string): Promise<string> {
    this.q.setKey.run(eventId, fresh);
    return fresh;
  }

  async eventOfKey(streamKey: string): Promise<string | undefined> {
    return this.q.eventOfKey.get(streamKey)?.event_id;
  }

  async getBroadcast(eventId: string): Promise<BroadcastRecord | undefined> {
    const row = this.q.broadcast.get(eventId);
    return row ? fromRow(row) : undefined;
  }

  async activeBroadcasts(): Promise<BroadcastRecord[]> {
    return this.q.active.all().map(fromRow);
  }

  async startPublish(eventId: string, publish: { publisherId: string; at: string }): Promise<StartPublishResult> {
    return this.startTx.immediate(eventId, publish.publisherId, publish.at);
  }

  async stopPublish(eventId: string, stop: StopPublish): Promise<BroadcastRecord | undefined> {
    return this.stopTx.immediate(eventId, stop);
  }

  async recordSession(eventId: string, session: number): Promise<void> {
    this.sessionTx.immediate(eventId, session);
  }

  async dueReconnects(now: string): Promise<string[]> {
    return this.q.due.all(ms(now)).map((r) => r.event_id);
  }

  async finish(eventId: string, options: FinishOptions): Promise<BroadcastRecord | undefined> {
    return this.finishTx.immediate(eventId, options);
  }

  async saveHealth(eventId: string, health: StreamHealth): Promise<void> {
    this.q.saveHealth.run(eventId, JSON.stringify(health));
  }

  async getHealth(eventId: string): Promise<StreamHealth | undefined> {
    const json = this.q.health.get(eventId)?.health;
    return json ? (JSON.parse(json) as StreamHealth) : undefined;
  }

  deleteEventRows(eventId: string): void {
    this.q.deleteKey.run(eventId);
    this.q.deleteBroadcast.run(eventId);
  }

  resetRows(): void {
    this.db.exec('DELETE FROM ingest_keys; DELETE FROM broadcasts;');
  }
}
