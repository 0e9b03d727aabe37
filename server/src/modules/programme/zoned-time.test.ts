import { describe, expect, it } from 'vitest';
import { zonedDate, zonedTimeToUtc } from './zoned-time';

describe('zonedTimeToUtc', () => {
  it('places 18:00 in Paris at 17:00 UTC in winter and 16:00 UTC in summer', () => {
    expect(zonedTimeToUtc({ year: 2026, month: 11, day: 27, hour: 18, minute: 0 }, 'Europe/Paris').toISOString()).toBe(
      '2026-11-27T17:00:00.000Z',
    );
    expect(zonedTimeToUtc({ year: 2026, month: 7, day: 3, hour: 18, minute: 0 }, 'Europe/Paris').toISOString()).toBe(
      '2026-07-03T16:00:00.000Z',
    );
  });

  it('handles the day daylight saving time starts', () => {
    expect(zonedTimeToUtc({ year: 2026, month: 3, day: 29, hour: 18, minute: 30 }, 'Europe/Paris').toISOString()).toBe(
      '2026-03-29T16:30:00.000Z',
    );
  });
});

describe('zonedDate', () => {
  it('gives the Paris calendar day of a late-evening UTC instant', () => {
    expect(zonedDate(new Date('2026-11-29T23:30:00Z'), 'Europe/Paris')).toEqual({
      year: 2026,
      month: 11,
      day: 30,
      weekday: 1,
    });
  });
});
