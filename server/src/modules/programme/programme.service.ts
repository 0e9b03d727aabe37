import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { z } from 'zod';
import { Event, isListed, type EventQuery, type Recurrence, type Series } from '#shared/domain/event';
import type { User } from '#shared/domain/user';
import type {
  EventCreateRequest,
  EventPatchRequest,
  EventStatusRequest,
  SeriesCreateRequest,
  SeriesPatchRequest,
} from '#shared/protocol/admin';
import { ErrorCode } from '#shared/protocol/errors';
import type { Store } from '../../store/store';
import { AuditAction, type AuditLog } from '../../core/audit';
import { systemClock, type Clock } from '../../core/clock';
import { DomainError, FieldError } from '../../core/errors';
import { markProgrammeCustom } from './demo-programme';
import { isSeriesDateId, recurrenceDates, SERIES_DATES_MAX, seriesDateEvent, type SeriesDate } from './recurrence';

export type EventInput = z.output<typeof EventCreateRequest>;
export type EventPatch = z.output<typeof EventPatchRequest>;
export type SeriesInput = z.output<typeof SeriesCreateRequest>;
export type SeriesPatch = z.output<typeof SeriesPatchRequest>;

/** Told after every change of an event, so that the programme and the event's room update at once. */
export interface ProgrammeListener {
  eventChanged(event: Event, before: Event | undefined): Promise<void>;
  eventDeleted(eventId: string): Promise<void>;
}

/** What regenerating a series' dates did, for the audit log. */
export interface SeriesDatesChange {
  added: number;
  changed: number;
  cancelled: number;
  deleted: number;
}

/** The fields of a generated date that come from the series' rule and template (the rest is the librarians'). */
const FROM_TEMPLATE = [
  'kind',
  'title',
  'summary',
  'startsAt',
  'endsAt',
  'timezone',
  'access',
  'capacity',
  'language',
  'waitlist',
  'form',
  'room',
] as const satisfies readonly (keyof Event)[];

/** A series' id and `--YYYY-MM-DD` must still make an event id of at most 100 characters. */
const DATED_SERIES_ID_MAX = 100 - '--YYYY-MM-DD'.length;

/** One listener that tells each of `listeners` in turn (the room's sockets, the replay…). */
export function allProgrammeListeners(...listeners: ProgrammeListener[]): ProgrammeListener {
  return {
    async eventChanged(event, before) {
      for (const listener of listeners) await listener.eventChanged(event, before);
    },
    async eventDeleted(eventId) {
      for (const listener of listeners) await listener.eventDeleted(eventId);
    },
  };
}

/** Fields of an event that a patch removes with `null`. */
const REMOVABLE = ['capacity', 'seriesId', 'streamUrl', 'replayUrl', 'room'] as const;

/** `Rencontre avec Élodie !` → `rencontre-avec-elodie` */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'event';
}

const notFound = (what: 'event' | 'series', id: string) =>
  new DomainError(ErrorCode.NOT_FOUND, `No ${what} with id "${id}"`);

/**
 * The programme: events and series. Reading is public; writing is for admins (the routes check), except going live
 * and ending, which an event's moderators do too. Every write is audited and marks the programme as the library's
 * own, so a restart never moves it around like the demo.
 */
export class ProgrammeService {
  constructor(
    private readonly store: Store,
    private readonly audit: AuditLog,
    private readonly listener: ProgrammeListener,
    /** Which dates of a recurring series are still to come: the sign-up module's clock, so tests can move it. */
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Grows with every write this process makes to the programme, so that a cache of a read can tell it is stale.
   * Other processes' writes are not seen here: caches keyed on it also expire within a second.
   */
  get version(): number {
    return this.writes;
  }
  private writes = 0;

  /**
   * The programme: the listed events ({@link isListed}), or every event with `include: 'unlisted'` (for admins: the
   * routes check).
   */
  async listEvents(query: EventQuery): Promise<Event[]> {
    const events = await this.store.programme.listEvents(query);
    return query.include === 'unlisted' ? events : events.filter(isListed);
  }

  async getEvent(id: string): Promise<Event> {
    const event = await this.store.programme.getEvent(id);
    if (!event) throw notFound('event', id);
    return event;
  }

  listSeries(): Promise<Series[]> {
    return this.store.programme.listSeries();
  }

  async getSeries(id: string): Promise<Series> {
    const series = (await this.store.programme.listSeries()).find((s) => s.id === id);
    if (!series) throw notFound('series', id);
    return series;
  }

  async createEvent(actor: User, input: EventInput): Promise<Event> {
    const { id: wanted, unlisted, ...fields } = input;
    if (wanted !== undefined && (await this.store.programme.getEvent(wanted))) {
      throw new FieldError({ id: 'is already used by another event' }, ErrorCode.CONFLICT);
    }
    const id = wanted ?? (await this.freeId(slugify(fields.title), (c) => this.store.programme.getEvent(c)));
    await this.assertSeriesExists(fields.seriesId);
    const event = Event.parse(withoutUndefined({ ...fields, id, status: 'scheduled', ...(unlisted && { unlisted }) }));
    await this.save(event);
    await this.audit.record(actor, AuditAction.EVENT_CREATE, `event:${id}`, { title: event.title });
    await this.listener.eventChanged(event, undefined);
    return event;
  }

  /** Applies a patch; `null` removes an optional field. `status: 'cancelled'` is recorded as a cancellation. */
  async updateEvent(actor: User, id: string, patch: EventPatch): Promise<Event> {
    const before = await this.getEvent(id);
    const draft: Record<string, unknown> = { ...before };
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      if (value === null) {
        if ((REMOVABLE as readonly string[]).includes(key)) delete draft[key];
      } else draft[key] = value;
    }
    // An event is listed unless said otherwise: the flag is only kept when set.
    if (draft.unlisted !== true) delete draft.unlisted;
    if (String(draft.endsAt) <= String(draft.startsAt)) throw new FieldError({ endsAt: 'must be after the start' });
    // A Parvis room lets registrants in: an event that stops taking registrations stops being held there.
    if (draft.room !== undefined && draft.access !== 'registration') {
      if (patch.room) throw new FieldError({ room: 'is only for registration events' });
      delete draft.room;
    }
    if (patch.seriesId) await this.assertSeriesExists(patch.seriesId);
    // Calendars keep the copy with the highest SEQUENCE: every change goes up by one.
    draft.sequence = (before.sequence ?? 0) + 1;
    const event = Event.parse(draft);
    await this.save(event);
    const cancelled = event.status === 'cancelled' && before.status !== 'cancelled';
    await this.audit.record(actor, cancelled ? AuditAction.EVENT_CANCEL : AuditAction.EVENT_UPDATE, `event:${id}`, {
      title: event.title,
      fields: Object.keys(patch).filter((k) => patch[k as keyof EventPatch] !== undefined),
    });
    await this.listener.eventChanged(event, before);
    return event;
  }

  async deleteEvent(actor: User, id: string): Promise<void> {
    const before = await this.getEvent(id);
    this.writes++;
    if (!(await this.store.programme.deleteEvent(id))) throw notFound('event', id);
    await markProgrammeCustom(this.store);
    await this.audit.record(actor, AuditAction.EVENT_DELETE, `event:${id}`, { title: before.title });
    await this.listener.eventDeleted(id);
  }

  /**
   * Going live and ending, by the event's moderators or an admin (the caller checks), or by the ingest when OBS
   * publishes, which also sets the `streamUrl` of its live playlist. A cancelled event stays so.
   */
  async setStatus(actor: User, id: string, status: EventStatusRequest['status'], changes: { streamUrl?: string } = {}): Promise<Event> {
    const before = await this.getEvent(id);
    if (before.status === 'cancelled') {
      throw new DomainError(ErrorCode.CONFLICT, 'This event is cancelled: an admin must restore it first');
    }
    const draft: Event = { ...before, status, ...withoutUndefined(changes) };
    if (before.status === status && draft.streamUrl === before.streamUrl) return before;
    const event: Event = { ...draft, sequence: (before.sequence ?? 0) + 1 };
    await this.save(event);
    await this.audit.record(actor, AuditAction.EVENT_STATUS, `event:${id}`, {
      from: before.status,
      to: status,
      ...(event.streamUrl !== before.streamUrl && { streamUrl: event.streamUrl }),
    });
    await this.listener.eventChanged(event, before);
    return event;
  }

  /**
   * The replay's part of an event, set by the replay module when a replay is assembled, published or unpublished, or
   * given a picture (`null` removes a field). Not an admin's edit of the event: the replay module audits what the
   * admin did. Everyone is told at once, as for any change.
   */
  async setReplayMedia(id: string, media: { replayUrl?: string | null; thumbnailUrl?: string | null }): Promise<Event> {
    const before = await this.getEvent(id);
    const draft: Event = { ...before };
    for (const key of ['replayUrl', 'thumbnailUrl'] as const) {
      const value = media[key];
      if (value === null) delete draft[key];
      else if (value !== undefined) draft[key] = value;
    }
    if (draft.replayUrl === before.replayUrl && draft.thumbnailUrl === before.thumbnailUrl) return before;
    await this.save(draft);
    await this.listener.eventChanged(draft, before);
    return draft;
  }

  async createSeries(actor: User, input: SeriesInput): Promise<Series> {
    const series = await this.store.programme.listSeries();
    const taken = (candidate: string) => Promise.resolve(series.find((s) => s.id === candidate));
    if (input.id !== undefined && (await taken(input.id))) {
      throw new FieldError({ id: 'is already used by another series' }, ErrorCode.CONFLICT);
    }
    // Room for freeId's suffix (`-20`, or `-` and six hex digits) within the length a dated series allows.
    const base = slugify(input.title).slice(0, input.recurrence ? DATED_SERIES_ID_MAX - 7 : undefined).replace(/-+$/, '');
    const created: Series = withoutUndefined({
      id: input.id ?? (await this.freeId(base || 'series', taken)),
      title: input.title,
      summary: input.summary,
      recurrence: input.recurrence,
      fairCapPerWeek: input.fairCapPerWeek,
    });
    const dates = created.recurrence ? this.datesOf(created.id, created.recurrence) : [];
    this.writes++;
    await this.store.programme.saveProgramme([created], []);
    await markProgrammeCustom(this.store);
    const change = created.recurrence ? await this.syncSeriesDates(created, created.recurrence, dates) : undefined;
    await this.audit.record(actor, AuditAction.SERIES_CREATE, `series:${created.id}`, { title: created.title, ...change });
    return created;
  }

  async updateSeries(actor: User, id: string, patch: SeriesPatch): Promise<Series> {
    const before = await this.getSeries(id);
    const updated: Series = { ...before };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete updated[key as 'recurrence' | 'fairCapPerWeek'];
      else if (value !== undefined) Object.assign(updated, { [key]: value });
    }
    // A new rule regenerates the dates; removing it leaves them as they are.
    const dates = patch.recurrence ? this.datesOf(id, patch.recurrence) : [];
    this.writes++;
    await this.store.programme.saveProgramme([updated], []);
    await markProgrammeCustom(this.store);
    const change = patch.recurrence ? await this.syncSeriesDates(updated, patch.recurrence, dates) : undefined;
    await this.audit.record(actor, AuditAction.SERIES_UPDATE, `series:${id}`, { title: updated.title, ...change });
    return updated;
  }

  /** A rule's dates, or the field error that says why it makes none the programme can hold. */
  private datesOf(seriesId: string, rule: Recurrence): SeriesDate[] {
    if (seriesId.length > DATED_SERIES_ID_MAX) {
      throw new FieldError({ id: `must be at most ${DATED_SERIES_ID_MAX} characters for a series with dates (they add --YYYY-MM-DD)` });
    }
    const found = recurrenceDates(rule);
    if (!found.ok) throw new FieldError({ 'recurrence.until': `makes more than ${SERIES_DATES_MAX} dates: end the series earlier` });
    return found.dates;
  }

  /**
   * Brings a series' generated dates in line with its rule, from now on (past dates are history and stay as they
   * were): a missing date is added; an upcoming date follows the rule's time and template; an upcoming date that left
   * the rule is cancelled when people signed up for it (they are told, and their registrations stay readable), and
   * deleted otherwise. A date the librarians cancelled by hand that is still in the rule is restored. Events of the
   * series made by hand (whose ids are not `<series>--YYYY-MM-DD`) are never touched. Each change goes to the
   * listener, like any other change of the programme.
   */
  private async syncSeriesDates(series: Series, rule: Recurrence, dates: readonly SeriesDate[]): Promise<SeriesDatesChange> {
    const now = this.clock.now().getTime();
    const upcoming = (event: Pick<Event, 'startsAt'>) => Date.parse(event.startsAt) > now;
    const existing = new Map(
      (await this.store.programme.listEvents({ series: series.id }))
        .filter((e) => isSeriesDateId(series.id, e.id))
        .map((e) => [e.id, e]),
    );
    const change: SeriesDatesChange = { added: 0, changed: 0, cancelled: 0, deleted: 0 };
    const wanted = new Set<string>();
    for (const date of dates) {
      const generated = seriesDateEvent(series.id, rule, date);
      wanted.add(generated.id);
      const before = existing.get(generated.id);
      if (!before) {
        if (!upcoming(generated)) continue;
        await this.save(generated);
        await this.listener.eventChanged(generated, undefined);
        change.added++;
        continue;
      }
      if (!upcoming(before) || !upcoming(generated) || (before.status !== 'scheduled' && before.status !== 'cancelled')) continue;
      const draft: Record<string, unknown> = { ...before, status: 'scheduled' };
      for (const key of FROM_TEMPLATE) {
        if (generated[key] === undefined) delete draft[key];
        else draft[key] = generated[key];
      }
      const merged = Event.parse(draft);
      if (isDeepStrictEqual(merged, before)) continue;
      const event = { ...merged, sequence: (before.sequence ?? 0) + 1 };
      await this.save(event);
      await this.listener.eventChanged(event, before);
      change.changed++;
    }
    for (const before of existing.values()) {
      if (wanted.has(before.id) || !upcoming(before) || before.status === 'cancelled') continue;
      if ((await this.store.registrations.listForEvent(before.id)).length > 0) {
        const event: Event = { ...before, status: 'cancelled', sequence: (before.sequence ?? 0) + 1 };
        await this.save(event);
        await this.listener.eventChanged(event, before);
        change.cancelled++;
      } else {
        this.writes++;
        if (await this.store.programme.deleteEvent(before.id)) await this.listener.eventDeleted(before.id);
        change.deleted++;
      }
    }
    return change;
  }

  /** Deletes a series; its events stay, outside any series, and everyone is told about them. */
  async deleteSeries(actor: User, id: string): Promise<void> {
    const before = (await this.store.programme.listSeries()).find((s) => s.id === id);
    if (!before) throw notFound('series', id);
    const members = await this.store.programme.listEvents({ series: id });
    this.writes++;
    if (!(await this.store.programme.deleteSeries(id))) throw notFound('series', id);
    await markProgrammeCustom(this.store);
    await this.audit.record(actor, AuditAction.SERIES_DELETE, `series:${id}`, { title: before.title, events: members.length });
    for (const member of members) {
      const now = await this.store.programme.getEvent(member.id);
      if (now) await this.listener.eventChanged(now, member);
    }
  }

  private async save(event: Event): Promise<void> {
    this.writes++;
    await this.store.programme.saveProgramme([], [event]);
    await markProgrammeCustom(this.store);
  }

  private async assertSeriesExists(seriesId: string | undefined): Promise<void> {
    if (seriesId === undefined) return;
    const series = await this.store.programme.listSeries();
    if (!series.some((s) => s.id === seriesId)) throw new FieldError({ seriesId: 'is not a series of the programme' });
  }

  /** `base`, or `base-2`, `base-3`… when taken, or a random suffix when all of those are. */
  private async freeId(base: string, exists: (candidate: string) => Promise<unknown>): Promise<string> {
    for (let n = 1; n <= 20; n++) {
      const candidate = n === 1 ? base : `${base}-${n}`;
      if (!(await exists(candidate))) return candidate;
    }
    return `${base}-${randomBytes(3).toString('hex')}`;
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
