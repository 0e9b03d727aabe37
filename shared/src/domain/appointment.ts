import { z } from 'zod';
import { Email } from './account';
import { Weekday, LocalDate, type Event } from './event';
import { PHONE_MAX_LENGTH, SUMMARY_MAX_LENGTH, TITLE_MAX_LENGTH } from './limits';
import { MailLanguage, PersonName, type FormQuestion } from './registration';
import { isTimeZone } from '../time/zones';

/*
 * Help-desk appointments (issue 14): a help desk ("Aide juridique, mardi 14 h–17 h") is a series whose events are
 * slots of N minutes, each with one seat and no waiting list. A reader books a slot on the series page with a short
 * description of their need; a librarian assigns the booking to a partner (a volunteer lawyer, a public writer), and
 * the appointment is held in a private Parvis room (reader, partner and staff only) or by phone (the partner calls the
 * reader). The sign-up machinery does the booking; what is added here is the help desk, the assignment and who gets
 * which email.
 */

/** `room`: in a Parvis room for the reader, the partner and the staff; `phone`: the partner calls the reader. */
export const HELP_DESK_MODES = ['room', 'phone'] as const;
export const HelpDeskMode = z.enum(HELP_DESK_MODES);
export type HelpDeskMode = z.infer<typeof HelpDeskMode>;

/** The id of the slots' required question "a short description of your need" (an answer: erased with the rest). */
export const NEED_QUESTION_ID = 'need';
/** The id of the slots' required question "your phone number" on a phone help desk (an answer too). */
export const PHONE_QUESTION_ID = 'phone';

/** A help desk makes at most this many slots (the limit of a series' dates). */
export const HELP_DESK_SLOTS_MAX = 400;

const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time such as 14:00');
const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** `POST /api/admin/help-desks` */
export const HelpDeskRequest = z
  .object({
    title: z.string().trim().min(1, 'must not be empty').max(TITLE_MAX_LENGTH),
    summary: z.string().max(SUMMARY_MAX_LENGTH).default(''),
    byDay: z.array(Weekday).min(1, 'pick at least one day').max(7),
    /** The desk's hours on each of those days, wall-clock in `timezone`: `14:00` to `17:00`. */
    startTime: Time,
    endTime: Time,
    slotMinutes: z.number().int().min(10, 'must be at least 10 minutes').max(240, 'must be at most 240 minutes'),
    from: LocalDate,
    until: LocalDate,
    exceptions: z.array(LocalDate).max(366).default([]),
    timezone: z.string().refine(isTimeZone, 'must be a time zone such as Europe/Paris').default('Europe/Paris'),
    mode: HelpDeskMode,
    language: z.string().min(2).max(35).default('fr'),
    /** The librarian in charge: they get a copy of each confirmation and reminder. */
    librarian: z.object({ name: PersonName, email: Email }),
  })
  .superRefine((r, ctx) => {
    if (r.from > r.until) ctx.addIssue({ code: 'custom', path: ['until'], message: 'must not be before the first day' });
    const window = minutesOf(r.endTime) - minutesOf(r.startTime);
    if (window <= 0) ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'must be after the start time' });
    else if (window < r.slotMinutes) {
      ctx.addIssue({ code: 'custom', path: ['slotMinutes'], message: 'must fit between the start and end times' });
    }
  });
export type HelpDeskRequest = z.input<typeof HelpDeskRequest>;

/** A help desk as stored and as the admin API answers it; its id is its series' id. */
export interface HelpDesk {
  id: string;
  title: string;
  summary: string;
  mode: HelpDeskMode;
  byDay: Weekday[];
  startTime: string;
  endTime: string;
  slotMinutes: number;
  from: string;
  until: string;
  timezone: string;
  language: string;
  librarian: { name: string; email: string };
  createdAt: string;
}

/** How many slots fit in the desk's hours. */
export const slotsPerDay = (desk: Pick<HelpDesk, 'startTime' | 'endTime' | 'slotMinutes'>): number =>
  Math.floor((minutesOf(desk.endTime) - minutesOf(desk.startTime)) / desk.slotMinutes);

/** The sign-up form of every slot: the need, and on a phone desk the number the partner will call. */
export function helpDeskForm(mode: HelpDeskMode, language: string): FormQuestion[] {
  const fr = !language.startsWith('en');
  const need: FormQuestion = {
    id: NEED_QUESTION_ID,
    label: fr ? 'Décrivez en quelques mots votre besoin' : 'Describe your need in a few words',
    type: 'text',
    required: true,
  };
  if (mode === 'room') return [need];
  const phone: FormQuestion = {
    id: PHONE_QUESTION_ID,
    label: fr ? 'Votre numéro de téléphone (le partenaire vous appellera)' : 'Your phone number (the partner will call you)',
    type: 'text',
    required: true,
  };
  return [need, phone];
}

/** `POST /api/admin/help-desks/:id/requests/:rid/partner`: who takes the appointment. */
export const AssignPartnerRequest = z.object({
  name: PersonName,
  email: Email,
  phone: z.string().trim().max(PHONE_MAX_LENGTH).optional(),
  language: MailLanguage.default('fr'),
});
export type AssignPartnerRequest = z.input<typeof AssignPartnerRequest>;

/** A partner as an assignment names them. */
export interface AppointmentPartner {
  name: string;
  email: string;
  phone: string | null;
  language: MailLanguage;
}

/** One booked slot on the librarians' page (`GET /api/admin/help-desks/:id/requests`). */
export interface AppointmentRequestRow {
  eventId: string;
  startsAt: string;
  endsAt: string;
  registrationId: string;
  /** Null once erased with the registration's data. */
  reader: { name: string | null; email: string | null; phone: string | null };
  /** The description of the need; null once erased. */
  need: string | null;
  partner: AppointmentPartner | null;
  assignedAt: string | null;
}

/** `GET /api/admin/help-desks/:id/requests` */
export interface HelpDeskRequests {
  helpDesk: HelpDesk;
  requests: AppointmentRequestRow[];
}

/**
 * One appointment on the personal page (`GET /api/me/appointments`), for the reader or for the partner. The room
 * (`/events/:id/room`) is opened with the same personal link.
 */
export interface MyAppointment {
  role: 'reader' | 'partner';
  event: Event;
  mode: HelpDeskMode;
  /** The other person: the partner for the reader (null until assigned), the reader for the partner. */
  with: string | null;
  /** `room`: the path of the room page. */
  roomPath?: string;
  /**
   * `phone`: for the reader, the number they will be called at; for the partner, the number to call. Gone once the
   * registration's data is erased.
   */
  phone?: string;
  /** For the partner only: the reader's description of their need. */
  need?: string;
}

/** `GET /api/me/appointments` */
export interface MyAppointments {
  appointments: MyAppointment[];
}
