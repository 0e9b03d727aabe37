import type { EventKind } from '#shared/domain/event';
import { isEventKind } from '#shared/domain/event-rules';

/** The pages under /admin, for admins only. */
export type AdminRoute =
  | { name: 'admin-programme' }
  /** `eventId` null: a new event. */
  | { name: 'admin-event'; eventId: string | null }
  /** The people signed up for an event. */
  | { name: 'admin-registrations'; eventId: string }
  /** The emails sent and to send. */
  | { name: 'admin-outbox' }
  | { name: 'admin-audit' }
  /** The season's audience figures, and one event's. */
  | { name: 'admin-figures' }
  | { name: 'admin-event-figures'; eventId: string }
  /** Help desks: the list and the form to make one (`helpDeskId` null), or one desk's requests. */
  | { name: 'admin-help-desks'; helpDeskId: string | null };

export type Route =
  | { name: 'programme'; kind: EventKind | null }
  | { name: 'event'; eventId: string }
  /** The moderator console of an event. */
  | { name: 'event-moderate'; eventId: string }
  /** The speakers' stage view of an event. */
  | { name: 'event-stage'; eventId: string }
  /** The phone page of the people in the auditorium: questions and polls, no video (the QR code opens it). */
  | { name: 'event-ask'; eventId: string }
  /** The auditorium's display: the QR code, its address in words, the question on air. */
  | { name: 'event-display'; eventId: string }
  /** The caption desk of an event (issue 12). */
  | { name: 'event-captions'; eventId: string }
  /** The event's own video room (issue 14): a workshop, a help-desk appointment. */
  | { name: 'event-room'; eventId: string }
  /** A series' dates to sign up for. */
  | { name: 'series'; seriesId: string }
  /** "My registrations": the personal link's page, its token in the fragment. */
  | { name: 'me' }
  /** `next`: where to go once signed in (a path of this site, checked by `safeNext`). */
  | { name: 'login'; next: string | null }
  | { name: 'setup' }
  | { name: 'invite' }
  | AdminRoute
  | { name: 'not-found' };

const decode = (segment: string): string | null => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
};

/** Reads the page to show from a URL. Unknown `kind` values show everything rather than an error. */
export function matchRoute(url: URL): Route {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (path === '/') {
    const kind = url.searchParams.get('kind');
    return { name: 'programme', kind: isEventKind(kind) ? kind : null };
  }
  const event = /^\/events\/([^/]+)(?:\/(moderate|stage|ask|display|captions|room))?$/.exec(path);
  if (event) {
    const eventId = decode(event[1]!);
    if (eventId === null) return { name: 'not-found' };
    if (event[2] === 'moderate') return { name: 'event-moderate', eventId };
    if (event[2] === 'stage') return { name: 'event-stage', eventId };
    if (event[2] === 'ask') return { name: 'event-ask', eventId };
    if (event[2] === 'display') return { name: 'event-display', eventId };
    if (event[2] === 'captions') return { name: 'event-captions', eventId };
    if (event[2] === 'room') return { name: 'event-room', eventId };
    return { name: 'event', eventId };
  }
  const series = /^\/series\/([^/]+)$/.exec(path);
  if (series) {
    const seriesId = decode(series[1]!);
    return seriesId === null ? { name: 'not-found' } : { name: 'series', seriesId };
  }
  switch (path) {
    case '/me':
      return { name: 'me' };
    case '/admin/outbox':
      return { name: 'admin-outbox' };
    case '/invite':
      return { name: 'invite' };
    case '/admin':
      return { name: 'admin-programme' };
    case '/admin/login':
      return { name: 'login', next: safeNext(url.searchParams.get('next')) };
    case '/admin/setup':
      return { name: 'setup' };
    case '/admin/audit':
      return { name: 'admin-audit' };
    case '/admin/figures':
      return { name: 'admin-figures' };
    case '/admin/events/new':
      return { name: 'admin-event', eventId: null };
    case '/admin/help-desks':
      return { name: 'admin-help-desks', helpDeskId: null };
  }
  const helpDesk = /^\/admin\/help-desks\/([^/]+)$/.exec(path);
  if (helpDesk) {
    const helpDeskId = decode(helpDesk[1]!);
    return helpDeskId === null ? { name: 'not-found' } : { name: 'admin-help-desks', helpDeskId };
  }
  const adminEvent = /^\/admin\/events\/([^/]+)(\/registrations|\/figures)?$/.exec(path);
  if (adminEvent) {
    const eventId = decode(adminEvent[1]!);
    if (eventId === null) return { name: 'not-found' };
    if (adminEvent[2] === '/figures') return { name: 'admin-event-figures', eventId };
    return adminEvent[2] ? { name: 'admin-registrations', eventId } : { name: 'admin-event', eventId };
  }
  return { name: 'not-found' };
}

export const isAdminRoute = (route: Route): route is AdminRoute => route.name.startsWith('admin-');

export const programmeHref = (kind: EventKind | null = null): string => (kind ? `/?kind=${kind}` : '/');

export const eventHref = (eventId: string): string => `/events/${encodeURIComponent(eventId)}`;
export const moderateHref = (eventId: string): string => `${eventHref(eventId)}/moderate`;
export const stageHref = (eventId: string): string => `${eventHref(eventId)}/stage`;
export const askHref = (eventId: string): string => `${eventHref(eventId)}/ask`;
export const displayHref = (eventId: string): string => `${eventHref(eventId)}/display`;
/** The QR code of an event's phone page (`askHref`), an SVG the server makes. */
export const qrCodeHref = (eventId: string): string => `/api/events/${encodeURIComponent(eventId)}/qr.svg`;
export const captionsHref = (eventId: string): string => `${eventHref(eventId)}/captions`;
/** The event's video room (a registrant's personal link, kept in the tab, or a staff session lets them in). */
export const roomHref = (eventId: string): string => `${eventHref(eventId)}/room`;

export const seriesHref = (seriesId: string): string => `/series/${encodeURIComponent(seriesId)}`;
export const meHref = '/me';

export const adminHref = '/admin';
export const adminOutboxHref = '/admin/outbox';
export const adminAuditHref = '/admin/audit';
export const newEventHref = '/admin/events/new';
export const adminEventHref = (eventId: string): string => `/admin/events/${encodeURIComponent(eventId)}`;
export const adminRegistrationsHref = (eventId: string): string => `${adminEventHref(eventId)}/registrations`;
export const adminFiguresHref = '/admin/figures';
export const adminHelpDesksHref = '/admin/help-desks';
export const adminHelpDeskHref = (id: string): string => `${adminHelpDesksHref}/${encodeURIComponent(id)}`;
export const adminEventFiguresHref = (eventId: string): string => `${adminEventHref(eventId)}/figures`;

/** The sign-in page, coming back to `next` afterwards. */
export const loginHref = (next: string | null = null): string =>
  next && safeNext(next) ? `/admin/login?next=${encodeURIComponent(next)}` : '/admin/login';

/**
 * `next` when it is a page of this site to go back to after signing in, else null: never another origin (an open
 * redirect a phishing mail could use), never the sign-in page itself.
 */
export function safeNext(next: string | null | undefined): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return null;
  let url: URL;
  try {
    url = new URL(next, 'http://parvis.invalid');
  } catch {
    return null;
  }
  if (url.origin !== 'http://parvis.invalid' || isServerPath(url.pathname)) return null;
  const route = matchRoute(url);
  // Pages whose address carries a token in its fragment are never a place to come back to.
  if (['login', 'setup', 'invite', 'me', 'not-found'].includes(route.name)) return null;
  return `${url.pathname}${url.search}`;
}

/** Paths the server answers itself: links to them are real page loads, not client routes. */
export const isServerPath = (path: string): boolean => /^\/(api|media|socket\.io|healthz|readyz|calendar)(\/|$)/.test(path);
