import type { EventFigures, SeasonFigures } from '#shared/protocol/figures';
import { toCsv } from '../exports/report';

/*
 * The figures as CSV, for a spreadsheet: RFC 4180 with a BOM and the exports' guard against formulas (toCsv). The
 * event's file has three tables one after the other, separated by an empty line: the figures, the viewers over time,
 * and the moments marked on the chart. Labels in the language asked for; instants in ISO 8601 (UTC).
 */

export type CsvLang = 'fr' | 'en';

const LABELS = {
  fr: {
    metric: 'Mesure',
    value: 'Valeur',
    at: 'Instant (UTC)',
    viewers: 'Spectateurs',
    marker: 'Repère',
    label: 'Texte',
    markers: { 'question-live': 'question à l’écran', 'poll-open': 'sondage ouvert' },
    rows: {
      peak: 'Pic de spectateurs',
      peakAt: 'Pic atteint à',
      uniqueViewers: 'Spectateurs uniques (direct)',
      averageWatchSeconds: 'Temps de visionnage moyen (s)',
      liveWatchSeconds: 'Temps de visionnage total du direct (s)',
      replayViews: 'Vues du replay',
      replayViewers: 'Spectateurs uniques du replay',
      replayWatchSeconds: 'Temps de visionnage du replay (s)',
      chatMessages: 'Messages de chat',
      questionsAsked: 'Questions posées',
      questionsAnswered: 'Questions répondues',
      pollVotes: 'Votes aux sondages',
      reactions: 'Réactions',
      registered: 'Inscrits',
      attended: 'Présents',
    },
    season: ['Événement', 'Début (UTC)', 'Statut', 'Pic', 'Spectateurs uniques', 'Visionnage moyen (s)', 'Vues du replay', 'Inscrits', 'Présents'],
  },
  en: {
    metric: 'Figure',
    value: 'Value',
    at: 'Instant (UTC)',
    viewers: 'Viewers',
    marker: 'Marker',
    label: 'Text',
    markers: { 'question-live': 'question on air', 'poll-open': 'poll opened' },
    rows: {
      peak: 'Peak viewers',
      peakAt: 'Peak reached at',
      uniqueViewers: 'Unique viewers (live)',
      averageWatchSeconds: 'Average watch time (s)',
      liveWatchSeconds: 'Total live watch time (s)',
      replayViews: 'Replay views',
      replayViewers: 'Unique replay viewers',
      replayWatchSeconds: 'Replay watch time (s)',
      chatMessages: 'Chat messages',
      questionsAsked: 'Questions asked',
      questionsAnswered: 'Questions answered',
      pollVotes: 'Poll votes',
      reactions: 'Reactions',
      registered: 'Registered',
      attended: 'Attended',
    },
    season: ['Event', 'Starts (UTC)', 'Status', 'Peak', 'Unique viewers', 'Average watch (s)', 'Replay views', 'Registered', 'Attended'],
  },
};

/** toCsv adds a BOM to each table: only the file's first one keeps it. */
const stripBom = (text: string): string => text.replace(/^\uFEFF/, '');

export function eventFiguresCsv(f: EventFigures, lang: CsvLang): string {
  const l = LABELS[lang];
  const r = l.rows;
  const rows: [string, string | number | null][] = [
    [r.peak, f.peak?.viewers ?? 0],
    [r.peakAt, f.peak?.at ?? null],
    [r.uniqueViewers, f.live.uniqueViewers],
    [r.averageWatchSeconds, f.live.averageWatchSeconds],
    [r.liveWatchSeconds, f.live.watchSeconds],
    [r.replayViews, f.replay.views],
    [r.replayViewers, f.replay.uniqueViewers],
    [r.replayWatchSeconds, f.replay.watchSeconds],
    [r.chatMessages, f.chatMessages],
    [r.questionsAsked, f.questions.asked],
    [r.questionsAnswered, f.questions.answered],
    [r.pollVotes, f.pollVotes],
    [r.reactions, f.reactions],
    ...(f.registrations
      ? ([
          [r.registered, f.registrations.registered],
          [r.attended, f.registrations.attended],
        ] as [string, number][])
      : []),
  ];
  return [
    toCsv([l.metric, l.value], rows),
    stripBom(toCsv([l.at, l.viewers], f.samples.map((s) => [s.at, s.viewers]))),
    stripBom(toCsv([l.at, l.marker, l.label], f.markers.map((m) => [m.at, l.markers[m.type], m.label]))),
  ].join('\r\n');
}

export function seasonFiguresCsv(s: SeasonFigures, lang: CsvLang): string {
  return toCsv(
    LABELS[lang].season,
    s.events.map((e) => [
      e.title,
      e.startsAt,
      e.status,
      e.peak,
      e.uniqueViewers,
      e.averageWatchSeconds,
      e.replayViews,
      e.registrations?.registered ?? null,
      e.registrations?.attended ?? null,
    ]),
  );
}
