import type { Redis } from 'ioredis';
import type { Reaction } from '#shared/domain/moderation';
import { ms } from '../instants';
import { countsToAdd, type ReactionBurstRecord, type ReactionCounts, type ReactionStore } from '../reaction-store';
import { exec, io, type RedisEventData } from './redis-connection';

/*
 * Key layout, under the store's prefix P:
 *
 *   P reactions:{E}   hash   `<instant in ms>:<reaction>` → count (HINCRBY: the processes' counts add up)
 *
 * The instant is digits and comes first, so the field splits at its first ':' whatever the reaction. The demo reset
 * removes the key with every other key of events (redis-store.ts).
 */

/** Reaction bursts on Redis, under the store's prefix. */
export class RedisReactionStore implements ReactionStore, RedisEventData {
  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
  ) {}

  private key(eventId: string): string {
    return `${this.prefix}reactions:{${eventId}}`;
  }

  async add(eventId: string, at: string, counts: ReactionCounts): Promise<void> {
    const pairs = countsToAdd(counts);
    if (!pairs.length) return;
    const atMs = ms(at);
    const key = this.key(eventId);
    // MULTI: a burst of several reactions is added whole.
    await exec(pairs.reduce((tx, [reaction, n]) => tx.hincrby(key, `${atMs}:${reaction}`, n), this.client.multi()));
  }

  async list(eventId: string): Promise<ReactionBurstRecord[]> {
    const fields = await io(() => this.client.hgetall(this.key(eventId)));
    const byInstant = new Map<number, ReactionCounts>();
    for (const [field, value] of Object.entries(fields)) {
      const colon = field.indexOf(':');
      const atMs = Number(field.slice(0, colon));
      let counts = byInstant.get(atMs);
      if (!counts) byInstant.set(atMs, (counts = {}));
      counts[field.slice(colon + 1) as Reaction] = Number(value);
    }
    return [...byInstant]
      .sort(([a], [b]) => a - b)
      .map(([atMs, counts]) => ({ at: new Date(atMs).toISOString(), counts }));
  }

  async deleteEventData(eventId: string): Promise<void> {
    await io(() => this.client.del(this.key(eventId)));
  }

  /** The store's clearAll already removes every key under the prefix but the people's and meta. */
  async clearAll(): Promise<void> {}
}
