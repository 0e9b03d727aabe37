import type { Weekday } from '#shared/domain/event';
import { describe, expect, it } from 'vitest';
import { addException, readRecurrence, recurrenceValues, sortDays } from './recurrence-form';
import { questionRow } from './registration-settings';

const NOW = Date.parse('2026-12-06T10:00:00Z');

const mondaysAndFridays = () => ({
  ...recurrenceValues(null, NOW),
  enabled: true,
  byDay: ['FR', 'MO'] as Weekday[],
  time: '14:00',
  durationMinutes: '90',
  from: '2027-01-04',
  until: '2027-06-30',
  exceptions: ['2027-04-05', '2027-05-14'],
});

describe('the rule of a series', () => {
  it('starts new series on Mondays at 14:00 in Paris, for three months, sign-up with a waiting list', () => {
    const values = recurrenceValues(null, NOW);
    expect(values).toMatchObject({
      enabled: false,
      byDay: ['MO'],
      time: '14:00',
      timezone: 'Europe/Paris',
      from: '2026-12-06',
      until: '2027-03-07',
      template: { access: 'registration', waitlist: true, kind: 'workshop' },
      fairCap: '',
    });
  });

  it('makes the rule the API takes: days in week order, the dates named after the series unless told otherwise', () => {
    const read = readRecurrence({ ...mondaysAndFridays(), byDay: ['FR', 'MO'], fairCap: '1' }, 'Atelier de conversation');
    expect(read).toEqual({
      ok: true,
      fairCapPerWeek: 1,
      recurrence: {
        byDay: ['MO', 'FR'],
        time: '14:00',
        durationMinutes: 90,
        timezone: 'Europe/Paris',
        from: '2027-01-04',
        until: '2027-06-30',
        exceptions: ['2027-04-05', '2027-05-14'],
        template: {
          kind: 'workshop',
          title: 'Atelier de conversation',
          summary: '',
          access: 'registration',
          waitlist: true,
          language: 'fr',
          form: [],
        },
      },
    });
  });

  it('sends no rule and no cap when the series has neither', () => {
    expect(readRecurrence(recurrenceValues(null, NOW), 'Cycle')).toEqual({ ok: true, recurrence: null, fairCapPerWeek: null });
  });

  it('names what to fix: no day, a time that is not one, an end before the start, a cap out of 1–7', () => {
    const read = readRecurrence(
      { ...mondaysAndFridays(), byDay: [], time: '25:00', durationMinutes: 'une heure', until: '2026-12-01', fairCap: '9' },
      'Cycle',
    );
    expect(!read.ok && read.errors).toEqual({
      fairCapPerWeek: { key: 'admin.recur.error.fairCap' },
      'recurrence.durationMinutes': { key: 'admin.recur.error.duration' },
      'recurrence.byDay': { key: 'admin.recur.error.days' },
      'recurrence.time': { key: 'admin.recur.error.time' },
      'recurrence.until': { key: 'admin.recur.error.until' },
    });
  });

  it('checks the questions of the dates like those of an event', () => {
    const values = mondaysAndFridays();
    const read = readRecurrence({ ...values, template: { ...values.template, questions: [{ ...questionRow(), label: '' }] } }, 'Cycle');
    expect(!read.ok && read.errors).toEqual({ 'recurrence.template.questions.0.label': { key: 'form.error.required' } });
  });

  it('keeps the days without a session in date order, each once', () => {
    expect(addException(['2027-05-14', '2027-04-05'], '2027-04-05')).toEqual(['2027-04-05', '2027-05-14']);
    expect(sortDays(['SU', 'MO', 'WE'])).toEqual(['MO', 'WE', 'SU']);
  });

  it('reads an existing rule back for editing', () => {
    const read = readRecurrence(mondaysAndFridays(), 'Cycle');
    const again = read.ok && read.recurrence ? recurrenceValues({ recurrence: read.recurrence, fairCapPerWeek: 2 }, NOW) : null;
    expect(again).toMatchObject({ enabled: true, byDay: ['MO', 'FR'], durationMinutes: '90', fairCap: '2', exceptions: ['2027-04-05', '2027-05-14'] });
  });
});
