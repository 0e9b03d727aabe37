/*
 * A caption's times as the admin's editor shows and takes them: the time of day the words were said, to the
 * millisecond (`HH:MM:SS.mmm`, what `<input type="time" step="0.001">` reads and writes), in the browser's time zone,
 * the one the desk shows too. The day is the cue's own: a correction moves a line by seconds, never to another day.
 */

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `HH:MM:SS.mmm` of an instant, in the browser's time zone. */
export function timeOfDay(iso: string): string {
  const d = new Date(iso);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/**
 * The instant on the same local day as `dayOf` at the time of day `time` (`HH:MM`, `HH:MM:SS` or `HH:MM:SS.mmm`), or
 * null when `time` is not one.
 */
export function atTimeOfDay(dayOf: string, time: string): string | null {
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(time.trim());
  if (!m) return null;
  const [h, min, s, frac] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0), Number((m[4] ?? '0').padEnd(3, '0'))];
  if (h > 23 || min > 59 || s > 59) return null;
  const d = new Date(dayOf);
  d.setHours(h, min, s, frac);
  return d.toISOString();
}
