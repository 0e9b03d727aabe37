import {
  BACKSTAGE_NOTE_MAX_LENGTH,
  PINNED_MAX_LENGTH,
  POLL_MAX_OPTIONS,
  POLL_MIN_OPTIONS,
  POLL_OPTION_MAX_LENGTH,
  POLL_QUESTION_MAX_LENGTH,
  WORD_FILTER_MAX_ENTRIES,
  WORD_FILTER_MAX_LENGTH,
} from '#shared/domain/limits';
import { SLOW_MODE_MAX_SECONDS, TIMEOUT_MAX_MINUTES, TIMEOUT_MIN_MINUTES } from '#shared/domain/moderation';
import type { PollResultsVisibility } from '#shared/domain/poll';
import type { StringKey } from '../../i18n/i18n';

/** A problem with what was typed: a catalogue key and its parameters, so the form can say it in either language. */
export interface FieldProblem {
  key: StringKey;
  params?: Record<string, number | string>;
}

// ── polls ─────────────────────────────────────────────────────────────────────────────────────────────────────────

export interface PollDraft {
  question: string;
  options: string[];
  multiple: boolean;
  results: PollResultsVisibility;
}

export const emptyPollDraft = (): PollDraft => ({ question: '', options: ['', ''], multiple: false, results: 'live' });

export interface PollDraftCheck {
  /** The payload fields to send, when the draft is good. */
  ready: { question: string; options: string[]; multiple: boolean; results: PollResultsVisibility } | null;
  /** Problems by field: `question`, `options` (the list as a whole), `option.<i>`. */
  problems: Record<string, FieldProblem>;
}

/**
 * Checks a poll before it is sent, the way the server will: a question, 2–10 options, none too long. Blank option
 * rows are dropped rather than refused (a moderator often adds one row too many); two identical options are refused.
 */
export function checkPollDraft(draft: PollDraft): PollDraftCheck {
  const problems: Record<string, FieldProblem> = {};
  const question = draft.question.trim();
  if (question === '') problems.question = { key: 'mod.poll.questionEmpty' };
  else if (question.length > POLL_QUESTION_MAX_LENGTH) {
    problems.question = { key: 'mod.tooLong', params: { max: POLL_QUESTION_MAX_LENGTH } };
  }
  const options: string[] = [];
  const seen = new Set<string>();
  draft.options.forEach((raw, i) => {
    const text = raw.trim();
    if (text === '') return;
    if (text.length > POLL_OPTION_MAX_LENGTH) {
      problems[`option.${i}`] = { key: 'mod.tooLong', params: { max: POLL_OPTION_MAX_LENGTH } };
    } else if (seen.has(text.toLocaleLowerCase())) {
      problems[`option.${i}`] = { key: 'mod.poll.optionTwice' };
    }
    seen.add(text.toLocaleLowerCase());
    options.push(text);
  });
  if (options.length < POLL_MIN_OPTIONS) problems.options = { key: 'mod.poll.tooFewOptions', params: { min: POLL_MIN_OPTIONS } };
  else if (options.length > POLL_MAX_OPTIONS) problems.options = { key: 'mod.poll.tooManyOptions', params: { max: POLL_MAX_OPTIONS } };
  const ok = Object.keys(problems).length === 0;
  return {
    ready: ok ? { question, options, multiple: draft.multiple, results: draft.results } : null,
    problems,
  };
}

/**
 * Each option's share of the votes, in whole percents of the people who voted (a multiple-choice poll can pass 100 in
 * total); zeros when nobody voted, null when the counts are hidden.
 */
export function pollShares(counts: readonly number[] | null, voters: number | null): number[] | null {
  if (!counts) return null;
  const total = voters ?? counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total > 0 ? Math.round((c / total) * 100) : 0));
}

// ── word filter ───────────────────────────────────────────────────────────────────────────────────────────────────

export interface WordFilterCheck {
  /** The entries to send: trimmed, blank lines and repeats (case-insensitive) dropped, in the order typed. */
  entries: string[];
  problem: FieldProblem | null;
}

/** Reads the word filter editor: one entry per line. */
export function parseWordFilter(text: string): WordFilterCheck {
  const entries: string[] = [];
  const seen = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const entry = line.trim();
    if (entry === '' || seen.has(entry.toLocaleLowerCase())) continue;
    seen.add(entry.toLocaleLowerCase());
    entries.push(entry);
  }
  const long = entries.find((e) => e.length > WORD_FILTER_MAX_LENGTH);
  const problem: FieldProblem | null = long
    ? { key: 'mod.filter.entryTooLong', params: { entry: long, max: WORD_FILTER_MAX_LENGTH } }
    : entries.length > WORD_FILTER_MAX_ENTRIES
      ? { key: 'mod.filter.tooMany', params: { max: WORD_FILTER_MAX_ENTRIES } }
      : null;
  return { entries, problem };
}

/** Whether the filter as typed differs from the one in force (order and case of entries matter to nobody). */
export function wordFilterChanged(typed: readonly string[], current: readonly string[]): boolean {
  const norm = (list: readonly string[]) => [...new Set(list.map((e) => e.toLocaleLowerCase()))].sort().join('\n');
  return norm(typed) !== norm(current);
}

// ── chat sanctions, slow mode, short texts ────────────────────────────────────────────────────────────────────────

export const DEFAULT_TIMEOUT_MINUTES = 5;

/** Reads a timeout length typed in minutes: a whole number from 1 to 60, else null. */
export function parseTimeoutMinutes(raw: string): number | null {
  if (!/^\s*\d+\s*$/.test(raw)) return null;
  const minutes = Number(raw);
  return minutes >= TIMEOUT_MIN_MINUTES && minutes <= TIMEOUT_MAX_MINUTES ? minutes : null;
}

/** Minutes left in a timeout ending at `until`, rounded up; 0 once it is over. */
export function minutesLeft(until: string, now: number): number {
  return Math.max(0, Math.ceil((Date.parse(until) - now) / 60_000));
}

/** The slow mode choices offered, in seconds (0: off); the one in force is added when it is not among them. */
export function slowModeChoices(current: number): number[] {
  const base = [0, 5, 10, 30, 60, 120, SLOW_MODE_MAX_SECONDS];
  return base.includes(current) ? base : [...base, current].sort((a, b) => a - b);
}

/** A one-line text to send (a pinned announcement, a note): trimmed, and refused when empty or too long. */
export function checkText(raw: string, max: number): { text: string; problem: FieldProblem | null } {
  const text = raw.trim();
  if (text === '') return { text, problem: { key: 'mod.textEmpty' } };
  if (text.length > max) return { text, problem: { key: 'mod.tooLong', params: { max } } };
  return { text, problem: null };
}

export const PINNED_MAX = PINNED_MAX_LENGTH;
export const NOTE_MAX = BACKSTAGE_NOTE_MAX_LENGTH;
