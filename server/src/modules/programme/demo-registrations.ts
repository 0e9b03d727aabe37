import { hasWaitlist, type Event, type Series } from '#shared/domain/event';
import type { MailLanguage } from '#shared/domain/registration';
import { isoWeekKey } from '#shared/time/zones';
import type { Store } from '../../store/store';

/*
 * The demo's sign-ups: the nearest French conversation workshops are full with people waiting, the next one is
 * filling up, and the webinar on media literacy has its first librarians. Seeded through the store like any sign-up
 * (the same atomic operation, so seats and positions are real), without emails: the addresses are example.org's.
 */

interface DemoPerson {
  name: string;
  email: string;
  language: MailLanguage;
  answers?: Record<string, string>;
}

const p = (name: string, slug: string, language: MailLanguage = 'fr', answers?: Record<string, string>): DemoPerson => ({
  name,
  email: `${slug}@example.org`,
  language,
  ...(answers && { answers }),
});

/** Learners of French, many of whom write to the library in English. */
const LEARNERS: DemoPerson[] = [
  p('Amira Haddad', 'amira.haddad', 'fr', { niveau: 'B1' }),
  p('Kenji Watanabe', 'kenji.watanabe', 'en', { niveau: 'A2' }),
  p('Olena Kovalenko', 'olena.kovalenko', 'en', { niveau: 'B1' }),
  p('Diego Fernández', 'diego.fernandez', 'fr', { niveau: 'B2' }),
  p('Mei Lin', 'mei.lin', 'en', { niveau: 'A2' }),
  p('Tomasz Nowak', 'tomasz.nowak', 'en', { niveau: 'B1' }),
  p('Fatou Diallo', 'fatou.diallo', 'fr', { niveau: 'B2' }),
  p('Sarah Cohen', 'sarah.cohen', 'en', { niveau: 'A2' }),
  p('Ahmad Rahimi', 'ahmad.rahimi', 'en', { niveau: 'A2' }),
  p('Lucía Romero', 'lucia.romero', 'fr', { niveau: 'B1' }),
  p('Yusuf Demir', 'yusuf.demir', 'en', { niveau: 'B2' }),
  p('Anna Schmidt', 'anna.schmidt', 'en', { niveau: 'B1' }),
  p('Priya Nair', 'priya.nair', 'en', { niveau: 'A2' }),
  p('João Silva', 'joao.silva', 'fr', { niveau: 'B2' }),
  p('Nadia Benali', 'nadia.benali', 'fr', { niveau: 'B1' }),
  p('Erik Larsen', 'erik.larsen', 'en', { niveau: 'A2' }),
  p('Hana Novak', 'hana.novak', 'en', { niveau: 'B1' }),
  p('Samuel Okafor', 'samuel.okafor', 'en', { niveau: 'B2' }),
  p('Irina Petrova', 'irina.petrova', 'fr', { niveau: 'B1' }),
  p('Wei Zhang', 'wei.zhang', 'en', { niveau: 'A2' }),
];

const LIBRARIANS: DemoPerson[] = [
  p('Claire Dubois', 'claire.dubois', 'fr', { bibliotheque: 'Médiathèque de Rennes' }),
  p('Marc Lefort', 'marc.lefort', 'fr', { bibliotheque: 'Bibliothèque municipale de Lyon' }),
  p('Sophie Martin', 'sophie.martin', 'fr', { bibliotheque: 'Médiathèque José-Cabanis, Toulouse' }),
  p('Julien Garnier', 'julien.garnier', 'fr', { bibliotheque: 'Bibliothèque de Nanterre' }),
  p('Emma Leroy', 'emma.leroy', 'en', { bibliotheque: 'Bibliothèque publique d’information' }),
];

/** How many of the learners sign up for each of the coming conversation workshops, nearest first. */
const WORKSHOP_SIGN_UPS = [11, 10, 5];

/** Signs up the demo people for the workshops and the webinar of a demo programme; signing up twice changes nothing. */
export async function seedDemoRegistrations(store: Store, series: readonly Series[], events: readonly Event[], now: Date): Promise<void> {
  const workshops = events
    .filter((e) => e.seriesId === 'conversation-fle' && e.access === 'registration' && Date.parse(e.startsAt) > now.getTime())
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  for (const [i, count] of WORKSHOP_SIGN_UPS.entries()) {
    const workshop = workshops[i];
    // Each date draws from a different part of the pool, so that one person rarely holds two dates of a week.
    if (workshop) await signUp(store, series, workshop, rotate(LEARNERS, i * 7).slice(0, count), now);
  }
  const webinar = events.find((e) => e.id === 'webinaire-emi');
  if (webinar) await signUp(store, series, webinar, LIBRARIANS, now);
}

const rotate = <T>(list: readonly T[], by: number): T[] => [...list.slice(by % list.length), ...list.slice(0, by % list.length)];

async function signUp(store: Store, allSeries: readonly Series[], event: Event, people: readonly DemoPerson[], now: Date): Promise<void> {
  const series = allSeries.find((s) => s.id === event.seriesId);
  const fairCap = series?.fairCapPerWeek ?? null;
  for (const [i, person] of people.entries()) {
    const answers = Object.fromEntries(
      Object.entries(person.answers ?? {}).filter(([id]) => (event.form ?? []).some((q) => q.id === id)),
    );
    await store.registrations.register({
      eventId: event.id,
      person: { email: person.email, name: person.name, language: person.language },
      phone: null,
      answers,
      source: 'online',
      seriesId: series?.id ?? null,
      weekKey: fairCap === null ? null : isoWeekKey(event.startsAt, series?.recurrence?.timezone ?? event.timezone),
      rules: { capacity: event.capacity ?? 1_000_000_000, waitlist: hasWaitlist(event), fairCap },
      overbook: false,
      notify: false,
      // A few minutes apart, so that the registrants' list reads like a real one.
      now: new Date(now.getTime() - (people.length - i) * 7 * 60_000).toISOString(),
    });
  }
}
