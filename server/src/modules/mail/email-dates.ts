import { isTimeZone } from '#shared/time/zones';
import type { MailLanguage } from '#shared/domain/registration';

/*
 * Dates in emails, written out in the reader's language and in the event's zone (a workshop "at 14:00 in Paris" reads
 * 14:00 wherever the reader is), with the zone named so nobody has to guess: "vendredi 27 mars 2026, 14:00 – 15:30
 * (heure d’Europe centrale)". Intl does the writing; British English gives the 24-hour clock and day-month order that
 * a French library's English readers expect.
 */

const LOCALE: Record<MailLanguage, string> = { fr: 'fr-FR', en: 'en-GB' };

const formats = new Map<string, Intl.DateTimeFormat>();

function format(language: MailLanguage, zone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${language}|${zone}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALE[language], { ...options, timeZone: zone });
    formats.set(key, f);
  }
  return f;
}

/** A zone Intl does not know falls back to UTC, named as such, rather than failing the email. */
const usable = (zone: string) => (isTimeZone(zone) ? zone : 'UTC');

/** "heure d’Europe centrale", "Central European Time": the zone's generic name in the language. */
export function zoneName(zone: string, language: MailLanguage, at: Date): string {
  const parts = format(language, usable(zone), { timeZoneName: 'longGeneric' }).formatToParts(at);
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? zone;
}

/**
 * When an event takes place: its day and its start and end times, or both full dates when it runs past midnight.
 * "vendredi 27 mars 2026, 14:00 – 15:30 (heure d’Europe centrale)"; "Friday, 27 March 2026, 14:00–15:30 (Central
 * European Time)".
 */
export function eventWhen(startsAt: string, endsAt: string, zone: string, language: MailLanguage): string {
  // Every email about an event says the same; ICU's range and zone-name formatting is slow enough to matter when a
  // sign-up storm writes thousands of emails about one workshop.
  const key = `${language}|${zone}|${startsAt}|${endsAt}`;
  let text = written.get(key);
  if (text === undefined) {
    text = writeWhen(startsAt, endsAt, zone, language);
    if (written.size >= WRITTEN_MAX) written.clear();
    written.set(key, text);
  }
  return text;
}

/** Texts of {@link eventWhen} already written: a few events are mailed about at a time, so a small bound is plenty. */
const written = new Map<string, string>();
const WRITTEN_MAX = 1000;

function writeWhen(startsAt: string, endsAt: string, zone: string, language: MailLanguage): string {
  const tz = usable(zone);
  const start = new Date(startsAt);
  const end = new Date(endsAt);
  const day = format(language, tz, { dateStyle: 'full' });
  const time = format(language, tz, { timeStyle: 'short' });
  const text =
    day.format(start) === day.format(end)
      ? `${day.format(start)}, ${time.formatRange(start, end)}`
      : format(language, tz, { dateStyle: 'full', timeStyle: 'short' }).formatRange(start, end);
  return `${text} (${zoneName(tz, language, start)})`;
}

/** An instant, such as an offer's deadline: "samedi 28 mars 2026 à 14:00 (heure d’Europe centrale)". */
export function instantText(at: string, zone: string, language: MailLanguage): string {
  const tz = usable(zone);
  const instant = new Date(at);
  return `${format(language, tz, { dateStyle: 'full', timeStyle: 'short' }).format(instant)} (${zoneName(tz, language, instant)})`;
}

/** A short day for a subject line: "ven. 27 mars", "Fri 27 Mar". */
export function shortDay(at: string, zone: string, language: MailLanguage): string {
  return format(language, usable(zone), { weekday: 'short', day: 'numeric', month: 'short' }).format(new Date(at));
}
