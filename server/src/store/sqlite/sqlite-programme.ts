import type Database from 'better-sqlite3';
import type { Event, EventQuery, Series } from '#shared/domain/event';
import type { ProgrammeStore } from '../programme-store';
import type { SqliteEventData } from './sqlite-connection';

/** Tables `events` and `series` (migration 1). */
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
  /** Migration 6. */
  unlisted: 0 | 1;
  /** Migration 7. */
  waitlist: 0 | 1 | null;
  form: string | null;
  sequence: number;
  /** Migration 10 (issue 11). */
  thumbnail_url: string | null;
  /** Migration 15 (issue 14). */
  room: Event['room'] | null;
}

/** Table `series`; `recurrence` and `fair_cap` from migration 7. */
interface SeriesRow {
  id: string;
  title: string;
  summary: string;
  recurrence: string | null;
  fair_cap: number | null;
}

function seriesFromRow(r: SeriesRow): Series {
  const series: Series = { id: r.id, title: r.title, summary: r.summary };
  if (r.recurrence !== null) series.recurrence = JSON.parse(r.recurrence) as Series['recurrence'];
  if (r.fair_cap !== null) series.fairCapPerWeek = r.fair_cap;
  return series;
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
  if (r.unlisted === 1) event.unlisted = true;
  if (r.waitlist !== null) event.waitlist = r.waitlist === 1;
  if (r.form !== null) event.form = JSON.parse(r.form) as Event['form'];
  if (r.sequence > 0) event.sequence = r.sequence;
  if (r.thumbnail_url !== null) event.thumbnailUrl = r.thumbnail_url;
  if (r.room !== null) event.room = r.room;
  return event;
}

function prepareStatements(db: Database.Database) {
  return {
    event: db.prepare<[string], EventRow>('SELECT * FROM events WHERE id = ?'),
    series: db.prepare<[], SeriesRow>('SELECT * FROM series ORDER BY title'),
    upsertSeries: db.prepare(
      `INSERT INTO series (id, title, summary, recurrence, fair_cap) VALUES (@id, @title, @summary, @recurrence, @fairCap)
       ON CONFLICT(id) DO UPDATE SET title = excluded.title, summary = excluded.summary,
         recurrence = excluded.recurrence, fair_cap = excluded.fair_cap`,
    ),
    upsertEvent: db.prepare(
      `INSERT INTO events (id, kind, title, summary, starts_at, ends_at, timezone, status, access, capacity,
                           series_id, speakers, language, stream_url, replay_url, unlisted, waitlist, form, sequence,
                           thumbnail_url, room)
       VALUES (@id, @kind, @title, @summary, @startsAt, @endsAt, @timezone, @status, @access, @capacity,
               @seriesId, @speakers, @language, @streamUrl, @replayUrl, @unlisted, @waitlist, @form, @sequence,
               @thumbnailUrl, @room)
       ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, title = excluded.title, summary = excluded.summary,
         starts_at = excluded.starts_at, ends_at = excluded.ends_at, timezone = excluded.timezone,
         status = excluded.status, access = excluded.access, capacity = excluded.capacity,
         series_id = excluded.series_id, speakers = excluded.speakers, language = excluded.language,
         stream_url = excluded.stream_url, replay_url = excluded.replay_url, unlisted = excluded.unlisted,
         waitlist = excluded.waitlist, form = excluded.form, sequence = excluded.sequence,
         thumbnail_url = excluded.thumbnail_url, room = excluded.room`,
    ),
    deleteEvent: db.prepare<[string]>('DELETE FROM events WHERE id = ?'),
    // The foreign key (ON DELETE SET NULL, foreign_keys = ON) unlinks the series' events.
    deleteSeries: db.prepare<[string]>('DELETE FROM series WHERE id = ?'),
  };
}

/** Events and series in SQLite. Deleting an event deletes the rows of every other sub-store in the same transaction. */
export class SqliteProgrammeStore implements ProgrammeStore {
  private readonly q: ReturnType<typeof prepareStatements>;
  private readonly saveTx: Database.Transaction<(series: Series[], events: Event[]) => void>;
  private readonly deleteEventTx: Database.Transaction<(id: string) => boolean>;

  /** `eventData`: the other sub-stores, whose rows of an event go with it. */
  constructor(
    private readonly db: Database.Database,
    eventData: readonly SqliteEventData[],
  ) {
    this.q = prepareStatements(db);

    this.saveTx = db.transaction((series: Series[], events: Event[]) => {
      for (const s of series) {
        this.q.upsertSeries.run({
          id: s.id,
          title: s.title,
          summary: s.summary,
          recurrence: s.recurrence ? JSON.stringify(s.recurrence) : null,
          fairCap: s.fairCapPerWeek ?? null,
        });
      }
      for (const e of events) {
        this.q.upsertEvent.run({
          ...e,
          capacity: e.capacity ?? null,
          seriesId: e.seriesId ?? null,
          speakers: JSON.stringify(e.speakers),
          streamUrl: e.streamUrl ?? null,
          replayUrl: e.replayUrl ?? null,
          unlisted: e.unlisted ? 1 : 0,
          waitlist: e.waitlist === undefined ? null : e.waitlist ? 1 : 0,
          form: e.form ? JSON.stringify(e.form) : null,
          sequence: e.sequence ?? 0,
          thumbnailUrl: e.thumbnailUrl ?? null,
          room: e.room ?? null,
        });
      }
    });

    // One transaction for the event and everything of it: a failure midway leaves all of it in place.
    this.deleteEventTx = db.transaction((id: string): boolean => {
      for (const part of eventData) part.deleteEventRows(id);
      return this.q.deleteEvent.run(id).changes > 0;
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
    return this.q.series.all().map(seriesFromRow);
  }

  async saveProgramme(series: Series[], events: Event[]): Promise<void> {
    this.saveTx(series, events);
  }

  async deleteEvent(id: string): Promise<boolean> {
    return this.deleteEventTx(id);
  }

  async deleteSeries(id: string): Promise<boolean> {
    return this.q.deleteSeries.run(id).changes > 0;
  }

  /** The demo reset's part: every event and series (see sqlite-store.ts). */
  resetRows(): void {
    this.db.exec('DELETE FROM events; DELETE FROM series;');
  }
}
