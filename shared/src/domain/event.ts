import { z } from 'zod';
import { SPEAKER_NAME_MAX_LENGTH, SPEAKER_TITLE_MAX_LENGTH, SUMMARY_MAX_LENGTH, TITLE_MAX_LENGTH } from './limits';

export const EventKind = z.enum(['lecture', 'cine_conference', 'webinar', 'workshop']);
export type EventKind = z.infer<typeof EventKind>;

export const EventStatus = z.enum(['scheduled', 'live', 'ended', 'cancelled']);
export type EventStatus = z.infer<typeof EventStatus>;

export const EventAccess = z.enum(['open', 'registration', 'invite']);
export type EventAccess = z.infer<typeof EventAccess>;

export const Speaker = z.object({
  name: z.string().min(1).max(SPEAKER_NAME_MAX_LENGTH),
  /** What they are introduced as: "autrice de bande dessinée", "épidémiologiste"... */
  title: z.string().max(SPEAKER_TITLE_MAX_LENGTH).optional(),
});
export type Speaker = z.infer<typeof Speaker>;

/** An ISO-8601 instant in UTC, e.g. 2026-11-25T18:00:00.000Z. */
const Instant = z.iso.datetime();

export const Event = z.object({
  id: z.string(),
  kind: EventKind,
  title: z.string().min(1).max(TITLE_MAX_LENGTH),
  summary: z.string().max(SUMMARY_MAX_LENGTH),
  startsAt: Instant,
  endsAt: Instant,
  /** IANA zone the event is announced in; times are stored in UTC. */
  timezone: z.string(),
  status: EventStatus,
  access: EventAccess,
  capacity: z.number().int().positive().optional(),
  seriesId: z.string().optional(),
  speakers: z.array(Speaker),
  /** BCP 47 language of the talk, e.g. "fr". */
  language: z.string(),
  streamUrl: z.string().optional(),
  replayUrl: z.string().optional(),
  /**
   * Set by an admin: the event is reachable by its link but absent from the public programme and its feeds. Only
   * present when true.
   */
  unlisted: z.literal(true).optional(),
  /** A frame of the recording chosen for the programme's card (set by the replay, or by an admin). */
  thumbnailUrl: z.string().optional(),
});
export type Event = z.infer<typeof Event>;

/**
 * Whether the event appears in the public programme (and anything built from it: listings, feeds). Unlisted events
 * are reached by their link only, and invite-only events are for their invited people: neither is listed publicly.
 */
export const isListed = (event: Pick<Event, 'access' | 'unlisted'>): boolean => !event.unlisted && event.access !== 'invite';

export const Series = z.object({
  id: z.string(),
  title: z.string().min(1).max(TITLE_MAX_LENGTH),
  summary: z.string().max(SUMMARY_MAX_LENGTH),
});
export type Series = z.infer<typeof Series>;

/** An instant in a query, normalised so that every store compares the same canonical string. */
const QueryInstant = Instant.transform((s) => new Date(s).toISOString());

/** Query filters of GET /api/events. */
export const EventQuery = z.object({
  from: QueryInstant.optional(),
  to: QueryInstant.optional(),
  kind: EventKind.optional(),
  series: z.string().min(1).max(100).optional(),
  /**
   * `unlisted`: also the events the public programme leaves out (unlisted and invite-only ones). For programme admins,
   * who manage them.
   */
  include: z.literal('unlisted').optional(),
});
export type EventQuery = z.infer<typeof EventQuery>;
