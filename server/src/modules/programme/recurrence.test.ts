import { describe, expect, it } from 'vitest';
import { Recurrence } from '#shared/domain/event';
import { isoWeekKey } from '#shared/time/zones';
import { isSeriesDateId, recurrenceDates, SERIES_DATES_MAX, seriesDateEvent } from './recurrence';

const rule = (fields: Partial<Recurrence> = {}) =>
  Recurrence.parse({
    byDay: ['MO', 'FR'],
    time: '14:00',
    durationMinutes: 90,
    timezone: 'Europe/Paris',
    from: '2027-03-15',
    until: '2027-04-09',
    template: { kind: 'workshop', title: 'Conversation en français', capacity: 8 },
    ...fields,
  });

const paris = (iso: string) =>
  new Date(iso).toLocaleString('fr-FR', { timeZone: 'Europe/Paris', weekday: 'long', hour: '2-digit', minute: '2-digit' });

describe('the dates of a recurring series', () => {
  it('falls on every Monday and Friday at 14:00 Paris time, before and after the change to summer time', () => {
    const found = recurrenceDates(rule());
    if (!found.ok) throw new Error('too many');
    expect(found.dates.map((d) => d.date)).toEqual([
      '2027-03-15',
      '2027-03-19',
      '2027-03-22',
      '2027-03-26',
      '2027-03-29',
      '2027-04-02',
      '2027-04-05',
      '2027-04-09',
    ]);
    // Clocks go forward on 28 March 2027: the instant moves by an hour, the wall time does not.
    expect(found.dates[3]!.startsAt).toBe('2027-03-26T13:00:00.000Z');
    expect(found.dates[4]!.startsAt).toBe('2027-03-29T12:00:00.000Z');
    for (const d of found.dates) {
      expect(paris(d.startsAt)).toMatch(/^(lundi|vendredi) 14:00$/);
      expect(Date.parse(d.endsAt) - Date.parse(d.startsAt)).toBe(90 * 60_000);
    }
  });

  it('stays at 14:00 across the change back to winter time too', () => {
    const found = recurrenceDates(rule({ from: '2027-10-25', until: '2027-11-05' }));
    expect(found.ok && found.dates.map((d) => paris(d.startsAt))).toEqual(['lundi 14:00', 'vendredi 14:00', 'lundi 14:00', 'vendredi 14:00']);
    // Clocks go back on 31 October 2027: 12:00 UTC before, 13:00 UTC after.
    expect(found.ok && found.dates.map((d) => d.startsAt.slice(11, 16))).toEqual(['12:00', '12:00', '13:00', '13:00']);
  });

  it('skips the exceptions, and a wall time that the change to summer time skips that day', () => {
    const withHolidays = recurrenceDates(rule({ exceptions: ['2027-03-29', '2027-04-02'] }));
    expect(withHolidays.ok && withHolidays.dates.map((d) => d.date)).not.toContain('2027-03-29');
    expect(withHolidays.ok && withHolidays.dates).toHaveLength(6);
    // 02:30 on Sunday 28 March 2027 does not exist in Paris.
    const sundays = recurrenceDates(rule({ byDay: ['SU'], time: '02:30', from: '2027-03-21', until: '2027-04-04' }));
    expect(sundays.ok && sundays.dates.map((d) => d.date)).toEqual(['2027-03-21', '2027-04-04']);
  });

  it('refuses a rule that makes more dates than a series holds', () => {
    expect(recurrenceDates(rule({ byDay: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], until: '2029-01-01' }))).toEqual({
      ok: false,
      reason: 'too-many',
    });
    const twoYears = recurrenceDates(rule({ byDay: ['MO', 'FR'], until: '2029-03-15' }));
    expect(twoYears.ok && twoYears.dates.length).toBeLessThanOrEqual(SERIES_DATES_MAX);
  });

  it('makes each date an event of the series from the template, with a stable id', () => {
    const r = rule({ template: { ...rule().template, form: [] } });
    const found = recurrenceDates(r);
    if (!found.ok) throw new Error('too many');
    const event = seriesDateEvent('conversation-fle', r, found.dates[0]!);
    expect(event).toMatchObject({
      id: 'conversation-fle--2027-03-15',
      seriesId: 'conversation-fle',
      kind: 'workshop',
      access: 'registration',
      capacity: 8,
      waitlist: true,
      status: 'scheduled',
      timezone: 'Europe/Paris',
    });
    expect(isSeriesDateId('conversation-fle', event.id)).toBe(true);
    expect(isSeriesDateId('conversation', event.id)).toBe(false);
    expect(isSeriesDateId('conversation-fle', 'conversation-fle-1')).toBe(false);
    expect(event).not.toHaveProperty('room');
  });

  it('holds every date in a Parvis room when the template says so', () => {
    const r = rule({ template: { ...rule().template, room: 'parvis' } });
    const found = recurrenceDates(r);
    if (!found.ok) throw new Error('too many');
    expect(found.dates.map((d) => seriesDateEvent('conversation-fle', r, d).room)).toEqual(found.dates.map(() => 'parvis'));
  });
});

describe('the week of the fair cap', () => {
  it('is the ISO week in the series’ zone, so a late Sunday evening in Paris is not the next week', () => {
    expect(isoWeekKey('2027-01-17T22:30:00Z', 'Europe/Paris')).toBe('2027-W02');
    expect(isoWeekKey('2027-01-17T23:30:00Z', 'Europe/Paris')).toBe('2027-W03');
    expect(isoWeekKey('2027-01-01T12:00:00Z', 'Europe/Paris')).toBe('2026-W53');
  });
});
