import pino from 'pino';
import type { Event } from '#shared/domain/event';
import type { MailLanguage } from '#shared/domain/registration';
import { TokenService } from '../modules/access/token.service';
import { CalendarFiles } from '../modules/calendar/calendar-files';
import { EmailRenderer } from '../modules/mail/email-renderer';
import type { MailTransport } from '../modules/mail/mail-transport';
import { OutboxSender } from '../modules/mail/outbox-sender';
import { PersonLinks } from '../modules/registrations/person-links';
import type { PersonRecord, RegistrationRecord } from '../store/registration-store';
import type { Store } from '../store/store';

/** Helpers for the mail and calendar tests: real stores, real tokens, real renderer. */

export const MAIL_SECRET = 'mail-test-secret-0123456789-0123456789-abcdef';
export const MAIL_ORIGIN = 'https://parvis.example';
export const MAIL_FROM = { header: 'Médiathèque <no-reply@parvis.example>', name: 'Médiathèque', address: 'no-reply@parvis.example' };

/** A registration workshop at 14:00–15:30 Paris time on the given day (a `YYYY-MM-DD` in summer or winter time). */
export function workshop(id: string, startsAt: string, overrides: Partial<Event> = {}): Event {
  return {
    id,
    kind: 'workshop',
    title: `Conversation en français ${id}`,
    summary: 'Une heure et demie pour pratiquer le français à l’oral.',
    startsAt,
    endsAt: new Date(Date.parse(startsAt) + 90 * 60_000).toISOString(),
    timezone: 'Europe/Paris',
    status: 'scheduled',
    access: 'registration',
    capacity: 8,
    speakers: [],
    language: 'fr',
    ...overrides,
  };
}

export interface MailParts {
  links: PersonLinks;
  files: CalendarFiles;
  renderer: EmailRenderer;
  sender: (transport: MailTransport, leaseMs?: number) => OutboxSender;
}

export function mailParts(store: Store, tokens = new TokenService(MAIL_SECRET)): MailParts {
  const links = new PersonLinks(tokens, store, MAIL_ORIGIN);
  const files = new CalendarFiles(MAIL_ORIGIN);
  const renderer = new EmailRenderer({ store, links, files, from: MAIL_FROM.header, fromAddress: MAIL_FROM.address, fromName: MAIL_FROM.name });
  return {
    links,
    files,
    renderer,
    sender: (transport, leaseMs) =>
      new OutboxSender({ store, renderer, transport, log: pino({ level: 'silent' }), ...(leaseMs !== undefined && { leaseMs }) }),
  };
}

/** Signs someone up through the store, which writes the confirmation (or waiting-list) email in the same step. */
export async function signUp(
  store: Store,
  event: Event,
  person: { email: string; name: string; language: MailLanguage },
  now: Date,
): Promise<{ registration: RegistrationRecord; person: PersonRecord }> {
  const result = await store.registrations.register({
    eventId: event.id,
    person,
    phone: null,
    answers: {},
    source: 'online',
    seriesId: null,
    weekKey: null,
    rules: { capacity: event.capacity ?? 1, waitlist: true, fairCap: null },
    overbook: false,
    notify: true,
    now: now.toISOString(),
  });
  if (result.outcome !== 'registered') throw new Error(`could not sign ${person.email} up: ${result.outcome}`);
  return { registration: result.registration, person: result.person };
}
