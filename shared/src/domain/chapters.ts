import type { TimelineItem } from './broadcast';

/** A stretch of the replay about one question: from the moment it went on air to the next question's (or the end). */
export interface Chapter {
  questionId: string;
  /** The question, as the audience saw it on air. */
  title: string;
  /** Seconds into the replay. */
  start: number;
  end: number;
}

/**
 * The chapters of a replay: one per question that was on air within it, in the replay's order, each until the next
 * one starts or the replay ends. Everything before the replay's start (trimmed away) maps to its first second, and
 * everything during a gap between two sessions to the moment the picture comes back. So a question answered at the
 * same offset it went on air was never on air within the replay, and has no chapter; of several still on air at one
 * offset, only the last keeps one. The server writes them as WebVTT (`chapters.vtt`), the replay page lists them;
 * both call this.
 *
 * @param items the event's timeline, with offsets (items without one are not in the replay)
 * @param duration the replay's length in seconds
 */
export function chaptersOf(items: readonly TimelineItem[], duration: number): Chapter[] {
  const answeredAt = new Map<string, number | null>();
  for (const item of items) if (item.type === 'question-answered') answeredAt.set(item.questionId, item.offset);
  const onAir = items
    .flatMap((item) =>
      item.type === 'question-live' && item.offset !== null && answeredAt.get(item.questionId) !== item.offset
        ? [{ item, offset: item.offset }]
        : [],
    )
    .sort((a, b) => a.offset - b.offset || Date.parse(a.item.at) - Date.parse(b.item.at));
  const chapters: Chapter[] = [];
  for (const [i, { item, offset }] of onAir.entries()) {
    const next = onAir[i + 1];
    // The same start as the next one: that one was on air at this point of the replay, this one never shows.
    if (next && next.offset <= offset) continue;
    const end = Math.min(next?.offset ?? duration, duration);
    if (end <= offset) continue;
    chapters.push({ questionId: item.questionId, title: item.text, start: offset, end });
  }
  return chapters;
}

/** The chapter playing at `position` seconds, or -1 before the first (or with none). */
export function chapterAt(chapters: readonly Chapter[], position: number): number {
  let current = -1;
  for (const [i, chapter] of chapters.entries()) {
    if (chapter.start <= position) current = i;
    else break;
  }
  return current;
}
