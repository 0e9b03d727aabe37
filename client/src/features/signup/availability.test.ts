import { describe, expect, it } from 'vitest';
import { availability, canSignUp } from './availability';
import { seats, workshop } from './test-fixtures';

const BEFORE = Date.parse('2027-03-01T09:00:00Z');

describe('where sign-up stands for an event', () => {
  it('offers a seat, with how many are left, while seats are free and nobody waits', () => {
    expect(availability(workshop('2027-03-29', { seats: seats(8, 5) }), BEFORE)).toEqual({ kind: 'open', free: 3 });
  });

  it('still offers the form when the server gave no counts', () => {
    const event = workshop('2027-03-29');
    expect(availability(event, BEFORE)).toEqual({ kind: 'open', free: null });
    expect(canSignUp(availability(event, BEFORE))).toBe(true);
  });

  it('sends a newcomer to the waiting list when every seat is taken, or held by an offer, or people already wait', () => {
    expect(availability(workshop('2027-03-29', { seats: seats(8, 8, 3) }), BEFORE)).toEqual({ kind: 'waitlist', waiting: 3 });
    expect(availability(workshop('2027-03-29', { seats: seats(8, 7, 0, 1) }), BEFORE)).toEqual({ kind: 'waitlist', waiting: 0 });
    // A seat freed a moment ago is offered to the first person waiting, not to whoever signs up next.
    expect(availability(workshop('2027-03-29', { seats: seats(8, 7, 2) }), BEFORE)).toEqual({ kind: 'waitlist', waiting: 2 });
  });

  it('says full when the event has no waiting list', () => {
    const event = workshop('2027-03-29', { seats: seats(8, 8), waitlist: false });
    expect(availability(event, BEFORE)).toEqual({ kind: 'full' });
    expect(canSignUp(availability(event, BEFORE))).toBe(false);
  });

  it('closes sign-up once the event is cancelled, has started or is over', () => {
    const event = workshop('2027-03-29', { seats: seats(8, 2) });
    expect(availability({ ...event, status: 'cancelled' }, BEFORE)).toEqual({ kind: 'closed', why: 'cancelled' });
    expect(availability(event, Date.parse(event.startsAt))).toEqual({ kind: 'closed', why: 'started' });
    expect(availability({ ...event, status: 'live' }, BEFORE)).toEqual({ kind: 'closed', why: 'started' });
    expect(availability(event, Date.parse(event.endsAt))).toEqual({ kind: 'closed', why: 'ended' });
    expect(availability({ ...event, status: 'ended' }, BEFORE)).toEqual({ kind: 'closed', why: 'ended' });
    expect(availability({ ...event, access: 'open' }, BEFORE)).toEqual({ kind: 'closed', why: 'not-registration' });
  });
});
