import type { NewRegistration, Refill, SeatRules } from './registration-store';
import type { OutboxRecord } from './outbox-store';
import type { Store } from './store';

/*
 * What the sign-up contract suites (registration, outbox, jobs, and the concurrency suite) build their cases from.
 */

/** The instant `minutes` after 2026-11-25 10:00 UTC, as the services write instants. */
export function at(minutes: number): string {
  return new Date(Date.UTC(2026, 10, 25, 10, 0) + minutes * 60_000).toISOString();
}

export const NOW = at(0);

export function rules(capacity: number, extra: Partial<SeatRules> = {}): SeatRules {
  return { capacity, waitlist: true, fairCap: null, ...extra };
}

/** A refill that offers a freed seat until `offerExpiresAt` (null: the event has started, nobody is offered it). */
export function refill(capacity: number, offerExpiresAt: string | null = at(24 * 60), extra: Partial<SeatRules> = {}): Refill {
  return { rules: rules(capacity, extra), offerExpiresAt };
}

/** An online sign-up by `email` (lower-case, as the service passes it), with a waiting list and 2 seats by default. */
export function signUp(eventId: string, email: string | null, extra: Partial<NewRegistration> = {}): NewRegistration {
  return {
    eventId,
    person: { email, name: email ? `Person ${email.split('@')[0]}` : 'Desk person', language: 'fr' },
    phone: null,
    answers: {},
    source: 'online',
    seriesId: null,
    weekKey: null,
    rules: rules(2),
    overbook: false,
    notify: true,
    now: NOW,
    ...extra,
  };
}

/** Signs up and answers the registration, failing the test on `full`. */
export async function registered(store: Store, input: NewRegistration) {
  const result = await store.registrations.register(input);
  if (result.outcome !== 'registered') throw new Error(`expected a registration for ${input.person.email}, got ${result.outcome}`);
  return result;
}

/** Every row of the outbox, oldest first. */
export async function allMail(store: Store): Promise<OutboxRecord[]> {
  return (await store.outbox.list({ limit: 10_000 })).reverse();
}

/** The outbox as `kind registrationId` lines, oldest first: what the sign-up operations wrote. */
export async function mailLog(store: Store): Promise<string[]> {
  return (await allMail(store)).map((m) => `${m.kind} ${m.registrationId}`);
}
