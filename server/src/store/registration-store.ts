import type { Answers, MailLanguage, RegistrationSettings, RegistrationStatus, SeatCounts } from '#shared/domain/registration';

/*
 * The storage port of sign-up, reached as `store.registrations`: people (who have no account), their registrations,
 * waiting lists and offers, and each registration event's private settings. SQLite and Redis implement it in
 * `sqlite/sqlite-registrations.ts` and `redis/redis-registrations.ts`; the contract suite is
 * `registration.contract.ts`.
 *
 * Seats are given, queued and offered by single atomic operations (a transaction in SQLite, a Lua script in Redis), so
 * that 500 people signing up at once for 20 seats across several processes get exactly 20 seats and waiting-list
 * positions 1…480. Each operation that changes what a person holds also writes the emails that say so into the
 * outbox (`store.outbox`) in the same step: a state change never leaves without its email, and no email is
 * acknowledged before it is stored.
 */

/** Someone who signs up. One person per email; desk registrations without an email each make their own person. */
export interface PersonRecord {
  id: string;
  /** Lower-case; null for a person registered at the desk without one, and once erased. */
  email: string | null;
  name: string | null;
  language: MailLanguage;
  createdAt: string;
  /** Personal links carry this number; raising it voids every link given out before ("this wasn't me", erasure). */
  linkEpoch: number;
  erasedAt: string | null;
}

export interface RegistrationRecord {
  id: string;
  eventId: string;
  personId: string;
  status: RegistrationStatus;
  /** With `waitlisted`: its rank among the event's waitlisted registrations (1 = next), computed when read. */
  position?: number;
  /**
   * True when the person held the series' fair cap of seats in this week when they queued: they are offered a seat
   * only when nobody under the cap is waiting.
   */
  capped: boolean;
  /** A copy of the person's details at sign-up, erased with them. */
  name: string | null;
  email: string | null;
  phone: string | null;
  language: MailLanguage;
  answers: Answers;
  source: 'online' | 'desk';
  /** For the fair cap: the event's series and its ISO week in the series' zone (`2027-W03`), or null. */
  seriesId: string | null;
  weekKey: string | null;
  createdAt: string;
  updatedAt: string;
  offerExpiresAt: string | null;
  cancelledAt: string | null;
  attendedAt: string | null;
  erasedAt: string | null;
}

/** What the service knows of the event when it changes seats (the store does not read the programme). */
export interface SeatRules {
  capacity: number;
  /** Whether people queue once the seats are taken; without, a full event refuses. */
  waitlist: boolean;
  /** The series' fair cap per person per week, when it has one. */
  fairCap: number | null;
}

/**
 * When a seat frees up, who gets it: the first waitlisted person not `capped` (else the first capped one), with an
 * offer until `offerExpiresAt`. Null means nobody is offered the seat (the event has started or is closed): it stays
 * free.
 */
export interface Refill {
  rules: SeatRules;
  offerExpiresAt: string | null;
}

export interface NewRegistration {
  eventId: string;
  /** Found or created by email in the same step; with `email: null` a new person every time. */
  person: { email: string | null; name: string; language: MailLanguage };
  phone: string | null;
  answers: Answers;
  source: 'online' | 'desk';
  seriesId: string | null;
  weekKey: string | null;
  rules: SeatRules;
  /** Desk registrations by a librarian: a seat even past capacity. */
  overbook: boolean;
  /** Write the confirmation or waiting-list email (not for a person without an email). */
  notify: boolean;
  now: string;
}

export type RegisterResult =
  | {
      outcome: 'registered';
      registration: RegistrationRecord;
      person: PersonRecord;
      /** False when the person already had an active registration for this event: `registration` is that one. */
      created: boolean;
    }
  /** No seat, and the event has no waiting list. Nothing was stored. */
  | { outcome: 'full' };

export type CancelReason = 'person' | 'library' | 'declined' | 'not-me';

export type CancelResult =
  | {
      outcome: 'cancelled';
      registration: RegistrationRecord;
      /** The waitlisted registration that was offered the freed seat, if any. */
      offered?: RegistrationRecord;
    }
  /** Already cancelled or expired: nothing changed. */
  | { outcome: 'unchanged'; registration: RegistrationRecord }
  | { outcome: 'not-found' };

export type AcceptResult =
  | { outcome: 'confirmed'; registration: RegistrationRecord }
  /**
   * The offer's deadline has passed: nothing changed here; the caller expires it ({@link RegistrationStore.expireOffer})
   * so that the seat passes on, and tells the person.
   */
  | { outcome: 'expired'; registration: RegistrationRecord }
  /** Not an offer (already confirmed, waitlisted, cancelled): nothing changed. */
  | { outcome: 'not-offered'; registration: RegistrationRecord }
  | { outcome: 'not-found' };

export interface ExpireResult {
  /** The offer that ran out, now `expired`; undefined when it was no longer a running-out offer. */
  expired?: RegistrationRecord;
  /** Who was offered the seat next. */
  offered?: RegistrationRecord;
}

/** Attendance of one person at the events they were confirmed for, for the no-show count. */
export interface AttendanceRecord {
  personId: string;
  eventId: string;
  attended: boolean;
}

export interface RegistrationStore {
  /**
   * Signs a person up for an event, atomically: the same person's active registration if there is one; else a seat
   * if one is free and nobody waits (see {@link SeatRules} for the fair cap); else a waiting-list place; else `full`.
   * With `notify`, the `confirmation` or `waitlisted` email is written to the outbox in the same step.
   */
  register(input: NewRegistration): Promise<RegisterResult>;
  get(id: string): Promise<RegistrationRecord | undefined>;
  /** Every registration of the event, cancelled ones included, oldest first, with positions. */
  listForEvent(eventId: string): Promise<RegistrationRecord[]>;
  /** Every registration of the person, oldest first, with positions. */
  listForPerson(personId: string): Promise<RegistrationRecord[]>;
  counts(eventId: string, capacity: number): Promise<SeatCounts>;

  /**
   * Cancels a registration (confirmed, waitlisted or offered) and, if it held a seat, offers the seat on as `refill`
   * says, in one step. Writes the `cancelled` email (or `cancelled-by-library`) and the `offer` email.
   */
  cancel(id: string, reason: CancelReason, refill: Refill, now: string): Promise<CancelResult>;
  /** Takes an offered seat, if the offer has not run out at `now`. Writes the `confirmation` email. */
  acceptOffer(id: string, now: string): Promise<AcceptResult>;
  /** Offers whose deadline has passed at `now`, oldest deadline first. */
  dueOffers(now: string, limit: number): Promise<{ id: string; eventId: string }[]>;
  /**
   * Expires one offer whose deadline has passed and offers the seat to the next person, in one step; does nothing if
   * it was accepted, declined or expired meanwhile (several processes may try). Writes `offer-expired` and `offer`.
   */
  expireOffer(id: string, refill: Refill, now: string): Promise<ExpireResult>;
  /**
   * Offers every free seat to waiting people (after the capacity grew, or the waiting list was turned on). Answers
   * the registrations offered a seat.
   */
  refill(eventId: string, refill: Refill, now: string): Promise<RegistrationRecord[]>;
  /** A librarian confirms a waitlisted or offered registration, even past capacity. Writes `confirmation`. */
  promote(id: string, now: string): Promise<RegistrationRecord | undefined>;

  /** Ticks (a time) or unticks (null) attendance. Undefined when there is no such registration. */
  setAttendance(id: string, attendedAt: string | null): Promise<RegistrationRecord | undefined>;
  /** Marks the person's confirmed registration for the event as attended, once (the first time stays). */
  markAttended(eventId: string, personId: string, at: string): Promise<RegistrationRecord | undefined>;
  /** The person's active registration for the event, if any. */
  activeFor(eventId: string, personId: string): Promise<RegistrationRecord | undefined>;
  /** Confirmed registrations of these people, for their no-show counts (the service knows which events are over). */
  attendanceOf(personIds: readonly string[]): Promise<AttendanceRecord[]>;

  getPerson(id: string): Promise<PersonRecord | undefined>;
  /**
   * The person with this email, made if there is none, without a registration: a help desk's partner, whose personal
   * link opens the appointments they are given. A known person keeps their name and language.
   */
  ensurePerson(person: { email: string; name: string; language: MailLanguage }, now: string): Promise<PersonRecord>;
  getPersonByEmail(email: string): Promise<PersonRecord | undefined>;
  /** Voids every personal link of the person given out so far; answers the new epoch. */
  bumpLinkEpoch(personId: string): Promise<number | undefined>;
  /**
   * Erases a person's personal data: their record and every registration's name, email, phone and answers become
   * null or empty, `erasedAt` is set, and their unsent emails are dropped from the outbox. Statuses and attendance stay,
   * as anonymous counts. Links stop working. False when there was no such person.
   */
  erasePerson(personId: string, now: string): Promise<boolean>;
  /** Erases the personal data of every registration of the event (retention); answers how many were erased. */
  eraseEvent(eventId: string, now: string): Promise<number>;

  /** The private settings of a registration event (the outside room's link). */
  getSettings(eventId: string): Promise<RegistrationSettings>;
  setSettings(eventId: string, settings: RegistrationSettings): Promise<void>;
}
