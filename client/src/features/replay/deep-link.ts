import { eventHref } from '../../app/routes';

/** Where a link into a replay starts it: at a time, or where a question went on air. */
export type ReplayLink = { kind: 'time'; seconds: number } | { kind: 'question'; questionId: string };

/** `754`, `754s`, `12m34s`, `1h2m3s`, `12:34` or `1:02:03`; anything else is no time. */
const SECONDS = /^(\d{1,6})s?$/;
const UNITS = /^(?:(\d{1,3})h)?(?:(\d{1,4})m)?(?:(\d{1,6})s)?$/;
const CLOCK = /^(?:(\d{1,3}):)?(\d{1,4}):([0-5]\d)$/;

function parseTime(value: string): number | null {
  const plain = SECONDS.exec(value);
  if (plain) return Number(plain[1]);
  const units = UNITS.exec(value);
  if (units && value !== '') return Number(units[1] ?? 0) * 3600 + Number(units[2] ?? 0) * 60 + Number(units[3] ?? 0);
  const clock = CLOCK.exec(value);
  if (clock) return Number(clock[1] ?? 0) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
  return null;
}

/**
 * The start a page address asks of the replay: `?t=754` (also `12m34s` or `12:34`, as people copy them from other
 * players) or `?q=<question id>`. A time wins over a question; a value that reads as neither is ignored, so a mangled
 * link still opens the replay, from the start.
 */
export function parseReplayLink(search: string): ReplayLink | null {
  const params = new URLSearchParams(search);
  const t = params.get('t');
  if (t !== null) {
    const seconds = parseTime(t.trim().toLowerCase());
    if (seconds !== null) return { kind: 'time', seconds };
  }
  const q = params.get('q')?.trim();
  if (q && q.length <= 100) return { kind: 'question', questionId: q };
  return null;
}

/** What the replay page knows, once it has read the replay's map and timeline, of where the video may start. */
export interface ReplayStarts {
  /** Where the replay's own clock starts: its map's first span (`map.spans[0].offset`); null without a map. */
  firstOffset: number | null;
  /** For a link to a question: where it went on air in the replay; null when it did not within it. */
  questionStart: number | null;
}

/**
 * Where the player starts a replay: at a link's time; at the moment a linked question went on air; else at the
 * replay's first span. A trimmed replay (or a ciné-conférence's talk) lists whole segments from the one that holds its
 * in point, so the exact in point is a little into the video: the replay starts there, not at 0, and a link's time
 * before it (`?t=0`) starts there too, so that nothing trimmed away is shown. Null while what it depends on is not read
 * yet (`known` null), and for a replay that starts at its very beginning with no link.
 */
export function replayStart(link: ReplayLink | null, known: ReplayStarts | null): number | null {
  if (!known) return null;
  const first = known.firstOffset !== null && known.firstOffset > 0 ? known.firstOffset : null;
  if (link?.kind === 'time') return Math.max(link.seconds, first ?? 0);
  return link?.kind === 'question' ? (known.questionStart ?? first) : first;
}

/** The address of a moment of an event's replay, in whole seconds (what `parseReplayLink` reads back). */
export const momentHref = (eventId: string, seconds: number): string =>
  `${eventHref(eventId)}?t=${Math.max(0, Math.floor(seconds))}`;

/** The address of the moment a question went on air in an event's replay. */
export const questionHref = (eventId: string, questionId: string): string =>
  `${eventHref(eventId)}?q=${encodeURIComponent(questionId)}`;

/** A position in the video as people read it: `4:05`, `12:34`, `1:02:03`. */
export function formatPosition(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor(total / 60) % 60;
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
