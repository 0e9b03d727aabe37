import { EventKind } from '#shared/domain/event';

export type Route =
  | { name: 'programme'; kind: EventKind | null }
  | { name: 'event'; eventId: string }
  | { name: 'not-found' };

/** Reads the page to show from a URL. Unknown `kind` values show everything rather than an error. */
export function matchRoute(url: URL): Route {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (path === '/') {
    const kind = EventKind.safeParse(url.searchParams.get('kind'));
    return { name: 'programme', kind: kind.success ? kind.data : null };
  }
  const event = /^\/events\/([^/]+)$/.exec(path);
  if (event) {
    try {
      return { name: 'event', eventId: decodeURIComponent(event[1]!) };
    } catch {
      return { name: 'not-found' };
    }
  }
  return { name: 'not-found' };
}

export const programmeHref = (kind: EventKind | null = null): string => (kind ? `/?kind=${kind}` : '/');

export const eventHref = (eventId: string): string => `/events/${encodeURIComponent(eventId)}`;

/** Paths the server answers itself: links to them are real page loads, not client routes. */
export const isServerPath = (path: string): boolean => /^\/(api|media|socket\.io|healthz|calendar)(\/|$)/.test(path);
