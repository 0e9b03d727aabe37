import type { Logger } from 'pino';
import type { Event } from '#shared/domain/event';
import { isActive } from '#shared/domain/registration';
import type { Clock } from '../../core/clock';
import { JobKind, type Job } from '../../store/job-store';
import { EmailKind, type OutboxIntent } from '../../store/outbox-store';
import type { Store } from '../../store/store';
import type { RegistrationRecord } from '../../store/registration-store';
import type { ProgrammeListener } from '../programme/programme.service';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The key of an event's reminder job for a lead: `reminder:24h:<eventId>`. */
export const reminderJobKey = (eventId: string, lead: string): string => `reminder:${lead}:${eventId}`;
/** The key of an event's retention job: `retention:<eventId>`. */
export const retentionJobKey = (eventId: string): string => `retention:${eventId}`;
/** A reminder's lead as it goes into job keys and email payloads: `24h`. */
export const leadName = (hours: number): string => `${hours}h`;

/** The fields whose change the registrants are told about: what a calendar entry shows. */
const ANNOUNCED = ['startsAt', 'endsAt', 'timezone', 'title'] as const satisfies readonly (keyof Event)[];

export interface RegistrationsListenerDeps {
  store: Store;
  clock: Clock;
  /** Offers an event's free seats to the people waiting (`RegistrationService.refill`). */
  refill: (event: Event) => Promise<RegistrationRecord[]>;
  /** REMINDER_HOURS, largest first. */
  reminderHours: readonly number[];
  /** REGISTRATION_RETENTION_DAYS */
  retentionDays: number;
  log: Logger;
}

/**
 * What sign-up does when librarians change the programme (compose it with the socket listener in parvis.ts):
 *
 * - keeps a registration event's deadlines as jobs: a reminder before the start for each lead of REMINDER_HOURS, moved
 *   with the event and dropped once it is cancelled, and the erasure of its registrants' data
 *   REGISTRATION_RETENTION_DAYS after its end;
 * - tells the active registrants when the event moves, is renamed or is cancelled, one email per change (the dedupe
 *   key carries the event's iCalendar sequence, so a retry of the same change stores nothing twice);
 * - offers the seats that a larger capacity or a restored event frees up to the people waiting.
 */
export function registrationsListener(deps: RegistrationsListenerDeps): ProgrammeListener {
  const { store } = deps;

  const jobsFor = async (event: Event): Promise<void> => {
    const now = deps.clock.now().getTime();
    const start = Date.parse(event.startsAt);
    const remind = event.access === 'registration' && (event.status === 'scheduled' || event.status === 'live');
    for (const hours of deps.reminderHours) {
      const lead = leadName(hours);
      const key = reminderJobKey(event.id, lead);
      const dueAt = start - hours * HOUR;
      // A reminder whose time has passed is not sent late: a "tomorrow" email an hour before would mislead.
      if (remind && dueAt > now) {
        await store.jobs.schedule({
          key,
          kind: JobKind.REMINDER,
          dueAt: new Date(dueAt).toISOString(),
          payload: { eventId: event.id, lead, last: hours === Math.min(...deps.reminderHours) },
        });
      } else {
        await store.jobs.cancel(key);
      }
    }
    const retention: Job = {
      key: retentionJobKey(event.id),
      kind: JobKind.RETENTION,
      dueAt: new Date(Math.max(Date.parse(event.endsAt), now) + deps.retentionDays * DAY).toISOString(),
      payload: { eventId: event.id },
    };
    await store.jobs.schedule(retention);
  };

  /** One email per active registrant with an address, about this change of the event. */
  const tell = async (event: Event, kind: EmailKind, payload: Record<string, unknown>): Promise<void> => {
    const now = deps.clock.now().toISOString();
    const sequence = event.sequence ?? 0;
    const intents: OutboxIntent[] = (await store.registrations.listForEvent(event.id)).flatMap((r) =>
      isActive(r.status) && r.email
        ? [
            {
              dedupeKey: `${kind}:${event.id}:${sequence}:${r.id}`,
              kind,
              to: r.email,
              language: r.language,
              personId: r.personId,
              registrationId: r.id,
              eventId: event.id,
              payload: { ...payload, sequence },
              dueAt: now,
            },
          ]
        : [],
    );
    if (intents.length > 0) await store.outbox.enqueue(intents, now);
  };

  return {
    async eventChanged(event, before) {
      if (event.access !== 'registration' && before?.access !== 'registration') return;
      await jobsFor(event);
      if (!before) return;
      if (event.status === 'cancelled') {
        if (before.status !== 'cancelled') await tell(event, EmailKind.EVENT_CANCELLED, {});
        return;
      }
      const changes = ANNOUNCED.filter((field) => event[field] !== before[field]);
      if (changes.length > 0 && before.status !== 'cancelled') {
        await tell(event, EmailKind.EVENT_CHANGED, {
          changes,
          previousStartsAt: before.startsAt,
          previousEndsAt: before.endsAt,
          previousTitle: before.title,
        });
      }
      const grew = (event.capacity ?? Infinity) > (before.capacity ?? Infinity);
      const reopened = before.status === 'cancelled' || before.access !== 'registration' || (event.waitlist !== false && before.waitlist === false);
      if (grew || reopened) {
        const offered = await deps.refill(event);
        if (offered.length > 0) deps.log.info({ eventId: event.id, offered: offered.length }, 'seats offered to people waiting');
      }
    },

    async eventDeleted(eventId) {
      // The event's registrations went with it (the store deletes an event's rows); its deadlines go too.
      for (const hours of deps.reminderHours) await store.jobs.cancel(reminderJobKey(eventId, leadName(hours)));
      await store.jobs.cancel(retentionJobKey(eventId));
    },
  };
}

/** Tells every listener, in order: the first one's failure stops the rest, as a failure of one listener would. */
export function bothListeners(first: ProgrammeListener, second: ProgrammeListener): ProgrammeListener {
  return {
    async eventChanged(event, before) {
      await first.eventChanged(event, before);
      await second.eventChanged(event, before);
    },
    async eventDeleted(eventId) {
      await first.eventDeleted(eventId);
      await second.eventDeleted(eventId);
    },
  };
}
