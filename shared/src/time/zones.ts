import { TZDateMini, tz, tzOffset } from '@date-fns/tz';
import { format } from 'date-fns';

/*
 * Wall-clock times in named time zones, for both sides: the server's demo programme ("18:00 in Paris, every Monday"),
 * the exports (times written in the event's zone), and the admin's event form (a `datetime-local` field read in the
 * event's zone, which need not be the admin's). The zone data and arithmetic are @date-fns/tz's; what this module adds
 * is the policy for the two hours a daylight-saving change makes awkward:
 *
 * - a wall time that does not exist (02:30 on the last Sunday of March in Paris: clocks jump from 02:00 to 03:00) is
 *   refused as `nonexistent`, never moved silently to another hour;
 * - a wall time that happens twice (02:30 on the last Sunday of October in Paris) is the first of the two, the one
 *   still on summer time, as a person reading "02:30" on a poster before the change would expect.
 *
 * Months are 1–12 here, as people write them, not JavaScript's 0–11.
 */

/** A time of day on a calendar date, as a clock on the wall shows it, in no zone in particular. */
export interface WallTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second?: number;
}

/** A wall time as read in a zone at some instant, with its weekday (0 = Sunday). */
export interface ZonedWallTime extends Required<WallTime> {
  weekday: number;
}

export type ZonedInstant =
  | { ok: true; instant: Date }
  /**
   * `invalid`: not a date and time (31 February, 25:00), or an unknown zone; `nonexistent`: skipped by a
   * daylight-saving change in that zone.
   */
  | { ok: false; reason: 'invalid' | 'nonexistent' };

const knownZones = new Set<string>();

/** True for an IANA zone name this runtime knows ("Europe/Paris", "UTC"); false for offsets such as "+01:00". */
export function isTimeZone(name: string): boolean {
  if (!name) return false;
  if (knownZones.has(name)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
  } catch {
    return false;
  }
  knownZones.add(name);
  return true;
}

/** Every zone the runtime knows, for a form's list, with UTC (which Chromium leaves out) and `keep` included. */
export function timeZoneNames(keep = ''): string[] {
  const names = new Set<string>(['UTC', ...(typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [])]);
  if (keep) names.add(keep);
  return [...names].sort();
}

/** The wall time in `zone` at an instant. NaN fields when the instant or the zone is not valid. */
export function wallTimeIn(instant: Date | number | string, zone: string): ZonedWallTime {
  const ms = instant instanceof Date ? instant.getTime() : typeof instant === 'number' ? instant : Date.parse(instant);
  const d = new TZDateMini(ms, zone);
  return {
    year: d.getFullYear(),
    month: d.getMonth() + 1,
    day: d.getDate(),
    hour: d.getHours(),
    minute: d.getMinutes(),
    second: d.getSeconds(),
    weekday: d.getDay(),
  };
}

const sameWallTime = (a: Required<WallTime>, b: Required<WallTime>): boolean =>
  a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute && a.second === b.second;

/** Whether the fields make a real calendar date and time of day (no 31 February, no 24:00). */
function isCalendarTime(w: Required<WallTime>): boolean {
  const fields = [w.year, w.month, w.day, w.hour, w.minute, w.second];
  if (!fields.every(Number.isInteger)) return false;
  if (w.month < 1 || w.month > 12 || w.day < 1 || w.hour > 23 || w.minute > 59 || w.second > 59) return false;
  if (w.hour < 0 || w.minute < 0 || w.second < 0) return false;
  // Date.UTC rolls 31 February over into March: that is not a date.
  const check = new Date(Date.UTC(w.year, w.month - 1, w.day));
  return check.getUTCMonth() === w.month - 1 && check.getUTCDate() === w.day;
}

const HALF_DAY_MS = 12 * 3_600_000;

/**
 * The instant at which clocks in `zone` show `wall`: refused when that wall time never happens there, the first of the
 * two when it happens twice (see the top of this file).
 */
export function instantOf(wall: WallTime, zone: string): ZonedInstant {
  const w = { ...wall, second: wall.second ?? 0 };
  if (!isCalendarTime(w) || !isTimeZone(zone)) return { ok: false, reason: 'invalid' };
  const found = new TZDateMini(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, zone).getTime();
  // For a skipped wall time the library moves forward past the gap; the round trip tells.
  if (!sameWallTime(wallTimeIn(found, zone), w)) return { ok: false, reason: 'nonexistent' };
  // For a repeated one it picks the later; the clocks went back if the offset half a day earlier was larger.
  const fallBack = tzOffset(zone, new Date(found - HALF_DAY_MS)) - tzOffset(zone, new Date(found));
  if (fallBack > 0) {
    const earlier = found - fallBack * 60_000;
    if (sameWallTime(wallTimeIn(earlier, zone), w)) return { ok: true, instant: new Date(earlier) };
  }
  return { ok: true, instant: new Date(found) };
}

/**
 * An instant written in `zone` with a date-fns pattern (`yyyy-MM-dd HH:mm:ss`), locale-free: for files and fields,
 * not for sentences (those use the client's `Intl`-based translator). Empty for an instant that does not parse or an
 * unknown zone.
 */
export function formatInZone(instant: Date | number | string, zone: string, pattern: string): string {
  const ms = instant instanceof Date ? instant.getTime() : typeof instant === 'number' ? instant : Date.parse(instant);
  if (Number.isNaN(ms) || !isTimeZone(zone)) return '';
  return format(ms, pattern, { in: tz(zone) });
}

/** The value of a `datetime-local` field (`2026-11-25T18:00`) showing an instant's wall time in `zone`. */
export function toWallTimeText(instant: Date | number | string, zone: string): string {
  return formatInZone(instant, zone, "yyyy-MM-dd'T'HH:mm");
}

const WALL_TIME_TEXT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

/** A `datetime-local` value read as a wall time in `zone`, as the instant it names. */
export function fromWallTimeText(text: string, zone: string): ZonedInstant {
  const m = WALL_TIME_TEXT.exec(text.trim());
  if (!m) return { ok: false, reason: 'invalid' };
  const [year, month, day, hour, minute, second] = m.slice(1).map((s) => (s === undefined ? 0 : Number(s))) as number[];
  return instantOf({ year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: second! }, zone);
}

/**
 * The ISO week of an instant as the calendar reads in `zone`: `2027-W03`. ISO weeks start on Monday, and the first week
 * of a year is the one with its first Thursday, so 1 January may belong to the last week of the year before
 * (`2027-01-01` is in `2026-W53`). Empty for an instant or zone that does not parse.
 */
export function isoWeekKey(instant: Date | number | string, zone: string): string {
  return formatInZone(instant, zone, "RRRR-'W'II");
}
