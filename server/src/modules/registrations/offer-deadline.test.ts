import { describe, expect, it } from 'vitest';
import { offerDeadline } from './offer-deadline';
import { joinLink } from './registration.service';

const HOUR = 3_600_000;
const now = new Date('2027-01-04T09:00:00.000Z');
const at = (ms: number) => new Date(now.getTime() + ms).toISOString();

describe('the deadline of an offer', () => {
  it('holds the seat for 24 hours while the start is far', () => {
    expect(offerDeadline(now, at(72 * HOUR), 24)).toBe(at(24 * HOUR));
    expect(offerDeadline(now, at(48 * HOUR), 24)).toBe(at(24 * HOUR));
    expect(offerDeadline(now, at(72 * HOUR), 6)).toBe(at(6 * HOUR));
  });

  it('holds it for half the time left as the start draws near, so the next person still has as long', () => {
    expect(offerDeadline(now, at(10 * HOUR), 24)).toBe(at(5 * HOUR));
    expect(offerDeadline(now, at(30 * 60_000), 24)).toBe(at(15 * 60_000));
  });

  it('never runs past the start, and offers nothing once the event has started', () => {
    for (const left of [47 * HOUR, 3 * HOUR, 10_000]) {
      const deadline = offerDeadline(now, at(left), 24);
      expect(Date.parse(deadline!)).toBeLessThan(Date.parse(at(left)));
    }
    expect(offerDeadline(now, at(0), 24)).toBeNull();
    expect(offerDeadline(now, at(-HOUR), 24)).toBeNull();
    expect(offerDeadline(now, at(1500), 24)).toBeNull();
  });
});

describe('the join link of the personal page', () => {
  const event = { startsAt: at(HOUR), endsAt: at(2 * HOUR), status: 'scheduled' as const };
  const settings = { joinUrl: 'https://visio.example.org/salle' };
  const link = (status: 'confirmed' | 'waitlisted' | 'offered', when: number, e = event) =>
    joinLink({ status }, e, settings, new Date(now.getTime() + when), 15);

  it('shows when it opens until 15 minutes before the start, then the link itself until the end', () => {
    expect(link('confirmed', 0)).toEqual({ joinOpensAt: at(45 * 60_000) });
    expect(link('confirmed', 45 * 60_000 - 1)).toEqual({ joinOpensAt: at(45 * 60_000) });
    expect(link('confirmed', 45 * 60_000)).toEqual({ joinUrl: settings.joinUrl });
    expect(link('confirmed', 2 * HOUR - 1)).toEqual({ joinUrl: settings.joinUrl });
    expect(link('confirmed', 2 * HOUR)).toEqual({});
  });

  it('never shows it to people without a seat, for a cancelled event, or when there is no outside room', () => {
    expect(link('waitlisted', 50 * 60_000)).toEqual({});
    expect(link('offered', 50 * 60_000)).toEqual({});
    expect(link('confirmed', 50 * 60_000, { ...event, status: 'cancelled' as never })).toEqual({});
    expect(joinLink({ status: 'confirmed' }, event, { joinUrl: null }, new Date(now.getTime() + 50 * 60_000), 15)).toEqual({});
  });
});
