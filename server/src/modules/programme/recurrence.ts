import { createRequire } from 'node:module';
import { Event, type Recurrence, type Weekday } from '#shared/domain/event';
import { instantOf } from '#shared/time/zones';

/*
 * The dates of a recurring series ("every Monday and Friday at 14:00 Europe/Paris until June, except the holidays").
 *
 * rrule (RFC 5545 recurrence rules, the format calendars speak) expands the rule in *floating* time: its dates are read
 * as wall-clock fields in no zone (rrule's usual trick of UTC fields standing for local ones), and each is then turned
 * into an instant in the series' zone with `shared/src/time/zones.ts`. So 14:00 in Paris stays 14:00 across a
 * daylight-saving change, where expanding in UTC would move it by an hour for half the year.
 */

// rrule 2.8 ships a UMD build as `main` and no `exports` map, so Node's ESM loader finds no named exports in it;
// requiring it gives the same module under Node and under Vitest.
const { RRule } = createRequire(import.meta.url)('rrule') as typeof import('rrule');

/** A series makes at most this many dates: two a week for almost four years. */
export const SERIES_DATES_MAX = 400;

export interface SeriesDate {
  /** The calendar day in the series' zone, `2027-01-04`. */
  date: string;
  startsAt: string;
  endsAt: string;
}

/** The event id of a series' date: `conversation-fle--2027-01-04`. Stable, so regenerating finds it again. */
export const seriesDateId = (seriesId: string, date: string): string => `${seriesId}--${date}`;

/** Whether an event id is one a series' rule generated (hand-made events of a series are left alone). */
export const isSeriesDateId = (seriesId: string, eventId: string): boolean =>
  eventId.startsWith(`${seriesId}--`) && /^\d{4}-\d{2}-\d{2}$/.test(eventId.slice(seriesId.length + 2));

const WEEKDAYS = { MO: RRule.MO, TU: RRule.TU, WE: RRule.WE, TH: RRule.TH, FR: RRule.FR, SA: RRule.SA, SU: RRule.SU };

const dateParts = (date: string) => date.split('-').map(Number) as [number, number, number];

export type RecurrenceDates =
  | { ok: true; dates: SeriesDate[] }
  /** More than {@link SERIES_DATES_MAX} dates. */
  | { ok: false; reason: 'too-many' };

/**
 * The series' dates, earliest first: every listed weekday at `time` in `timezone` from `from` to `until` (both
 * included), without the `exceptions`. A wall time that a daylight-saving change skips that day (02:30 on the last
 * Sunday of March in Paris) has no instant: that date is left out rather than moved.
 */
export function recurrenceDates(rule: Recurrence): RecurrenceDates {
  const [fromYear, fromMonth, fromDay] = dateParts(rule.from);
  const [untilYear, untilMonth, untilDay] = dateParts(rule.until);
  const [hour, minute] = rule.time.split(':').map(Number) as [number, number];
  const rrule = new RRule({
    freq: RRule.WEEKLY,
    byweekday: rule.byDay.map((day: Weekday) => WEEKDAYS[day]),
    dtstart: new Date(Date.UTC(fromYear, fromMonth - 1, fromDay, hour, minute)),
    until: new Date(Date.UTC(untilYear, untilMonth - 1, untilDay, 23, 59, 59)),
    tzid: null,
  });
  const exceptions = new Set(rule.exceptions);
  const limit = SERIES_DATES_MAX + exceptions.size;
  // Stop one past the limit: enough to know it is too many without expanding a rule of a thousand years.
  const floating = rrule.all((_date, i) => i <= limit);
  const dates: SeriesDate[] = [];
  for (const wall of floating) {
    const date = wall.toISOString().slice(0, 10);
    if (exceptions.has(date)) continue;
    const start = instantOf(
      { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate(), hour, minute },
      rule.timezone,
    );
    if (!start.ok) continue;
    dates.push({
      date,
      startsAt: start.instant.toISOString(),
      endsAt: new Date(start.instant.getTime() + rule.durationMinutes * 60_000).toISOString(),
    });
  }
  if (dates.length > SERIES_DATES_MAX) return { ok: false, reason: 'too-many' };
  return { ok: true, dates };
}

/**
 * The event a series' rule makes for one of its dates: the template's fields, the date's times, `scheduled`, no
 * speakers yet (librarians add them, and regenerating keeps them).
 */
export function seriesDateEvent(seriesId: string, rule: Recurrence, date: SeriesDate): Event {
  const t = rule.template;
  const event: Event = {
    id: seriesDateId(seriesId, date.date),
    kind: t.kind,
    title: t.title,
    summary: t.summary,
    startsAt: date.startsAt,
    endsAt: date.endsAt,
    timezone: rule.timezone,
    status: 'scheduled',
    access: t.access,
    seriesId,
    speakers: [],
    language: t.language,
  };
  if (t.capacity !== undefined) event.capacity = t.capacity;
  if (t.access === 'registration') event.waitlist = t.waitlist;
  if (t.form.length > 0) event.form = t.form;
  if (t.room !== undefined && t.access === 'registration') event.room = t.room;
  return Event.parse(event);
}
