import { hasWaitlist } from '#shared/domain/event-rules';
import type { PublicEvent } from '../../app/api-client';

/**
 * Where sign-up stands for an event, as the page tells a person before they fill in anything. The server decides for
 * real when they submit (two people may take the last seat at once); this only says what to expect.
 */
export type Availability =
  /** Seats are free and nobody waits: signing up confirms. `free` is null when the server gave no counts. */
  | { kind: 'open'; free: number | null }
  /** Every seat is taken (or people already wait for one): signing up joins the waiting list behind `waiting`. */
  | { kind: 'waitlist'; waiting: number }
  /** Every seat is taken and the event has no waiting list. */
  | { kind: 'full' }
  /**
   * Sign-up is over: the event was cancelled, has ended, has started (the server refuses a sign-up from the start on),
   * or takes no sign-up at all.
   */
  | { kind: 'closed'; why: 'cancelled' | 'ended' | 'started' | 'not-registration' };

/**
 * The rule is the store's, read from the public counts: a seat when `confirmed + offered < capacity` and nobody waits;
 * else the waiting list if the event has one; else full.
 */
export function availability(event: PublicEvent, now: number): Availability {
  if (event.access !== 'registration') return { kind: 'closed', why: 'not-registration' };
  if (event.status === 'cancelled') return { kind: 'closed', why: 'cancelled' };
  if (event.status === 'ended' || Date.parse(event.endsAt) <= now) return { kind: 'closed', why: 'ended' };
  if (event.status === 'live' || Date.parse(event.startsAt) <= now) return { kind: 'closed', why: 'started' };
  const seats = event.seats;
  if (!seats) return { kind: 'open', free: null };
  if (seats.free > 0 && seats.waitlisted === 0) return { kind: 'open', free: seats.free };
  return hasWaitlist(event) ? { kind: 'waitlist', waiting: seats.waitlisted } : { kind: 'full' };
}

/** Whether a person can still sign up, seat or waiting list. */
export const canSignUp = (a: Availability): boolean => a.kind === 'open' || a.kind === 'waitlist';
