import type { BackstageNote } from '#shared/domain/moderation';
import type { Question } from '#shared/domain/question';
import { sortQuestions } from '../questions/question-order';

/** How many of the next approved questions the stage shows under the live one. */
export const STAGE_NEXT_COUNT = 3;

export interface StageQuestions {
  /** The question being answered, if any. */
  readonly live: Question | null;
  /** The next approved questions, in the moderators' order (placed, starred, most voted, oldest). */
  readonly next: readonly Question[];
  /** Approved questions beyond `next`. */
  readonly more: number;
}

/**
 * What the stage shows of the room's questions. Only approved and live ones: a speaker may also be sent their own
 * pending questions or merged ones, which are not for the stage. Should two questions ever be live for a moment (one
 * broadcast still on its way), the one that went live last wins.
 */
export function stageQuestions(questions: readonly Question[], count = STAGE_NEXT_COUNT): StageQuestions {
  let live: Question | null = null;
  for (const question of questions) {
    if (question.state !== 'live') continue;
    if (!live || (question.liveAt ?? '') > (live.liveAt ?? '')) live = question;
  }
  const approved = sortQuestions(
    questions.filter((q) => q.state === 'approved'),
    'votes',
  );
  return { live, next: approved.slice(0, count), more: Math.max(0, approved.length - count) };
}

/** The moderators' notes, newest on top. A new array. */
export const notesNewestFirst = (notes: readonly BackstageNote[]): BackstageNote[] =>
  [...notes].sort((a, b) => b.at.localeCompare(a.at) || b.id.localeCompare(a.id));

/** The notes not in `seen`, oldest first: what arrived since the view last looked. */
export const notesArrived = (seen: ReadonlySet<string>, notes: readonly BackstageNote[]): BackstageNote[] =>
  notes.filter((note) => !seen.has(note.id)).sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));

/** The type size for the live question: the longest questions (up to 300 characters) must fit without scrolling. */
export type LiveTextSize = 'large' | 'medium' | 'small';

export const liveTextSize = (text: string): LiveTextSize =>
  text.length <= 90 ? 'large' : text.length <= 180 ? 'medium' : 'small';
