import type { Event, EventKind } from './event';

/*
 * What the client needs of events besides their types, without zod (the client never loads it): the kinds, and who
 * may queue or see an event. event.ts builds its schemas on these and re-exports them for the server.
 */

export const EVENT_KINDS = ['lecture', 'cine_conference', 'webinar', 'workshop'] as const;

export const isEventKind = (value: unknown): value is EventKind => (EVENT_KINDS as readonly unknown[]).includes(value);

/** Whether people may queue for a full registration event. */
export const hasWaitlist = (event: Pick<Event, 'access' | 'waitlist'>): boolean =>
  event.access === 'registration' && event.waitlist !== false;

/**
 * Whether the event appears in the public programme (and anything built from it: listings, feeds). Unlisted events
 * are reached by their link only, and invite-only events are for their invited people: neither is listed publicly.
 */
export const isListed = (event: Pick<Event, 'access' | 'unlisted'>): boolean => !event.unlisted && event.access !== 'invite';
