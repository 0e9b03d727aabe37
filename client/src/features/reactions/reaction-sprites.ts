import type { Reaction } from '#shared/domain/moderation';
import { REACTIONS } from '#shared/domain/reactions';

/** At most this many floating emojis start per burst, however many people clicked. */
export const MAX_SPRITES_PER_BURST = 12;
/** At most this many floating emojis are on screen at once. */
export const MAX_SPRITES_ALIVE = 36;

export type ReactionCounts = Partial<Record<Reaction, number>>;

/**
 * Which emojis to float for one burst: each reaction that was sent gets at least one (while room is left), the rest of
 * the budget goes to the reactions in proportion to their counts. A burst of 500 claps makes a dozen nodes, not 500.
 * `alive` is how many are still on screen.
 */
export function spritesForBurst(counts: ReactionCounts, alive: number): Reaction[] {
  const budget = Math.max(0, Math.min(MAX_SPRITES_PER_BURST, MAX_SPRITES_ALIVE - alive));
  const sent = REACTIONS.map((reaction) => ({ reaction, count: Math.max(0, Math.floor(counts[reaction] ?? 0)) }))
    .filter((r) => r.count > 0)
    // The most sent first, so they keep their place when the budget is short.
    .sort((a, b) => b.count - a.count);
  if (budget === 0 || sent.length === 0) return [];
  const total = sent.reduce((sum, r) => sum + r.count, 0);
  const shares = sent.map((r) => ({ ...r, n: Math.min(r.count, Math.max(1, Math.floor((r.count / total) * budget))) }));
  const out: Reaction[] = [];
  // Round-robin, so that a short budget still shows the variety of the room.
  for (let round = 0; out.length < budget; round++) {
    let added = false;
    for (const share of shares) {
      if (round < share.n && out.length < budget) {
        out.push(share.reaction);
        added = true;
      }
    }
    if (!added) break;
  }
  return out;
}

/** Adds a burst into running totals (the reduced-motion counter). */
export function addCounts(into: ReactionCounts, burst: ReactionCounts): ReactionCounts {
  const next: ReactionCounts = { ...into };
  for (const reaction of REACTIONS) {
    const n = burst[reaction];
    if (n && n > 0) next[reaction] = (next[reaction] ?? 0) + n;
  }
  return next;
}
