import { z } from 'zod';
import { Email, Password } from '../domain/account';
import { EventAccess, EventKind, EventRoomField, EventStatus, Recurrence, Speaker } from '../domain/event';
import { SPEAKERS_MAX, SUMMARY_MAX_LENGTH, TITLE_MAX_LENGTH } from '../domain/limits';
import { SignUpForm } from '../domain/registration';
import { DisplayName } from '../domain/user';
import { isTimeZone } from '../time/zones';

/**
 * Request bodies of the programme admin and sign-in routes that are not in `domain/account.ts`. The admin pages
 * validate their forms with the same schemas the server applies, so a field's message is the same on both sides.
 */

/** An event's or a series' address: `rencontre-bd-2026`. */
export const Slug = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$/, 'must be 1–100 lower-case letters, digits and hyphens');

/** An instant with any UTC offset (`2026-11-25T19:00:00+01:00`), stored as UTC. */
const InstantInput = z.iso
  .datetime({ offset: true, error: 'must be a date and time (ISO 8601)' })
  .transform((s) => new Date(s).toISOString());

const TimeZone = z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Paris');

const Language = z.string().regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as fr or en-GB');

/** http(s), a host name or [IPv6] address, an optional port, then anything without spaces. */
const HTTP_URL = /^https?:\/\/(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?(?:[/?#]\S*)?$/i;

/**
 * A stream or replay: an http(s) URL (a media server) or a path under this server's `/media/`. A regular expression
 * rather than `URL`, which `shared/` cannot assume (it has no DOM or Node types).
 */
export function isMediaUrl(value: string): boolean {
  if (value.startsWith('/media/')) return !/\s/.test(value) && !value.split(/[/?#]/).includes('..');
  return HTTP_URL.test(value);
}
const MediaUrl = z.string().trim().max(2000, 'must be at most 2000 characters').refine(isMediaUrl, 'must be an http(s) URL or a /media/ path');

const Title = z.string().trim().min(1, 'must not be empty').max(TITLE_MAX_LENGTH, `must be at most ${TITLE_MAX_LENGTH} characters`);
const Summary = z.string().max(SUMMARY_MAX_LENGTH, `must be at most ${SUMMARY_MAX_LENGTH} characters`);
const Capacity = z.number().int('must be a whole number').positive('must be a positive number').max(1_000_000, 'is too large');
const SeriesId = z.string().min(1, 'must not be empty').max(100);
const Speakers = z.array(Speaker).max(SPEAKERS_MAX, `at most ${SPEAKERS_MAX} speakers`);

const endsAfterStarts = (value: { startsAt?: string | undefined; endsAt?: string | undefined }, ctx: z.RefinementCtx) => {
  if (value.startsAt && value.endsAt && value.endsAt <= value.startsAt) {
    ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after the start' });
  }
};

/** A Parvis room is entered by registrants: an open or invite-only event has nobody to let in. */
const roomNeedsRegistration = (value: { access?: string | undefined; room?: string | null | undefined }, ctx: z.RefinementCtx) => {
  if (value.room && value.access !== undefined && value.access !== 'registration') {
    ctx.addIssue({ code: 'custom', path: ['room'], message: 'is only for registration events' });
  }
};

/**
 * `POST /api/events`: an event without `status` (new events are `scheduled`); `id` is optional, the server makes one
 * from the title when it is left out. Omitted fields take the defaults below.
 */
export const EventCreateRequest = z
  .object({
    id: Slug.optional(),
    kind: EventKind,
    title: Title,
    summary: Summary.default(''),
    startsAt: InstantInput,
    endsAt: InstantInput,
    timezone: TimeZone.default('Europe/Paris'),
    access: EventAccess.default('open'),
    capacity: Capacity.optional(),
    seriesId: SeriesId.optional(),
    speakers: Speakers.default([]),
    language: Language.default('fr'),
    streamUrl: MediaUrl.optional(),
    replayUrl: MediaUrl.optional(),
    /** Reachable by its link, absent from the public programme. */
    unlisted: z.boolean().optional(),
    /** Registration events: whether people queue once the seats are taken (absent: yes). */
    waitlist: z.boolean().optional(),
    /** Registration events: the librarian's own questions on the sign-up form. */
    form: SignUpForm.optional(),
    /** Registration events: held in a Parvis room (docs/rooms.md). */
    room: EventRoomField.optional(),
  })
  .superRefine(endsAfterStarts)
  .superRefine(roomNeedsRegistration);
export type EventCreateRequest = z.input<typeof EventCreateRequest>;

/**
 * `PATCH /api/events/:id`: only the fields sent change. The optional fields of an event (`capacity`, `seriesId`,
 * `streamUrl`, `replayUrl`) are removed with `null`. `status: 'cancelled'` cancels the event.
 */
export const EventPatchRequest = z
  .object({
    kind: EventKind.optional(),
    title: Title.optional(),
    summary: Summary.optional(),
    startsAt: InstantInput.optional(),
    endsAt: InstantInput.optional(),
    timezone: TimeZone.optional(),
    status: EventStatus.optional(),
    access: EventAccess.optional(),
    capacity: Capacity.nullable().optional(),
    seriesId: SeriesId.nullable().optional(),
    speakers: Speakers.optional(),
    language: Language.optional(),
    streamUrl: MediaUrl.nullable().optional(),
    replayUrl: MediaUrl.nullable().optional(),
    unlisted: z.boolean().optional(),
    waitlist: z.boolean().optional(),
    form: SignUpForm.optional(),
    /** `null`: no longer held in a Parvis room. */
    room: EventRoomField.nullable().optional(),
  })
  .superRefine(endsAfterStarts);
export type EventPatchRequest = z.input<typeof EventPatchRequest>;

/** `POST /api/events/:id/status`: moderators of the event start and end it. */
export const EventStatusRequest = z.object({ status: z.enum(['live', 'ended']) });
export type EventStatusRequest = z.infer<typeof EventStatusRequest>;

/** A series' rule for its dates, with a zone this runtime knows. */
const SeriesRecurrence = Recurrence.refine((r) => isTimeZone(r.timezone), {
  message: 'must be an IANA time zone such as Europe/Paris',
  path: ['timezone'],
});
/** "At most N dates per person per week while others wait": 1–7. */
const FairCap = z.number().int('must be a whole number').min(1, 'must be at least 1').max(7, 'must be at most 7');

/**
 * `POST /api/series`. With `recurrence`, the series' dates are generated as events (`<series id>--YYYY-MM-DD`) at once;
 * `fairCapPerWeek` is the fair cap of its sign-ups (see docs/registrations.md).
 */
export const SeriesCreateRequest = z.object({
  id: Slug.optional(),
  title: Title,
  summary: Summary.default(''),
  recurrence: SeriesRecurrence.optional(),
  fairCapPerWeek: FairCap.optional(),
});
export type SeriesCreateRequest = z.input<typeof SeriesCreateRequest>;

/**
 * `PATCH /api/series/:id`: only the fields sent change; `null` removes the rule or the cap. A new `recurrence`
 * regenerates the dates: missing ones are added, upcoming ones follow the template, and those that left the rule are
 * cancelled when people signed up for them, deleted otherwise. Removing the rule keeps the dates as they are.
 */
export const SeriesPatchRequest = z.object({
  title: Title.optional(),
  summary: Summary.optional(),
  recurrence: SeriesRecurrence.nullable().optional(),
  fairCapPerWeek: FairCap.nullable().optional(),
});
export type SeriesPatchRequest = z.input<typeof SeriesPatchRequest>;

/** `POST /api/auth/setup`: the first admin, with the one-time token of the setup link. */
export const SetupRequest = z.object({
  token: z.string().min(1).max(200),
  email: Email,
  password: Password,
  displayName: DisplayName,
});
export type SetupRequest = z.infer<typeof SetupRequest>;

/** `POST /api/invites/inspect` */
export const InviteInspectRequest = z.object({ token: z.string().min(1).max(4096) });

/** `GET /api/audit?limit=&before=` */
export const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.iso.datetime().optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;
