import { z } from 'zod';
import { SignUpForm } from './registration';
import { EVENT_KINDS } from './event-rules';
import { EVENT_ROOMS } from './room';
import { SPEAKER_NAME_MAX_LENGTH, SPEAKER_TITLE_MAX_LENGTH, SUMMARY_MAX_LENGTH, TITLE_MAX_LENGTH } from './limits';

export { EVENT_KINDS, hasWaitlist, isEventKind, isListed } from './event-rules';

export const EventKind = z.enum(EVENT_KINDS);
export type EventKind = z.infer<typeof EventKind>;

export const EventStatus = z.enum(['scheduled', 'live', 'ended', 'cancelled']);
export type EventStatus = z.infer<typeof EventStatus>;

export const EventAccess = z.enum(['open', 'registration', 'invite']);
export type EventAccess = z.infer<typeof EventAccess>;

/** Where a registration event is held besides its broadcast (see `EVENT_ROOMS`). */
export const EventRoomField = z.enum(EVENT_ROOMS);

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
  /**
   * Registration events: whether people may join a waiting list once the seats are taken. Absent means yes for a
   * registration event.
   */
  waitlist: z.boolean().optional(),
  /** Registration events: the librarian's own questions on the sign-up form (at most 5). */
  form: SignUpForm.optional(),
  /**
   * How many times the event was changed since it was created: the iCalendar SEQUENCE of its invitations, so that
   * calendars replace their copy. Absent means 0.
   */
  sequence: z.number().int().nonnegative().optional(),
  /** A frame of the recording chosen for the programme's card (set by the replay, or by an admin). */
  thumbnailUrl: z.string().optional(),
  /**
   * Registration events: held in a Parvis room (`parvis`, see docs/rooms.md) rather than at an outside `joinUrl`. The
   * `joinUrl`, if any, stays the fallback when rooms are not running.
   */
  room: EventRoomField.optional(),
});
export type Event = z.infer<typeof Event>;

export const Weekday = z.enum(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']);
export type Weekday = z.infer<typeof Weekday>;

/** A calendar day, `2027-06-30`. */
export const LocalDate = z.iso.date({ error: 'must be a date such as 2027-06-30' });

/**
 * A series' rule for its dates: "every Monday and Friday at 14:00 Europe/Paris from 2027-01-04 until 2027-06-30,
 * except the public holidays listed". Each date becomes an event made from `template`, with its own seats and waiting
 * list. Times are wall-clock times in `timezone`, so 14:00 stays 14:00 across daylight-saving changes.
 */
export const Recurrence = z
  .object({
    byDay: z.array(Weekday).min(1).max(7),
    /** Wall-clock start, `HH:MM`. */
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time such as 14:00'),
    durationMinutes: z.number().int().min(5).max(24 * 60),
    timezone: z.string().min(1),
    from: LocalDate,
    until: LocalDate,
    /** Days skipped (public holidays, closures). */
    exceptions: z.array(LocalDate).max(366).default([]),
    template: z.object({
      kind: EventKind,
      title: z.string().trim().min(1).max(TITLE_MAX_LENGTH),
      summary: z.string().max(SUMMARY_MAX_LENGTH).default(''),
      access: EventAccess.default('registration'),
      capacity: z.number().int().positive().max(1_000_000).optional(),
      waitlist: z.boolean().default(true),
      language: z.string().min(2).max(35).default('fr'),
      form: SignUpForm.default([]),
      /** Every date held in a Parvis room. */
      room: EventRoomField.optional(),
    }),
  })
  .refine((r) => r.from <= r.until, { message: 'must not be before the first day', path: ['until'] });
export type Recurrence = z.infer<typeof Recurrence>;

export const Series = z.object({
  id: z.string(),
  title: z.string().min(1).max(TITLE_MAX_LENGTH),
  summary: z.string().max(SUMMARY_MAX_LENGTH),
  /** A rule that generates the series' dates as events ("every Monday and Friday at 14:00 until June"). */
  recurrence: Recurrence.optional(),
  /**
   * The fair cap: while others are waiting, one person holds at most this many seats of the series in one week (ISO
   * week, in the series' time zone). Enforced by the store when seats are given and offered.
   */
  fairCapPerWeek: z.number().int().positive().max(7).optional(),
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
