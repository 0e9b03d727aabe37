import { describe, expect, it } from 'vitest';
import { mondayOf, pickedIds, pickerWeeks, selectAll, toggleDate, toggleWeek, weekState } from './series-picker';
import { seats, workshop } from './test-fixtures';

const NOW = Date.parse('2027-01-01T09:00:00Z');

/** Mondays and Fridays of January 2027, as the series page answers them (not in order). */
const DATES = [
  workshop('2027-01-08', { seats: seats(8, 8, 2) }),
  workshop('2027-01-04', { seats: seats(8, 3) }),
  workshop('2027-01-11', { seats: seats(8, 8), waitlist: false }),
  workshop('2027-01-15', { status: 'cancelled' }),
  workshop('2027-01-18'),
];

describe('the series date picker', () => {
  it('names weeks by their Monday, including those that straddle a new year', () => {
    expect(mondayOf(2027, 1, 8)).toBe('2027-01-04');
    expect(mondayOf(2027, 1, 3)).toBe('2026-12-28');
    expect(mondayOf(2024, 12, 30)).toBe('2024-12-30');
    const sunday = pickerWeeks([workshop('2027-01-03')], 'Europe/Paris', Date.parse('2026-12-01T00:00:00Z'));
    expect(sunday.map((w) => [w.key, w.monday])).toEqual([['2026-W53', '2026-12-28']]);
  });

  it('groups the dates by week, in date order, each saying where its sign-up stands', () => {
    const weeks = pickerWeeks(DATES, 'Europe/Paris', NOW);
    expect(weeks.map((w) => [w.monday, w.dates.map((d) => d.event.id.slice(-5))])).toEqual([
      ['2027-01-04', ['01-04', '01-08']],
      ['2027-01-11', ['01-11', '01-15']],
      ['2027-01-18', ['01-18']],
    ]);
    expect(weeks[0]!.dates.map((d) => d.availability)).toEqual([
      { kind: 'open', free: 5 },
      { kind: 'waitlist', waiting: 2 },
    ]);
    expect(weeks[1]!.dates.map((d) => [d.availability.kind, d.selectable])).toEqual([
      ['full', false],
      ['closed', false],
    ]);
  });

  it('puts a late-evening date in its own day in the series’ zone, not in UTC', () => {
    // Sunday 10 January 2027, 23:30 in Paris, is already Monday in Tokyo and still Sunday in UTC.
    const late = workshop('2027-01-10', {}, '23:30');
    expect(pickerWeeks([late], 'Europe/Paris', NOW)[0]!.key).toBe('2027-W01');
    expect(pickerWeeks([late], 'Asia/Tokyo', NOW)[0]!.key).toBe('2027-W02');
  });

  it('leaves out the dates that are over', () => {
    const weeks = pickerWeeks(DATES, 'Europe/Paris', Date.parse('2027-01-09T12:00:00Z'));
    expect(weeks.flatMap((w) => w.dates.map((d) => d.event.id.slice(-5)))).toEqual(['01-11', '01-15', '01-18']);
  });

  it('picks and unpicks one date, a whole week, or every date that takes sign-ups', () => {
    const weeks = pickerWeeks(DATES, 'Europe/Paris', NOW);
    let picked = toggleDate(new Set(), 'atelier--2027-01-08');
    expect(weekState(weeks[0]!, picked)).toBe('some');
    picked = toggleWeek(picked, weeks[0]!);
    expect(weekState(weeks[0]!, picked)).toBe('all');
    expect(pickedIds(weeks, picked)).toEqual(['atelier--2027-01-04', 'atelier--2027-01-08']);
    picked = toggleWeek(picked, weeks[0]!);
    expect(pickedIds(weeks, picked)).toEqual([]);
    expect(pickedIds(weeks, selectAll(weeks))).toEqual(['atelier--2027-01-04', 'atelier--2027-01-08', 'atelier--2027-01-18']);
    expect(pickedIds(weeks, selectAll(weeks, 2))).toEqual(['atelier--2027-01-04', 'atelier--2027-01-08']);
  });

  it('sends only the picked dates still open, once the dates were loaded again', () => {
    const picked = new Set(['atelier--2027-01-04', 'atelier--2027-01-15', 'elsewhere']);
    expect(pickedIds(pickerWeeks(DATES, 'Europe/Paris', NOW), picked)).toEqual(['atelier--2027-01-04']);
  });
});
