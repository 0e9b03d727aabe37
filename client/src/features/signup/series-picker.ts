import { SERIES_PICK_MAX } from '#shared/domain/limits';
import { isoWeekKey, wallTimeIn } from '#shared/time/zones';
import type { PublicEvent } from '../../app/api-client';
import { availability, canSignUp, type Availability } from './availability';

/*
 * The series date picker: the dates of a series grouped by week, each with where its sign-up stands, and the choice
 * of dates as a set of event ids. Weeks are ISO weeks (Monday to Sunday) in the series' zone, the weeks the fair cap
 * counts in.
 */

export interface PickerDate {
  event: PublicEvent;
  availability: Availability;
  /** Whether it can be picked: seats or a waiting list, and not started. */
  selectable: boolean;
}

export interface PickerWeek {
  /** `2027-W01`. */
  key: string;
  /** The week's Monday, as a calendar day (`2027-01-04`): how the week is named. */
  monday: string;
  dates: PickerDate[];
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** The Monday that starts the week of a calendar day (`2027-01-08` → `2027-01-04`), by which the week is named. */
export function mondayOf(year: number, month: number, day: number): string {
  const date = new Date(Date.UTC(year, month - 1, day));
  const monday = new Date(date.getTime() - ((date.getUTCDay() || 7) - 1) * 86_400_000);
  return `${monday.getUTCFullYear()}-${pad(monday.getUTCMonth() + 1)}-${pad(monday.getUTCDate())}`;
}

/**
 * The dates to show, by week, in date order: the registration dates of the series that have not ended (a cancelled or
 * started one stays, to say so).
 */
export function pickerWeeks(events: readonly PublicEvent[], zone: string, now: number): PickerWeek[] {
  const weeks = new Map<string, PickerWeek>();
  const dates = events
    .filter((e) => e.access === 'registration' && e.status !== 'ended' && Date.parse(e.endsAt) > now)
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  for (const event of dates) {
    // The week the fair cap counts in (shared with the server), named by its Monday.
    const key = isoWeekKey(event.startsAt, zone);
    const wall = wallTimeIn(event.startsAt, zone);
    const monday = mondayOf(wall.year, wall.month, wall.day);
    let week = weeks.get(key);
    if (!week) {
      week = { key, monday, dates: [] };
      weeks.set(key, week);
    }
    const a = availability(event, now);
    week.dates.push({ event, availability: a, selectable: canSignUp(a) });
  }
  return [...weeks.values()];
}

const selectableIds = (weeks: readonly PickerWeek[]): string[] =>
  weeks.flatMap((w) => w.dates.filter((d) => d.selectable).map((d) => d.event.id));

/** Picks or unpicks one date. */
export function toggleDate(selected: ReadonlySet<string>, id: string): Set<string> {
  const next = new Set(selected);
  if (!next.delete(id)) next.add(id);
  return next;
}

/** Whether the week's dates that can be picked are all picked, some, or none. */
export function weekState(week: PickerWeek, selected: ReadonlySet<string>): 'all' | 'some' | 'none' {
  const ids = selectableIds([week]);
  const picked = ids.filter((id) => selected.has(id)).length;
  return picked === 0 ? 'none' : picked === ids.length ? 'all' : 'some';
}

/** "The whole week": picks every date of the week that can be picked, or unpicks them all when they all were. */
export function toggleWeek(selected: ReadonlySet<string>, week: PickerWeek): Set<string> {
  const ids = selectableIds([week]);
  const next = new Set(selected);
  if (weekState(week, selected) === 'all') for (const id of ids) next.delete(id);
  else for (const id of ids) next.add(id);
  return next;
}

/** Every date that can be picked, up to the most one form takes, earliest first. */
export const selectAll = (weeks: readonly PickerWeek[], max = SERIES_PICK_MAX): Set<string> =>
  new Set(selectableIds(weeks).slice(0, max));

/** The picked dates still offered, in date order (after the dates were loaded again, some may have closed). */
export const pickedIds = (weeks: readonly PickerWeek[], selected: ReadonlySet<string>): string[] =>
  selectableIds(weeks).filter((id) => selected.has(id));
