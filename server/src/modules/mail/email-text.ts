import type { MailLanguage } from '#shared/domain/registration';
import { EmailKind, type AppointmentEmailKind } from '../../store/outbox-store';
import type { EmailBlock, EmailContent } from './email-layout';

/*
 * What each email says, in French and in English. Every email names the event and when it is (in the event's zone),
 * and ends with the personal link ("my registrations": cancel, add to a calendar, erase one's data), since a person
 * who signed up has no account and no password. French typography: no-break spaces before high punctuation and inside
 * guillemets.
 */

/** Everything an email may say, already looked up and written out by the renderer. */
export interface EmailFacts {
  /** Appointments' emails are written by modules/appointments/appointment-emails.ts. */
  kind: SignUpEmailKind;
  language: MailLanguage;
  /** The registered name; null after a desk registration without one. */
  name: string | null;
  event: {
    title: string;
    /** "vendredi 27 mars 2026, 14:00 – 15:30 (heure d’Europe centrale)" */
    when: string;
    /** "ven. 27 mars", for subject lines. */
    day: string;
    url: string;
  };
  links: {
    /** The personal page (`/me#<token>`). */
    personal: string;
    /** The one-click "I did not ask for this" page, on the first email of a sign-up. */
    notMe?: string;
    /** The outside video room, in the last reminder only. */
    join?: string;
  };
  /** `waitlisted`: the place in the queue, 1 = next. */
  position?: number;
  /** `offer`: until when the seat is held, written out. */
  deadline?: string;
  /** `reminder` */
  lead?: '24h' | '1h';
  /** `cancelled`: an offer declined rather than a seat given up. */
  declined?: boolean;
  /** `event-changed`: when it was before, when the time moved. */
  previousWhen?: string;
  /** `broadcast`: the librarian's message. */
  message?: { subject: string; body: string };
  /** The host people reach Parvis at, for the footer. */
  host: string;
}

type SignUpEmailKind = Exclude<EmailKind, AppointmentEmailKind>;

const NB = '\u00a0';
const quoteFr = (s: string) => `«${NB}${s}${NB}»`;
const quoteEn = (s: string) => `“${s}”`;

interface Language {
  quote(s: string): string;
  hello(name: string | null): string;
  when: string;
  eventPage(title: string): string;
  myRegistrations: string;
  personalNote: string;
  footer(host: string): string;
  notMeIntro: string;
  notMe: string;
  cancelHint: string;
}

const COMMON: Record<MailLanguage, Language> = {
  fr: {
    quote: quoteFr,
    hello: (name) => (name ? `Bonjour ${name},` : 'Bonjour,'),
    when: `Quand${NB}:`,
    eventPage: (title) => `Page de l’événement ${quoteFr(title)}`,
    myRegistrations: 'Mes inscriptions (annuler, ajouter à mon agenda, effacer mes données)',
    personalNote: `Ce lien vous est personnel${NB}: ne transférez pas ce message.`,
    footer: (host) => `Vous recevez ce message parce que cette adresse a été inscrite à un événement sur ${host}.`,
    notMeIntro: `Vous n’avez rien demandé${NB}? Un clic suffit pour annuler cette inscription et ne plus rien recevoir${NB}:`,
    notMe: 'Je n’ai pas demandé cette inscription',
    cancelHint: `Vous ne pourrez pas venir${NB}? Annulez depuis vos inscriptions${NB}: votre place ira à une personne en attente.`,
  },
  en: {
    quote: quoteEn,
    hello: (name) => (name ? `Hello ${name},` : 'Hello,'),
    when: 'When:',
    eventPage: (title) => `Event page: ${quoteEn(title)}`,
    myRegistrations: 'My registrations (cancel, add to my calendar, erase my data)',
    personalNote: 'This link is personal to you: please do not forward this email.',
    footer: (host) => `You are receiving this email because this address was signed up for an event on ${host}.`,
    notMeIntro: 'Did you not ask for this? One click cancels this registration and stops these emails:',
    notMe: 'I did not ask for this registration',
    cancelHint: 'Cannot come after all? Cancel from your registrations: your seat will go to someone on the waiting list.',
  },
};

interface KindText {
  subject: string;
  heading: string;
  /** Paragraphs before the event's facts. */
  intro: string[];
  /** Paragraphs after them. */
  after?: string[];
}

type Writer = (f: EmailFacts, l: Language) => KindText;

const FR: Record<SignUpEmailKind, Writer> = {
  [EmailKind.CONFIRMATION]: (f, l) => ({
    subject: `Inscription confirmée${NB}: ${f.event.title}`,
    heading: 'Votre place est réservée',
    intro: [`Votre inscription à ${l.quote(f.event.title)} est confirmée. L’invitation est jointe à ce message (fichier .ics) pour l’ajouter à votre agenda.`],
    after: [l.cancelHint],
  }),
  [EmailKind.WAITLISTED]: (f, l) => ({
    subject: `Liste d’attente${NB}: ${f.event.title}`,
    heading: 'Vous êtes sur la liste d’attente',
    intro: [
      `${l.quote(f.event.title)} est complet. Vous êtes en position ${f.position ?? '?'} sur la liste d’attente.`,
      'Si une place se libère, nous vous la proposerons par e-mail, avec un délai pour l’accepter.',
    ],
  }),
  [EmailKind.OFFER]: (f, l) => ({
    subject: `Une place s’est libérée${NB}: ${f.event.title}`,
    heading: 'Une place vous attend',
    intro: [
      `Une place s’est libérée pour ${l.quote(f.event.title)}. Elle vous est réservée jusqu’au ${f.deadline ?? '?'}.`,
      'Passé ce délai, elle sera proposée à la personne suivante sur la liste d’attente.',
    ],
  }),
  [EmailKind.OFFER_EXPIRED]: (f, l) => ({
    subject: `Offre expirée${NB}: ${f.event.title}`,
    heading: 'Le délai pour accepter la place est passé',
    intro: [
      `La place proposée pour ${l.quote(f.event.title)} n’a pas été acceptée à temps${NB}: elle a été proposée à la personne suivante.`,
      'Vous pouvez vous inscrire à nouveau depuis la page de l’événement.',
    ],
  }),
  [EmailKind.REMINDER]: (f, l) => ({
    subject:
      f.lead === '1h' ? `Dans une heure${NB}: ${f.event.title}` : `Rappel${NB}: ${f.event.title}, ${f.event.day}`,
    heading: f.lead === '1h' ? `${l.quote(f.event.title)} commence bientôt` : `À bientôt pour ${l.quote(f.event.title)}`,
    intro: [`Votre place est réservée. Voici un rappel de l’horaire.`],
    after: [l.cancelHint],
  }),
  [EmailKind.CANCELLED]: (f, l) => ({
    subject: `Inscription annulée${NB}: ${f.event.title}`,
    heading: f.declined ? 'Vous avez refusé la place' : 'Votre inscription est annulée',
    intro: [
      f.declined
        ? `Vous avez refusé la place proposée pour ${l.quote(f.event.title)}${NB}; elle va à la personne suivante. Merci de l’avoir libérée.`
        : `Votre inscription à ${l.quote(f.event.title)} est annulée. Merci d’avoir libéré votre place.`,
    ],
  }),
  [EmailKind.CANCELLED_BY_LIBRARY]: (f, l) => ({
    subject: `Votre inscription a été annulée${NB}: ${f.event.title}`,
    heading: 'La bibliothèque a annulé votre inscription',
    intro: [
      `La bibliothèque a annulé votre inscription à ${l.quote(f.event.title)}.`,
      `Si vous pensez qu’il s’agit d’une erreur, contactez la bibliothèque.`,
    ],
  }),
  [EmailKind.EVENT_CHANGED]: (f, l) => ({
    subject: `Modification${NB}: ${f.event.title}`,
    heading: 'L’événement a changé',
    intro: [
      `La bibliothèque a modifié ${l.quote(f.event.title)}. Voici les informations à jour${NB}; l’invitation jointe met à jour votre agenda.`,
    ],
    after: [`Votre inscription reste valable. Si le nouvel horaire ne vous convient pas, annulez depuis vos inscriptions.`],
  }),
  [EmailKind.EVENT_CANCELLED]: (f, l) => ({
    subject: `Annulé${NB}: ${f.event.title}`,
    heading: 'L’événement est annulé',
    intro: [
      `La bibliothèque a annulé ${l.quote(f.event.title)}. Nous sommes désolés.`,
      'Le fichier joint (.ics) retire l’événement de votre agenda.',
    ],
  }),
  [EmailKind.BROADCAST]: (f, l) => ({
    subject: f.message?.subject ?? f.event.title,
    heading: f.message?.subject ?? f.event.title,
    intro: [`Un message de la bibliothèque à propos de ${l.quote(f.event.title)}${NB}:`],
  }),
};

const EN: Record<SignUpEmailKind, Writer> = {
  [EmailKind.CONFIRMATION]: (f, l) => ({
    subject: `You are registered: ${f.event.title}`,
    heading: 'Your seat is booked',
    intro: [`Your registration for ${l.quote(f.event.title)} is confirmed. The invitation is attached to this email (.ics file) to add it to your calendar.`],
    after: [l.cancelHint],
  }),
  [EmailKind.WAITLISTED]: (f, l) => ({
    subject: `Waiting list: ${f.event.title}`,
    heading: 'You are on the waiting list',
    intro: [
      `${l.quote(f.event.title)} is full. You are number ${f.position ?? '?'} on the waiting list.`,
      'If a seat frees up, we will offer it to you by email, with a deadline to accept it.',
    ],
  }),
  [EmailKind.OFFER]: (f, l) => ({
    subject: `A seat is free for you: ${f.event.title}`,
    heading: 'A seat is waiting for you',
    intro: [
      `A seat has freed up for ${l.quote(f.event.title)}. It is held for you until ${f.deadline ?? '?'}.`,
      'After that, it goes to the next person on the waiting list.',
    ],
  }),
  [EmailKind.OFFER_EXPIRED]: (f, l) => ({
    subject: `Your offer has expired: ${f.event.title}`,
    heading: 'The time to take the seat has passed',
    intro: [
      `The seat offered to you for ${l.quote(f.event.title)} was not taken in time, so it went to the next person waiting.`,
      'You can sign up again from the event page.',
    ],
  }),
  [EmailKind.REMINDER]: (f, l) => ({
    subject: f.lead === '1h' ? `In one hour: ${f.event.title}` : `Reminder: ${f.event.title}, ${f.event.day}`,
    heading: f.lead === '1h' ? `${l.quote(f.event.title)} starts soon` : `See you soon at ${l.quote(f.event.title)}`,
    intro: ['Your seat is booked. Here is a reminder of the time.'],
    after: [l.cancelHint],
  }),
  [EmailKind.CANCELLED]: (f, l) => ({
    subject: `Registration cancelled: ${f.event.title}`,
    heading: f.declined ? 'You declined the seat' : 'Your registration is cancelled',
    intro: [
      f.declined
        ? `You declined the seat offered for ${l.quote(f.event.title)}; it goes to the next person. Thank you for letting it go.`
        : `Your registration for ${l.quote(f.event.title)} is cancelled. Thank you for freeing your seat.`,
    ],
  }),
  [EmailKind.CANCELLED_BY_LIBRARY]: (f, l) => ({
    subject: `Your registration was cancelled: ${f.event.title}`,
    heading: 'The library cancelled your registration',
    intro: [
      `The library has cancelled your registration for ${l.quote(f.event.title)}.`,
      'If you think this is a mistake, please contact the library.',
    ],
  }),
  [EmailKind.EVENT_CHANGED]: (f, l) => ({
    subject: `Changed: ${f.event.title}`,
    heading: 'The event has changed',
    intro: [`The library has changed ${l.quote(f.event.title)}. Here are the new details; the attached invitation updates your calendar.`],
    after: ['Your registration still stands. If the new time does not suit you, cancel from your registrations.'],
  }),
  [EmailKind.EVENT_CANCELLED]: (f, l) => ({
    subject: `Cancelled: ${f.event.title}`,
    heading: 'The event is cancelled',
    intro: [`The library has cancelled ${l.quote(f.event.title)}. We are sorry.`, 'The attached file (.ics) removes the event from your calendar.'],
  }),
  [EmailKind.BROADCAST]: (f, l) => ({
    subject: f.message?.subject ?? f.event.title,
    heading: f.message?.subject ?? f.event.title,
    intro: [`A message from the library about ${l.quote(f.event.title)}:`],
  }),
};

const WRITERS: Record<MailLanguage, Record<SignUpEmailKind, Writer>> = { fr: FR, en: EN };

const EXTRA: Record<MailLanguage, { before: string; join: (title: string) => string; joinIntro: string; offerAction: string }> = {
  fr: {
    before: `Avant${NB}:`,
    join: (title) => `Rejoindre la salle en ligne de ${quoteFr(title)}`,
    joinIntro: `L’atelier se tient dans une salle en ligne extérieure. Pour la rejoindre à l’heure${NB}:`,
    offerAction: 'Accepter ou refuser la place (mes inscriptions)',
  },
  en: {
    before: 'Before:',
    join: (title) => `Join the online room of ${quoteEn(title)}`,
    joinIntro: 'This session takes place in an outside online room. To join it on time:',
    offerAction: 'Accept or decline the seat (my registrations)',
  },
};

/** The email of `facts.kind` in `facts.language`, as blocks for the layout. */
export function composeEmail(facts: EmailFacts): EmailContent {
  const l = COMMON[facts.language];
  const extra = EXTRA[facts.language];
  const text = WRITERS[facts.language][facts.kind](facts, l);
  const blocks: EmailBlock[] = [{ type: 'paragraph', text: l.hello(facts.name) }];
  for (const p of text.intro) blocks.push({ type: 'paragraph', text: p });
  if (facts.kind === EmailKind.BROADCAST && facts.message) blocks.push({ type: 'message', text: facts.message.body });

  const when = [{ label: l.when, value: facts.event.when }];
  if (facts.previousWhen && facts.previousWhen !== facts.event.when) when.push({ label: extra.before, value: facts.previousWhen });
  blocks.push({ type: 'facts', items: when });
  blocks.push({ type: 'link', link: { href: facts.event.url, text: l.eventPage(facts.event.title) } });

  if (facts.links.join) {
    blocks.push({ type: 'paragraph', text: extra.joinIntro });
    blocks.push({ type: 'link', link: { href: facts.links.join, text: extra.join(facts.event.title) }, primary: true });
  }
  for (const p of text.after ?? []) blocks.push({ type: 'paragraph', text: p });

  blocks.push({
    type: 'link',
    link: { href: facts.links.personal, text: facts.kind === EmailKind.OFFER ? extra.offerAction : l.myRegistrations },
    primary: !facts.links.join,
  });
  blocks.push({ type: 'paragraph', text: l.personalNote });
  if (facts.links.notMe) {
    blocks.push({ type: 'paragraph', text: l.notMeIntro });
    blocks.push({ type: 'link', link: { href: facts.links.notMe, text: l.notMe } });
  }
  return { language: facts.language, subject: text.subject, heading: text.heading, blocks, footer: [l.footer(facts.host)] };
}
