import type { Event } from '#shared/domain/event';
import type { RegistrationStatus } from '#shared/domain/registration';
import { EmailKind, isAppointmentEmail, type OutboxRecord } from '../../store/outbox-store';
import type { PersonRecord, RegistrationRecord } from '../../store/registration-store';
import type { Store } from '../../store/store';
import type { CalendarFiles, CalendarParty } from '../calendar/calendar-files';
import type { PersonLinks } from '../registrations/person-links';
import { eventWhen, instantText, shortDay } from './email-dates';
import { toHtml, toText, type EmailContent } from './email-layout';
import { composeEmail, type EmailFacts } from './email-text';

/** An attachment, small enough to hold in memory (an invitation). */
export interface EmailAttachment {
  filename: string;
  content: string;
  contentType: string;
}

/** An email ready to go, built when it is sent. */
export interface RenderedEmail {
  /** The outbox row it comes from: its id makes the Message-ID and the `.eml` file name. */
  id: string;
  /** `<outbox row id@host>`: the same at every attempt, so a receiving server can drop a copy sent twice. */
  messageId: string;
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  attachments: EmailAttachment[];
  headers: Record<string, string>;
}

export type RenderResult =
  | { outcome: 'email'; email: RenderedEmail }
  /**
   * Nothing to send, now or later: the person or their registration was erased or deleted, or what the email says is
   * no longer true (a confirmation for a seat since given up). The sender marks the row failed with `reason`.
   */
  | { outcome: 'skip'; reason: string };

/** A row that the data it names no longer supports (thrown by a writer of emails: the row is not sent). */
export class SkipEmail extends Error {}
const Skip = SkipEmail;

/** What a writer of another module's emails (help-desk appointments) makes of a row. */
export interface ComposedEmail {
  content: EmailContent;
  /** The event whose invitation (REQUEST) goes with it, if any. */
  invitation?: { event: Event; attendeeName: string | null };
}

/** Writes the emails of help-desk appointments (modules/appointments); throws {@link SkipEmail} when untrue. */
export interface AppointmentEmailWriter {
  compose(row: OutboxRecord, now: Date): Promise<ComposedEmail>;
}

/**
 * Which statuses a registration must still have for the email about it to be true when it leaves. A confirmation for a
 * seat given up since would put an event in a calendar for nothing; the newer state has its own email. Kinds not
 * listed are sent whatever the status: they tell of something that happened (a cancellation, a change).
 */
const STILL_TRUE: Partial<Record<EmailKind, readonly RegistrationStatus[]>> = {
  [EmailKind.CONFIRMATION]: ['confirmed'],
  [EmailKind.WAITLISTED]: ['waitlisted'],
  [EmailKind.OFFER]: ['offered'],
  [EmailKind.REMINDER]: ['confirmed'],
  [EmailKind.EVENT_CHANGED]: ['confirmed', 'waitlisted', 'offered'],
  [EmailKind.BROADCAST]: ['confirmed'],
};

/** Emails about taking part in an event, which a cancelled event makes untrue. */
const ABOUT_A_COMING_EVENT: readonly EmailKind[] = [
  EmailKind.CONFIRMATION,
  EmailKind.WAITLISTED,
  EmailKind.OFFER,
  EmailKind.REMINDER,
  EmailKind.EVENT_CHANGED,
];

export interface EmailRendererDeps {
  store: Store;
  links: PersonLinks;
  files: CalendarFiles;
  /** MAIL_FROM, as it goes in the From header: `Parvis <no-reply@example.org>`. */
  from: string;
  /** The address part of MAIL_FROM: the ORGANIZER of invitations. */
  fromAddress: string;
  /** The display-name part of MAIL_FROM, if any. */
  fromName: string | null;
  /** Help-desk appointments' emails; without it, such rows are not sent. */
  appointments?: AppointmentEmailWriter;
}

/**
 * Turns an outbox row (an intent: what happened, to whom, in which language) into the email that says it, from the
 * registration, the person and the event as they are when it is sent: an event moved since the intent was written
 * goes out with its new time. Every email carries the person's personal link; the first email of a sign-up also the
 * one-click "I did not ask for this".
 */
export class EmailRenderer {
  constructor(private readonly deps: EmailRendererDeps) {}

  async render(row: OutboxRecord, now: Date): Promise<RenderResult> {
    try {
      return { outcome: 'email', email: await this.build(row, now) };
    } catch (err) {
      if (err instanceof Skip) return { outcome: 'skip', reason: err.message };
      throw err;
    }
  }

  private async build(row: OutboxRecord, now: Date): Promise<RenderedEmail> {
    if (isAppointmentEmail(row.kind)) return this.buildAppointment(row, now);
    const { store, links, files } = this.deps;
    const registration = await this.registration(row);
    const person = await this.person(row.personId ?? registration.personId);
    const event = await store.programme.getEvent(row.eventId ?? registration.eventId);
    if (!event) throw new Skip('not sent: the event was deleted');
    const allowed = STILL_TRUE[row.kind];
    if (allowed && !allowed.includes(registration.status)) {
      throw new Skip(`not sent: the registration is now ${registration.status}`);
    }
    if (event.status === 'cancelled' && ABOUT_A_COMING_EVENT.includes(row.kind)) {
      throw new Skip('not sent: the event is cancelled (its own email says so)');
    }
    if (row.kind === EmailKind.REMINDER && event.status === 'ended') throw new Skip('not sent: the event has ended');

    const language = row.language;
    const facts: EmailFacts = {
      kind: row.kind,
      language,
      name: registration.name ?? person.name,
      event: {
        title: event.title,
        when: eventWhen(event.startsAt, event.endsAt, event.timezone, language),
        day: shortDay(event.startsAt, event.timezone, language),
        url: files.eventUrl(event.id),
      },
      links: { personal: links.pageUrl(person) },
      host: files.host,
    };
    const payload = row.payload;
    switch (row.kind) {
      case EmailKind.CONFIRMATION:
      case EmailKind.WAITLISTED:
        // The first email a sign-up sends: whoever did not ask for it can undo it in one click.
        facts.links.notMe = links.notMeUrl(person, registration.id);
        if (registration.position !== undefined) facts.position = registration.position;
        else if (typeof payload.position === 'number') facts.position = payload.position;
        break;
      case EmailKind.OFFER: {
        const deadline = registration.offerExpiresAt ?? (typeof payload.offerExpiresAt === 'string' ? payload.offerExpiresAt : null);
        if (deadline) facts.deadline = instantText(deadline, event.timezone, language);
        break;
      }
      case EmailKind.REMINDER: {
        const lead = payload.lead === '1h' ? '1h' : '24h';
        facts.lead = lead;
        // Only the last reminder carries the outside room's link: it is for confirmed people, shortly before. The
        // scheduler marks it `last` (REMINDER_HOURS may name other leads than 24 h and 1 h).
        if (payload.last === true || lead === '1h') {
          const { joinUrl } = await store.registrations.getSettings(event.id);
          if (joinUrl) facts.links.join = joinUrl;
        }
        break;
      }
      case EmailKind.CANCELLED:
        facts.declined = payload.declined === true;
        break;
      case EmailKind.EVENT_CHANGED:
        if (typeof payload.previousStartsAt === 'string' && typeof payload.previousEndsAt === 'string') {
          facts.previousWhen = eventWhen(payload.previousStartsAt, payload.previousEndsAt, event.timezone, language);
        }
        break;
      case EmailKind.BROADCAST: {
        const subject = typeof payload.subject === 'string' ? payload.subject : '';
        const body = typeof payload.body === 'string' ? payload.body : '';
        if (!subject || !body) throw new Skip('not sent: the message has no subject or no text');
        facts.message = { subject, body };
        break;
      }
    }

    const content = composeEmail(facts);
    return this.envelope(row, content, this.attachments(row, event, { name: facts.name, email: row.to }, now));
  }

  private async buildAppointment(row: OutboxRecord, now: Date): Promise<RenderedEmail> {
    if (!this.deps.appointments) throw new Skip('not sent: help desks are not wired in this process');
    const { content, invitation } = await this.deps.appointments.compose(row, now);
    const attachments = invitation
      ? this.attachments(row, invitation.event, { name: invitation.attendeeName, email: row.to }, now)
      : [];
    return this.envelope(row, content, attachments);
  }

  private envelope(row: OutboxRecord, content: EmailContent, attachments: EmailAttachment[]): RenderedEmail {
    const { files } = this.deps;
    const language = row.language;
    return {
      id: row.id,
      messageId: `<${row.id}@${files.host}>`,
      from: this.deps.from,
      to: row.to,
      subject: content.subject,
      html: toHtml(content),
      text: toText(content),
      attachments,
      headers: {
        // RFC 3834: an automatic message; well-behaved autoresponders do not answer it.
        'Auto-Submitted': 'auto-generated',
        'Content-Language': language,
      },
    };
  }

  private async registration(row: OutboxRecord): Promise<RegistrationRecord> {
    if (!row.registrationId) throw new Skip('not sent: the email names no registration');
    const registration = await this.deps.store.registrations.get(row.registrationId);
    if (!registration) throw new Skip('not sent: the registration was deleted');
    if (registration.erasedAt !== null) throw new Skip('not sent: the registration’s personal data was erased');
    return registration;
  }

  private async person(personId: string): Promise<PersonRecord> {
    const person = await this.deps.store.registrations.getPerson(personId);
    if (!person) throw new Skip('not sent: the person was deleted');
    if (person.erasedAt !== null) throw new Skip('not sent: the person’s data was erased');
    return person;
  }

  /** The invitation that goes with a confirmation or a change (REQUEST) or a cancelled event (CANCEL). */
  private attachments(row: OutboxRecord, event: Event, attendee: CalendarParty, now: Date): EmailAttachment[] {
    const method =
      row.kind === EmailKind.EVENT_CANCELLED
        ? 'CANCEL'
        : row.kind === EmailKind.CONFIRMATION || row.kind === EmailKind.EVENT_CHANGED || row.kind === EmailKind.APPOINTMENT
          ? 'REQUEST'
          : null;
    if (!method) return [];
    const organizer = { name: this.deps.fromName, email: this.deps.fromAddress };
    return [
      {
        filename: method === 'CANCEL' ? 'cancel.ics' : 'invite.ics',
        content: this.deps.files.invitation(event, { method, organizer, attendee }, now),
        contentType: `text/calendar; charset=utf-8; method=${method}`,
      },
    ];
  }
}
