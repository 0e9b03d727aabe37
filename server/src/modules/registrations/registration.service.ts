import { randomUUID } from 'node:crypto';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { hasWaitlist, isListed, type Event, type Series } from '#shared/domain/event';
import {
  answerProblems,
  answersFor,
  isActive,
  type Answers,
  DeskRegistrationRequest,
  type MyRegistration,
  type MyRegistrations,
  type PublicSignUp,
  type RegistrantEmailRequest,
  type RegistrantList,
  type RegistrantRow,
  RegistrationRequest,
  type RegistrationSettings,
  RegistrationSettingsRequest,
  type RegistrationSummary,
  type SeatCounts,
  type SeriesDetail,
  SeriesRegistrationRequest,
  type SeriesRegistrationResponse,
} from '#shared/domain/registration';
import type { AuthResponse, User } from '#shared/domain/user';
import { ErrorCode, type ErrorReason } from '#shared/protocol/errors';
import { isoWeekKey } from '#shared/time/zones';
import type { z } from 'zod';
import { AuditAction, type Actor, type AuditLog } from '../../core/audit';
import type { Clock } from '../../core/clock';
import { DomainError, FieldError } from '../../core/errors';
import { consumeOrRefuse } from '../../core/rate-limit';
import { EmailKind, type OutboxIntent } from '../../store/outbox-store';
import type { PersonRecord, Refill, RegistrationRecord, SeatRules } from '../../store/registration-store';
import type { Store } from '../../store/store';
import { personIdOf, type TokenService } from '../access/token.service';
import type { ProgrammeService } from '../programme/programme.service';
import { offerDeadline } from './offer-deadline';
import type { PersonLinks } from './person-links';

/** Sign-ups one email may make per hour, whatever address they come from (a series pick counts once). */
export const SIGNUP_EMAIL_LIMIT = { points: 10, duration: 3600 } as const;
/** The window of SIGNUP_RATE_LIMIT, the sign-ups per address. */
export const SIGNUP_ADDRESS_WINDOW_SECONDS = 600;
/** A registration event without a capacity never fills up. */
const UNLIMITED_SEATS = 1_000_000_000;

export interface RegistrationServiceDeps {
  store: Store;
  programme: ProgrammeService;
  /** The sign-up module's clock: `ShiftedClock` under PARVIS_TEST_CLOCK, a test's own clock in integration tests. */
  clock: Clock;
  links: PersonLinks;
  tokens: TokenService;
  audit: AuditLog;
  limiters: { address: RateLimiterAbstract; email: RateLimiterAbstract };
  /** OFFER_HOURS */
  offerHours: number;
  /** REGISTRATION_RETENTION_DAYS, which the public sign-up form states. */
  retentionDays: number;
  /** JOIN_URL_LEAD_MINUTES */
  joinUrlLeadMinutes: number;
  /**
   * Whether this server's rooms run (Janus up, or another provider): an event held in a Parvis room is entered
   * through it then, and through its outside `joinUrl` otherwise. Absent: they do not.
   */
  roomsRunning?: () => boolean;
}

/** The requests as their schemas leave them: the name normalised, the email lower-case, defaults filled in. */
type Registration = z.output<typeof RegistrationRequest>;
type SeriesRegistration = z.output<typeof SeriesRegistrationRequest>;
type DeskRegistration = z.output<typeof DeskRegistrationRequest>;
type SettingsChange = z.output<typeof RegistrationSettingsRequest>;

/** What a sign-up answers: the registration, and whether it was made now (201) or was there already (200). */
export interface SignUp {
  registration: RegistrationSummary;
  created: boolean;
}

/** The registration as its person may see it: no personal data, the position only while waiting. */
export function summaryOf(r: RegistrationRecord): RegistrationSummary {
  const summary: RegistrationSummary = { id: r.id, eventId: r.eventId, status: r.status };
  if (r.status === 'waitlisted' && r.position !== undefined) summary.position = r.position;
  if (r.status === 'offered' && r.offerExpiresAt) summary.offerExpiresAt = r.offerExpiresAt;
  return summary;
}

/**
 * When a confirmed registrant sees the outside room's link: from `leadMinutes` before the start until the end, never
 * for a cancelled event, never for anyone not confirmed. Before that, `joinOpensAt` says when it will show.
 */
export function joinLink(
  registration: Pick<RegistrationRecord, 'status'>,
  event: Pick<Event, 'startsAt' | 'endsAt' | 'status'>,
  settings: RegistrationSettings,
  now: Date,
  leadMinutes: number,
): { joinUrl?: string; joinOpensAt?: string } {
  if (registration.status !== 'confirmed' || !settings.joinUrl) return {};
  if (event.status === 'cancelled' || event.status === 'ended' || now.getTime() >= Date.parse(event.endsAt)) return {};
  const opensAt = Date.parse(event.startsAt) - leadMinutes * 60_000;
  return now.getTime() >= opensAt ? { joinUrl: settings.joinUrl } : { joinOpensAt: new Date(opensAt).toISOString() };
}

const conflict = (reason: ErrorReason, message: string, fields?: Record<string, string>) =>
  new DomainError(ErrorCode.CONFLICT, message, undefined, reason, fields);

/**
 * Sign-up: registering for an event or for several dates of a series, the waiting list and its offers, what a person
 * does through their personal link, the registrants' list of the librarians, and who may enter a registration event's
 * live room. The rules that must hold across processes (seats, positions, offers, the fair cap) are single store
 * operations (`store.registrations`); this service decides what the store is asked, with the event as it is now:
 * whether it still takes sign-ups, its seats and waiting list, the fair cap of its series, and the offers' deadlines.
 */
export class RegistrationService {
  private readonly store: Store;
  private readonly clock: Clock;

  constructor(private readonly deps: RegistrationServiceDeps) {
    this.store = deps.store;
    this.clock = deps.clock;
  }

  /** The sign-up module's "now" (tests and PARVIS_TEST_CLOCK move it). */
  now(): Date {
    return this.clock.now();
  }

  // --- The rules of an event's seats. ------------------------------------------------------------------------------

  private async event(id: string): Promise<Event> {
    const event = await this.store.programme.getEvent(id);
    if (!event) throw new DomainError(ErrorCode.NOT_FOUND, `No event with id "${id}"`);
    return event;
  }

  private async series(id: string): Promise<Series | undefined> {
    return (await this.store.programme.listSeries()).find((s) => s.id === id);
  }

  /** Capacity, waiting list and the series' fair cap, as the store applies them. */
  async seatRules(event: Event, series?: Series): Promise<SeatRules> {
    const inSeries = series ?? (event.seriesId ? await this.series(event.seriesId) : undefined);
    return {
      capacity: event.capacity ?? UNLIMITED_SEATS,
      waitlist: hasWaitlist(event),
      fairCap: inSeries?.fairCapPerWeek ?? null,
    };
  }

  /**
   * Who gets a freed seat and until when: nobody once the event has started, ended or was cancelled (the seat stays
   * free), else the next person waiting, with the deadline of {@link offerDeadline}.
   */
  async refillFor(event: Event | undefined, now: Date): Promise<Refill> {
    if (!event) return { rules: { capacity: 0, waitlist: false, fairCap: null }, offerExpiresAt: null };
    const open = event.access === 'registration' && (event.status === 'scheduled' || event.status === 'live');
    return {
      rules: await this.seatRules(event),
      offerExpiresAt: open ? offerDeadline(now, event.startsAt, this.deps.offerHours) : null,
    };
  }

  /** Why the event takes no sign-up now, or null when it does. */
  private closedBecause(event: Event, now: Date): string | null {
    if (event.access !== 'registration') return 'This event takes no sign-ups';
    if (event.status === 'cancelled') return 'This event was cancelled';
    if (event.status !== 'scheduled' || Date.parse(event.startsAt) <= now.getTime()) return 'This event has already started';
    return null;
  }

  /** The series' ISO week of the event in the series' zone (`2027-W03`), for the fair cap. */
  private weekKey(event: Event, series: Series | undefined): string | null {
    if (!series?.fairCapPerWeek) return null;
    return isoWeekKey(event.startsAt, series.recurrence?.timezone ?? event.timezone) || null;
  }

  private async countSignUp(email: string, address: string): Promise<void> {
    await consumeOrRefuse(this.deps.limiters.address, address, 'Too many sign-ups from your network: wait a few minutes');
    await consumeOrRefuse(this.deps.limiters.email, email, 'Too many sign-ups for this email address: wait a while');
  }

  private checkAnswers(event: Event, answers: Answers | undefined): void {
    const problems = answerProblems(event.form ?? [], answers);
    if (problems) throw new FieldError(problems);
  }

  /**
   * The answers of a series' form, which asks the questions of every date picked once: each date checks the answers
   * to its own questions (required, one of the options) and ignores the others; an answer to a question that none of
   * the dates asks is refused.
   */
  private checkSeriesAnswers(events: readonly Event[], answers: Answers | undefined): void {
    const problems: Record<string, string> = {};
    for (const event of events) {
      const form = event.form ?? [];
      Object.assign(problems, answerProblems(form, answersFor(form, answers)));
    }
    for (const id of Object.keys(answers ?? {})) {
      if (!events.some((e) => (e.form ?? []).some((q) => q.id === id))) problems[`answers.${id}`] = 'is not a question of the dates picked';
    }
    if (Object.keys(problems).length > 0) throw new FieldError(problems);
  }

  // --- Signing up. -------------------------------------------------------------------------------------------------

  /**
   * Signs a person up for one event: a seat, a waiting-list place, or the registration they already had with this
   * email. The confirmation or waiting-list email is in the outbox before this answers.
   */
  async register(eventId: string, request: Registration, address: string): Promise<SignUp> {
    await this.countSignUp(request.email, address);
    const event = await this.event(eventId);
    const now = this.now();
    const closed = this.closedBecause(event, now);
    if (closed) throw conflict('closed', closed);
    this.checkAnswers(event, request.answers);
    const series = event.seriesId ? await this.series(event.seriesId) : undefined;
    const result = await this.store.registrations.register({
      eventId,
      person: { email: request.email, name: request.name, language: request.language },
      phone: null,
      answers: request.answers ?? {},
      source: 'online',
      seriesId: series?.id ?? null,
      weekKey: this.weekKey(event, series),
      rules: await this.seatRules(event, series),
      overbook: false,
      notify: true,
      now: now.toISOString(),
    });
    if (result.outcome === 'full') throw conflict('full', 'This event is full and has no waiting list');
    return { registration: summaryOf(result.registration), created: result.created };
  }

  /**
   * Signs a person up for several dates of a series in one form: one registration per date, made in date order so
   * that the fair cap counts the earlier dates first. Every date is checked before any is registered: an unknown or
   * closed date, an answer a date's form refuses, or a date full without a waiting list refuses the whole request.
   * One set of answers serves every date: each date keeps the answers to its own questions.
   */
  async registerSeries(seriesId: string, request: SeriesRegistration, address: string): Promise<SeriesRegistrationResponse & { created: boolean }> {
    await this.countSignUp(request.email, address);
    const series = await this.series(seriesId);
    if (!series) throw new DomainError(ErrorCode.NOT_FOUND, `No series with id "${seriesId}"`);
    const now = this.now();
    const events: Event[] = [];
    for (const [i, id] of request.eventIds.entries()) {
      const event = await this.store.programme.getEvent(id);
      if (!event || event.seriesId !== seriesId) {
        throw new DomainError(ErrorCode.NOT_FOUND, `No date "${id}" in this series`, undefined, undefined, {
          [`eventIds.${i}`]: 'is not a date of this series',
        });
      }
      const closed = this.closedBecause(event, now);
      if (closed) throw conflict('closed', `${closed} (${id})`, { [`eventIds.${i}`]: 'takes no sign-ups' });
      if (!hasWaitlist(event) && event.capacity !== undefined) {
        const counts = await this.store.registrations.counts(id, event.capacity);
        if (counts.free === 0) throw conflict('full', `The date "${id}" is full and has no waiting list`, { [`eventIds.${i}`]: 'is full' });
      }
      events.push(event);
    }
    this.checkSeriesAnswers(events, request.answers);
    events.sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
    const rules = new Map<string, SeatRules>();
    for (const event of events) rules.set(event.id, await this.seatRules(event, series));

    const registrations: RegistrationSummary[] = [];
    const full: string[] = [];
    let created = false;
    for (const event of events) {
      const result = await this.store.registrations.register({
        eventId: event.id,
        person: { email: request.email, name: request.name, language: request.language },
        phone: null,
        answers: answersFor(event.form ?? [], request.answers),
        source: 'online',
        seriesId,
        weekKey: this.weekKey(event, series),
        rules: rules.get(event.id)!,
        overbook: false,
        notify: true,
        now: this.now().toISOString(),
      });
      if (result.outcome === 'full') {
        full.push(event.id);
        continue;
      }
      created ||= result.created;
      registrations.push(summaryOf(result.registration));
    }
    if (registrations.length === 0) throw conflict('full', 'Every date picked is full and has no waiting list');
    return { registrations, ...(full.length > 0 && { full }), created };
  }

  // --- The personal link. ------------------------------------------------------------------------------------------

  /** One of the person's registrations, or NOT_FOUND (another person's registration is as good as unknown). */
  private async mine(person: PersonRecord, registrationId: string): Promise<RegistrationRecord> {
    const registration = await this.store.registrations.get(registrationId);
    if (!registration || registration.personId !== person.id) {
      throw new DomainError(ErrorCode.NOT_FOUND, 'No such registration of yours');
    }
    return registration;
  }

  /** "My registrations": every registration of the person with its event, the join link when it is time. */
  async myRegistrations(person: PersonRecord): Promise<MyRegistrations> {
    const now = this.now();
    const records = await this.store.registrations.listForPerson(person.id);
    const events = new Map<string, Event | undefined>();
    for (const id of new Set(records.map((r) => r.eventId))) events.set(id, await this.store.programme.getEvent(id));
    const registrations: MyRegistration[] = [];
    for (const r of records) {
      const event = events.get(r.eventId);
      if (!event) continue;
      const settings: RegistrationSettings =
        r.status === 'confirmed' ? await this.store.registrations.getSettings(r.eventId) : { joinUrl: null };
      registrations.push({
        ...summaryOf(r),
        event,
        createdAt: r.createdAt,
        ...(r.cancelledAt && { cancelledAt: r.cancelledAt }),
        ...(r.attendedAt && { attendedAt: r.attendedAt }),
        ...(r.status === 'confirmed' && event.room === 'parvis' && this.deps.roomsRunning?.()
          ? { inRoom: true as const }
          : joinLink(r, event, settings, now, this.deps.joinUrlLeadMinutes)),
      });
    }
    registrations.sort((a, b) => Date.parse(a.event.startsAt) - Date.parse(b.event.startsAt));
    return {
      person: { name: person.name, email: person.email, language: person.language },
      registrations,
      feedUrl: this.deps.links.feedUrl(person),
    };
  }

  /** The person cancels one of their registrations; a seat it held is offered to the next person waiting. */
  async cancelMine(person: PersonRecord, registrationId: string): Promise<RegistrationSummary> {
    const registration = await this.mine(person, registrationId);
    return summaryOf(await this.cancel(registration, 'person'));
  }

  /** The person takes the seat offered to them, if the offer still runs; CONFLICT `offer-expired` otherwise. */
  async acceptOffer(person: PersonRecord, registrationId: string): Promise<RegistrationSummary> {
    await this.mine(person, registrationId);
    const now = this.now();
    const result = await this.store.registrations.acceptOffer(registrationId, now.toISOString());
    switch (result.outcome) {
      case 'confirmed':
        return summaryOf(result.registration);
      case 'expired':
        // Nobody else ran it out yet: do it now, so that the seat passes on at once.
        await this.expireOffer(registrationId, now);
        throw conflict('offer-expired', 'This offer has run out: the seat went to the next person waiting');
      case 'not-offered':
        // Accepting twice (a double click, a second tab) answers the seat already taken.
        if (result.registration.status === 'confirmed') return summaryOf(result.registration);
        if (result.registration.status === 'expired') {
          throw conflict('offer-expired', 'This offer has run out: the seat went to the next person waiting');
        }
        throw conflict('not-offered', 'This registration holds no offer to accept');
      case 'not-found':
        throw new DomainError(ErrorCode.NOT_FOUND, 'No such registration of yours');
    }
  }

  /** The person turns the offered seat down: it passes to the next person waiting. */
  async declineOffer(person: PersonRecord, registrationId: string): Promise<RegistrationSummary> {
    const registration = await this.mine(person, registrationId);
    if (registration.status === 'cancelled') return summaryOf(registration);
    if (registration.status === 'expired') throw conflict('offer-expired', 'This offer has already run out');
    if (registration.status !== 'offered') throw conflict('not-offered', 'This registration holds no offer to decline');
    return summaryOf(await this.cancel(registration, 'declined'));
  }

  /**
   * "I did not ask for this": the registration is cancelled without another email to that address, and every
   * personal link of the person stops working (whoever signed them up may hold one through a forwarded email).
   */
  async notMe(person: PersonRecord, registrationId: string): Promise<void> {
    const registration = await this.mine(person, registrationId);
    await this.cancel(registration, 'not-me');
    await this.store.registrations.bumpLinkEpoch(person.id);
  }

  /**
   * Erases the person's data at their request. Their registrations for events still to come are cancelled first, so
   * that the seats go to people waiting; then names, email, phone and answers are erased everywhere, their unsent
   * emails dropped, and their links stop working. Statuses and attendance stay, as anonymous counts.
   */
  async eraseMe(person: PersonRecord): Promise<void> {
    const now = this.now();
    for (const r of await this.store.registrations.listForPerson(person.id)) {
      if (!isActive(r.status)) continue;
      const event = await this.store.programme.getEvent(r.eventId);
      if (event && Date.parse(event.startsAt) > now.getTime()) await this.cancel(r, 'not-me');
    }
    await this.store.registrations.erasePerson(person.id, this.now().toISOString());
  }

  private async cancel(registration: RegistrationRecord, reason: 'person' | 'library' | 'declined' | 'not-me'): Promise<RegistrationRecord> {
    const now = this.now();
    const event = await this.store.programme.getEvent(registration.eventId);
    const result = await this.store.registrations.cancel(registration.id, reason, await this.refillFor(event, now), now.toISOString());
    if (result.outcome === 'not-found') throw new DomainError(ErrorCode.NOT_FOUND, 'No such registration');
    return result.registration;
  }

  /**
   * Runs out one offer whose deadline has passed and offers the seat to the next person (the scheduler, and an
   * accept that came too late). Several processes may try at once: the store does it once.
   */
  async expireOffer(registrationId: string, now: Date = this.now()): Promise<boolean> {
    const registration = await this.store.registrations.get(registrationId);
    if (!registration) return false;
    const event = await this.store.programme.getEvent(registration.eventId);
    const result = await this.store.registrations.expireOffer(registrationId, await this.refillFor(event, now), now.toISOString());
    return result.expired !== undefined;
  }

  /** Offers every free seat to people waiting (the capacity grew, an event was restored). */
  async refill(event: Event): Promise<RegistrationRecord[]> {
    if (event.access !== 'registration') return [];
    const now = this.now();
    return this.store.registrations.refill(event.id, await this.refillFor(event, now), now.toISOString());
  }

  // --- The live room. ----------------------------------------------------------------------------------------------

  /**
   * A live-room token in the registered name, for a person whose personal link is valid and who holds a confirmed
   * seat at this registration event. They join without choosing a name.
   */
  async signInRegistrant(token: string, eventId: string): Promise<AuthResponse> {
    const person = await this.deps.links.authenticate(token);
    const event = await this.event(eventId);
    if (event.access !== 'registration') {
      throw new DomainError(ErrorCode.FORBIDDEN, 'This event is not on registration: join it as anybody else');
    }
    const registration = await this.store.registrations.activeFor(eventId, person.id);
    const name = registration?.name ?? person.name;
    if (registration?.status !== 'confirmed' || !name) {
      throw new DomainError(ErrorCode.FORBIDDEN, 'Only people with a confirmed seat can enter this event');
    }
    return this.deps.tokens.issueRegistrant(person.id, name);
  }

  /** A registrant entered the live room: they attended (the first time stays). */
  async markJoined(user: User | null, eventId: string): Promise<void> {
    const personId = personIdOf(user);
    if (personId) await this.store.registrations.markAttended(eventId, personId, this.now().toISOString());
  }

  // --- Public counts. ----------------------------------------------------------------------------------------------

  /** The seats of a registration event with a capacity, as anyone may see them; undefined for any other event. */
  async seatsOf(event: Event): Promise<SeatCounts | undefined> {
    if (event.access !== 'registration' || event.capacity === undefined) return undefined;
    return this.store.registrations.counts(event.id, event.capacity);
  }

  /**
   * What anyone may know of a registration event's sign-up, beside the event: its seats, how long its registrants'
   * data is kept, and whether it is held in an outside room (never the room's link). Nothing for any other event.
   */
  async publicSignUp(event: Event): Promise<PublicSignUp> {
    if (event.access !== 'registration') return {};
    const seats = await this.seatsOf(event);
    const { joinUrl } = await this.store.registrations.getSettings(event.id);
    return { ...(seats && { seats }), retentionDays: this.deps.retentionDays, ...(joinUrl && { outsideRoom: true as const }) };
  }

  /** `GET /api/series/:id`: the series and its listed dates, earliest first, each with its seats. */
  async seriesDetail(seriesId: string): Promise<SeriesDetail> {
    const series = await this.series(seriesId);
    if (!series) throw new DomainError(ErrorCode.NOT_FOUND, `No series with id "${seriesId}"`);
    const events = (await this.store.programme.listEvents({ series: seriesId }))
      .filter(isListed)
      .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
    const dates = [];
    for (const event of events) {
      const seats = await this.seatsOf(event);
      dates.push(seats ? { event, seats } : { event });
    }
    return { series, dates, retentionDays: this.deps.retentionDays };
  }

  // --- The librarians. ---------------------------------------------------------------------------------------------

  private async ofEvent(eventId: string, registrationId: string): Promise<RegistrationRecord> {
    const registration = await this.store.registrations.get(registrationId);
    if (!registration || registration.eventId !== eventId) {
      throw new DomainError(ErrorCode.NOT_FOUND, `No registration "${registrationId}" for this event`);
    }
    return registration;
  }

  /**
   * The registrants of an event, oldest first, with their answers, attendance and how many past events they were
   * confirmed for and did not attend (shown to librarians; nothing is ever done about it automatically).
   */
  async registrants(eventId: string): Promise<RegistrantList & { event: Event }> {
    const event = await this.event(eventId);
    const now = this.now().getTime();
    const records = await this.store.registrations.listForEvent(eventId);
    const people = [...new Set(records.map((r) => r.personId))];
    const attendance = await this.store.registrations.attendanceOf(people);
    const over = new Set(
      (await this.store.programme.listEvents({}))
        .filter((e) => e.status === 'ended' || (e.status !== 'cancelled' && Date.parse(e.endsAt) <= now))
        .map((e) => e.id),
    );
    const noShows = new Map<string, number>();
    for (const a of attendance) {
      if (!a.attended && over.has(a.eventId)) noShows.set(a.personId, (noShows.get(a.personId) ?? 0) + 1);
    }
    const registrants: RegistrantRow[] = records.map((r) => ({
      ...summaryOf(r),
      personId: r.personId,
      name: r.name,
      email: r.email,
      phone: r.phone,
      language: r.language,
      answers: r.answers,
      source: r.source,
      createdAt: r.createdAt,
      cancelledAt: r.cancelledAt,
      attendedAt: r.attendedAt,
      erasedAt: r.erasedAt,
      noShows: noShows.get(r.personId) ?? 0,
    }));
    return { event, registrants, seats: (await this.seatsOf(event)) ?? null };
  }

  /**
   * A librarian signs someone up at the desk or by phone: a seat even past the capacity (they decide), no email, an
   * email address optional. Answers are checked against the form, but a required question may stay blank.
   */
  async registerAtDesk(actor: Actor, eventId: string, request: DeskRegistration): Promise<SignUp> {
    const event = await this.event(eventId);
    if (event.access !== 'registration') throw conflict('closed', 'This event takes no sign-ups');
    if (event.status === 'cancelled') throw conflict('closed', 'This event was cancelled');
    const problems = Object.entries(answerProblems(event.form ?? [], request.answers) ?? {}).filter(
      ([, message]) => message !== 'must be answered',
    );
    if (problems.length > 0) throw new FieldError(Object.fromEntries(problems));
    const series = event.seriesId ? await this.series(event.seriesId) : undefined;
    const result = await this.store.registrations.register({
      eventId,
      person: { email: request.email ?? null, name: request.name, language: request.language },
      phone: request.phone || null,
      answers: request.answers ?? {},
      source: 'desk',
      seriesId: series?.id ?? null,
      weekKey: this.weekKey(event, series),
      rules: await this.seatRules(event, series),
      overbook: true,
      notify: false,
      now: this.now().toISOString(),
    });
    if (result.outcome === 'full') throw conflict('full', 'This event is full');
    await this.deps.audit.record(actor, AuditAction.REGISTRATION_DESK, `event:${eventId}`, {
      title: event.title,
      registrationId: result.registration.id,
    });
    return { registration: summaryOf(result.registration), created: result.created };
  }

  /** The library cancels a registration: the person is told, and a seat it held goes to the next person waiting. */
  async cancelByLibrary(actor: Actor, eventId: string, registrationId: string): Promise<RegistrationSummary> {
    const registration = await this.ofEvent(eventId, registrationId);
    const cancelled = await this.cancel(registration, 'library');
    await this.deps.audit.record(actor, AuditAction.REGISTRATION_CANCEL, `event:${eventId}`, { registrationId });
    return summaryOf(cancelled);
  }

  /** A librarian gives a waiting or offered person a seat, even past the capacity. */
  async promote(actor: Actor, eventId: string, registrationId: string): Promise<RegistrationSummary> {
    const registration = await this.ofEvent(eventId, registrationId);
    if (!isActive(registration.status)) throw new DomainError(ErrorCode.CONFLICT, 'This registration was cancelled');
    if (registration.status === 'confirmed') return summaryOf(registration);
    const promoted = await this.store.registrations.promote(registrationId, this.now().toISOString());
    if (!promoted) throw new DomainError(ErrorCode.NOT_FOUND, `No registration "${registrationId}" for this event`);
    await this.deps.audit.record(actor, AuditAction.REGISTRATION_PROMOTE, `event:${eventId}`, { registrationId });
    return summaryOf(promoted);
  }

  /** Ticks or unticks attendance (the moderators' tick box for events held in an outside room). */
  async setAttendance(actor: Actor, eventId: string, registrationId: string, attended: boolean): Promise<RegistrantRow['attendedAt']> {
    await this.ofEvent(eventId, registrationId);
    const updated = await this.store.registrations.setAttendance(registrationId, attended ? this.now().toISOString() : null);
    if (!updated) throw new DomainError(ErrorCode.NOT_FOUND, `No registration "${registrationId}" for this event`);
    await this.deps.audit.record(actor, AuditAction.REGISTRATION_ATTENDANCE, `event:${eventId}`, { registrationId, attended });
    return updated.attendedAt;
  }

  /** A message from the library to every confirmed registrant with an email; answers how many it goes to. */
  async emailConfirmed(actor: Actor, eventId: string, message: RegistrantEmailRequest): Promise<number> {
    const event = await this.event(eventId);
    const now = this.now().toISOString();
    const batch = randomUUID();
    const intents: OutboxIntent[] = (await this.store.registrations.listForEvent(eventId)).flatMap((r) =>
      r.status === 'confirmed' && r.email
        ? [
            {
              dedupeKey: `broadcast:${batch}:${r.id}`,
              kind: EmailKind.BROADCAST,
              to: r.email,
              language: r.language,
              personId: r.personId,
              registrationId: r.id,
              eventId,
              payload: { subject: message.subject, body: message.body },
              dueAt: now,
            },
          ]
        : [],
    );
    if (intents.length > 0) await this.store.outbox.enqueue(intents, now);
    await this.deps.audit.record(actor, AuditAction.REGISTRATION_EMAIL, `event:${eventId}`, {
      title: event.title,
      subject: message.subject,
      recipients: intents.length,
    });
    return intents.length;
  }

  async settings(eventId: string): Promise<RegistrationSettings> {
    await this.event(eventId);
    return this.store.registrations.getSettings(eventId);
  }

  /**
   * The private join link, and the event's form and waiting list. The form and the waiting list are the event's own
   * fields, changed through the programme (audited and announced like any change of the event); the join link stays
   * in the registration settings, out of every public answer.
   */
  async updateSettings(
    actor: User,
    eventId: string,
    request: SettingsChange,
  ): Promise<{ settings: RegistrationSettings; event: Event }> {
    let event = await this.event(eventId);
    const fields = Object.keys(request).filter((k) => request[k as keyof typeof request] !== undefined);
    if (request.form !== undefined || request.waitlist !== undefined) {
      event = await this.deps.programme.updateEvent(actor, eventId, {
        ...(request.form !== undefined && { form: request.form }),
        ...(request.waitlist !== undefined && { waitlist: request.waitlist }),
      });
    }
    if (request.joinUrl !== undefined) await this.store.registrations.setSettings(eventId, { joinUrl: request.joinUrl });
    await this.deps.audit.record(actor, AuditAction.REGISTRATION_SETTINGS, `event:${eventId}`, { title: event.title, fields });
    return { settings: await this.store.registrations.getSettings(eventId), event };
  }
}
