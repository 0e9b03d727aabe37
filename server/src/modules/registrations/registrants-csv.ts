import type { Event } from '#shared/domain/event';
import type { RegistrantRow, RegistrationStatus } from '#shared/domain/registration';
import { formatInZone } from '#shared/time/zones';
import { toCsv } from '../exports/report';

/*
 * The registrants of an event as CSV, for a spreadsheet: RFC 4180 with a BOM, and the exports' guard against cells a
 * spreadsheet would run as formulas (a name typed as `=HYPERLINK(…)` is written as text). Labels in the event's
 * language; times in the event's zone.
 */

const LABELS = {
  fr: {
    header: ['Nom', 'E-mail', 'Téléphone', 'Statut', 'Rang d’attente', 'Langue', 'Origine', 'Inscrit le', 'Annulé le', 'Présent', 'Absences passées'],
    status: { confirmed: 'confirmé', waitlisted: 'en attente', offered: 'place proposée', cancelled: 'annulé', expired: 'offre expirée' },
    source: { online: 'en ligne', desk: 'à l’accueil' },
    yes: 'oui',
    no: 'non',
  },
  en: {
    header: ['Name', 'Email', 'Phone', 'Status', 'Waiting position', 'Language', 'Source', 'Registered at', 'Cancelled at', 'Attended', 'Past no-shows'],
    status: { confirmed: 'confirmed', waitlisted: 'waiting', offered: 'seat offered', cancelled: 'cancelled', expired: 'offer expired' },
    source: { online: 'online', desk: 'at the desk' },
    yes: 'yes',
    no: 'no',
  },
} satisfies Record<'fr' | 'en', { status: Record<RegistrationStatus, string> } & Record<string, unknown>>;

export function registrantsCsv(event: Event, registrants: readonly RegistrantRow[]): string {
  const l = event.language === 'fr' ? LABELS.fr : LABELS.en;
  const time = (iso: string | null) => (iso ? formatInZone(iso, event.timezone, 'yyyy-MM-dd HH:mm') : '');
  const questions = event.form ?? [];
  return toCsv(
    [...l.header, ...questions.map((q) => q.label)],
    registrants.map((r) => [
      r.name,
      r.email,
      r.phone,
      l.status[r.status],
      r.position ?? null,
      r.language,
      l.source[r.source],
      time(r.createdAt),
      time(r.cancelledAt),
      r.attendedAt ? l.yes : l.no,
      r.noShows,
      ...questions.map((q) => r.answers[q.id] ?? ''),
    ]),
  );
}
