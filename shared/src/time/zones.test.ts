import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatInZone, fromWallTimeText, instantOf, isTimeZone, timeZoneNames, toWallTimeText, wallTimeIn } from './zones';

const PARIS = 'Europe/Paris';
const iso = (r: ReturnType<typeof instantOf>) => (r.ok ? r.instant.toISOString() : r.reason);
const paris = (month: number, day: number, hour: number, minute = 0) => iso(instantOf({ year: 2026, month, day, hour, minute }, PARIS));

describe('a wall time in a zone, as an instant', () => {
  it('reads winter and summer times in Paris with their own offsets', () => {
    expect(paris(11, 25, 18)).toBe('2026-11-25T17:00:00.000Z');
    expect(paris(7, 3, 18)).toBe('2026-07-03T16:00:00.000Z');
  });

  it('reads other zones, either side of the date line', () => {
    expect(iso(instantOf({ year: 2026, month: 11, day: 26, hour: 8, minute: 30 }, 'Asia/Tokyo'))).toBe('2026-11-25T23:30:00.000Z');
    expect(iso(instantOf({ year: 2026, month: 11, day: 25, hour: 12, minute: 0 }, 'America/Montreal'))).toBe('2026-11-25T17:00:00.000Z');
    expect(iso(instantOf({ year: 2027, month: 3, day: 1, hour: 9, minute: 15 }, 'Pacific/Auckland'))).toBe('2027-02-28T20:15:00.000Z');
    expect(iso(instantOf({ year: 2026, month: 11, day: 25, hour: 18, minute: 0 }, 'UTC'))).toBe('2026-11-25T18:00:00.000Z');
  });

  it('refuses the hour skipped on the last Sunday of March in Paris, and takes the minutes either side', () => {
    expect(paris(3, 29, 1, 59)).toBe('2026-03-29T00:59:00.000Z');
    expect(paris(3, 29, 2, 0)).toBe('nonexistent');
    expect(paris(3, 29, 2, 30)).toBe('nonexistent');
    expect(paris(3, 29, 2, 59)).toBe('nonexistent');
    expect(paris(3, 29, 3, 0)).toBe('2026-03-29T01:00:00.000Z');
    // The same evening, the offset is summer's.
    expect(paris(3, 29, 18)).toBe('2026-03-29T16:00:00.000Z');
  });

  it('takes the first of the two 02:30 on the last Sunday of October in Paris (still summer time)', () => {
    expect(paris(10, 25, 1, 59)).toBe('2026-10-24T23:59:00.000Z');
    expect(paris(10, 25, 2, 0)).toBe('2026-10-25T00:00:00.000Z');
    expect(paris(10, 25, 2, 30)).toBe('2026-10-25T00:30:00.000Z');
    expect(paris(10, 25, 2, 59)).toBe('2026-10-25T00:59:00.000Z');
    expect(paris(10, 25, 3, 0)).toBe('2026-10-25T02:00:00.000Z');
    expect(paris(10, 25, 18)).toBe('2026-10-25T17:00:00.000Z');
  });

  it('takes the first of a repeated half hour where clocks go back by 30 minutes (Lord Howe Island)', () => {
    expect(iso(instantOf({ year: 2026, month: 4, day: 5, hour: 1, minute: 45 }, 'Australia/Lord_Howe'))).toBe('2026-04-04T14:45:00.000Z');
  });

  it('refuses what is not a date and time, and unknown zones', () => {
    expect(paris(2, 31, 10)).toBe('invalid');
    expect(paris(13, 1, 10)).toBe('invalid');
    expect(paris(1, 1, 24)).toBe('invalid');
    expect(paris(1, 1, 10, 60)).toBe('invalid');
    expect(iso(instantOf({ year: 2026, month: 1, day: 1, hour: 10, minute: 0 }, 'Mars/Olympus_Mons'))).toBe('invalid');
    expect(iso(instantOf({ year: 2026, month: 1, day: 1, hour: 10, minute: 0 }, '+01:00'))).toBe('invalid');
  });
});

describe('an instant, as a wall time in a zone', () => {
  it('reads both 02:30 of the night clocks go back, and the weekday', () => {
    expect(wallTimeIn('2026-10-25T00:30:00Z', PARIS)).toEqual({ year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0, weekday: 0 });
    expect(wallTimeIn('2026-10-25T01:30:00Z', PARIS)).toMatchObject({ hour: 2, minute: 30 });
    expect(wallTimeIn(new Date('2026-11-29T23:30:00Z'), PARIS)).toMatchObject({ year: 2026, month: 11, day: 30, weekday: 1 });
  });

  it('jumps from 01:59 to 03:00 the night clocks go forward', () => {
    expect(wallTimeIn('2026-03-29T00:59:00Z', PARIS)).toMatchObject({ hour: 1, minute: 59 });
    expect(wallTimeIn('2026-03-29T01:00:00Z', PARIS)).toMatchObject({ hour: 3, minute: 0 });
  });

  it('comes back to the same instant, or to the first of two that read the same', () => {
    const year2026 = fc.integer({ min: Date.parse('2026-01-01T00:00:00Z') / 60_000, max: Date.parse('2027-01-01T00:00:00Z') / 60_000 });
    fc.assert(
      fc.property(year2026, fc.constantFrom(PARIS, 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata'), (minutes, zone) => {
        const ms = minutes * 60_000;
        const back = instantOf(wallTimeIn(ms, zone), zone);
        expect(back.ok).toBe(true);
        const found = back.ok ? back.instant.getTime() : NaN;
        expect(found === ms || (found < ms && ms - found <= 3_600_000)).toBe(true);
        expect(wallTimeIn(found, zone)).toEqual(wallTimeIn(ms, zone));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('formatting in a zone', () => {
  it('writes files and fields in the zone, whatever the machine’s own', () => {
    expect(formatInZone('2026-11-25T18:04:05Z', PARIS, 'yyyy-MM-dd HH:mm:ss')).toBe('2026-11-25 19:04:05');
    expect(formatInZone('2026-10-25T00:30:00Z', PARIS, 'HH:mm xxx')).toBe('02:30 +02:00');
    expect(formatInZone('2026-10-25T01:30:00Z', PARIS, 'HH:mm xxx')).toBe('02:30 +01:00');
    expect(formatInZone('soon', PARIS, 'yyyy')).toBe('');
    expect(formatInZone('2026-11-25T18:04:05Z', 'Mars/Olympus_Mons', 'yyyy')).toBe('');
  });

  it('fills and reads a datetime-local field in the event’s zone', () => {
    expect(toWallTimeText('2026-11-25T17:00:00.000Z', PARIS)).toBe('2026-11-25T18:00');
    expect(toWallTimeText('2026-11-25T23:30:00.000Z', 'Asia/Tokyo')).toBe('2026-11-26T08:30');
    expect(toWallTimeText('soon', PARIS)).toBe('');
    expect(iso(fromWallTimeText('2026-11-25T18:00', PARIS))).toBe('2026-11-25T17:00:00.000Z');
    expect(iso(fromWallTimeText(' 2026-11-25T18:00:30 ', PARIS))).toBe('2026-11-25T17:00:30.000Z');
    expect(iso(fromWallTimeText('2026-03-29T02:30', PARIS))).toBe('nonexistent');
    expect(iso(fromWallTimeText('2026-10-25T02:30', PARIS))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(fromWallTimeText('', PARIS))).toBe('invalid');
    expect(iso(fromWallTimeText('25/11/2026 18:00', PARIS))).toBe('invalid');
  });
});

describe('time zone names', () => {
  it('knows IANA zones and refuses the rest', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Europe/Lutece')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  it('lists UTC and the zone being kept, sorted', () => {
    const names = timeZoneNames('Etc/GMT-3');
    expect(names).toContain('UTC');
    expect(names).toContain('Europe/Paris');
    expect(names).toContain('Etc/GMT-3');
    expect([...names].sort()).toEqual(names);
  });
});
