import type { Redis } from 'ioredis';
import type { StreamHealth } from '#shared/domain/broadcast';
import type { BroadcastRecord, FinishOptions, IngestStore, StartPublishResult, StopPublish } from '../ingest-store';
import { ms } from '../instants';
import { io, type RedisEventData } from './redis-connection';

/*
 * Key layout of the ingest, under the store's prefix P:
 *
 *   P ingest:{E}            hash  key → the event's stream key, broadcast → BroadcastRecord JSON,
 *                                 health → StreamHealth JSON
 *   P ingest:keys           hash  stream key → event id (only current keys: rotating removes the old one)
 *   P ingest:reconnecting   zset  event id scored by its reconnect deadline in ms: what the sweeper looks at
 *   P ingest:active         set   event ids whose broadcast is live or reconnecting
 *
 * Each rule is one Lua script that reads the broadcast, decides and writes it back with the indexes, so that two
 * publishers, or two processes finishing the same broadcast, can never both win.
 */

/** A broadcast as the scripts start it when none is stored: the same as idleBroadcast(). */
const LOAD_LUA = `
local function load(key, eventId)
  local json = redis.call('HGET', key, 'broadcast')
  if json then return cjson.decode(json) end
  return { eventId = eventId, state = 'idle', publishes = 0, currentSession = cjson.null, publisherId = cjson.null,
    startedAt = cjson.null, disconnectedAt = cjson.null, reconnectDeadline = cjson.null, endedAt = cjson.null }
end
`;

/** keyOf. KEYS: 1 ingest:{E}, 2 ingest:keys. ARGV: 1 fresh key, 2 event id. Returns the key. */
const KEY_OF_LUA = `
local key = redis.call('HGET', KEYS[1], 'key')
if key then return key end
redis.call('HSET', KEYS[1], 'key', ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return ARGV[1]
`;

/** rotateKey. KEYS: 1 ingest:{E}, 2 ingest:keys. ARGV: 1 fresh key, 2 event id. */
const ROTATE_KEY_LUA = `
local old = redis.call('HGET', KEYS[1], 'key')
if old then redis.call('HDEL', KEYS[2], old) end
redis.call('HSET', KEYS[1], 'key', ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return ARGV[1]
`;

/**
 * startPublish. KEYS: 1 ingest:{E}, 2 ingest:reconnecting, 3 ingest:active. ARGV: 1 event id, 2 publisher id,
 * 3 instant, 4 instant in ms. Returns { outcome, broadcast JSON }, outcome one of started, resumed, same, busy, ended.
 */
const START_PUBLISH_LUA = `${LOAD_LUA}
local b = load(KEYS[1], ARGV[1])
if b.state == 'ended' then return { 'ended', cjson.encode(b) } end
if b.state == 'live' then
  if b.publisherId == ARGV[2] then return { 'same', cjson.encode(b) } end
  return { 'busy', cjson.encode(b) }
end
local outcome = 'started'
if b.state == 'reconnecting' then
  local deadline = tonumber(redis.call('ZSCORE', KEYS[2], ARGV[1]))
  if deadline and deadline <= tonumber(ARGV[4]) then return { 'ended', cjson.encode(b) } end
  outcome = 'resumed'
end
b.state = 'live'
b.publishes = b.publishes + 1
b.publisherId = ARGV[2]
if b.startedAt == cjson.null then b.startedAt = ARGV[3] end
b.disconnectedAt = cjson.null
b.reconnectDeadline = cjson.null
local json = cjson.encode(b)
redis.call('HSET', KEYS[1], 'broadcast', json)
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
return { outcome, json }
`;

/**
 * stopPublish. KEYS: 1 ingest:{E}, 2 ingest:reconnecting. ARGV: 1 event id, 2 publisher id ('' for whoever),
 * 3 instant, 4 deadline, 5 deadline in ms. Returns the broadcast JSON, or nil when nothing changed.
 */
const STOP_PUBLISH_LUA = `
local json = redis.call('HGET', KEYS[1], 'broadcast')
if not json then return false end
local b = cjson.decode(json)
if b.state ~= 'live' then return false end
if ARGV[2] ~= '' and b.publisherId ~= ARGV[2] then return false end
b.state = 'reconnecting'
b.publisherId = cjson.null
b.disconnectedAt = ARGV[3]
b.reconnectDeadline = ARGV[4]
json = cjson.encode(b)
redis.call('HSET', KEYS[1], 'broadcast', json)
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[1])
return json
`;

/** recordSession. KEYS: 1 ingest:{E}. ARGV: 1 event id, 2 session number. */
const RECORD_SESSION_LUA = `${LOAD_LUA}
local b = load(KEYS[1], ARGV[1])
b.currentSession = tonumber(ARGV[2])
redis.call('HSET', KEYS[1], 'broadcast', cjson.encode(b))
return 1
`;

/**
 * finish. KEYS: 1 ingest:{E}, 2 ingest:reconnecting, 3 ingest:active. ARGV: 1 event id, 2 instant, 3 due-by in ms
 * ('' for a finish whatever the deadline). Returns the broadcast JSON to the one caller that ended it, else nil.
 */
const FINISH_LUA = `
local json = redis.call('HGET', KEYS[1], 'broadcast')
if not json then return false end
local b = cjson.decode(json)
if b.state ~= 'live' and b.state ~= 'reconnecting' then return false end
if ARGV[3] ~= '' then
  if b.state ~= 'reconnecting' then return false end
  local deadline = tonumber(redis.call('ZSCORE', KEYS[2], ARGV[1]))
  if deadline and deadline > tonumber(ARGV[3]) then return false end
end
b.state = 'ended'
b.publisherId = cjson.null
b.endedAt = ARGV[2]
json = cjson.encode(b)
redis.call('HSET', KEYS[1], 'broadcast', json)
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('SREM', KEYS[3], ARGV[1])
return json
`;

/** deleteEventData. KEYS: 1 ingest:{E}, 2 ingest:keys, 3 ingest:reconnecting, 4 ingest:active. ARGV: 1 event id. */
const DELETE_LUA = `
local key = redis.call('HGET', KEYS[1], 'key')
if key then redis.call('HDEL', KEYS[2], key) end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('SREM', KEYS[4], ARGV[1])
return 1
`;

interface IngestScripts {
  parvisIngestKeyOf(hash: string, keys: string, fresh: string, eventId: string): Promise<string>;
  parvisIngestRotateKey(hash: string, keys: string, fresh: string, eventId: string): Promise<string>;
  parvisIngestStart(
    hash: string,
    reconnecting: string,
    active: string,
    eventId: string,
    publisherId: string,
    at: string,
    atMs: number,
  ): Promise<[string, string]>;
  parvisIngestStop(
    hash: string,
    reconnecting: string,
    eventId: string,
    publisherId: string,
    at: string,
    deadline: string,
    deadlineMs: number,
  ): Promise<string | null>;
  parvisIngestSession(hash: string, eventId: string, session: number): Promise<number>;
  parvisIngestFinish(hash: string, reconnecting: string, active: string, eventId: string, at: string, dueByMs: string): Promise<string | null>;
  parvisIngestDelete(hash: string, keys: string, reconnecting: string, active: string, eventId: string): Promise<number>;
}

/** Stream keys and broadcasts on Redis, under the store's prefix. */
export class RedisIngestStore implements IngestStore, RedisEventData {
  private readonly scripts: IngestScripts;
  private readonly keys: string;
  private readonly reconnecting: string;
  private readonly active: string;

  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
  ) {
    client.defineCommand('parvisIngestKeyOf', { lua: KEY_OF_LUA, numberOfKeys: 2 });
    client.defineCommand('parvisIngestRotateKey', { lua: ROTATE_KEY_LUA, numberOfKeys: 2 });
    client.defineCommand('parvisIngestStart', { lua: START_PUBLISH_LUA, numberOfKeys: 3 });
    client.defineCommand('parvisIngestStop', { lua: STOP_PUBLISH_LUA, numberOfKeys: 2 });
    client.defineCommand('parvisIngestSession', { lua: RECORD_SESSION_LUA, numberOfKeys: 1 });
    client.defineCommand('parvisIngestFinish', { lua: FINISH_LUA, numberOfKeys: 3 });
    client.defineCommand('parvisIngestDelete', { lua: DELETE_LUA, numberOfKeys: 4 });
    this.scripts = client as unknown as IngestScripts;
    this.keys = `${prefix}ingest:keys`;
    this.reconnecting = `${prefix}ingest:reconnecting`;
    this.active = `${prefix}ingest:active`;
  }

  private hash(eventId: string): string {
    return `${this.prefix}ingest:{${eventId}}`;
  }

  async keyOf(eventId: string, fresh: string): Promise<string> {
    return io(() => this.scripts.parvisIngestKeyOf(this.hash(eventId), this.keys, fresh, eventId));
  }

  async rotateKey(eventId: string, fresh: string): Promise<string> {
    return io(() => this.scripts.parvisIngestRotateKey(this.hash(eventId), this.keys, fresh, eventId));
  }

  async eventOfKey(streamKey: string): Promise<string | undefined> {
    return (await io(() => this.client.hget(this.keys, streamKey))) ?? undefined;
  }

  async getBroadcast(eventId: string): Promise<BroadcastRecord | undefined> {
    const json = await io(() => this.client.hget(this.hash(eventId), 'broadcast'));
    return json === null ? undefined : toBroadcast(json);
  }

  async activeBroadcasts(): Promise<BroadcastRecord[]> {
    const ids = await io(() => this.client.smembers(this.active));
    const out: BroadcastRecord[] = [];
    for (const id of ids) {
      const broadcast = await this.getBroadcast(id);
      // Between the two reads the broadcast may have ended: only what is still running is answered.
      if (broadcast && (broadcast.state === 'live' || broadcast.state === 'reconnecting')) out.push(broadcast);
    }
    return out;
  }

  async startPublish(eventId: string, publish: { publisherId: string; at: string }): Promise<StartPublishResult> {
    const [outcome, json] = await io(() =>
      this.scripts.parvisIngestStart(
        this.hash(eventId),
        this.reconnecting,
        this.active,
        eventId,
        publish.publisherId,
        publish.at,
        ms(publish.at),
      ),
    );
    const broadcast = toBroadcast(json);
    switch (outcome) {
      case 'started':
      case 'resumed':
        return { outcome: 'started', broadcast, resumed: outcome === 'resumed' };
      case 'same':
        return { outcome: 'started', broadcast, resumed: false };
      default:
        return { outcome: outcome as 'busy' | 'ended', broadcast };
    }
  }

  async stopPublish(eventId: string, stop: StopPublish): Promise<BroadcastRecord | undefined> {
    const json = await io(() =>
      this.scripts.parvisIngestStop(
        this.hash(eventId),
        this.reconnecting,
        eventId,
        stop.publisherId ?? '',
        stop.at,
        stop.deadline,
        ms(stop.deadline),
      ),
    );
    return json === null ? undefined : toBroadcast(json);
  }

  async recordSession(eventId: string, session: number): Promise<void> {
    await io(() => this.scripts.parvisIngestSession(this.hash(eventId), eventId, session));
  }

  async dueReconnects(now: string): Promise<string[]> {
    return io(() => this.client.zrangebyscore(this.reconnecting, '-inf', ms(now)));
  }

  async finish(eventId: string, options: FinishOptions): Promise<BroadcastRecord | undefined> {
    const json = await io(() =>
      this.scripts.parvisIngestFinish(
        this.hash(eventId),
        this.reconnecting,
        this.active,
        eventId,
        options.at,
        options.dueBy === undefined ? '' : String(ms(options.dueBy)),
      ),
    );
    return json === null ? undefined : toBroadcast(json);
  }

  async saveHealth(eventId: string, health: StreamHealth): Promise<void> {
    await io(() => this.client.hset(this.hash(eventId), 'health', JSON.stringify(health)));
  }

  async getHealth(eventId: string): Promise<StreamHealth | undefined> {
    const json = await io(() => this.client.hget(this.hash(eventId), 'health'));
    return json === null ? undefined : (JSON.parse(json) as StreamHealth);
  }

  async deleteEventData(eventId: string): Promise<void> {
    await io(() => this.scripts.parvisIngestDelete(this.hash(eventId), this.keys, this.reconnecting, this.active, eventId));
  }
}

/** A record as a script wrote it back: Lua's JSON encoder writes `null` and whole numbers as JSON.parse expects. */
function toBroadcast(json: string): BroadcastRecord {
  return JSON.parse(json) as BroadcastRecord;
}
