import { randomUUID } from 'node:crypto';
import { Redis, ReplyError } from 'ioredis';
import type { ChatMessage } from '#shared/domain/chat';
import type { Event, EventQuery, Series } from '#shared/domain/event';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../../modules/errors';
import type { AppendResult, NewChatMessage, Store } from '../store';

export interface RedisStoreOptions {
  /** Every key the store writes starts with this. Default `parvis:`. */
  prefix?: string;
  /**
   * Told about connection errors of a client the store opened (each failed reconnect attempt). Callers already get
   * UNAVAILABLE on every request meanwhile; this is for the log. Without it the errors are dropped, not printed.
   */
  onConnectionError?: (err: Error) => void;
}

/*
 * Key layout, all under the prefix P:
 *
 *   P events               hash   event id → Event JSON
 *   P events:by-start      zset   event id scored by startsAt in ms (ties ordered by id, as SQLite's ORDER BY)
 *   P series               hash   series id → Series JSON
 *   P meta                 hash   key → value
 *   P chat:{E}             stream one entry per message, ID `<offset>-0`, single field `m` = message JSON
 *   P chat:{E}:seq         string the last offset given out in event E (INCR)
 *   P chat:{E}:client      hash   JSON [authorId, clientId] → offset, the idempotency record
 *
 * Events and series are hashes rather than one key each so that a single script can declare every key it reads
 * (listEvents) and a reset has few keys to delete. A programme is hundreds of events, so filtering the few fields
 * that the zset does not index (end, kind, series) happens in memory after one range read.
 *
 * Chat is a Stream keyed by offset rather than a sorted set: XRANGE from `<after+1>-0` and XREVRANGE with COUNT are
 * both O(log n + k), and Redis itself refuses an ID that is not greater than the last one, so an offset can never be
 * written twice or go backwards even if the counter were damaged. The event id sits in braces so that the three keys
 * of an event can never collide with another event's (an id may contain ':'), and so they would share a slot if
 * this ever ran on Redis Cluster, which a multi-key script requires.
 */
function keys(prefix: string) {
  return {
    events: `${prefix}events`,
    eventsByStart: `${prefix}events:by-start`,
    series: `${prefix}series`,
    meta: `${prefix}meta`,
    chat: (eventId: string) => `${prefix}chat:{${eventId}}`,
    chatSeq: (eventId: string) => `${prefix}chat:{${eventId}}:seq`,
    chatClient: (eventId: string) => `${prefix}chat:{${eventId}}:client`,
  };
}

/**
 * appendChat, atomically.
 * KEYS: 1 offset counter, 2 chat stream, 3 idempotency hash.
 * ARGV: 1 idempotency field, 2 message JSON (everything but eventId and offset, which the key and entry ID carry).
 * Returns { created (1|0), offset, message JSON }: when the field is already known, the stored message, untouched.
 */
const APPEND_CHAT_LUA = `
local known = redis.call('HGET', KEYS[3], ARGV[1])
if known then
  local entry = redis.call('XRANGE', KEYS[2], known .. '-0', known .. '-0')[1]
  return { 0, known, entry[2][2] }
end
local offset = redis.call('INCR', KEYS[1])
redis.call('XADD', KEYS[2], offset .. '-0', 'm', ARGV[2])
redis.call('HSET', KEYS[3], ARGV[1], offset)
return { 1, tostring(offset), ARGV[2] }
`;

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

/** The scripts as ioredis exposes them once `defineCommand` ran (EVALSHA, falling back to EVAL after a restart). */
interface ScriptCommands {
  parvisAppendChat(seqKey: string, chatKey: string, clientKey: string, field: string, body: string): Promise<[number, string, string]>;
  parvisEventsUntil(byStartKey: string, eventsKey: string, maxScore: string): Promise<string[]>;
}

/** The part of a ChatMessage stored in the stream entry. */
type StoredMessage = Omit<ChatMessage, 'eventId' | 'offset'>;

/*
 * A Redis that is down must not hang requests. Once connected, the offline queue is off, so a call made while the
 * connection is down fails at once instead of waiting for a reconnect; commandTimeout bounds a call sent to a
 * server that stopped answering (hung, or a dead peer that sent no FIN). Unfulfilled commands are not resent after a
 * reconnect: their caller was already told UNAVAILABLE. Reconnection never stops, with backoff capped at 1 s, so
 * the process recovers by itself when Redis is back.
 */
const CLIENT_OPTIONS = {
  lazyConnect: true,
  enableOfflineQueue: false,
  commandTimeout: 2000,
  connectTimeout: 2000,
  maxRetriesPerRequest: 1,
  autoResendUnfulfilledCommands: false,
  retryStrategy: (attempt: number) => Math.min(50 * 2 ** attempt, 1000),
} as const;

/*
 * Server replies that mean "not now" rather than "wrong command": loading the dataset after a restart, a script
 * running too long, a replica without its master, a failed disk write.
 */
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|MISCONF|READONLY|TRYAGAIN|CLUSTERDOWN|NOREPLICAS)\b/;

function unavailable(err: unknown): unknown {
  if (err instanceof ReplyError && !TRANSIENT_REPLY.test((err as Error).message)) return err;
  const mapped = new DomainError(ErrorCode.UNAVAILABLE, 'The store is unavailable for a moment: try again');
  mapped.cause = err;
  return mapped;
}

/**
 * Opens the Redis store. Given a URL, it connects (rejecting with UNAVAILABLE when Redis cannot be reached) and
 * `close()` will quit that connection. Given a client, it uses it as it is configured and leaves it open on
 * `close()`; it defines the store's two scripts on it.
 */
export async function openRedisStore(target: string | Redis, opts: RedisStoreOptions = {}): Promise<Store> {
  const prefix = opts.prefix ?? 'parvis:';
  if (typeof target !== 'string') return new RedisStore(target, prefix, false);

  const client = new Redis(target, CLIENT_OPTIONS);
  client.on('error', opts.onConnectionError ?? (() => {}));
  try {
    await client.connect();
  } catch (err) {
    client.disconnect();
    throw unavailable(err);
  }
  return new RedisStore(client, prefix, true);
}

class RedisStore implements Store {
  readonly kind = 'redis' as const;
  private readonly k: ReturnType<typeof keys>;
  private readonly scripts: ScriptCommands;

  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
    private readonly ownsClient: boolean,
  ) {
    this.k = keys(prefix);
    client.defineCommand('parvisAppendChat', { lua: APPEND_CHAT_LUA, numberOfKeys: 3 });
    client.defineCommand('parvisEventsUntil', { lua: EVENTS_UNTIL_LUA, numberOfKeys: 2 });
    this.scripts = client as unknown as ScriptCommands;
  }

  /** Runs one round trip, turning a lost or hung connection into UNAVAILABLE. */
  private async io<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      throw unavailable(err);
    }
  }

  async listEvents(query: EventQuery): Promise<Event[]> {
    // An event belongs to [from, to] when it overlaps it: starts by `to` (the zset bound) and ends at or after `from`.
    const maxScore = query.to ? String(Date.parse(query.to)) : '+inf';
    const raw = await this.io(() => this.scripts.parvisEventsUntil(this.k.eventsByStart, this.k.events, maxScore));
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
    const json = await this.io(() => this.client.hget(this.k.events, id));
    return json === null ? undefined : (JSON.parse(json) as Event);
  }

  async listSeries(): Promise<Series[]> {
    const all = await this.io(() => this.client.hgetall(this.k.series));
    return Object.values(all)
      .map((json) => JSON.parse(json) as Series)
      .sort((a, b) => compare(a.title, b.title) || compare(a.id, b.id));
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
    const results = await this.io(() => tx.exec());
    const failed = results?.find(([err]) => err);
    if (!results || failed) throw failed?.[0] ?? new Error('saveProgramme transaction was discarded');
  }

  async clearAll(): Promise<void> {
    // SCAN rather than KEYS so a large database is not blocked; meta survives a reset, as in SQLite.
    const pattern = `${escapeGlob(this.prefix)}*`;
    let cursor = '0';
    do {
      const [next, found] = await this.io(() => this.client.scan(cursor, 'MATCH', pattern, 'COUNT', 500));
      cursor = next;
      const doomed = found.filter((key) => key !== this.k.meta);
      if (doomed.length) await this.io(() => this.client.unlink(...doomed));
    } while (cursor !== '0');
  }

  async appendChat(m: NewChatMessage): Promise<AppendResult> {
    const stored: StoredMessage = { id: randomUUID(), author: m.author, text: m.text, sentAt: m.sentAt, clientId: m.clientId };
    const [created, offset, body] = await this.io(() =>
      this.scripts.parvisAppendChat(
        this.k.chatSeq(m.eventId),
        this.k.chat(m.eventId),
        this.k.chatClient(m.eventId),
        JSON.stringify([m.author.id, m.clientId]),
        JSON.stringify(stored),
      ),
    );
    return { message: toMessage(m.eventId, Number(offset), body), created: created === 1 };
  }

  async chatAfter(eventId: string, afterOffset: number, max: number): Promise<ChatMessage[]> {
    if (max <= 0) return [];
    const start = `${Math.max(0, Math.floor(afterOffset)) + 1}-0`;
    const entries = await this.io(() => this.client.xrange(this.k.chat(eventId), start, '+', 'COUNT', max));
    return entries.map((entry) => fromEntry(eventId, entry));
  }

  async chatTail(eventId: string, count: number): Promise<ChatMessage[]> {
    if (count <= 0) return [];
    const entries = await this.io(() => this.client.xrevrange(this.k.chat(eventId), '+', '-', 'COUNT', count));
    return entries.reverse().map((entry) => fromEntry(eventId, entry));
  }

  async lastChatOffset(eventId: string): Promise<number> {
    // Offsets have no gaps, so the counter is the newest offset.
    return Number(await this.io(() => this.client.get(this.k.chatSeq(eventId)))) || 0;
  }

  async getMeta(key: string): Promise<string | undefined> {
    return (await this.io(() => this.client.hget(this.k.meta, key))) ?? undefined;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.io(() => this.client.hset(this.k.meta, key, value));
  }

  async close(): Promise<void> {
    if (!this.ownsClient || this.client.status === 'end') return;
    try {
      await this.client.quit();
    } catch {
      // Down or hung: nothing to say goodbye to, but the reconnect loop must stop.
      this.client.disconnect();
    }
  }
}

function toMessage(eventId: string, offset: number, body: string): ChatMessage {
  const m = JSON.parse(body) as StoredMessage;
  return { id: m.id, eventId, offset, author: m.author, text: m.text, sentAt: m.sentAt, clientId: m.clientId };
}

function fromEntry(eventId: string, [id, fields]: [id: string, fields: string[]]): ChatMessage {
  return toMessage(eventId, Number.parseInt(id, 10), fields[1]!);
}

/** Byte order, like SQLite's default collation, rather than a locale's. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The prefix is data, not a pattern: `a*` must not clear `ab...`. */
function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}
