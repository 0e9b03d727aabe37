import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  AssignPartnerRequest,
  HELP_DESK_SLOTS_MAX,
  helpDeskForm,
  HelpDeskRequest,
  NEED_QUESTION_ID,
  PHONE_QUESTION_ID,
  slotsPerDay,
  type AppointmentRequestRow,
  type HelpDesk,
  type HelpDeskRequests,
  type MyAppointment,
} from '#shared/domain/appointment';
import type { Event } from '#shared/domain/event';
import { EventCreateRequest } from '#shared/protocol/admin';
import { ErrorCode } from '#shared/protocol/errors';
import type { User } from '#shared/domain/user';
import { AuditAction, type AuditLog } from '../../core/audit';
import type { Clock } from '../../core/clock';
import { DomainError, FieldError } from '../../core/errors';
import type { AssignmentRecord } from '../../store/appointment-store';
import { EmailKind, type OutboxIntent } from '../../store/outbox-store';
import type { PersonRecord, RegistrationRecord } from '../../store/registration-store';
import type { Store } from '../../store/store';
import type { ProgrammeService } from '../programme/programme.service';
import { recurrenceDates } from '../programme/recurrence';

type HelpDeskInput = z.output<typeof HelpDeskRequest>;
type PartnerInput = z.output<typeof AssignPartnerRequest>;

/** The roles an appointment's emails go to. */
export type AppointmentRole = 'reader' | 'partner' | 'librarian';

export interface AppointmentServiceDeps {
  store: Store;
  programme: ProgrammeService;
  /** The sign-up clock (tests move it). */
  clock: Clock;
  audit: AuditLog;
}

/** A slot's event id: `aide-juridique--2027-01-05-1400`, the series' id, the day and the start in the desk's zone. */
export const slotId = (deskId: string, date: string, startTime: string): string => `${deskId}--${date}-${startTime.replace(':', '')}`;

/** The reader's number: the phone question's answer, or the phone a librarian took at the desk. */
export const readerPhone = (r: Pick<RegistrationRecord, 'answers' | 'phone'>): string | null =>
  r.answers[PHONE_QUESTION_ID] || r.phone || null;

const addMinutes = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

/**
 * Help desks and their appointments. A help desk is a series without a rule whose events are its slots, made here
 * once (one seat each, no waiting list, the desk's form): readers book them through sign-up as any series date.
 * A librarian then assigns each booking to a partner, which writes the confirmation of the three (reader, partner,
 * librarian) into the outbox; the reminders of a slot become the appointment's reminders for the three.
 */
export class AppointmentService {
  private readonly store: Store;

  constructor(private readonly deps: AppointmentServiceDeps) {
    this.store = deps.store;
  }

  private now(): Date {
    return this.deps.clock.now();
  }

  /** The help desk, or NOT_FOUND. */
  async helpDesk(id: string): Promise<HelpDesk> {
    const desk = await this.store.appointments.getHelpDesk(id);
    if (!desk) throw new DomainError(ErrorCode.NOT_FOUND, `No help desk with id "${id}"`);
    return desk;
  }

  listHelpDesks(): Promise<HelpDesk[]> {
    return this.store.appointments.listHelpDesks();
  }

  /** The help desk a slot belongs to, if the event is one. */
  async helpDeskOf(event: Pick<Event, 'seriesId'> | undefined): Promise<HelpDesk | undefined> {
    return event?.seriesId ? this.store.appointments.getHelpDesk(event.seriesId) : undefined;
  }

  /**
   * Makes the help desk: its series, then one event per slot, `slotMinutes` long from the desk's start time on each
   * day of the rule. Every slot is checked before anything is stored: too many slots refuse the whole desk.
   */
  async createHelpDesk(actor: User, input: HelpDeskInput): Promise<{ helpDesk: HelpDesk; slots: number }> {
    const perDay = slotsPerDay(input);
    const days = recurrenceDates({
      byDay: input.byDay,
      time: input.startTime,
      durationMinutes: perDay * input.slotMinutes,
      timezone: input.timezone,
      from: input.from,
      until: input.until,
      exceptions: input.exceptions,
      template: { kind: 'workshop', title: input.title, summary: input.summary, access: 'registration', waitlist: false, language: input.language, form: [] },
    });
    const count = days.ok ? days.dates.length * perDay : Infinity;
    if (count > HELP_DESK_SLOTS_MAX) {
      throw new FieldError({ until: `makes more than ${HELP_DESK_SLOTS_MAX} slots: end the help desk earlier or make the slots longer` });
    }
    if (!days.ok || count === 0) throw new FieldError({ byDay: 'gives no day between the first and the last day' });

    const series = await this.deps.programme.createSeries(actor, { title: input.title, summary: input.summary });
    const desk: HelpDesk = {
      id: series.id,
      title: input.title,
      summary: input.summary,
      mode: input.mode,
      byDay: input.byDay,
      startTime: input.startTime,
      endTime: input.endTime,
      slotMinutes: input.slotMinutes,
      from: input.from,
      until: input.until,
      timezone: input.timezone,
      language: input.language,
      librarian: { name: input.librarian.name, email: input.librarian.email },
      createdAt: this.now().toISOString(),
    };
    await this.store.appointments.createHelpDesk(desk);
    const form = helpDeskForm(input.mode, input.language);
    for (const day of days.dates) {
      for (let k = 0; k < perDay; k++) {
        const startsAt = addMinutes(day.startsAt, k * input.slotMinutes);
        const [hours, minutes] = input.startTime.split(':').map(Number) as [number, number];
        const wall = hours * 60 + minutes + k * input.slotMinutes;
        const time = `${String(Math.floor(wall / 60)).padStart(2, '0')}:${String(wall % 60).padStart(2, '0')}`;
        const event = EventCreateRequest.parse({
          id: slotId(desk.id, day.date, time),
          kind: 'workshop',
          title: input.title,
          summary: input.summary,
          startsAt,
          endsAt: addMinutes(startsAt, input.slotMinutes),
          timezone: input.timezone,
          access: 'registration',
          capacity: 1,
          waitlist: false,
          seriesId: desk.id,
          language: input.language,
          form,
          // Held in a Parvis room (the Event field of rooms-server); a phone desk has no room.
          ...(input.mode === 'room' && { room: 'parvis' }),
        });
        await this.deps.programme.createEvent(actor, event);
      }
    }
    await this.deps.audit.record(actor, AuditAction.HELP_DESK_CREATE, `series:${desk.id}`, { title: desk.title, slots: count });
    return { helpDesk: desk, slots: count };
  }

  /** The desk's slots, earliest first. */
  private async slots(deskId: string): Promise<Event[]> {
    return (await this.store.programme.listEvents({ series: deskId })).sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  }

  /** The booked slots of a help desk (confirmed readers), earliest first, with the need and the partner if any. */
  async requests(deskId: string): Promise<HelpDeskRequests> {
    const helpDesk = await this.helpDesk(deskId);
    const requests: AppointmentRequestRow[] = [];
    for (const event of await this.slots(deskId)) {
      for (const r of await this.store.registrations.listForEvent(event.id)) {
        if (r.status !== 'confirmed') continue;
        const assignment = await this.store.appointments.assignmentOf(r.id);
        requests.push({
          eventId: event.id,
          startsAt: event.startsAt,
          endsAt: event.endsAt,
          registrationId: r.id,
          reader: { name: r.name, email: r.email, phone: r.erasedAt ? null : readerPhone(r) },
          need: r.erasedAt ? null : (r.answers[NEED_QUESTION_ID] ?? null),
          partner: assignment?.partner ?? null,
          assignedAt: assignment?.assignedAt ?? null,
        });
      }
    }
    return { helpDesk, requests };
  }

  /**
   * Gives a booking to a partner: their person is found or made by email (its personal link opens the room), the
   * assignment replaces any earlier one, and the confirmation of the reader, the partner and the librarian is in the
   * outbox before this answers. Assigning again (another partner) sends them again: each assignment's emails have
   * their own dedupe keys, even within the same millisecond.
   */
  async assign(actor: User, deskId: string, registrationId: string, input: PartnerInput): Promise<AppointmentRequestRow> {
    const desk = await this.helpDesk(deskId);
    const registration = await this.store.registrations.get(registrationId);
    const event = registration && (await this.store.programme.getEvent(registration.eventId));
    if (!registration || !event || event.seriesId !== desk.id) {
      throw new DomainError(ErrorCode.NOT_FOUND, `No booking "${registrationId}" at this help desk`);
    }
    if (registration.status !== 'confirmed') {
      throw new DomainError(ErrorCode.CONFLICT, 'This booking was cancelled', undefined, 'closed');
    }
    const now = this.now().toISOString();
    const partner = await this.store.registrations.ensurePerson({ email: input.email, name: input.name, language: input.language }, now);
    const assignment: AssignmentRecord = {
      registrationId,
      eventId: event.id,
      helpDeskId: desk.id,
      partnerPersonId: partner.id,
      partner: { name: input.name, email: input.email, phone: input.phone || null, language: input.language },
      assignedAt: now,
      assignedBy: actor.id,
    };
    await this.store.appointments.assign(assignment);
    await this.store.outbox.enqueue(this.intents(EmailKind.APPOINTMENT, desk, registration, assignment, partner, now, randomUUID()), now);
    await this.deps.audit.record(actor, AuditAction.APPOINTMENT_ASSIGN, `event:${event.id}`, { registrationId });
    return {
      eventId: event.id,
      startsAt: event.startsAt,
      endsAt: event.endsAt,
      registrationId,
      reader: { name: registration.name, email: registration.email, phone: readerPhone(registration) },
      need: registration.answers[NEED_QUESTION_ID] ?? null,
      partner: assignment.partner,
      assignedAt: now,
    };
  }

  /**
   * The emails of an appointment to the three: the reader (if they gave an email), the partner and the librarian.
   * Each names the partner it was written for, so that an email about a partner since replaced is not sent.
   */
  private intents(
    kind: typeof EmailKind.APPOINTMENT | typeof EmailKind.APPOINTMENT_REMINDER,
    desk: HelpDesk,
    registration: RegistrationRecord,
    assignment: AssignmentRecord,
    partner: Pick<PersonRecord, 'id' | 'language'>,
    at: string,
    occasion: string,
    extra: Record<string, unknown> = {},
  ): OutboxIntent[] {
    const base = {
      kind,
      registrationId: registration.id,
      eventId: registration.eventId,
      dueAt: at,
    };
    const payload = (role: AppointmentRole) => ({ role, partnerPersonId: assignment.partnerPersonId, ...extra });
    const key = (role: AppointmentRole) => `${kind}:${occasion}:${registration.id}:${role}`;
    const intents: OutboxIntent[] = [];
    if (registration.email) {
      intents.push({ ...base, dedupeKey: key('reader'), to: registration.email, language: registration.language, personId: registration.personId, payload: payload('reader') });
    }
    intents.push({ ...base, dedupeKey: key('partner'), to: assignment.partner.email, language: assignment.partner.language, personId: partner.id, payload: payload('partner') });
    intents.push({
      ...base,
      dedupeKey: key('librarian'),
      to: desk.librarian.email,
      language: desk.language.startsWith('en') ? 'en' : 'fr',
      personId: null,
      payload: payload('librarian'),
    });
    return intents;
  }

  /**
   * The scheduler's reminders of an event (see Scheduler's `reminders`): for an assigned slot of a help desk, the
   * reader's plain reminder becomes the appointment's, and the partner and the librarian get theirs. Any other event's
   * reminders pass unchanged.
   */
  async reminders(eventId: string, lead: string, intents: OutboxIntent[], at: string): Promise<OutboxIntent[]> {
    const event = await this.store.programme.getEvent(eventId);
    const desk = await this.helpDeskOf(event);
    if (!desk) return intents;
    const out: OutboxIntent[] = [];
    const assigned = new Set<string>();
    for (const a of await this.store.appointments.assignmentsForEvent(eventId)) {
      const registration = await this.store.registrations.get(a.registrationId);
      if (registration?.status !== 'confirmed') continue;
      assigned.add(registration.id);
      out.push(
        ...this.intents(EmailKind.APPOINTMENT_REMINDER, desk, registration, a, { id: a.partnerPersonId, language: a.partner.language }, at, lead, { lead }),
      );
    }
    // A booking not yet assigned keeps the plain reminder: the reader still has their slot.
    return [...intents.filter((i) => !i.registrationId || !assigned.has(i.registrationId)), ...out];
  }

  /**
   * The personal page's appointments: those the person booked (with their partner once assigned) and those they take
   * as a partner (with the reader's need, and their number on a phone desk). Only confirmed bookings, and nothing of
   * the reader's once their data is erased.
   */
  async myAppointments(person: PersonRecord): Promise<MyAppointment[]> {
    const out: MyAppointment[] = [];
    const roomPath = (eventId: string) => `/events/${encodeURIComponent(eventId)}/room`;
    for (const r of await this.store.registrations.listForPerson(person.id)) {
      if (r.status !== 'confirmed') continue;
      const event = await this.store.programme.getEvent(r.eventId);
      const desk = await this.helpDeskOf(event);
      if (!event || !desk) continue;
      const assignment = await this.store.appointments.assignmentOf(r.id);
      const phone = readerPhone(r);
      out.push({
        role: 'reader',
        event,
        mode: desk.mode,
        with: assignment?.partner.name ?? null,
        ...(desk.mode === 'room' ? { roomPath: roomPath(event.id) } : phone ? { phone } : {}),
      });
    }
    for (const a of await this.store.appointments.assignmentsForPartner(person.id)) {
      const r = await this.store.registrations.get(a.registrationId);
      const event = await this.store.programme.getEvent(a.eventId);
      const desk = await this.store.appointments.getHelpDesk(a.helpDeskId);
      if (!r || r.status !== 'confirmed' || !event || !desk) continue;
      const phone = r.erasedAt ? null : readerPhone(r);
      const need = r.erasedAt ? undefined : r.answers[NEED_QUESTION_ID];
      out.push({
        role: 'partner',
        event,
        mode: desk.mode,
        with: r.name,
        ...(desk.mode === 'room' ? { roomPath: roomPath(event.id) } : phone ? { phone } : {}),
        ...(need && { need }),
      });
    }
    return out.sort((a, b) => Date.parse(a.event.startsAt) - Date.parse(b.event.startsAt));
  }
}
