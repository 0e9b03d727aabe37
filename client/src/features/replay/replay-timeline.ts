import type { TimelineItem } from '#shared/domain/broadcast';
import { chapterAt, chaptersOf, type Chapter } from '#shared/domain/chapters';
import type { Reaction } from '#shared/domain/moderation';
import type { ReplayLink } from './deep-link';

/** What the replay's chat shows: messages, and polls opening and closing, as lines among them. */
export type ReplayEntry = Extract<TimelineItem, { type: 'chat' | 'poll-open' | 'poll-close' }> & { offset: number };
/** A question going on air, as the replay shows it above the chat. */
export type OnAir = Extract<TimelineItem, { type: 'question-live' }> & { offset: number };

/** The live as it stood at one moment of the replay. */
export interface ReplayMoment {
  /** The chat up to that moment, oldest first: the last {@link SHOWN_ENTRIES} of it. */
  readonly entries: readonly ReplayEntry[];
  /** How many entries the moment holds in all (more than `entries` when the oldest are left out). */
  readonly total: number;
  /** The question on air then, or null (none yet, or answered and the next not on air yet). */
  readonly onAir: OnAir | null;
  /** Index in `chapters` of the chapter playing, -1 before the first. */
  readonly chapter: number;
  /**
   * The reactions the video played through since the previous moment, while it played on (never after a seek), with
   * a number that grows with each so a view animates each burst once; null before the first.
   */
  readonly burst: { readonly seq: number; readonly counts: Partial<Record<Reaction, number>> } | null;
}

/** The chat keeps this many entries on screen; earlier ones are one seek back away. */
export const SHOWN_ENTRIES = 200;
/**
 * A forward move of the playhead longer than this between two updates is a seek, even if the player reported it as
 * plain progress (`timeupdate` fires about 4 times a second while playing).
 */
const LARGEST_STEP_SECONDS = 3;

type Placed = TimelineItem & { offset: number };

/**
 * The chat and the Q&A of a live on the video's clock (issue 11): given the event's timeline (each item with its
 * offset in the replay), what the live showed at any position of the video. Playing on appends what was said
 * since; a seek, back or forth, starts over from the timeline, so the chat is always exactly what had been said by
 * then. Free of DOM and Lit: the replay page feeds it the player's position, and its tests a position by hand.
 */
export class ReplayTimeline {
  readonly chapters: readonly Chapter[];
  readonly #items: readonly Placed[];
  readonly #listeners = new Set<(moment: ReplayMoment) => void>();
  #position = 0;
  /** How many of `#items` the position has passed. */
  #passed = 0;
  #burstSeq = 0;
  #moment: ReplayMoment;

  /**
   * @param items the event's timeline; items the replay does not hold (offset null) are left out
   * @param duration the replay's length in seconds, which ends the last chapter (unknown: it runs to the end)
   */
  constructor(items: readonly TimelineItem[], duration = Number.POSITIVE_INFINITY) {
    const placed = items.filter((item): item is Placed => item.offset !== null);
    // The server sends them in order of instant, and offsets grow with instants; sorted again (stably) all the same,
    // since everything below relies on it.
    this.#items = placed
      .map((item, i) => ({ item, i }))
      .sort((a, b) => a.item.offset - b.item.offset || a.i - b.i)
      .map(({ item }) => item);
    this.chapters = chaptersOf(this.#items, duration);
    this.#passed = this.#countUpTo(0);
    this.#moment = this.#momentAt(this.#passed, null);
  }

  /** Whether anything of the live happened within the replay: without it there is nothing to show beside the video. */
  get isEmpty(): boolean {
    return this.#items.length === 0;
  }

  get moment(): ReplayMoment {
    return this.#moment;
  }

  /** The playhead, in seconds, as last reported. */
  get position(): number {
    return this.#position;
  }

  subscribe(listener: (moment: ReplayMoment) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The video played on to `position`. A step back, or too long a step forward, is taken as a seek. */
  play(position: number): void {
    const step = position - this.#position;
    if (step < 0 || step > LARGEST_STEP_SECONDS) {
      this.seek(position);
      return;
    }
    this.#moveTo(position, true);
  }

  /** The viewer (or a deep link, or a chapter) moved the video to `position`: the chat is rebuilt as of then. */
  seek(position: number): void {
    this.#moveTo(position, false);
  }

  /**
   * Where a deep link starts the replay: its time, or the moment its question went on air; null for a question that
   * never went on air within the replay.
   */
  startOf(link: ReplayLink): number | null {
    if (link.kind === 'time') return link.seconds;
    const live = this.#items.find((item) => item.type === 'question-live' && item.questionId === link.questionId);
    return live ? live.offset : null;
  }

  #moveTo(position: number, playing: boolean): void {
    const target = Number.isFinite(position) && position > 0 ? position : 0;
    const from = this.#passed;
    const passed = this.#countUpTo(target);
    let burst = this.#moment.burst;
    if (playing && passed > from) {
      const counts: Partial<Record<Reaction, number>> = {};
      for (const item of this.#items.slice(from, passed)) {
        if (item.type !== 'reactions') continue;
        for (const [reaction, n] of Object.entries(item.counts) as [Reaction, number][]) {
          counts[reaction] = (counts[reaction] ?? 0) + n;
        }
      }
      if (Object.keys(counts).length) burst = { seq: ++this.#burstSeq, counts };
    }
    this.#position = target;
    const changed =
      passed !== this.#passed || burst !== this.#moment.burst || chapterAt(this.chapters, target) !== this.#moment.chapter;
    this.#passed = passed;
    if (!changed) return;
    this.#moment = this.#momentAt(passed, burst);
    for (const listener of this.#listeners) listener(this.#moment);
  }

  /** How many items happened at or before `position` (binary search: a seek in a long talk is instant). */
  #countUpTo(position: number): number {
    let [lo, hi] = [0, this.#items.length];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#items[mid]!.offset <= position) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #momentAt(passed: number, burst: ReplayMoment['burst']): ReplayMoment {
    const entries: ReplayEntry[] = [];
    let onAir: OnAir | null = null;
    for (const item of this.#items.slice(0, passed)) {
      switch (item.type) {
        case 'chat':
        case 'poll-open':
        case 'poll-close':
          entries.push(item);
          break;
        case 'question-live':
          onAir = item;
          break;
        case 'question-answered':
          if (onAir?.questionId === item.questionId) onAir = null;
          break;
      }
    }
    return {
      entries: entries.length > SHOWN_ENTRIES ? entries.slice(-SHOWN_ENTRIES) : entries,
      total: entries.length,
      onAir,
      chapter: chapterAt(this.chapters, this.#position),
      burst,
    };
  }
}
