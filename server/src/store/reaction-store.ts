import type { Reaction } from '#shared/domain/moderation';

/** How many of each reaction; a reaction nobody sent is left out. */
export type ReactionCounts = Partial<Record<Reaction, number>>;

/** The reactions of an event at one instant (a whole second, as the live room records them), summed over processes. */
export interface ReactionBurstRecord {
  /** ISO 8601, in milliseconds (`2026-11-25T18:04:05.000Z`). */
  at: string;
  counts: ReactionCounts;
}

/**
 * The storage port of the reactions a live kept (issue 11), reached as `store.reactions`: what the replay plays back
 * as bursts on the video's clock. SQLite and Redis implement it in `sqlite/sqlite-reactions.ts` and
 * `redis/redis-reactions.ts`; the contract suite is `reaction.contract.ts`.
 *
 * Each process records only the clicks its own sockets took, once a second (modules/reactions/reaction-recorder.ts):
 * `add` sums into what is already kept for that instant, atomically, so that the processes of a deployment add up.
 */
export interface ReactionStore {
  /** Adds `counts` to what the event holds at `at`. Counts that are not positive whole numbers are ignored. */
  add(eventId: string, at: string, counts: ReactionCounts): Promise<void>;
  /** The event's bursts, oldest first: one per instant that holds any reaction. */
  list(eventId: string): Promise<ReactionBurstRecord[]>;
  /** Removes everything of this event (called when the event is deleted). */
  deleteEventData(eventId: string): Promise<void>;
  /** Removes everything (the demo reset). */
  clearAll(): Promise<void>;
}

/** The counts `add` keeps: positive whole numbers only, as `[reaction, n]` pairs. */
export function countsToAdd(counts: ReactionCounts): [Reaction, number][] {
  return (Object.entries(counts) as [Reaction, number][]).filter(([, n]) => Number.isInteger(n) && n > 0);
}
