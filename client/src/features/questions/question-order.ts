import type { Question } from '#shared/domain/question';

export type QuestionSort = 'votes' | 'time';

/**
 * The order questions are shown in. By votes: the moderators' placed ones first (by `position`), then starred, then
 * most votes, then oldest; by time: oldest first. A new array; the input is untouched.
 */
export function sortQuestions(questions: readonly Question[], by: QuestionSort): Question[] {
  const byTime = (a: Question, b: Question) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
  if (by === 'time') return [...questions].sort(byTime);
  return [...questions].sort((a, b) => {
    if (a.position !== null || b.position !== null) {
      if (a.position === null) return 1;
      if (b.position === null) return -1;
      if (a.position !== b.position) return a.position - b.position;
    }
    return Number(b.starred) - Number(a.starred) || b.votes - a.votes || byTime(a, b);
  });
}
