import type { Redis } from 'ioredis';
import type { Event, EventQuery, Series } from '#shared/domain/event';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../../core/errors';
import { compareBytes } from '../instants';
import type { ProgrammeStore } from '../programme-store';
import { exec, io, type RedisEventData } from './redis-connection';

/*
 * Key layout of the programme, under the store's prefix P:
 *
 *   P events               hash   event id → Event JSON
 *   P events:by-start      zset   event id scored by startsAt in ms (ties ordered by id, as SQLite's ORDER BY)
 *   P series               hash   series id → Series JSON
 *
 * Events and series are hashes rather than one key each so that a single script can declare every key it reads
 * (listEvents) and a reset has few keys to delete. A programme is hundreds of events, so filtering the few fields
 * that the zset does not index (end, kind, series) happens in memory after one range read.
 */
export function programmeKeys(prefix: string) {
  return {
    events: `${prefix}events`,
    eventsByStart: `${prefix}events:by-start`,
    series: `${prefix}series`,
  };
}

/**
 * The events that start at or before a bound, in start order, read in one step so that a concurrent saveProgramme
 * is seen entirely or not at all.
 * KEYS: 1 events:by-start zset, 2 events hash. ARGV: 1 highest start score (ms, or +inf).
 * Returns the Event JSON strings.
 */
const EVENTS_UNTIL_LUA = `
local ids = redis.call('ZRANGE', KEYS[1], '-inf', ARGV[1], 'BYSCORE')
local out = {}
for i, id in ipairs(ids) do
  out[i] = redis.call('HGET', KEYS[2], id)
end
return out
`;

/**
 * deleteSeries, as a compare-and-set: the caller read the events and sends the new JSON of those in the series
 * (re-encoding events in Lua would turn an empty array into an object). Refused, for the caller to read again, when
 * one of those events changed since or another event joined the series meanwhile.
 * KEYS: 1 series, 2 events. ARGV: 1 series id, 2 the text `"seriesId":<id as JSON>`, then per event to unlink:
 * event id, JSON as read, new JSON. Returns 1 when deleted, 0 when there was no such series, -1 on a conflict.
 */
const DELETE_SERIES_LUA = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
local unlinking = {}
for i = 3, #ARGV, 3 do
  if redis.call('HGET', KEYS[2], ARGV[i]) ~= ARGV[i + 1] then return -1 end
  unlinking[ARGV[i]] = true
end
local all = redis.call('HGETALL', KEYS[2])
for i = 1, #all, 2 do
  if not unlinking[all[i]] and string.find(all[i + 1], ARGV[2], 1, true) then return -1 end
end
redis.call('HDEL', KEYS[1], ARGV[1])
for i = 3, #ARGV, 3 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 2])
end
return 1
`;

interface ProgrammeScripts {
  parvisEventsUntil(byStartKey: string, eventsKey: string, maxScore: string): Promise<string[]>;
  parvisDeleteSeries(seriesKey: string, eventsKey: string, seriesId: string, needle: string, ...triples: string[]): Promise<number>;
}

/** Events and series on Redis, under the store's prefix. */
export class RedisProgrammeStore implements ProgrammeStore {
  private readonly k: ReturnType<typeof programmeKeys>;
  private readonly scripts: ProgrammeScripts;

  /** `eventData`: the other sub-stores, whose keys of an event go with it. */
  constructor(
    private readonly client: Redis,
    prefix: string,
    private readonly eventData: readonly RedisEventData[],
  ) {
    this.k = programmeKeys(prefix);
    client.defineCommand('parvisEventsUntil', { lua: EVENTS_UNTIL_LUA, numberOfKeys: 2 });
    client.defineCommand('parvisDeleteSeries', { lua: DELETE_SERIES_LUA, numberOfKeys: 2 });
    this.scripts = client as unknown as ProgrammeScripts;
  }

  async listEvents(query: EventQuery): Promise<Event[]> {
    // An event belongs to [from, to] when it overlaps it: starts by `to` (the zset bound) and ends at or after `from`.
    const maxScore = query.to ? String(Date.parse(query.to)) : '+inf';
    const raw = await io(() => this.scripts.parvisEventsUntil(this.k.eventsByStart, this.k.events, maxScore));
    const from = query.from ? Date.parse(query.from) : -Infinity;
    return raw
      .filter((json): json is string => typeof json === 'string')
      .map((json) => JSON.parse(json) as Event)
      .filter(
        (e) =>
          Date.parse(e.endsAt) >= from &&
          (!query.kind || e.kind === query.kind) &&
          (!query.series || e.seriesId === query.series),
      );
  }

  async getEvent(id: string): Promise<Event | undefined> {
    const json = await io(() => this.client.hget(this.k.events, id));
    return json === null ? undefined : (JSON.parse(json) as Event);
  }

  async listSeries(): Promise<Series[]> {
    const all = await io(() => this.client.hgetall(this.k.series));
    return Object.values(all)
      .map((json) => JSON.parse(json) as Series)
      .sort((a, b) => compareBytes(a.title, b.title) || compareBytes(a.id, b.id));
  }

  async saveProgramme(series: Series[], events: Event[]): Promise<void> {
    if (series.length === 0 && events.length === 0) return;
    // MULTI/EXEC: a reader sees the programme before or after, never half of it.
    const tx = this.client.multi();
    if (series.length) tx.hset(this.k.series, Object.fromEntries(series.map((s) => [s.id, JSON.stringify(s)])));
    if (events.length) {
      tx.hset(this.k.events, Object.fromEntries(events.map((e) => [e.id, JSON.stringify(e)])));
      tx.zadd(this.k.eventsByStart, ...events.flatMap((e) => [Date.parse(e.startsAt), e.id]));
    }
    await exec(tx);
  }

  /**
   * Each sub-store deletes its keys of the event (each in one atomic step), then the event itself goes. Not one
   * script across sub-stores, which would have to know every other's keys: a failure midway (Redis gone) leaves the
   * event listed with part of its data, and deleting it again finishes the job.
   */
  async deleteEvent(id: string): Promise<boolean> {
    for (const part of this.eventData) await part.deleteEventData(id);
    const [removed] = await exec(this.client.multi().hdel(this.k.events, id).zrem(this.k.eventsByStart, id));
    return removed === 1;
  }

  async deleteSeries(id: string): Promise<boolean> {
    const needle = `"seriesId":${JSON.stringify(id)}`;
    // A conflict means the programme changed between the read and the script: read again. Admin edits are rare, so
    // a few attempts are plenty.
    for (let attempt = 1; attempt <= 5; attempt++) {
      const all = await io(() => this.client.hgetall(this.k.events));
      const triples: string[] = [];
      for (const [eventId, json] of Object.entries(all)) {
        const { seriesId, ...unlinked } = JSON.parse(json) as Event;
        if (seriesId === id) triples.push(eventId, json, JSON.stringify(unlinked));
      }
      const result = await io(() => this.scripts.parvisDeleteSeries(this.k.series, this.k.events, id, needle, ...triples));
      if (result !== -1) return result === 1;
    }
    throw new DomainError(ErrorCode.CONFLICT, 'The programme kept changing while the series was deleted: try again');
  }
}
