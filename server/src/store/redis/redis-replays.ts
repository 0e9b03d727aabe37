import type { Redis } from 'ioredis';
import { compareBytes } from '../instants';
import { newReplayRecord, type ReplayPatch, type ReplayRecord, type ReplayStore } from '../replay-store';
import { exec, io, type RedisEventData } from './redis-connection';

/*
 * Key layout of replays, under the store's prefix P:
 *
 *   P replay:<eventId>     hash   field of ReplayRecord → its value as JSON (`"ready"`, `12.5`, `null`, `true`)
 *   P replays              set    the event ids that have a record
 *
 * One hash field per record field, so that an update is a MULTI of HSETNX (the defaults, for a new record) and HSET
 * (the patch): two patches of different fields never overwrite each other, and no script has to merge JSON.
 */
export function replayKeys(prefix: string) {
  return {
    replay: (eventId: string) => `${prefix}replay:${eventId}`,
    index: `${prefix}replays`,
  };
}

const FIELDS = Object.keys(newReplayRecord('')).filter((field) => field !== 'eventId');

function fromHash(eventId: string, hash: Record<string, string>): ReplayRecord {
  const record: Record<string, unknown> = { ...newReplayRecord(eventId) };
  for (const field of FIELDS) {
    const raw = hash[field];
    if (raw !== undefined) record[field] = JSON.parse(raw);
  }
  return record as unknown as ReplayRecord;
}

export class RedisReplayStore implements ReplayStore, RedisEventData {
  private readonly k: ReturnType<typeof replayKeys>;

  constructor(
    private readonly client: Redis,
    prefix: string,
  ) {
    this.k = replayKeys(prefix);
  }

  async get(eventId: string): Promise<ReplayRecord | undefined> {
    const hash = await io(() => this.client.hgetall(this.k.replay(eventId)));
    return Object.keys(hash).length === 0 ? undefined : fromHash(eventId, hash);
  }

  async update(eventId: string, patch: ReplayPatch): Promise<ReplayRecord> {
    const key = this.k.replay(eventId);
    const defaults = newReplayRecord(eventId) as unknown as Record<string, unknown>;
    const changes = Object.entries(patch).filter(([field, value]) => value !== undefined && FIELDS.includes(field));
    const tx = this.client.multi();
    for (const field of FIELDS) tx.hsetnx(key, field, JSON.stringify(defaults[field]));
    if (changes.length > 0) tx.hset(key, Object.fromEntries(changes.map(([field, value]) => [field, JSON.stringify(value)])));
    tx.sadd(this.k.index, eventId);
    tx.hgetall(key);
    const replies = await exec(tx);
    return fromHash(eventId, replies.at(-1) as Record<string, string>);
  }

  async list(): Promise<ReplayRecord[]> {
    const ids = (await io(() => this.client.smembers(this.k.index))).sort(compareBytes);
    if (ids.length === 0) return [];
    const pipeline = this.client.pipeline();
    for (const id of ids) pipeline.hgetall(this.k.replay(id));
    const hashes = (await exec(pipeline)) as Record<string, string>[];
    return ids.flatMap((id, i) => (Object.keys(hashes[i]!).length === 0 ? [] : [fromHash(id, hashes[i]!)]));
  }

  async deleteEventData(eventId: string): Promise<void> {
    await exec(this.client.multi().del(this.k.replay(eventId)).srem(this.k.index, eventId));
  }
}
