import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { EventKind, type Event } from '#shared/domain/event';
import { isActive, type MailLanguage, type RegistrationStatus } from '#shared/domain/registration';
import { isEventStaff } from '#shared/domain/staff';
import { ErrorCode } from '#shared/protocol/errors';
import type { Clock } from '../../core/clock';
import { DomainError } from '../../core/errors';
import type { Store } from '../../store/store';
import type { HttpAuth } from '../access/http-auth';
import type { AccessPolicy } from '../access/policy';
import type { ProgrammeService } from '../programme/programme.service';
import type { PersonLinks } from '../registrations/person-links';
import { icsEtag, type CalendarFiles, type FeedEntry } from './calendar-files';

const IdParam = z.object({ id: z.string().min(1).max(100) });
const FeedQuery = z.object({
  kind: EventKind.optional(),
  series: z.string().min(1).max(100).optional(),
});
/** `<token>.ics`: the token is a JWT (dots inside), so the suffix is taken off by hand rather than by the path. */
const FeedFile = z.object({ file: z.string().min(5).max(4200).regex(/\.ics$/, 'must end with .ics') });

/** How far back the programme feed reaches: recent past events stay in calendars, the archive does not grow forever. */
export const FEED_PAST_DAYS = 90;
/** How long a shared cache or a calendar app may keep a public file before asking again (with its ETag). */
const PUBLIC_MAX_AGE_SECONDS = 300;

export interface CalendarRoutesDeps {
  programme: ProgrammeService;
  policy: AccessPolicy;
  http: HttpAuth;
  store: Store;
  links: PersonLinks;
  files: CalendarFiles;
  clock: Clock;
}

const FEED_TEXT: Record<MailLanguage, { mine: string; waiting: string; offered: string }> = {
  fr: { mine: 'Mes inscriptions', waiting: '[Liste d’attente]', offered: '[Place offerte]' },
  en: { mine: 'My registrations', waiting: '[Waiting list]', offered: '[Seat offered]' },
};

/**
 * The calendar files: one event (`/api/events/:id/calendar.ics`), the programme's feed (`/api/calendar.ics`, with the
 * filters of the programme page) and a person's own feed (`/api/calendar/person/<feed token>.ics`). What the programme
 * leaves out (unlisted and invite-only events) is never in the programme feed; an unlisted event is downloaded by
 * whoever has its link, an invite-only one only by its staff.
 */
export function calendarRoutes(deps: CalendarRoutesDeps): Router {
  const { programme, policy, http, store, links, files, clock } = deps;
  const router = Router();

  router.get('/events/:id/calendar.ics', async (req, res) => {
    const { id } = IdParam.parse(req.params);
    const event = await programme.getEvent(id);
    let personal = false;
    if (event.access === 'invite') {
      const user = await http.user(req);
      if (!user) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Sign in to add this invite-only event to a calendar');
      if (!isEventStaff(await policy.roleIn(user, event.id))) {
        throw new DomainError(ErrorCode.FORBIDDEN, 'This event is for invited people only');
      }
      personal = true;
    }
    res.setHeader('Content-Disposition', `attachment; filename="${fileName(event.id)}.ics"`);
    // Who asks decides whether an invite-only event is answered at all.
    res.setHeader('Vary', 'Authorization');
    sendIcs(req, res, files.eventFile(event, clock.now()), personal);
  });

  router.get('/calendar.ics', async (req, res) => {
    const query = FeedQuery.parse(req.query);
    const from = new Date(clock.now().getTime() - FEED_PAST_DAYS * 86_400_000).toISOString();
    // listEvents leaves out what the public programme does not list (unlisted and invite-only events).
    const events = await programme.listEvents({ from, ...(query.kind && { kind: query.kind }), ...(query.series && { series: query.series }) });
    const series = query.series ? (await programme.listSeries()).find((s) => s.id === query.series) : undefined;
    const name = [series?.title ?? 'Programme', files.host].join(' – ');
    sendIcs(req, res, files.feed(name, events.map((event) => ({ event })), clock.now()), false);
  });

  router.get('/calendar/person/:file', async (req, res) => {
    const { file } = FeedFile.parse(req.params);
    const person = await links.authenticateFeed(file.slice(0, -'.ics'.length));
    const registrations = (await store.registrations.listForPerson(person.id)).filter((r) => isActive(r.status));
    const text = FEED_TEXT[person.language];
    const entries: FeedEntry[] = [];
    for (const registration of registrations) {
      const event = await store.programme.getEvent(registration.eventId);
      if (event) entries.push(personalEntry(event, registration.status, text));
    }
    sendIcs(req, res, files.feed(text.mine, entries, clock.now()), true);
  });

  return router;
}

function personalEntry(event: Event, status: RegistrationStatus, text: (typeof FEED_TEXT)[MailLanguage]): FeedEntry {
  if (status === 'waitlisted') return { event, standing: 'tentative', prefix: text.waiting };
  if (status === 'offered') return { event, standing: 'tentative', prefix: text.offered };
  return { event, standing: 'confirmed' };
}

/** An event id as a file name: ids are slugs already, but a header must never carry a quote or a line break. */
const fileName = (id: string) => id.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 100) || 'event';

/**
 * Answers an `.ics` with its ETag, or 304 when the client holds it already. `personal` files (a person's feed, an
 * invite-only event) are kept by the client alone, never by a shared cache.
 */
function sendIcs(req: Request, res: Response, ics: string, personal: boolean): void {
  const etag = icsEtag(ics);
  res.setHeader('Content-Type', 'text/calendar; charset=utf-8');
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', `${personal ? 'private' : 'public'}, max-age=${PUBLIC_MAX_AGE_SECONDS}`);
  const held = req.get('if-none-match');
  if (held && held.split(',').some((tag) => tag.trim() === etag)) {
    res.status(304).end();
    return;
  }
  res.send(ics);
}
