import { z } from 'zod';
import { Email } from './account';
import type { Event, Series } from './event';
import {
  FORM_ANSWER_MAX_LENGTH,
  FORM_LABEL_MAX_LENGTH,
  FORM_OPTION_MAX_LENGTH,
  FORM_OPTIONS_MAX,
  FORM_QUESTIONS_MAX,
  PERSON_NAME_MAX_LENGTH,
  PHONE_MAX_LENGTH,
  SERIES_PICK_MAX,
} from './limits';
import { MAIL_LANGUAGES, REGISTRATION_STATUSES } from './registration-rules';
import { DISPLAY_NAME_MESSAGES, displayNameProblem, normaliseDisplayName } from './user';

export {
  ACTIVE_STATUSES,
  answerProblems,
  answersFor,
  holdsSeat,
  isActive,
  isMailLanguage,
  MAIL_LANGUAGES,
  REGISTRATION_STATUSES,
} from './registration-rules';

/*
 * Sign-up: registrations for events with `access: 'registration'`, their waiting lists and offers, and the people who
 * sign up (who have no account: they act through a personal link). The rules that need the store to be atomic (seats,
 * positions, offers, the fair cap) live in the store port `server/src/store/registration-store.ts`; what both the
 * client and the server check lives here.
 */

/**
 * - `confirmed`: holds a seat.
 * - `waitlisted`: waits, with a `position` (1 = next), which only ever moves up.
 * - `offered`: a seat freed up and is held for this person until `offerExpiresAt`; accepting confirms it.
 * - `cancelled`: by the person, by the library, or an offer declined. Registering again makes a new registration.
 * - `expired`: an offer that ran out; the seat went to the next person.
 */
export const RegistrationStatus = z.enum(REGISTRATION_STATUSES);
export type RegistrationStatus = z.infer<typeof RegistrationStatus>;

/** The languages emails and the personal page are written in. */
export const MailLanguage = z.enum(MAIL_LANGUAGES);
export type MailLanguage = z.infer<typeof MailLanguage>;

/** A question a librarian adds to an event's sign-up form: "your library", "your French level". */
export const FormQuestion = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1–40 lower-case letters, digits and hyphens'),
    label: z.string().trim().min(1, 'must not be empty').max(FORM_LABEL_MAX_LENGTH),
    type: z.enum(['text', 'choice']),
    /** With `choice`: what a person picks from. */
    options: z.array(z.string().trim().min(1).max(FORM_OPTION_MAX_LENGTH)).min(2).max(FORM_OPTIONS_MAX).optional(),
    required: z.boolean(),
  })
  .refine((q) => (q.type === 'choice') === (q.options !== undefined), {
    message: 'a choice question has options, a text question has none',
    path: ['options'],
  });
export type FormQuestion = z.infer<typeof FormQuestion>;

export const SignUpForm = z
  .array(FormQuestion)
  .max(FORM_QUESTIONS_MAX, `at most ${FORM_QUESTIONS_MAX} questions`)
  .refine((qs) => new Set(qs.map((q) => q.id)).size === qs.length, 'each question needs its own id');

/** Answers to an event's form, by question id. A choice is answered with the option's text. */
export const Answers = z.record(z.string().max(40), z.string().trim().max(FORM_ANSWER_MAX_LENGTH));
export type Answers = z.infer<typeof Answers>;

/**
 * A registrant's name: the display-name rule (normalised; no control, invisible or direction-changing characters),
 * up to {@link PERSON_NAME_MAX_LENGTH} characters since it is a full name on a list, not a nickname in a chat.
 */
export const PersonName = z
  .string()
  .transform(normaliseDisplayName)
  .superRefine((name, ctx) => {
    const problem = displayNameProblem(name, { maxLength: PERSON_NAME_MAX_LENGTH });
    if (problem) {
      const message =
        problem === 'too-long' ? `must be at most ${PERSON_NAME_MAX_LENGTH} characters` : DISPLAY_NAME_MESSAGES[problem];
      ctx.addIssue({ code: 'custom', message, params: { problem } });
    }
  });

const Consent = z.literal(true, { error: 'must be given to sign up' });

/** `POST /api/events/:id/registrations` */
export const RegistrationRequest = z.object({
  name: PersonName,
  email: Email,
  language: MailLanguage,
  answers: Answers.optional(),
  consent: Consent,
});
export type RegistrationRequest = z.input<typeof RegistrationRequest>;

/** `POST /api/series/:id/registrations`: several dates of a series in one form, one registration per date. */
export const SeriesRegistrationRequest = RegistrationRequest.extend({
  eventIds: z
    .array(z.string().min(1).max(120))
    .min(1, 'pick at least one date')
    .max(SERIES_PICK_MAX, `at most ${SERIES_PICK_MAX} dates at once`)
    .refine((ids) => new Set(ids).size === ids.length, 'each date once'),
});
export type SeriesRegistrationRequest = z.input<typeof SeriesRegistrationRequest>;

/** A librarian signs someone up at the desk or by phone: no email needed, no consent box (the librarian asked). */
export const DeskRegistrationRequest = z.object({
  name: PersonName,
  email: Email.optional(),
  phone: z.string().trim().max(PHONE_MAX_LENGTH).optional(),
  language: MailLanguage.default('fr'),
  answers: Answers.optional(),
});
export type DeskRegistrationRequest = z.input<typeof DeskRegistrationRequest>;

/** What a sign-up answers: the registration as its person may see it, without personal data. */
export interface RegistrationSummary {
  id: string;
  eventId: string;
  status: RegistrationStatus;
  /** With `waitlisted`: 1 = next to get a seat. */
  position?: number;
  /** With `offered`: when the held seat goes to the next person. */
  offerExpiresAt?: string;
}

/** One registration on the personal page ("my registrations"). */
export interface MyRegistration extends RegistrationSummary {
  event: Event;
  createdAt: string;
  cancelledAt?: string;
  attendedAt?: string;
  /**
   * The outside video room (Jitsi, BigBlueButton…), for a confirmed registrant from `joinOpensAt` on; never earlier
   * and never to anyone else.
   */
  joinUrl?: string;
  /** When the join link shows, for an event held in an outside room, while it does not yet. */
  joinOpensAt?: string;
  /**
   * For a confirmed registrant of an event held in a Parvis room (`event.room`) while this server's rooms run: the way
   * in is the room page (`/events/:id/room`), and `joinUrl` is left out. Absent when rooms do not run here (Janus is
   * missing): the event's outside `joinUrl`, if it has one, is the way in instead.
   */
  inRoom?: true;
}

/** `GET /api/me/registrations` */
export interface MyRegistrations {
  person: { name: string | null; email: string | null; language: MailLanguage };
  registrations: MyRegistration[];
  /** The personal calendar feed to subscribe to (its token is in the path: calendar apps send no fragment). */
  feedUrl: string;
}

/** One registrant in the admin's list of an event. */
export interface RegistrantRow extends RegistrationSummary {
  personId: string;
  /** Null once erased (after the retention period, or at the person's request). */
  name: string | null;
  email: string | null;
  phone: string | null;
  language: MailLanguage;
  answers: Answers;
  source: 'online' | 'desk';
  createdAt: string;
  cancelledAt: string | null;
  attendedAt: string | null;
  erasedAt: string | null;
  /** Past events this person was confirmed for and did not attend: shown to librarians, never acted on by itself. */
  noShows: number;
}

/** Seats of an event as the public sees them. */
export interface SeatCounts {
  capacity: number;
  confirmed: number;
  /** Seats held by offers not yet accepted. */
  offered: number;
  waitlisted: number;
  /** `capacity - confirmed - offered`, never below 0. */
  free: number;
}

/** The private side of a registration event, for admins only: never in a public answer. */
export const RegistrationSettings = z.object({
  /** An outside video room; confirmed registrants see it from JOIN_URL_LEAD_MINUTES before the start. */
  joinUrl: z
    .string()
    .trim()
    .max(2000)
    .regex(/^https:\/\/\S+$/i, 'must be an https:// address')
    .nullable(),
});
export type RegistrationSettings = z.infer<typeof RegistrationSettings>;

/** `POST /api/admin/events/:id/registrations/email`: a message from the library to every confirmed registrant. */
export const RegistrantEmailRequest = z.object({
  subject: z.string().trim().min(1).max(200),
  body: z.string().trim().min(1).max(5000),
});
export type RegistrantEmailRequest = z.infer<typeof RegistrantEmailRequest>;

/** `POST /api/auth/registrant`: the personal link's token exchanged for a live-room token in the registered name. */
export const RegistrantSignInRequest = z.object({ token: z.string().min(1).max(4096), eventId: z.string().min(1).max(120) });

/** `POST /api/events/:id/registrations`: 201 when made now, 200 when the person already had it. */
export interface RegistrationResponse {
  registration: RegistrationSummary;
}

/**
 * `POST /api/series/:id/registrations`: one registration per date picked, in date order, each with its own status.
 * `full` lists the dates that had neither a seat nor a waiting list left by the time the request reached them (a
 * race with other people signing up): nothing was made for those.
 */
export interface SeriesRegistrationResponse {
  registrations: RegistrationSummary[];
  full?: string[];
}

/**
 * What anyone may know of a registration event's sign-up, beside the event in its public answer (`GET
 * /api/events/:id`); nothing for other events.
 */
export interface PublicSignUp {
  /** Only when the event has a capacity. */
  seats?: SeatCounts;
  /**
   * How many days after the event its registrants' names, emails and answers are kept (REGISTRATION_RETENTION_DAYS):
   * the sign-up form says it before anyone consents.
   */
  retentionDays?: number;
  /**
   * The event is held in an outside video room (it has a private `joinUrl`), where Parvis cannot see who comes: its
   * moderators tick attendance. The link itself is never public.
   */
  outsideRoom?: true;
}

/** An event with its seats, in public answers: `seats` only for registration events that have a capacity. */
export interface EventWithSeats {
  event: Event;
  seats?: SeatCounts;
}

/** `GET /api/events/:id` */
export type EventAnswer = { event: Event } & PublicSignUp;

/** `GET /api/series/:id`: the series and its dates (listed events only), earliest first, each with its seats. */
export interface SeriesDetail {
  series: Series;
  dates: EventWithSeats[];
  /** As {@link PublicSignUp.retentionDays}: the series' form says it. */
  retentionDays: number;
}

/** `GET /api/admin/events/:id/registrations` */
export interface RegistrantList {
  registrants: RegistrantRow[];
  /** Null when the event has no capacity. */
  seats: SeatCounts | null;
}

/**
 * `PUT /api/admin/events/:id/registration-settings`: the private join link, and the event's own sign-up settings
 * (its form and waiting list). Only the fields sent change.
 */
export const RegistrationSettingsRequest = z.object({
  joinUrl: RegistrationSettings.shape.joinUrl.optional(),
  form: SignUpForm.optional(),
  waitlist: z.boolean().optional(),
});
export type RegistrationSettingsRequest = z.input<typeof RegistrationSettingsRequest>;

/** `POST /api/admin/events/:id/registrations/:rid/attendance`: tick (true) or untick (false). */
export const AttendanceRequest = z.object({ attended: z.boolean() });
export type AttendanceRequest = z.infer<typeof AttendanceRequest>;
