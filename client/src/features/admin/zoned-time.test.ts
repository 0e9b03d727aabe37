import { describe, expect, it } from 'vitest';
import { fromZonedInput, isTimeZone, timeZoneNames, toZonedInput } from './zoned-time';

describe('toZonedInput', () => {
  it('shows an instant as the wall-clock time of the event zone', () => {
    expect(toZonedInput('2026-11-25T17:00:00.000Z', 'Europe/Paris')).toBe('2026-11-25T18:00');
    expect(toZonedInput('2026-07-01T16:00:00.000Z', 'Europe/Paris')).toBe('2026-07-01T18:00');
    expect(toZonedInput('2026-11-25T17:00:00.000Z', 'America/Montreal')).toBe('2026-11-25T12:00');
    expect(toZonedInput('2026-11-25T23:30:00.000Z', 'Asia/Tokyo')).toBe('2026-11-26T08:30');
  });

  it('answers an empty field for something that is not an instant', () => {
    expect(toZonedInput('soon', 'Europe/Paris')).toBe('');
  });
});

describe('fromZonedInput', () => {
  it('reads a wall-clock time in the event zone as a UTC instant, winter and summer', () => {
    expect(fromZonedInput('2026-11-25T18:00', 'Europe/Paris')).toEqual({ ok: true, iso: '2026-11-25T17:00:00.000Z' });
    expect(fromZonedInput('2026-07-01T18:00', 'Europe/Paris')).toEqual({ ok: true, iso: '2026-07-01T16:00:00.000Z' });
    expect(fromZonedInput('2026-11-25T18:00', 'UTC')).toEqual({ ok: true, iso: '2026-11-25T18:00:00.000Z' });
    expect(fromZonedInput('2026-11-26T08:30', 'Asia/Tokyo')).toEqual({ ok: true, iso: '2026-11-25T23:30:00.000Z' });
    expect(fromZonedInput('2026-11-25T12:00', 'America/Montreal')).toEqual({ ok: true, iso: '2026-11-25T17:00:00.000Z' });
  });

  it('does not depend on the zone of the computer the admin uses', () => {
    // The tests run in whatever zone the machine has; the answer is the same in all of them.
    expect(fromZonedInput('2027-03-01T09:15', 'Pacific/Auckland')).toEqual({ ok: true, iso: '2027-02-28T20:15:00.000Z' });
  });

  it('round-trips with toZonedInput', () => {
    for (const iso of ['2026-03-29T00:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z', '2026-12-31T23:00:00.000Z']) {
      for (const zone of ['Europe/Paris', 'America/New_York', 'Australia/Sydney', 'UTC']) {
        const input = toZonedInput(iso, zone);
        const back = fromZonedInput(input, zone);
        expect(back.ok && toZonedInput(back.iso, zone)).toBe(input);
      }
    }
  });

  it('refuses a time skipped when the clocks go forward', () => {
    expect(fromZonedInput('2026-03-29T02:30', 'Europe/Paris')).toEqual({ ok: false, reason: 'nonexistent' });
  });

  it('takes the first of the two times when the clocks go back', () => {
    // 02:30 happens twice in Paris on 25 October 2026: first at UTC+2 (00:30Z), then at UTC+1 (01:30Z).
    expect(fromZonedInput('2026-10-25T02:30', 'Europe/Paris')).toEqual({ ok: true, iso: '2026-10-25T00:30:00.000Z' });
  });

  it('refuses what is not a date and time, or a zone that does not exist', () => {
    expect(fromZonedInput('', 'Europe/Paris')).toEqual({ ok: false, reason: 'invalid' });
    expect(fromZonedInput('2026-02-31T10:00', 'Europe/Paris')).toEqual({ ok: false, reason: 'invalid' });
    expect(fromZonedInput('2026-11-25T18:00', 'Mars/Olympus_Mons')).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('time zone names', () => {
  it('knows real zones only', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Europe/Lutece')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  it('lists UTC, the usual zones and the zone of the event', () => {
    const names = timeZoneNames('Europe/Paris');
    expect(names).toContain('UTC');
    expect(names).toContain('Europe/Paris');
    expect(names).toContain('America/Toronto');
  });
});
