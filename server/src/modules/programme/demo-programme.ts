import { Recurrence, type Event, type Series } from '#shared/domain/event';
import { formatInZone, instantOf, wallTimeIn } from '#shared/time/zones';
import type { Store } from '../../store/store';
import { seedDemoRegistrations } from './demo-registrations';
import { DEMO_LIVE_EVENT_ID, seedDemoRoom } from './demo-room';
import { recurrenceDates, seriesDateEvent } from './recurrence';

const TZ = 'Europe/Paris';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The demo's live event plays the live simulator; its replays play the recording it loops. */
export const DEMO_LIVE_STREAM = '/media/live/demo/master.m3u8';
export const DEMO_REPLAY = '/media/demo/master.m3u8';

/** Meta keys that record where the programme came from, so a restart can move the demo back around "now". */
const META_SOURCE = 'programme.source';
const META_BASED_AT = 'programme.demoBasedAt';

const iso = (ms: number) => new Date(ms).toISOString();
/** Rounds to the quarter hour so the demo's times look like a real programme's. */
const quarter = (ms: number) => Math.round(ms / (15 * MINUTE)) * 15 * MINUTE;

/**
 * `hour`:`minute` Paris time on the calendar day of `instant`. The demo's hours are all in the daytime, which no
 * daylight-saving change skips, so a refusal is a bug in this file.
 */
function parisOn(instant: number, hour: number, minute = 0): Date {
  const { year, month, day } = wallTimeIn(instant, TZ);
  const found = instantOf({ year, month, day, hour, minute }, TZ);
  if (!found.ok) throw new Error(`The demo programme asks for ${hour}:${minute} in ${TZ}, which is ${found.reason} that day`);
  return found.instant;
}

/** `hour`:`minute` Paris time, `days` days from the day of `now` (negative: in the past). */
function parisTime(now: Date, days: number, hour: number, minute = 0): number {
  return parisOn(now.getTime() + days * DAY, hour, minute).getTime();
}

/** The French conversation workshops' series: a sign-up series on Mondays and Fridays, for three weeks from `now`. */
export const CONVERSATION_SERIES_ID = 'conversation-fle';

/**
 * The rule of the conversation workshops: Mondays and Fridays at 18:00 Paris time, from the day after `now` for three
 * weeks, eight seats each with a waiting list, and a question on the learner's level.
 */
function conversationRule(now: Date): Recurrence {
  const day = (days: number) => formatInZone(now.getTime() + days * DAY, TZ, 'yyyy-MM-dd');
  return Recurrence.parse({
    byDay: ['MO', 'FR'],
    time: '18:00',
    durationMinutes: 90,
    timezone: TZ,
    from: day(1),
    until: day(21),
    template: {
      kind: 'workshop',
      title: 'Conversation en français',
      summary:
        "Une heure et demie pour pratiquer le français à l'oral, en petit groupe, avec une bibliothécaire. Niveau A2 à B2.",
      access: 'registration',
      capacity: 8,
      waitlist: true,
      language: 'fr',
      form: [
        { id: 'niveau', label: 'Votre niveau de français', type: 'choice', options: ['A2', 'B1', 'B2'], required: false },
      ],
    },
  });
}

/**
 * A season modelled on a large public library's online programme, with dates around `now`: one event live now,
 * several upcoming, and three ended with replays.
 */
export function buildDemoProgramme(now: Date): { series: Series[]; events: Event[] } {
  const t = now.getTime();
  const conversation = conversationRule(now);
  const conversationDates = recurrenceDates(conversation);
  if (!conversationDates.ok) throw new Error('The demo conversation workshops make too many dates');
  const series: Series[] = [
    {
      id: 'cycle-chili',
      title: 'Cycle documentaire : le Chili',
      summary:
        "Un cycle de films documentaires sur le Chili, de la dictature aux déserts de l'Atacama, chaque projection suivie d'une conférence.",
    },
    {
      id: CONVERSATION_SERIES_ID,
      title: 'Conversation en français',
      summary:
        'Ateliers de conversation pour les personnes qui apprennent le français, en petit groupe, les lundis et vendredis.',
      recurrence: conversation,
      // One date a week per person while others wait: everyone gets a turn.
      fairCapPerWeek: 1,
    },
    {
      id: 'webinaires-pro',
      title: 'Webinaires professionnels',
      summary: 'Des webinaires pour les bibliothécaires : financements, médiation, éducation aux médias.',
    },
  ];

  const base = {
    timezone: TZ,
    language: 'fr',
    speakers: [],
  } satisfies Partial<Event>;

  const events: Event[] = [
    {
      ...base,
      id: DEMO_LIVE_EVENT_ID,
      kind: 'lecture',
      title: 'Rencontre avec Marie Lenoir, autrice de bande dessinée',
      summary:
        "Marie Lenoir raconte vingt ans de bande dessinée, de ses carnets de croquis à son dernier album, et répond à vos questions en direct.",
      startsAt: iso(quarter(t - 20 * MINUTE)),
      endsAt: iso(quarter(t + 100 * MINUTE)),
      status: 'live',
      access: 'open',
      speakers: [
        { name: 'Marie Lenoir', title: 'autrice de bande dessinée' },
        { name: 'Karim Benali', title: 'bibliothécaire, pôle BD' },
      ],
      streamUrl: DEMO_LIVE_STREAM,
    },
    {
      ...base,
      id: 'chercheurs-pandemie',
      kind: 'lecture',
      title: 'Ce que la pandémie a appris à la science',
      summary:
        "Une épidémiologiste et un virologue reviennent sur ce que la crise sanitaire a changé dans la recherche médicale : vitesse, ouverture des données, confiance du public.",
      startsAt: iso(parisTime(now, -3, 18, 30)),
      endsAt: iso(parisTime(now, -3, 20)),
      status: 'ended',
      access: 'open',
      speakers: [
        { name: 'Dr Hélène Marchand', title: 'épidémiologiste' },
        { name: 'Pr Julien Roche', title: 'virologue' },
      ],
      replayUrl: DEMO_REPLAY,
    },
    {
      ...base,
      id: 'cine-chili-nostalgie',
      kind: 'cine_conference',
      title: 'Ciné-conférence : la lumière du désert d’Atacama',
      summary:
        "Projection d'un documentaire sur les astronomes et les familles de disparus du désert d'Atacama, suivie d'une conférence sur la mémoire au Chili.",
      startsAt: iso(parisTime(now, -7, 19)),
      endsAt: iso(parisTime(now, -7, 22)),
      status: 'ended',
      access: 'open',
      seriesId: 'cycle-chili',
      speakers: [{ name: 'Camila Fuentes', title: 'historienne du cinéma latino-américain' }],
      replayUrl: DEMO_REPLAY,
    },
    {
      ...base,
      id: 'cine-chili-cordillere',
      kind: 'cine_conference',
      title: 'Ciné-conférence : la cordillère et la mémoire',
      summary:
        "Deuxième séance du cycle : un documentaire sur la cordillère des Andes comme témoin de l'histoire chilienne, puis une discussion en direct.",
      startsAt: iso(parisTime(now, 6, 19)),
      endsAt: iso(parisTime(now, 6, 22)),
      status: 'scheduled',
      access: 'open',
      seriesId: 'cycle-chili',
      speakers: [{ name: 'Camila Fuentes', title: 'historienne du cinéma latino-américain' }],
    },
    {
      ...base,
      id: 'webinaire-fonds-europeens',
      kind: 'webinar',
      title: 'Webinaire : financer un projet de bibliothèque avec les fonds européens',
      summary:
        'Erasmus+, Europe créative, FEDER : quels programmes pour quels projets, comment monter un dossier, et les erreurs à éviter. Pour les professionnels des bibliothèques.',
      startsAt: iso(parisTime(now, -2, 10)),
      endsAt: iso(parisTime(now, -2, 11, 30)),
      status: 'ended',
      access: 'open',
      seriesId: 'webinaires-pro',
      speakers: [{ name: 'Sophie Durand', title: 'chargée de mission Europe' }],
      replayUrl: DEMO_REPLAY,
    },
    {
      ...base,
      id: 'webinaire-emi',
      kind: 'webinar',
      title: "Webinaire : l'éducation aux médias et à l'information en bibliothèque",
      summary:
        "Repérer une infox, animer un atelier avec des adolescents, travailler avec les enseignants : retours d'expérience et outils pour les bibliothécaires.",
      startsAt: iso(parisTime(now, 3, 14)),
      endsAt: iso(parisTime(now, 3, 15, 30)),
      status: 'scheduled',
      access: 'registration',
      capacity: 150,
      form: [{ id: 'bibliotheque', label: 'Votre bibliothèque', type: 'text', required: true }],
      seriesId: 'webinaires-pro',
      speakers: [
        { name: 'Thomas Nguyen', title: 'formateur en éducation aux médias' },
        { name: 'Claire Morel', title: 'bibliothécaire jeunesse' },
      ],
    },
    {
      ...base,
      id: 'atelier-ecriture',
      kind: 'workshop',
      title: "Atelier d'écriture : raconter sa ville",
      summary: 'Un atelier en petit groupe pour écrire un court texte sur un lieu qui compte pour vous.',
      startsAt: iso(quarter(t + 2 * HOUR)),
      endsAt: iso(quarter(t + 3 * HOUR + 30 * MINUTE)),
      status: 'scheduled',
      access: 'registration',
      capacity: 12,
      speakers: [{ name: 'Lucie Perrin', title: 'autrice et animatrice' }],
    },
    ...conversationDates.dates.map((date) => ({
      ...seriesDateEvent(CONVERSATION_SERIES_ID, conversation, date),
      speakers: [{ name: 'Anne Lefèvre', title: 'bibliothécaire, espace langues' }],
    })),
  ];
  return { series, events };
}

/** Records that librarians changed the programme: from now on a restart never moves it around like the demo. */
export async function markProgrammeCustom(store: Store): Promise<void> {
  if ((await store.meta.get(META_SOURCE)) !== 'custom') await store.meta.set(META_SOURCE, 'custom');
}

/** Wipes the store and loads the demo programme around `now`, its live event with an audience at work. */
export async function resetDemoProgramme(store: Store, now: Date): Promise<void> {
  const { series, events } = buildDemoProgramme(now);
  await store.clearAll();
  await store.programme.saveProgramme(series, events);
  await store.meta.set(META_SOURCE, 'demo');
  await store.meta.set(META_BASED_AT, now.toISOString());
  await seedDemoRoom(store, now);
  await seedDemoRegistrations(store, series, events, now);
}

/**
 * Loads the demo on first start. When the programme is still the demo and its live event has run past its end, the
 * demo's dates are moved around `now` again (chat history is kept, and the live room gets whatever of the demo's
 * questions, polls and announcement it lacks), so `npm start` always shows something live. A programme that
 * librarians built is never touched.
 */
export async function ensureDemoProgramme(store: Store, now: Date): Promise<'seeded' | 'rebased' | 'kept'> {
  const source = await store.meta.get(META_SOURCE);
  if (source === undefined) {
    const existing = await store.programme.listEvents({});
    if (existing.length === 0) {
      await resetDemoProgramme(store, now);
      return 'seeded';
    }
    return 'kept';
  }
  if (source !== 'demo') return 'kept';
  const live = await store.programme.listEvents({ from: now.toISOString(), to: now.toISOString() });
  if (live.some((e) => e.status === 'live')) return 'kept';
  const { series, events } = buildDemoProgramme(now);
  // The workshops' ids carry their dates: the dates the moved demo no longer has go, with their sign-ups (nobody
  // made events of their own in it: any change by a librarian ends the demo, see markProgrammeCustom).
  const kept = new Set(events.map((e) => e.id));
  for (const old of await store.programme.listEvents({ series: CONVERSATION_SERIES_ID })) {
    if (!kept.has(old.id)) await store.programme.deleteEvent(old.id);
  }
  await store.programme.saveProgramme(series, events);
  await store.meta.set(META_BASED_AT, now.toISOString());
  await seedDemoRoom(store, now);
  await seedDemoRegistrations(store, series, events, now);
  return 'rebased';
}
