import type { Question, QuestionOrigin, QuestionState } from '#shared/domain/question';
import { MERGE_INTO_STATES } from '#shared/domain/question-transitions';
import { sortQuestions, type QuestionSort } from '../questions/question-order';

/** The queues of the console that the keyboard moves through, in the order they are laid out. */
export const QUEUES = ['pending', 'approved', 'live', 'answered'] as const;
export type QueueName = (typeof QUEUES)[number];

export interface Queues {
  /** Waiting for a moderator, oldest first (it has waited longest). */
  pending: Question[];
  /** Approved, by the moderators' order then votes (or by time, on demand). */
  approved: Question[];
  /** Now answering: one at most, but shown whole if the server ever says otherwise. */
  live: Question[];
  /** Answered, the latest answered first. */
  answered: Question[];
  /** Rejected and merged ones, newest first: kept out of the way, for reference. */
  closed: Question[];
}

/** Splits the questions the moderators see into the console's queues, each in the order it is shown. */
export function toQueues(questions: readonly Question[], approvedSort: QuestionSort): Queues {
  const by = (state: QuestionState) => questions.filter((q) => q.state === state);
  const latest = (a: string | null, b: string | null) => (b ?? '').localeCompare(a ?? '');
  return {
    pending: sortQuestions(by('pending'), 'time'),
    approved: sortQuestions(by('approved'), approvedSort),
    live: sortQuestions(by('live'), 'time'),
    answered: by('answered').sort((a, b) => latest(a.answeredAt, b.answeredAt) || latest(a.createdAt, b.createdAt)),
    closed: questions
      .filter((q) => q.state === 'rejected' || q.state === 'merged')
      .sort((a, b) => latest(a.createdAt, b.createdAt)),
  };
}

/** Which questions the console shows: all of them, or only those asked in one place (the auditorium, online). */
export type OriginFilter = 'all' | QuestionOrigin;
export const ORIGIN_FILTERS: readonly OriginFilter[] = ['all', 'online', 'room'];

/** The questions a filter keeps, in the order given. */
export const withOrigin = (questions: readonly Question[], filter: OriginFilter): readonly Question[] =>
  filter === 'all' ? questions : questions.filter((q) => q.origin === filter);

/** How many questions still in the queues (not rejected nor merged) each filter shows. */
export function originCounts(questions: readonly Question[]): Record<OriginFilter, number> {
  const counts: Record<OriginFilter, number> = { all: 0, online: 0, room: 0 };
  for (const q of questions) {
    if (q.state === 'rejected' || q.state === 'merged') continue;
    counts.all++;
    counts[q.origin]++;
  }
  return counts;
}

/** The questions `question` may be merged into: every other one still in play, the live and most-voted first. */
export function mergeTargets(question: Question, questions: readonly Question[]): Question[] {
  const rank = (q: Question) => ['live', 'approved', 'pending', 'answered'].indexOf(q.state);
  return questions
    .filter((q) => q.id !== question.id && MERGE_INTO_STATES.includes(q.state))
    .sort((a, b) => rank(a) - rank(b) || b.votes - a.votes || a.createdAt.localeCompare(b.createdAt));
}

/**
 * The question to select once `selectedId` left a queue (approved, rejected, set live...): the one that came after it
 * before, else the one before it, else the first; null when the queue is empty. The selection is kept when it is
 * still there.
 */
export function selectionAfterChange(
  previousIds: readonly string[],
  currentIds: readonly string[],
  selectedId: string | null,
): string | null {
  if (selectedId !== null && currentIds.includes(selectedId)) return selectedId;
  if (currentIds.length === 0) return null;
  const still = new Set(currentIds);
  const at = selectedId === null ? -1 : previousIds.indexOf(selectedId);
  if (at >= 0) {
    for (let i = at + 1; i < previousIds.length; i++) if (still.has(previousIds[i]!)) return previousIds[i]!;
    for (let i = at - 1; i >= 0; i--) if (still.has(previousIds[i]!)) return previousIds[i]!;
  }
  return currentIds[0]!;
}

/** Moves the selection one step (`delta` ±1) through a queue, staying at its ends. */
export function moveSelection(ids: readonly string[], selectedId: string | null, delta: 1 | -1): string | null {
  if (ids.length === 0) return null;
  const at = selectedId === null ? -1 : ids.indexOf(selectedId);
  if (at < 0) return delta > 0 ? ids[0]! : ids[ids.length - 1]!;
  return ids[Math.min(ids.length - 1, Math.max(0, at + delta))]!;
}

export interface PositionChange {
  questionId: string;
  position: number;
}

/**
 * The `reorder` requests that move one approved question a step up (`-1`) or down (`1`) in the queue as sorted by
 * votes. Placed questions (with a position) come before the others, so every question from the top down to the pair
 * that swaps, and every question already placed, is numbered 0, 1, 2... in the new order; only the positions that
 * change are sent. Empty when the question cannot move that way.
 */
export function reorderPlan(ordered: readonly Question[], questionId: string, delta: 1 | -1): PositionChange[] {
  const at = ordered.findIndex((q) => q.id === questionId);
  const to = at + delta;
  if (at < 0 || to < 0 || to >= ordered.length) return [];
  const next = [...ordered];
  [next[at], next[to]] = [next[to]!, next[at]!];
  let lastPlaced = -1;
  next.forEach((q, i) => {
    if (q.position !== null) lastPlaced = i;
  });
  const through = Math.max(at, to, lastPlaced);
  const changes: PositionChange[] = [];
  for (let i = 0; i <= through; i++) {
    const q = next[i]!;
    if (q.position !== i) changes.push({ questionId: q.id, position: i });
  }
  return changes;
}

/** What a single key does in the console; null when the key is not one of its shortcuts. */
export type KeyCommand = 'next' | 'previous' | 'approve' | 'reject' | 'rejectWithReason' | 'live' | 'answered' | 'star' | 'edit' | 'help';

/**
 * The console's single-key shortcuts. Keys with Ctrl, Alt or Meta belong to the browser and the system, never to the
 * console; Shift only makes `R` (reject with a reason) and `?`.
 */
export function keyCommand(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'metaKey' | 'shiftKey'>): KeyCommand | null {
  if (event.ctrlKey || event.altKey || event.metaKey) return null;
  switch (event.key) {
    case '?':
      return 'help';
    case 'ArrowDown':
      return event.shiftKey ? null : 'next';
    case 'ArrowUp':
      return event.shiftKey ? null : 'previous';
    case 'R':
      return 'rejectWithReason';
  }
  if (event.shiftKey) return null;
  switch (event.key) {
    case 'j':
      return 'next';
    case 'k':
      return 'previous';
    case 'a':
      return 'approve';
    case 'r':
      return 'reject';
    case 'l':
      return 'live';
    case 'd':
      return 'answered';
    case 's':
      return 'star';
    case 'e':
      return 'edit';
    default:
      return null;
  }
}

/**
 * Whether a key press happened while typing (an input, a text area, a select, an editable element), where letters
 * are text and never shortcuts. `path` is the event's composed path, which crosses shadow roots.
 */
export function isTyping(path: readonly EventTarget[]): boolean {
  for (const target of path) {
    if (typeof target !== 'object' || target === null || !('tagName' in target)) continue;
    const el = target as { tagName: string; isContentEditable?: boolean; type?: string };
    const tag = el.tagName.toUpperCase();
    if (tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable) return true;
    if (tag === 'INPUT') {
      const type = (el.type ?? 'text').toLowerCase();
      return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(type);
    }
  }
  return false;
}

/** The first words of a text, for accessible names and confirmations ("Approuver « Comment… »"). */
export function excerpt(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}
