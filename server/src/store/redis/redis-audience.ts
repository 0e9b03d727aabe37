import type { Redis } from 'ioredis';
import {
  emptyTotals,
  wholeMs,
  type AudienceMode,
  type AudienceSampleRecord,
  type AudienceStore,
  type AudienceTotals,
  type WatchCredit,
} from '../audience-store';
import { ms } from '../instants';
import { exec, io, type RedisEventData } from './redis-connection';

/*
 * Key layout, under the store's prefix P (one hash tag per event, so that a cluster keeps an event's keys together):
 *
 *   P audience:samples:{E}         hash   `<instant in ms>:<process>` → viewers (HSET: a process replaces its own count)
 *   P audience:watch:{E}:<mode>    hash   person → watched ms (HINCRBY: the processes add up; HLEN: distinct people)
 *   P audience:views:{E}:<mode>    set    view ids (SCARD: distinct views)
 *   P audience:delays:{E}          hash   process → JSON `{at: ms, delays: [ms…]}`
 *
 * The instant is digits and comes first, so a sample's field splits at its first ':' whatever the process id. The
 * demo reset removes these keys with every other key of events (redis-store.ts).
 */

const MODES: readonly AudienceMode[] = ['live', 'replay'];

/** Audience figures on Redis, under the store's prefix. */
export class RedisAudienceStore implements AudienceStore, RedisEventData {
  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
  ) {}

  private samplesKey(eventId: string): string {
    return `${this.prefix}audience:samples:{${eventId}}`;
  }

  private watchKey(eventId: string, mode: AudienceMode): string {
    return `${this.prefix}audience:watch:{${eventId}}:${mode}`;
  }

  private viewsKey(eventId: string, mode: AudienceMode): string {
    return `${this.prefix}audience:views:{${eventId}}:${mode}`;
  }

  private delaysKey(eventId: string): string {
    return `${this.prefix}audience:delays:{${eventId}}`;
  }

  async putSample(eventId: string, at: string, processId: string, viewers: number): Promise<void> {
    await io(() => this.client.hset(this.samplesKey(eventId), `${ms(at)}:${processId}`, Math.max(0, Math.floor(viewers))));
  }

  async samples(eventId: string): Promise<AudienceSampleRecord[]> {
    const fields = await io(() => this.client.hgetall(this.samplesKey(eventId)));
    const byInstant = new Map<number, number>();
    for (const [field, value] of Object.entries(fields)) {
      const atMs = Number(field.slice(0, field.indexOf(':')));
      byInstant.set(atMs, (byInstant.get(atMs) ?? 0) + Number(value));
    }
    return [...byInstant].sort(([a], [b]) => a - b).map(([atMs, viewers]) => ({ at: new Date(atMs).toISOString(), viewers }));
  }

  async addWatch(eventId: string, credit: WatchCredit): Promise<void> {
    // MULTI: the person, their time and the view are counted together.
    await exec(
      this.client
        .multi()
        .hincrby(this.watchKey(eventId, credit.mode), credit.person, wholeMs(credit.ms))
        .sadd(this.viewsKey(eventId, credit.mode), credit.view),
    );
  }

  async totals(eventId: string): Promise<Record<AudienceMode, AudienceTotals>> {
    const totals = { live: emptyTotals(), replay: emptyTotals() };
    const [watch, views] = await Promise.all([
      Promise.all(MODES.map((mode) => io(() => this.client.hvals(this.watchKey(eventId, mode))))),
      Promise.all(MODES.map((mode) => io(() => this.client.scard(this.viewsKey(eventId, mode))))),
    ]);
    MODES.forEach((mode, i) => {
      totals[mode] = { viewers: watch[i]!.length, watchMs: watch[i]!.reduce((sum, v) => sum + Number(v), 0), views: views[i]! };
    });
    return totals;
  }

  async putDelays(eventId: string, processId: string, at: string, delaysMs: readonly number[]): Promise<void> {
    const value = JSON.stringify({ at: ms(at), delays: delaysMs.filter(Number.isFinite) });
    await io(() => this.client.hset(this.delaysKey(eventId), processId, value));
  }

  async delays(eventId: string, since: string): Promise<number[]> {
    const sinceMs = ms(since);
    const all = await io(() => this.client.hvals(this.delaysKey(eventId)));
    return all
      .map((value) => JSON.parse(value) as { at: number; delays: number[] })
      .filter((entry) => entry.at >= sinceMs)
      .flatMap((entry) => entry.delays);
  }

  async deleteEventData(eventId: string): Promise<void> {
    const keys = [
      this.samplesKey(eventId),
      this.delaysKey(eventId),
      ...MODES.flatMap((mode) => [this.watchKey(eventId, mode), this.viewsKey(eventId, mode)]),
    ];
    await io(() => this.client.del(...keys));
  }

  /** The store's clearAll already removes every key under the prefix but the people's and meta. */
  async clearAll(): Promise<void> {}
}
