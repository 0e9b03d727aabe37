import { createHash } from 'node:crypto';
import { TZDate } from '@date-fns/tz';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, {
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalCalendarMethod,
  ICalEventStatus,
  type ICalCalendar,
} from 'ical-generator';
import type { Event } from '#shared/domain/event';

/*
 * iCalendar files (RFC 5545) of the programme: one event to download, the feeds people subscribe to, and the
 * invitations attached to emails (iTIP, RFC 5546). Written with ical-generator 10 (11 needs Node 22); the VTIMEZONE of
 * each zone comes from @touch4it/ical-timezones, so that a calendar shows 14:00 in Paris as 14:00 in Paris on both
 * sides of a daylight-saving change, whatever zone the reader is in.
 *
 * What lets calendars keep their copy up to date rather than pile up duplicates:
 * - the UID of an event never changes (`<eventId>@<host of PUBLIC_ORIGIN>`), in a download, a feed or an invitation;
 * - SEQUENCE is the event's `sequence`, which the programme raises on every saved change;
 * - a cancelled event is STATUS:CANCELLED, and METHOD:CANCEL in a file about it alone, so that calendars remove it.
 */

/** Who sends invitations (the library, as MAIL_FROM says) and who receives one. */
export interface CalendarParty {
  name: string | null;
  email: string;
}

/** An event in a feed, with how sure its place is for the feed's reader. */
export interface FeedEntry {
  event: Event;
  /** `tentative` for a person who waits for a seat or holds an offer not yet taken. */
  standing?: 'confirmed' | 'tentative';
  /** Put before the title: "[Liste d’attente]". */
  prefix?: string;
}

/** How long a calendar app should wait before fetching a feed again. */
const FEED_REFRESH_SECONDS = 60 * 60;

/**
 * Builds the `.ics` files. Pure: it reads nothing but its arguments, so the routes, the emails and the tests all get
 * the same bytes for the same event (apart from DTSTAMP, the moment the file was made).
 */
export class CalendarFiles {
  /** The host name of PUBLIC_ORIGIN (no port): the right-hand side of UIDs. */
  readonly host: string;

  constructor(private readonly publicOrigin: string) {
    this.host = new URL(publicOrigin).hostname;
  }

  /** The UID of an event, the same in every file that mentions it. */
  uid(eventId: string): string {
    return `${eventId}@${this.host}`;
  }

  /** The event's public page. */
  eventUrl(eventId: string): string {
    return `${this.publicOrigin}/events/${encodeURIComponent(eventId)}`;
  }

  /** One event to download ("add to calendar"): METHOD:PUBLISH, or METHOD:CANCEL once the event is cancelled. */
  eventFile(event: Event, now: Date): string {
    const cancelled = event.status === 'cancelled';
    const calendar = this.calendar(cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.PUBLISH);
    this.addEvent(calendar, { event }, now);
    return calendar.toString();
  }

  /**
   * The invitation attached to an email to one person: METHOD:REQUEST (a seat confirmed, an event changed) or
   * METHOD:CANCEL (the event is cancelled), with the library as ORGANIZER and the person as ATTENDEE, which iTIP
   * requires for mail clients to offer to add, update or remove it.
   */
  invitation(
    event: Event,
    options: { method: 'REQUEST' | 'CANCEL'; organizer: CalendarParty; attendee: CalendarParty },
    now: Date,
  ): string {
    const cancel = options.method === 'CANCEL';
    const calendar = this.calendar(cancel ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST);
    const entry = this.addEvent(calendar, { event }, now, cancel);
    entry.organizer({ name: options.organizer.name ?? options.organizer.email, email: options.organizer.email });
    entry.createAttendee({
      email: options.attendee.email,
      ...(options.attendee.name && { name: options.attendee.name }),
      role: ICalAttendeeRole.REQ,
      // The seat is taken already: nothing to answer, and no RSVP mail back to a no-reply address.
      status: cancel ? ICalAttendeeStatus.DECLINED : ICalAttendeeStatus.ACCEPTED,
      rsvp: false,
    });
    return calendar.toString();
  }

  /**
   * A feed to subscribe to: METHOD:PUBLISH, a name, a refresh interval. Cancelled events stay in it as
   * STATUS:CANCELLED, so that a subscribed calendar marks them rather than keeping a stale copy.
   */
  feed(name: string, entries: readonly FeedEntry[], now: Date): string {
    const calendar = this.calendar(ICalCalendarMethod.PUBLISH);
    calendar.name(name);
    calendar.ttl(FEED_REFRESH_SECONDS);
    for (const entry of entries) this.addEvent(calendar, entry, now);
    return calendar.toString();
  }

  private calendar(method: ICalCalendarMethod): ICalCalendar {
    return ical({
      prodId: { company: 'Parvis', product: this.host, language: 'EN' },
      method,
      // No calendar-wide zone: each event carries its own, and the generator writes one VTIMEZONE per zone used.
      timezone: { name: null, generator: getVtimezoneComponent },
    });
  }

  private addEvent(calendar: ICalCalendar, entry: FeedEntry, now: Date, forceCancelled = false) {
    const { event } = entry;
    const url = this.eventUrl(event.id);
    // A zone the VTIMEZONE tables do not know is written in UTC rather than with a TZID no reader could resolve.
    const zone = getVtimezoneComponent(event.timezone) ? event.timezone : null;
    const at = (iso: string) => (zone ? new TZDate(Date.parse(iso), zone) : new Date(iso));
    const cancelled = forceCancelled || event.status === 'cancelled';
    const status = cancelled
      ? ICalEventStatus.CANCELLED
      : entry.standing === 'tentative'
        ? ICalEventStatus.TENTATIVE
        : ICalEventStatus.CONFIRMED;
    return calendar.createEvent({
      id: this.uid(event.id),
      sequence: event.sequence ?? 0,
      stamp: now,
      start: at(event.startsAt),
      end: at(event.endsAt),
      timezone: zone,
      summary: entry.prefix ? `${entry.prefix} ${event.title}` : event.title,
      description: [event.summary.trim(), url].filter(Boolean).join('\n\n'),
      // Online events: the page is where people watch, join or find the link.
      location: url,
      url,
      status,
    });
  }
}

/**
 * A strong ETag of an `.ics` text, blind to DTSTAMP (the moment the file was made, different at every request), so
 * that a calendar app polling a feed that did not change gets 304.
 */
export function icsEtag(ics: string): string {
  const stable = ics.replace(/^DTSTAMP:[^\r\n]*\r?\n/gm, '');
  return `"${createHash('sha256').update(stable).digest('base64url').slice(0, 32)}"`;
}
