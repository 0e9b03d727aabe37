import { describe, expect, it } from 'vitest';
import { testTranslator } from '../../i18n/test-translator';
import { formatMinutes, stageTime, stageTimeText } from './stage-time';

const event = { startsAt: '2026-11-25T18:00:00.000Z', endsAt: '2026-11-25T19:30:00.000Z', status: 'live' as const };
const at = (iso: string): number => Date.parse(iso);
const { t: en } = testTranslator('en');
const { t: fr } = testTranslator('fr');

describe('stage time', () => {
  it('counts the minutes left until the scheduled end, rounding a started minute up', () => {
    expect(stageTime(event, at('2026-11-25T19:18:00.000Z'))).toEqual({ phase: 'running', minutes: 12, warning: false });
    expect(stageTime(event, at('2026-11-25T19:17:30.000Z'))).toEqual({ phase: 'running', minutes: 13, warning: false });
    expect(stageTime(event, at('2026-11-25T19:29:59.000Z'))).toEqual({ phase: 'running', minutes: 1, warning: true });
  });

  it('warns in the last five minutes', () => {
    expect(stageTime(event, at('2026-11-25T19:25:00.000Z'))).toMatchObject({ minutes: 5, warning: true });
    expect(stageTime(event, at('2026-11-25T19:24:59.000Z'))).toMatchObject({ minutes: 6, warning: false });
  });

  it('counts the overtime in whole minutes once the end has passed', () => {
    expect(stageTime(event, at('2026-11-25T19:30:00.000Z'))).toEqual({ phase: 'overtime', minutes: 0 });
    expect(stageTime(event, at('2026-11-25T19:33:40.000Z'))).toEqual({ phase: 'overtime', minutes: 3 });
  });

  it('counts down to the start of a talk that has not started, and to the end of one that went live early', () => {
    const scheduled = { ...event, status: 'scheduled' as const };
    expect(stageTime(scheduled, at('2026-11-25T17:55:00.000Z'))).toEqual({ phase: 'upcoming', minutes: 5 });
    expect(stageTime(event, at('2026-11-25T17:55:00.000Z'))).toEqual({ phase: 'running', minutes: 95, warning: false });
    // Late to go live: the end does not move, so the time left shrinks.
    expect(stageTime(scheduled, at('2026-11-25T18:10:00.000Z'))).toEqual({ phase: 'running', minutes: 80, warning: false });
  });

  it('says the event ended once it did, whatever the clock', () => {
    expect(stageTime({ ...event, status: 'ended' }, at('2026-11-25T18:30:00.000Z'))).toEqual({ phase: 'ended' });
    expect(stageTime({ ...event, status: 'cancelled' }, at('2026-11-25T18:30:00.000Z'))).toEqual({ phase: 'ended' });
  });

  it('knows nothing of an event whose times do not parse', () => {
    expect(stageTime({ ...event, endsAt: 'soon' }, at('2026-11-25T18:30:00.000Z'))).toEqual({ phase: 'unknown' });
  });
});

describe('stage time in words', () => {
  it('writes the time left and the overtime', () => {
    expect(stageTimeText(en, { phase: 'running', minutes: 12, warning: false })).toBe('12 min left');
    expect(stageTimeText(en, { phase: 'overtime', minutes: 3 })).toBe('Over by 3 min');
    expect(stageTimeText(en, { phase: 'overtime', minutes: 0 })).toBe("Time's up");
    expect(stageTimeText(en, { phase: 'upcoming', minutes: 5 })).toBe('Starts in 5 min');
    expect(stageTimeText(fr, { phase: 'running', minutes: 12, warning: false })).toBe('Reste 12 min');
    expect(stageTimeText(fr, { phase: 'overtime', minutes: 3 })).toBe('Dépassement de 3 min');
  });

  it('writes hours and minutes for long durations', () => {
    expect(formatMinutes(en, 59)).toBe('59 min');
    expect(formatMinutes(en, 60)).toBe('1 h');
    expect(formatMinutes(en, 65)).toBe('1 h 05 min');
    expect(stageTimeText(en, { phase: 'running', minutes: 95, warning: false })).toBe('1 h 35 min left');
  });

  it('writes nothing when the schedule is unknown', () => {
    expect(stageTimeText(en, { phase: 'unknown' })).toBe('');
  });
});
