import type { Event } from '#shared/domain/event';
import type { Translator } from '../../i18n/i18n';

/** Under this many minutes left, the remaining time turns to a warning colour. */
export const WARNING_MINUTES = 5;

/**
 * Where the talk stands against its schedule, in whole minutes:
 * - `upcoming`: scheduled and not started yet, `minutes` until the start (rounded up);
 * - `running`: `minutes` until the scheduled end, rounded up (so "1 min left" holds until the end itself);
 * - `overtime`: past the scheduled end by `minutes`, rounded down (0 during the first minute: time is up);
 * - `ended`: ended or cancelled, whatever the clock says.
 */
export type StageTime =
  | { readonly phase: 'upcoming'; readonly minutes: number }
  | { readonly phase: 'running'; readonly minutes: number; readonly warning: boolean }
  | { readonly phase: 'overtime'; readonly minutes: number }
  | { readonly phase: 'ended' }
  | { readonly phase: 'unknown' };

const MINUTE_MS = 60_000;

/** The time left in an event at `now` (ms since the epoch); `unknown` when its times do not parse. */
export function stageTime(event: Pick<Event, 'startsAt' | 'endsAt' | 'status'>, now: number): StageTime {
  if (event.status === 'ended' || event.status === 'cancelled') return { phase: 'ended' };
  const start = Date.parse(event.startsAt);
  const end = Date.parse(event.endsAt);
  if (Number.isNaN(start) || Number.isNaN(end)) return { phase: 'unknown' };
  // A talk that went live early counts down to its end; one not live yet past its start time is simply late.
  if (event.status === 'scheduled' && now < start) return { phase: 'upcoming', minutes: Math.ceil((start - now) / MINUTE_MS) };
  const left = end - now;
  if (left > 0) {
    const minutes = Math.ceil(left / MINUTE_MS);
    return { phase: 'running', minutes, warning: minutes <= WARNING_MINUTES };
  }
  return { phase: 'overtime', minutes: Math.floor((now - end) / MINUTE_MS) };
}

/** "12 min", "1 h", "1 h 05 min": whole minutes, as short as the stage needs. */
export function formatMinutes(t: Translator['t'], minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes - hours * 60;
  if (hours === 0) return t('countdown.minutes', { n: rest });
  if (rest === 0) return t('countdown.hours', { n: hours });
  return `${t('countdown.hours', { n: hours })} ${t('countdown.minutes', { n: String(rest).padStart(2, '0') })}`;
}

/** The remaining time in words: "12 min left", "Over by 3 min", "Starts in 5 min", "Time is up"... */
export function stageTimeText(t: Translator['t'], time: StageTime): string {
  switch (time.phase) {
    case 'upcoming':
      return t('stage.time.upcoming', { duration: formatMinutes(t, time.minutes) });
    case 'running':
      return t('stage.time.left', { duration: formatMinutes(t, time.minutes) });
    case 'overtime':
      return time.minutes === 0 ? t('stage.time.up') : t('stage.time.over', { duration: formatMinutes(t, time.minutes) });
    case 'ended':
      return t('stage.time.ended');
    case 'unknown':
      return '';
  }
}
