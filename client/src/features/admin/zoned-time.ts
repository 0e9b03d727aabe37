/*
 * Wall-clock times in a named time zone, for the event form. A `datetime-local` field holds a wall-clock time with no
 * zone ("2026-11-25T18:00"); the event is announced in its own zone, which need not be the admin's. Browsers have no
 * zoned-date API before Temporal; Intl gives the offset of a zone at an instant, which is all these need.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClockFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function wallClock(utcMs: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = wallClockFormatter(timeZone).formatToParts(new Date(utcMs));
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** Offset of `timeZone` from UTC at the instant `utcMs`, in milliseconds (Paris in winter: +1 h). */
function offsetMs(utcMs: number, timeZone: string): number {
  const w = wallClock(utcMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** True for an IANA zone name this browser knows ("Europe/Paris", "UTC"). */
export function isTimeZone(name: string): boolean {
  if (!name) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Every zone the browser knows, for the form's list, with UTC (which Chromium leaves out) and `keep` included. */
export function timeZoneNames(keep: string): string[] {
  const names = new Set<string>(['UTC', ...(typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [])]);
  if (keep) names.add(keep);
  return [...names].sort();
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** An instant (ISO, UTC) as the value of a `datetime-local` field showing the wall-clock time in `timeZone`. */
export function toZonedInput(iso: string, timeZone: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const w = wallClock(ms, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

export type ZonedParse =
  | { ok: true; iso: string }
  /** `invalid`: not a date and time; `nonexistent`: skipped by a daylight-saving change in that zone (02:30 on the
   * last Sunday of March in Paris). */
  | { ok: false; reason: 'invalid' | 'nonexistent' };

const INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

/**
 * The UTC instant of a `datetime-local` value read as a wall-clock time in `timeZone`, as an ISO string. A time that
 * occurs twice (the hour repeated when clocks go back) is the first of the two.
 */
export function fromZonedInput(value: string, timeZone: string): ZonedParse {
  const m = INPUT.exec(value.trim());
  if (!m || !isTimeZone(timeZone)) return { ok: false, reason: 'invalid' };
  const [year, month, day, hour, minute, second = 0] = m.slice(1).map((s) => (s === undefined ? 0 : Number(s))) as number[];
  const guess = Date.UTC(year!, month! - 1, day!, hour!, minute!, second);
  // Date.UTC rolls 31 February over into March: that is not a date.
  const check = new Date(guess);
  if (check.getUTCMonth() !== month! - 1 || check.getUTCDate() !== day! || hour! > 23 || minute! > 59) {
    return { ok: false, reason: 'invalid' };
  }
  // The offset either side of the instant: two candidates, the earlier one wins when both are right.
  const candidates = [offsetMs(guess - 86_400_000 / 2, timeZone), offsetMs(guess + 86_400_000 / 2, timeZone)]
    .map((offset) => guess - offset)
    .sort((a, b) => a - b);
  for (const utc of candidates) {
    const w = wallClock(utc, timeZone);
    if (Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) === guess) {
      return { ok: true, iso: new Date(utc).toISOString() };
    }
  }
  return { ok: false, reason: 'nonexistent' };
}
