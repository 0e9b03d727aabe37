import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { ChatMessage } from '#shared/domain/chat';
import type { Role } from '#shared/domain/user';
import type { Event, EventQuery, Series } from '#shared/domain/event';
import type { AppendResult, NewChatMessage, Store } from '../store';
import { migrations } from './migrations';

interface EventRow {
  id: string;
  kind: Event['kind'];
  title: string;
  summary: string;
  starts_at: string;
  ends_at: string;
  timezone: string;
  status: Event['status'];
  access: Event['access'];
  capacity: number | null;
  series_id: string | null;
  speakers: string;
  language: string;
  stream_url: string | null;
  replay_url: string | null;
}

interface ChatRow {
  event_id: string;
  offset: number;
  id: string;
  author_id: string;
  author_name: string;
  author_role: Role;
  text: string;
  sent_at: string;
  client_id: string;
}

function eventFromRow(r: EventRow): Event {
  const event: Event = {
    id: r.id,
    kind: r.kind,
    title: r.title,
    summary: r.summary,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    timezone: r.timezone,
    status: r.status,
    access: r.access,
    speakers: JSON.parse(r.speakers),
    language: r.language,
  };
  if (r.capacity !== null) event.capacity = r.capacity;
  if (r.series_id !== null) event.seriesId = r.series_id;
  if (r.stream_url !== null) event.streamUrl = r.stream_url;
  if (r.replay_url !== null) event.replayUrl = r.replay_url;
  return event;
}

function messageFromRow(r: ChatRow): ChatMessage {
  return {
    id: r.id,
    eventId: r.event_id,
    offset: r.offset,
    author: { id: r.author_id, displayName: r.author_name, role: r.author_role },
    text: r.text,
    sentAt: r.sent_at,
    clientId: r.client_id,
  };
}

/** Opens (creating if needed) a SQLite database in WAL mode and brings its schema up to date. */
export function openSqliteStore(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable in WAL mode across process crashes; only a power loss can drop the last transactions.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return new SqliteStore(db);
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(`Database schema version ${current} is newer than this Parvis (${migrations.length})`);
  }
  for (let v = current; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

function prepareStatements(db: Database.Database) {
  return {
    event: db.prepare<[string], EventRow>('SELECT * FROM events WHERE id = ?'),
    series: db.prepare<[], Series>('SELECT id, title, summary FROM series ORDER BY title'),
    upsertSeries: db.prepare(
      `INSERT INTO series (id, title, summary) VALUES (@id, @title, @summary)
       ON CONFLICT(id) DO UPDATE SET title = excluded.title, summary = excluded.summary`,
    ),
    upsertEvent: db.prepare(
      `INSERT INTO events (id, kind, title, summary, starts_at, ends_at, timezone, status, access, capacity,
                           series_id, speakers, language, stream_url, replay_url)
       VALUES (@id, @kind, @title, @summary, @startsAt, @endsAt, @timezone, @status, @access, @capacity,
               @seriesId, @speakers, @language, @streamUrl, @replayUrl)
       ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, title = excluded.title, summary = excluded.summary,
         starts_at = excluded.starts_at, ends_at = excluded.ends_at, timezone = excluded.timezone,
         status = excluded.status, access = excluded.access, capacity = excluded.capacity,
         series_id = excluded.series_id, speakers = excluded.speakers, language = excluded.language,
         stream_url = excluded.stream_url, replay_url = excluded.replay_url`,
    ),
    chatByClientId: db.prepare<[string, string, string], ChatRow>(
      'SELECT * FROM chat_messages WHERE event_id = ? AND author_id = ? AND client_id = ?',
    ),
    lastOffset: db.prepare<[string], { last: number | null }>(
      'SELECT MAX(offset) AS last FROM chat_messages WHERE event_id = ?',
    ),
    insertChat: db.prepare(
      `INSERT INTO chat_messages (event_id, offset, id, author_id, author_name, author_role, text, sent_at, client_id)
       VALUES (@event_id, @offset, @id, @author_id, @author_name, @author_role, @text, @sent_at, @client_id)`,
    ),
    chatAfter: db.prepare<[string, number, number], ChatRow>(
      'SELECT * FROM chat_messages WHERE event_id = ? AND offset > ? ORDER BY offset LIMIT ?',
    ),
    chatTail: db.prepare<[string, number], ChatRow>(
      'SELECT * FROM (SELECT * FROM chat_messages WHERE event_id = ? ORDER BY offset DESC LIMIT ?) ORDER BY offset',
    ),
    getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
    setMeta: db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    ),
  };
}

class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly q: ReturnType<typeof prepareStatements>;
  private readonly appendTx: Database.Transaction<(m: NewChatMessage) => AppendResult>;
  private readonly saveTx: Database.Transaction<(series: Series[], events: Event[]) => void>;
  private readonly clearTx: Database.Transaction<() => void>;

  constructor(private readonly db: Database.Database) {
    this.q = prepareStatements(db);

    // One transaction: the idempotency check, the offset and the insert cannot interleave with another append.
    this.appendTx = db.transaction((m: NewChatMessage): AppendResult => {
      const existing = this.q.chatByClientId.get(m.eventId, m.author.id, m.clientId);
      if (existing) return { message: messageFromRow(existing), created: false };
      const offset = (this.q.lastOffset.get(m.eventId)?.last ?? 0) + 1;
      const row: ChatRow = {
        event_id: m.eventId,
        offset,
        id: randomUUID(),
        author_id: m.author.id,
        author_name: m.author.displayName,
        author_role: m.author.role,
        text: m.text,
        sent_at: m.sentAt,
        client_id: m.clientId,
      };
      this.q.insertChat.run(row);
      return { message: messageFromRow(row), created: true };
    });

    this.saveTx = db.transaction((series: Series[], events: Event[]) => {
      for (const s of series) this.q.upsertSeries.run(s);
      for (const e of events) {
        this.q.upsertEvent.run({
          ...e,
          capacity: e.capacity ?? null,
          seriesId: e.seriesId ?? null,
          speakers: JSON.stringify(e.speakers),
          streamUrl: e.streamUrl ?? null,
          replayUrl: e.replayUrl ?? null,
        });
      }
    });

    this.clearTx = db.transaction(() => {
      db.exec('DELETE FROM chat_messages; DELETE FROM events; DELETE FROM series;');
    });
  }

  async listEvents(query: EventQuery): Promise<Event[]> {
    const where: string[] = [];
    const params: Record<string, string> = {};
    // An event belongs to [from, to] when it overlaps it.
    if (query.from) {
      where.push('ends_at >= @from');
      params.from = query.from;
    }
    if (query.to) {
      where.push('starts_at <= @to');
      params.to = query.to;
    }
    if (query.kind) {
      where.push('kind = @kind');
      params.kind = query.kind;
    }
    if (query.series) {
      where.push('series_id = @series');
      params.series = query.series;
    }
    const sql = `SELECT * FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY starts_at, id`;
    return (this.db.prepare(sql).all(params) as EventRow[]).map(eventFromRow);
  }

  async getEvent(id: string): Promise<Event | undefined> {
    const row = this.q.event.get(id);
    return row && eventFromRow(row);
  }

  async listSeries(): Promise<Series[]> {
    return this.q.series.all();
  }

  async saveProgramme(series: Series[], events: Event[]): Promise<void> {
    this.saveTx(series, events);
  }

  async clearAll(): Promise<void> {
    this.clearTx();
  }

  async appendChat(message: NewChatMessage): Promise<AppendResult> {
    // IMMEDIATE takes the write lock at once, so two processes on one file never both read the same last offset.
    return this.appendTx.immediate(message);
  }

  async chatAfter(eventId: string, afterOffset: number, max: number): Promise<ChatMessage[]> {
    return this.q.chatAfter.all(eventId, afterOffset, max).map(messageFromRow);
  }

  async chatTail(eventId: string, count: number): Promise<ChatMessage[]> {
    return this.q.chatTail.all(eventId, count).map(messageFromRow);
  }

  async lastChatOffset(eventId: string): Promise<number> {
    return this.q.lastOffset.get(eventId)?.last ?? 0;
  }

  async getMeta(key: string): Promise<string | undefined> {
    return this.q.getMeta.get(key)?.value;
  }

  async setMeta(key: string, value: string): Promise<void> {
    this.q.setMeta.run(key, value);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
