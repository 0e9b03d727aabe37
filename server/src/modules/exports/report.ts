import type { Event } from '#shared/domain/event';
import type { PollState } from '#shared/domain/poll';
import type { QuestionOrigin, QuestionState } from '#shared/domain/question';
import { formatInZone } from '#shared/time/zones';
import type { PollRecord } from '../../store/poll-store';
import type { QuestionRecord } from '../../store/question-store';

/*
 * The Q&A and poll reports of an event, as CSV (for spreadsheets) and Markdown (to read or paste into minutes).
 * Pure functions of what the store holds: the routes fetch, these format. Labels follow the event's language.
 */

type Cell = string | number | null;

const LABELS = {
  fr: {
    questionsTitle: 'Questions',
    pollsTitle: 'Sondages',
    number: 'N°',
    question: 'Question',
    asker: 'Auteur',
    anonymous: 'anonyme',
    votes: 'Votes',
    state: 'État',
    askedAt: 'Posée le',
    liveAt: 'À l’écran le',
    answeredAt: 'Répondue le',
    starred: 'Favorite',
    mergedInto: 'Fusionnée dans',
    origin: 'Provenance',
    origins: { online: 'en ligne', room: 'salle' } satisfies Record<QuestionOrigin, string>,
    yes: 'oui',
    poll: 'Sondage',
    option: 'Option',
    voters: 'Votants',
    openedAt: 'Ouvert le',
    closedAt: 'Fermé le',
    multiple: 'plusieurs choix possibles',
    single: 'un seul choix',
    exportedAt: 'Exporté le',
    noQuestions: 'Aucune question.',
    noPolls: 'Aucun sondage.',
    count: (n: number, one: string, many: string) => `${n} ${n <= 1 ? one : many}`,
    questionWords: ['question', 'questions'] as readonly [string, string],
    voterWords: ['votant', 'votants'] as readonly [string, string],
    questionStates: {
      pending: 'en attente',
      approved: 'approuvée',
      live: 'à l’écran',
      answered: 'répondue',
      rejected: 'rejetée',
      merged: 'fusionnée',
    } satisfies Record<QuestionState, string>,
    pollStates: { draft: 'brouillon', open: 'ouvert', closed: 'fermé' } satisfies Record<PollState, string>,
  },
  en: {
    questionsTitle: 'Questions',
    pollsTitle: 'Polls',
    number: 'No.',
    question: 'Question',
    asker: 'Asker',
    anonymous: 'anonymous',
    votes: 'Votes',
    state: 'State',
    askedAt: 'Asked at',
    liveAt: 'Live at',
    answeredAt: 'Answered at',
    starred: 'Starred',
    mergedInto: 'Merged into',
    origin: 'Origin',
    origins: { online: 'online', room: 'room' } satisfies Record<QuestionOrigin, string>,
    yes: 'yes',
    poll: 'Poll',
    option: 'Option',
    voters: 'Voters',
    openedAt: 'Opened at',
    closedAt: 'Closed at',
    multiple: 'several choices allowed',
    single: 'single choice',
    exportedAt: 'Exported at',
    noQuestions: 'No questions.',
    noPolls: 'No polls.',
    count: (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`,
    questionWords: ['question', 'questions'] as readonly [string, string],
    voterWords: ['voter', 'voters'] as readonly [string, string],
    questionStates: {
      pending: 'pending',
      approved: 'approved',
      live: 'live',
      answered: 'answered',
      rejected: 'rejected',
      merged: 'merged',
    } satisfies Record<QuestionState, string>,
    pollStates: { draft: 'draft', open: 'open', closed: 'closed' } satisfies Record<PollState, string>,
  },
};
type Labels = (typeof LABELS)['en'];

const labelsFor = (event: Event): Labels => (event.language === 'fr' ? LABELS.fr : LABELS.en);

/** "2026-11-25 19:04:05" in the event's time zone: readable, and parsed as a date by spreadsheets. */
function localTime(iso: string | null, timeZone: string): string {
  return iso ? formatInZone(iso, timeZone, 'yyyy-MM-dd HH:mm:ss') : '';
}

// ── CSV ─────────────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * One CSV field. Text a spreadsheet would run as a formula (starting with = + - @, or a tab or carriage return that
 * some strip first) gets a leading apostrophe, per OWASP's advice on CSV injection; then RFC 4180 quoting.
 */
export function csvField(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return String(cell);
  const text = /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180: CRLF after every record, a header first; with a UTF-8 BOM so that spreadsheets read the accents right. */
export function toCsv(header: string[], rows: Cell[][]): string {
  return '\uFEFF' + [header, ...rows].map((row) => row.map(csvField).join(',') + '\r\n').join('');
}

// ── Markdown ────────────────────────────────────────────────────────────────────────────────────────────────────────

/** Text safe in a Markdown table cell or heading: no table break (`|`), no line break, no HTML. */
export function mdText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\s*[\r\n]+\s*/g, ' ');
}

function mdTable(header: string[], align: ('left' | 'right')[], rows: Cell[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(header.map(mdText)),
    line(align.map((a) => (a === 'right' ? '---:' : '---'))),
    ...rows.map((row) => line(row.map((c) => (c === null ? '' : typeof c === 'number' ? String(c) : mdText(c))))),
  ].join('\n');
}

function mdPreamble(event: Event, title: string, now: Date, l: Labels): string[] {
  return [
    `# ${mdText(title)} — ${mdText(event.title)}`,
    '',
    `${localTime(event.startsAt, event.timezone).slice(0, 16)} – ${localTime(event.endsAt, event.timezone).slice(11, 16)} ` +
      `(${event.timezone}). ${l.exportedAt} ${localTime(now.toISOString(), event.timezone).slice(0, 16)}.`,
    '',
  ];
}

// ── Q&A ─────────────────────────────────────────────────────────────────────────────────────────────────────────────

interface QuestionLine {
  n: number;
  q: QuestionRecord;
  into: { n: number; q: QuestionRecord } | undefined;
}

/** Questions oldest first, numbered from 1, each merged one with the question it went into. */
function questionLines(questions: QuestionRecord[]): QuestionLine[] {
  const numbered = questions.map((q, i) => ({ n: i + 1, q }));
  const byId = new Map(numbered.map((x) => [x.q.id, x]));
  return numbered.map(({ n, q }) => ({ n, q, into: q.mergedInto ? byId.get(q.mergedInto) : undefined }));
}

function questionColumns(l: Labels, tz: string): string[] {
  return [l.number, l.question, l.asker, l.votes, l.state, `${l.askedAt} (${tz})`, `${l.liveAt} (${tz})`, `${l.answeredAt} (${tz})`, l.starred, l.mergedInto, l.origin];
}

function questionRow({ n, q, into }: QuestionLine, l: Labels, tz: string): Cell[] {
  return [
    n,
    q.text,
    // The asker of an anonymous question stays anonymous in every export, whoever downloads it.
    q.anonymous ? '' : q.author.displayName,
    q.votes,
    l.questionStates[q.state],
    localTime(q.createdAt, tz),
    localTime(q.liveAt, tz),
    localTime(q.answeredAt, tz),
    q.starred ? l.yes : '',
    into ? `${l.number} ${into.n}: ${into.q.text}` : q.mergedInto ? q.mergedInto : '',
    // Last, so that a spreadsheet made from an earlier export keeps its columns where they were.
    l.origins[q.origin],
  ];
}

export function questionsCsv(event: Event, questions: QuestionRecord[]): string {
  const l = labelsFor(event);
  return toCsv(questionColumns(l, event.timezone), questionLines(questions).map((line) => questionRow(line, l, event.timezone)));
}

export function questionsMarkdown(event: Event, questions: QuestionRecord[], now: Date): string {
  const l = labelsFor(event);
  const lines = questionLines(questions);
  const out = mdPreamble(event, l.questionsTitle, now, l);
  if (!lines.length) return [...out, l.noQuestions, ''].join('\n');
  // By state, in the order of the state machine.
  const byState = (Object.keys(l.questionStates) as QuestionState[])
    .map((state) => [state, lines.filter(({ q }) => q.state === state).length] as const)
    .filter(([, n]) => n > 0);
  out.push(`${l.count(lines.length, ...l.questionWords)} — ${byState.map(([state, n]) => `${l.questionStates[state]}: ${n}`).join(', ')}.`, '');
  const tz = event.timezone;
  const columns = questionColumns(l, tz).map((c) => c.replace(` (${tz})`, ''));
  out.push(
    mdTable(
      columns,
      ['right', 'left', 'left', 'right', 'left', 'left', 'left', 'left', 'left', 'left', 'left'],
      lines.map((line) => {
        const row = questionRow(line, l, tz);
        // The report says who asked anonymously rather than leaving a blank.
        if (line.q.anonymous) row[2] = `_${l.anonymous}_`;
        return row;
      }),
    ),
    '',
  );
  return out.join('\n');
}

// ── Polls ───────────────────────────────────────────────────────────────────────────────────────────────────────────

export function pollsCsv(event: Event, polls: PollRecord[]): string {
  const l = labelsFor(event);
  const tz = event.timezone;
  const rows = polls.flatMap((p, i) =>
    p.options.map((o, j): Cell[] => [
      i + 1,
      p.question,
      o.text,
      p.counts[j] ?? 0,
      p.voters,
      l.pollStates[p.state],
      localTime(p.openedAt, tz),
      localTime(p.closedAt, tz),
    ]),
  );
  return toCsv([l.number, l.poll, l.option, l.votes, l.voters, l.state, `${l.openedAt} (${tz})`, `${l.closedAt} (${tz})`], rows);
}

export function pollsMarkdown(event: Event, polls: PollRecord[], now: Date): string {
  const l = labelsFor(event);
  const tz = event.timezone;
  const out = mdPreamble(event, l.pollsTitle, now, l);
  if (!polls.length) return [...out, l.noPolls, ''].join('\n');
  polls.forEach((p, i) => {
    const facts = [
      l.pollStates[p.state],
      p.multiple ? l.multiple : l.single,
      l.count(p.voters, ...l.voterWords),
      ...(p.openedAt ? [`${l.openedAt.toLowerCase()} ${localTime(p.openedAt, tz)}`] : []),
      ...(p.closedAt ? [`${l.closedAt.toLowerCase()} ${localTime(p.closedAt, tz)}`] : []),
    ];
    out.push(`## ${i + 1}. ${mdText(p.question)}`, '', `${facts.join(' · ')}`, '');
    out.push(
      mdTable(
        [l.option, l.votes, '%'],
        ['left', 'right', 'right'],
        p.options.map((o, j) => {
          const votes = p.counts[j] ?? 0;
          return [o.text, votes, p.voters ? `${Math.round((100 * votes) / p.voters)} %` : '–'];
        }),
      ),
      '',
    );
  });
  return out.join('\n');
}
