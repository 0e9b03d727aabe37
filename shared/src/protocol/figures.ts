import { z } from 'zod';
import type { EventKind, EventStatus } from '../domain/event';

/*
 * Audience figures (issue 12): what `GET /api/admin/events/:id/figures` and `GET /api/admin/figures` answer. Every
 * figure is an aggregate: no person appears in them (see docs/audience.md).
 */

/** How often each process counts the live's viewers: one sample per 30 s, summed over processes. */
export const SAMPLE_INTERVAL_MS = 30_000;

/** The live's viewers at one sample instant (a multiple of 30 s), summed over processes. */
export interface ViewerSample {
  at: string;
  viewers: number;
}

/** A moment worth marking on the chart: a question put on air, a poll opened. */
export interface FiguresMarker {
  type: 'question-live' | 'poll-open';
  at: string;
  /** The question's or the poll's text. */
  label: string;
}

export interface EventFigures {
  event: { id: string; title: string; kind: EventKind; status: EventStatus; startsAt: string; endsAt: string; timezone: string };
  samples: ViewerSample[];
  /** The largest sample, and the first instant it was reached; null before any sample. */
  peak: ViewerSample | null;
  live: {
    /** People who played the live at least once (by account or guest id; never by address). */
    uniqueViewers: number;
    watchSeconds: number;
    /** `watchSeconds / uniqueViewers`, rounded; 0 without viewers. */
    averageWatchSeconds: number;
  };
  replay: {
    /** Times the replay was started (one per player on a page that played it). */
    views: number;
    uniqueViewers: number;
    watchSeconds: number;
  };
  /** Messages written in the chat (the deleted ones included: they were written). */
  chatMessages: number;
  questions: { asked: number; answered: number };
  /** Ballots over all the event's polls. */
  pollVotes: number;
  reactions: number;
  markers: FiguresMarker[];
  /** Registration events only: the seats taken, and how many of those people came into the room. */
  registrations: { registered: number; attended: number } | null;
}

/** One event of the season summary. */
export interface SeasonRow {
  id: string;
  title: string;
  kind: EventKind;
  status: EventStatus;
  startsAt: string;
  peak: number;
  uniqueViewers: number;
  averageWatchSeconds: number;
  replayViews: number;
  registrations: { registered: number; attended: number } | null;
}

export interface SeasonFigures {
  from: string | null;
  to: string | null;
  events: SeasonRow[];
  totals: { events: number; uniqueViewers: number; replayViews: number; registered: number; attended: number };
}

/** `GET /api/admin/figures?from=…&to=…`: events starting in the span (ISO instants), all of them without. */
export const SeasonQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type SeasonQuery = z.infer<typeof SeasonQuery>;
