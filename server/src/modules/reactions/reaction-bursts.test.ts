import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { REACTIONS, type Reaction } from '#shared/domain/moderation';
import { ReactionBursts, type PeerReactions, type ReactionCounts } from './reaction-bursts';

/** The ≤ 4 bursts a second rule and the sums, driven by fake timers: no wall clock anywhere. */

function sum(into: Map<string, number>, eventId: string, counts: ReactionCounts): void {
  for (const [r, n] of Object.entries(counts)) into.set(`${eventId} ${r}`, (into.get(`${eventId} ${r}`) ?? 0) + n);
}

describe('ReactionBursts', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('bursts each event at most 4 times a second and delivers every click, its own and its peers', async () => {
    const bursts: { at: number; eventId: string; counts: ReactionCounts }[] = [];
    const shared: PeerReactions[] = [];
    const aggregator = new ReactionBursts({
      toLocalRoom: (eventId, counts) => bursts.push({ at: Date.now(), eventId, counts }),
      toPeers: (clicks) => shared.push(clicks),
    });
    const clicked = new Map<string, number>();
    const fromPeers = new Map<string, number>();
    // Three seconds of clicks on two events every 7 ms, and a peer's batch every 250 ms.
    for (let t = 0; t < 3000; t += 7) {
      const eventId = t % 2 ? 'e1' : 'e2';
      const reaction: Reaction = REACTIONS[t % REACTIONS.length]!;
      aggregator.add(eventId, reaction);
      sum(clicked, eventId, { [reaction]: 1 });
      if (t % 250 < 7) {
        aggregator.fromPeers([{ eventId: 'e1', counts: { '👏': 3 } }]);
        sum(fromPeers, 'e1', { '👏': 3 });
      }
      await vi.advanceTimersByTimeAsync(7);
    }
    await vi.advanceTimersByTimeAsync(1000);

    for (const eventId of ['e1', 'e2']) {
      const times = bursts.filter((b) => b.eventId === eventId).map((b) => b.at);
      expect(times.length).toBeGreaterThan(8);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(250);
    }
    // Every click reaches the local room once, its own and the peers'.
    const delivered = new Map<string, number>();
    for (const b of bursts) sum(delivered, b.eventId, b.counts);
    const expected = new Map(clicked);
    for (const [k, n] of fromPeers) expected.set(k, (expected.get(k) ?? 0) + n);
    expect(delivered).toEqual(expected);
    // The peers get this process's clicks exactly, never their own back.
    const sent = new Map<string, number>();
    for (const batch of shared) for (const { eventId, counts } of batch) sum(sent, eventId, counts);
    expect(sent).toEqual(clicked);
    aggregator.close();
  });

  it('runs no timer while idle and none after close', async () => {
    const bursts: ReactionCounts[] = [];
    const aggregator = new ReactionBursts({ toLocalRoom: (_e, counts) => bursts.push(counts) });
    expect(vi.getTimerCount()).toBe(0);
    aggregator.add('e1', '❤️');
    aggregator.add('e1', '❤️');
    await vi.advanceTimersByTimeAsync(250);
    expect(bursts).toEqual([{ '❤️': 2 }]);
    expect(vi.getTimerCount()).toBe(0);
    aggregator.add('e1', '😂');
    aggregator.close();
    await vi.advanceTimersByTimeAsync(1000);
    expect(bursts).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
