/*
 * Positions in a replay as an admin reads and types them: `12:34.5` (minutes, seconds and tenths), `1:02:34.0`
 * past an hour, or plain seconds (`754.5`, `754,5`).
 */

const pad = (n: number) => String(n).padStart(2, '0');

/** 754.25 → `12:34.3`; 3754 → `1:02:34.0`. Tenths, since trims are set from a player's position. */
export function formatPosition(seconds: number): string {
  const tenths = Math.round(Math.max(0, seconds) * 10);
  const whole = Math.floor(tenths / 10);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const rest = `${pad(s)}.${tenths % 10}`;
  return h > 0 ? `${h}:${pad(m)}:${rest}` : `${m}:${rest}`;
}

/** A length without tenths: `1:02:34`, `4:05`. */
export function formatLength(seconds: number): string {
  return formatPosition(Math.round(seconds)).replace(/\.\d$/, '');
}

/**
 * What an admin typed: seconds, or null for an empty field (no trim); undefined when it is not a position. A comma
 * is a decimal point, as French readers write it.
 */
export function parsePosition(text: string): number | null | undefined {
  const value = text.trim().replace(',', '.');
  if (value === '') return null;
  const match = /^(?:(?:(\d+):)?(\d{1,2}):)?(\d+(?:\.\d+)?)$/.exec(value);
  if (!match) return undefined;
  const [, h, m, s] = match;
  const seconds = Number(s);
  if ((m !== undefined || h !== undefined) && seconds >= 60) return undefined;
  if (h !== undefined && Number(m) >= 60) return undefined;
  return Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + seconds;
}

/** 5_368_709_120 → `5,4 Go` / `5.4 GB`: the unit that keeps the number short. */
export function formatBytes(bytes: number, lang: string): string {
  const units = [
    ['gigabyte', 1e9],
    ['megabyte', 1e6],
    ['kilobyte', 1e3],
  ] as const;
  const [unit, size] = units.find(([, size]) => bytes >= size) ?? ['byte', 1];
  return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(bytes / size);
}
