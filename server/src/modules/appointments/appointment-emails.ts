import type { HelpDesk } from '#shared/domain/appointment';
import type { Event } from '#shared/domain/event';
import type { MailLanguage } from '#shared/domain/registration';
import { EmailKind, type OutboxRecord } from '../../store/outbox-store';
import type { Store } from '../../store/store';
import type { CalendarFiles } from '../calendar/calendar-files';
import { eventWhen, shortDay } from '../mail/email-dates';
import type { EmailBlock, EmailContent } from '../mail/email-layout';
import { SkipEmail, type AppointmentEmailWriter, type ComposedEmail } from '../mail/email-renderer';
import type { PersonLinks } from '../registrations/person-links';
import type { AppointmentRole } from './appointment.service';
import { readerPhone } from './appointment.service';

/*
 * The emails of a help-desk appointment, in French and English, to its three people: the reader, the partner and the
 * librarian. Each says who, when and how (the room, opened from the personal page, or the phone call). They are
 * written when they leave, from the booking as it is then: a booking cancelled or erased, or a partner replaced,
 * sends nothing. The reader's description of their need never goes out by email: the partner reads it on their page,
 * where it disappears with the registration's data.
 */

const NB = '\u00a0';
const q = (language: MailLanguage, s: string) => (language === 'fr' ? `«${NB}${s}${NB}»` : `“${s}”`);

interface Facts {
  role: AppointmentRole;
  reminder: boolean;
  lead: string | null;
  language: MailLanguage;
  desk: HelpDesk;
  when: string;
  day: string;
  reader: string;
  partner: string;
  /** `phone` desks: the number the partner calls. */
  phone: string | null;
  /** The link at the end: the personal page (reader, partner) or the help desk's page (librarian). */
  link: string;
}

function text(f: Facts): { subject: string; heading: string; paragraphs: string[]; how: string; link: string; note: string | null } {
  const fr = f.language === 'fr';
  const title = q(f.language, f.desk.title);
  const soon = f.lead === '1h' ? (fr ? 'dans une heure' : 'in one hour') : fr ? `le ${f.day}` : `on ${f.day}`;
  const room = f.desk.mode === 'room';
  const subject = f.reminder
    ? fr
      ? `Rappel${NB}: rendez-vous ${f.desk.title}, ${soon}`
      : `Reminder: ${f.desk.title} appointment, ${soon}`
    : fr
      ? `Rendez-vous confirmé${NB}: ${f.desk.title}, ${f.day}`
      : `Appointment confirmed: ${f.desk.title}, ${f.day}`;
  const heading = f.reminder
    ? fr ? 'Votre rendez-vous approche' : 'Your appointment is soon'
    : fr ? 'Votre rendez-vous est confirmé' : 'Your appointment is confirmed';
  const phone = f.phone ?? (fr ? '(numéro effacé)' : '(number erased)');
  let who: string;
  let how: string;
  switch (f.role) {
    case 'reader':
      who = fr
        ? `Votre rendez-vous ${title} aura lieu avec ${f.partner}, qui répondra à votre demande.`
        : `Your ${title} appointment will be with ${f.partner}, who will answer your request.`;
      how = room
        ? fr
          ? 'Le rendez-vous se tient dans une salle en ligne privée, pour vous, votre interlocuteur et la bibliothèque seulement. Ouvrez-la depuis vos inscriptions, un quart d’heure avant.'
          : 'The appointment takes place in a private online room, for you, your partner and the library only. Open it from your registrations, a quarter of an hour before.'
        : fr
          ? `${f.partner} vous appellera au ${phone}.`
          : `${f.partner} will call you at ${phone}.`;
      break;
    case 'partner':
      who = fr
        ? `Merci d’assurer ce rendez-vous ${title} avec ${f.reader}. Sa demande est sur votre page personnelle.`
        : `Thank you for taking this ${title} appointment with ${f.reader}. Their request is on your personal page.`;
      how = room
        ? fr
          ? 'Le rendez-vous se tient dans une salle en ligne privée. Ouvrez-la depuis votre page personnelle, sans compte, un quart d’heure avant.'
          : 'The appointment takes place in a private online room. Open it from your personal page, without an account, a quarter of an hour before.'
        : fr
          ? `Appelez ${f.reader} au ${phone}.`
          : `Call ${f.reader} at ${phone}.`;
      break;
    case 'librarian':
      who = fr
        ? `Rendez-vous ${title}${NB}: ${f.reader} avec ${f.partner}.`
        : `${title} appointment: ${f.reader} with ${f.partner}.`;
      how = room
        ? fr ? 'Dans la salle en ligne du créneau (lecteur, partenaire et équipe seulement).' : 'In the slot’s online room (reader, partner and staff only).'
        : fr ? `Par téléphone${NB}: ${f.partner} appelle ${f.reader}.` : `By phone: ${f.partner} calls ${f.reader}.`;
      break;
  }
  const link =
    f.role === 'librarian'
      ? fr ? `Les demandes de ${title}` : `The requests of ${title}`
      : fr ? 'Ma page personnelle (le rendez-vous, la salle)' : 'My personal page (the appointment, the room)';
  const note = f.role === 'librarian' ? null : fr ? `Ce lien vous est personnel${NB}: ne transférez pas ce message.` : 'This link is personal to you: please do not forward this email.';
  return { subject, heading, paragraphs: [who], how, link, note };
}

export interface AppointmentEmailsDeps {
  store: Store;
  links: PersonLinks;
  files: CalendarFiles;
  /** Where the librarians' page of a help desk is: `<origin>/admin/help-desks/<id>`. */
  publicOrigin: string;
}

/** The writer of appointments' emails the renderer calls (see `EmailRendererDeps.appointments`). */
export class AppointmentEmails implements AppointmentEmailWriter {
  constructor(private readonly deps: AppointmentEmailsDeps) {}

  async compose(row: OutboxRecord, _now: Date): Promise<ComposedEmail> {
    const { store, links, files } = this.deps;
    const role = row.payload.role as AppointmentRole;
    if (!row.registrationId) throw new SkipEmail('not sent: the email names no booking');
    const registration = await store.registrations.get(row.registrationId);
    if (!registration) throw new SkipEmail('not sent: the booking was deleted');
    if (registration.erasedAt !== null) throw new SkipEmail('not sent: the booking’s personal data was erased');
    if (registration.status !== 'confirmed') throw new SkipEmail(`not sent: the booking is now ${registration.status}`);
    const assignment = await store.appointments.assignmentOf(registration.id);
    if (!assignment || assignment.partnerPersonId !== row.payload.partnerPersonId) {
      throw new SkipEmail('not sent: the appointment was given to another partner since');
    }
    const event: Event | undefined = await store.programme.getEvent(registration.eventId);
    const desk = await store.appointments.getHelpDesk(assignment.helpDeskId);
    if (!event || !desk) throw new SkipEmail('not sent: the slot or its help desk was deleted');
    if (event.status === 'cancelled' || event.status === 'ended') throw new SkipEmail(`not sent: the slot is ${event.status}`);

    let link: string;
    if (role === 'librarian') link = `${this.deps.publicOrigin}/admin/help-desks/${encodeURIComponent(desk.id)}`;
    else {
      const person = await store.registrations.getPerson(row.personId ?? '');
      if (!person || person.erasedAt !== null) throw new SkipEmail('not sent: the person’s data was erased');
      link = links.pageUrl(person);
    }
    const language = row.language;
    const facts: Facts = {
      role,
      reminder: row.kind === EmailKind.APPOINTMENT_REMINDER,
      lead: typeof row.payload.lead === 'string' ? row.payload.lead : null,
      language,
      desk,
      when: eventWhen(event.startsAt, event.endsAt, event.timezone, language),
      day: shortDay(event.startsAt, event.timezone, language),
      reader: registration.name ?? (language === 'fr' ? 'la personne inscrite' : 'the reader'),
      partner: assignment.partner.name,
      phone: desk.mode === 'phone' ? readerPhone(registration) : null,
      link,
    };
    const t = text(facts);
    const blocks: EmailBlock[] = [{ type: 'paragraph', text: language === 'fr' ? 'Bonjour,' : 'Hello,' }];
    for (const p of t.paragraphs) blocks.push({ type: 'paragraph', text: p });
    blocks.push({ type: 'facts', items: [{ label: language === 'fr' ? `Quand${NB}:` : 'When:', value: facts.when }] });
    blocks.push({ type: 'paragraph', text: t.how });
    blocks.push({
      type: 'link',
      link: { href: files.eventUrl(event.id), text: language === 'fr' ? `Page du créneau ${q(language, desk.title)}` : `Slot page: ${q(language, desk.title)}` },
    });
    blocks.push({ type: 'link', link: { href: link, text: t.link }, primary: true });
    if (t.note) blocks.push({ type: 'paragraph', text: t.note });
    const content: EmailContent = {
      language,
      subject: t.subject,
      heading: t.heading,
      blocks,
      footer: [
        language === 'fr'
          ? `Vous recevez ce message à propos d’un rendez-vous ${q(language, desk.title)} sur ${files.host}.`
          : `You are receiving this email about a ${q(language, desk.title)} appointment on ${files.host}.`,
      ],
    };
    const attendeeName = role === 'reader' ? registration.name : role === 'partner' ? assignment.partner.name : desk.librarian.name;
    return { content, ...(row.kind === EmailKind.APPOINTMENT && { invitation: { event, attendeeName } }) };
  }
}
