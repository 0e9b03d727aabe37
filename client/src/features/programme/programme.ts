import type { Event, EventKind } from '#shared/domain/event';
import { isListed } from '#shared/domain/event-rules';

export interface ProgrammeSections {
  live: Event[];
  /** Scheduled events, and cancelled ones that have not ended yet (shown as cancelled so nobody waits for them). */
  upcoming: Event[];
  /** Ended events that have a replay, newest first. */
  replays: Event[];
}

const byStart = (a: Event, b: Event): number => Date.parse(a.startsAt) - Date.parse(b.startsAt);

/** Sorts a list of events into the sections of the programme page. */
export function groupProgramme(events: readonly Event[], now: number, kind: EventKind | null = null): ProgrammeSections {
  const shown = kind ? events.filter((e) => e.kind === kind) : events;
  return {
    live: shown.filter((e) => e.status === 'live').sort(byStart),
    upcoming: shown
      .filter((e) => e.status === 'scheduled' || (e.status === 'cancelled' && Date.parse(e.endsAt) > now))
      .sort(byStart),
    replays: shown
      .filter((e) => e.status === 'ended' && !!e.replayUrl)
      .sort((a, b) => byStart(b, a)),
  };
}

/**
 * The list after an `event:updated` broadcast: the event replaced where it was, or added when it is new and of the
 * kind shown (an event created after the page loaded).
 */
export function withEventUpdated(events: readonly Event[], event: Event, kind: EventKind | null = null): Event[] {
  const index = events.findIndex((e) => e.id === event.id);
  if (index < 0) return kind && event.kind !== kind ? [...events] : [...events, event];
  const next = [...events];
  next[index] = event;
  return next;
}

/**
 * The public programme after an `event:updated` broadcast: as {@link withEventUpdated}, except that an event left out
 * of the public programme (unlisted, invite-only) is never added, and leaves it when it becomes so.
 */
export function withPublicEventUpdated(events: readonly Event[], event: Event, kind: EventKind | null = null): Event[] {
  return isListed(event) ? withEventUpdated(events, event, kind) : withEventDeleted(events, event.id);
}

/** The list after an `event:deleted` broadcast. */
export function withEventDeleted(events: readonly Event[], eventId: string): Event[] {
  return events.filter((e) => e.id !== eventId);
}
