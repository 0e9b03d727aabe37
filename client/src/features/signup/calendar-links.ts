import type { Event } from '#shared/domain/event';
import { eventHref } from '../../app/routes';

/*
 * "Add to calendar": the event's own `.ics` (served by the API, with its time zone and a stable UID), and links that
 * open Google Calendar and Outlook on the web with the event filled in. Those two take instants in UTC, so the times
 * are right whatever zone the calendar is set to, across daylight-saving changes too; the location is the event's
 * page, where the video or the join link is.
 */

/** Descriptions longer than this are cut: the whole link must stay well under the ~8 kB that servers accept. */
const DETAILS_MAX = 1000;

export interface CalendarLinks {
  ics: string;
  google: string;
  outlook: string;
}

/** `20270329T120000Z`: the form Google's `dates` takes. */
const compactUtc = (iso: string): string => new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
/** `2027-03-29T12:00:00Z`: the form Outlook's `startdt` takes. */
const isoUtc = (iso: string): string => new Date(iso).toISOString().replace(/\.\d{3}/, '');

function details(event: Pick<Event, 'summary'>, url: string): string {
  const summary = event.summary.trim();
  const cut = summary.length > DETAILS_MAX ? `${summary.slice(0, DETAILS_MAX - 1).trimEnd()}…` : summary;
  return cut ? `${cut}\n\n${url}` : url;
}

/** The calendar links of an event; `origin` is this site's (`https://parvis.example`). */
export function calendarLinks(event: Pick<Event, 'id' | 'title' | 'summary' | 'startsAt' | 'endsAt'>, origin: string): CalendarLinks {
  const url = `${origin}${eventHref(event.id)}`;
  const text = details(event, url);
  const google = new URLSearchParams({
    action: 'TEMPLATE',
    text: event.title,
    dates: `${compactUtc(event.startsAt)}/${compactUtc(event.endsAt)}`,
    details: text,
    location: url,
  });
  const outlook = new URLSearchParams({
    path: '/calendar/action/compose',
    rru: 'addevent',
    subject: event.title,
    startdt: isoUtc(event.startsAt),
    enddt: isoUtc(event.endsAt),
    body: text,
    location: url,
  });
  return {
    ics: `/api/events/${encodeURIComponent(event.id)}/calendar.ics`,
    google: `https://calendar.google.com/calendar/render?${google}`,
    outlook: `https://outlook.live.com/calendar/0/deeplink/compose?${outlook}`,
  };
}
