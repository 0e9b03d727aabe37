import type { Redis } from 'ioredis';
import type { CaptionCue } from '#shared/domain/caption';
import type { CaptionAppend, CaptionAppendResult, CaptionEdit, CaptionStore } from '../caption-store';
import { compareBytes, ms } from '../instants';
import { io, type RedisEventData } from './redis-connection';

/*
 * Key layout of the captions (issue 12), under the store's prefix P; every key of an event shares its hash tag {E}:
 *
 *   P captions:{E}:cues        hash  cue id → CaptionCue JSON
 *   P captions:{E}:t:<lang>    zset  cue ids of a language, scored by startAt in ms
 *   P captions:{E}:seqs        hash  "<lang>|<source>|<seq>" → JSON array of the cue ids it brought (a seq seen)
 *   P captions:{E}:desk        hash  "<lang>|<source>" → the last seq the store gave (the desk's lines)
 *   P captions:{E}:langs       set   languages with cues
 *   P captions:{E}:secret      string  the ingest URL's secret
 *
 * Appending is one Lua script: check the seq, number the desk's line, place each line among the others and end the
 * one before it. Ties in startAt are broken by seq then id when listing (as SQLite does); the script, which only
 * needs the line just before and after, breaks them by id.
 */

/** append. KEYS: 1 cues, 2 t:<lang>, 3 seqs, 4 desk, 5 langs. ARGV: 1 JSON of the CaptionAppend with startMs per line. */
const APPEND_LUA = `
local input = cjson.decode(ARGV[1])
local seqKey
if input.seq ~= cjson.null then
  seqKey = input.lang .. '|' .. input.source .. '|' .. input.seq
  local seen = redis.call('HGET', KEYS[3], seqKey)
  if seen then
    local out = {}
    for _, id in ipairs(cjson.decode(seen)) do
      local json = redis.call('HGET', KEYS[1], id)
      if json then table.insert(out, json) end
    end
    return { 1, out, {} }
  end
end
local seq = input.seq
if seq == cjson.null then
  seq = redis.call('HINCRBY', KEYS[4], input.lang .. '|' .. input.source, 1)
  seqKey = input.lang .. '|' .. input.source .. '|' .. seq
end
local ids = {}
local ended = {}
local endedOrder = {}
for _, line in ipairs(input.lines) do
  local before = redis.call('ZREVRANGEBYSCORE', KEYS[2], line.startMs, '-inf', 'LIMIT', 0, 1)[1]
  if before then
    local cue = cjson.decode(redis.call('HGET', KEYS[1], before))
    if cue.endAt == cjson.null or cue.endMs > line.startMs then
      cue.endAt = line.startAt
      cue.endMs = line.startMs
      redis.call('HSET', KEYS[1], before, cjson.encode(cue))
      if not ended[before] then ended[before] = true; table.insert(endedOrder, before) end
    end
  end
  local after = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. line.startMs, '+inf', 'LIMIT', 0, 1)[1]
  local endAt = cjson.null
  local endMs = cjson.null
  if after then
    local next = cjson.decode(redis.call('HGET', KEYS[1], after))
    endAt = next.startAt
    endMs = next.startMs
  end
  local cue = { id = line.id, eventId = input.eventId, lang = input.lang, seq = seq, startAt = line.startAt,
    startMs = line.startMs, endAt = endAt, endMs = endMs, text = line.text, source = input.source, editedAt = cjson.null }
  redis.call('HSET', KEYS[1], line.id, cjson.encode(cue))
  redis.call('ZADD', KEYS[2], line.startMs, line.id)
  table.insert(ids, line.id)
end
redis.call('HSET', KEYS[3], seqKey, cjson.encode(ids))
redis.call('SADD', KEYS[5], input.lang)
local cues = {}
local mine = {}
for _, id in ipairs(ids) do mine[id] = true; table.insert(cues, redis.call('HGET', KEYS[1], id)) end
local endedCues = {}
for _, id in ipairs(endedOrder) do
  if not mine[id] then table.insert(endedCues, redis.call('HGET', KEYS[1], id)) end
end
return { 0, cues, endedCues }
`;

/**
 * update. KEYS: 1 cues, 2 t:<lang> (the cue's language, which no edit changes). ARGV: 1 cue id, 2 JSON of the edit
 * (`text`, `startAt`/`startMs`, `endAt`/`endMs` when they change, `editedAt`). Returns the cue JSON, or nil.
 */
const UPDATE_LUA = `
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return nil end
local cue = cjson.decode(json)
local edit = cjson.decode(ARGV[2])
if edit.text ~= nil then cue.text = edit.text end
if edit.startAt ~= nil then
  cue.startAt = edit.startAt
  cue.startMs = edit.startMs
  redis.call('ZADD', KEYS[2], edit.startMs, ARGV[1])
end
if edit.endAt ~= nil then
  cue.endAt = edit.endAt
  cue.endMs = edit.endMs
end
cue.editedAt = edit.editedAt
json = cjson.encode(cue)
redis.call('HSET', KEYS[1], ARGV[1], json)
return json
`;

/** ingestSecret. KEYS: 1 secret. ARGV: 1 fresh secret. Returns the secret stored (Redis 6.2 has no SET NX GET). */
const SECRET_LUA = `
local secret = redis.call('GET', KEYS[1])
if secret then return secret end
redis.call('SET', KEYS[1], ARGV[1])
return ARGV[1]
`;

/** Stored with the instants in ms, so that the script compares numbers; answered without them. */
interface StoredCue extends CaptionCue {
  startMs: number;
  endMs: number | null;
}

function toCue(json: string): CaptionCue {
  const { startMs: _s, endMs: _e, ...cue } = JSON.parse(json) as StoredCue;
  return cue;
}

function byTime(a: CaptionCue, b: CaptionCue): number {
  return ms(a.startAt) - ms(b.startAt) || a.seq - b.seq || compareBytes(a.id, b.id);
}

interface CaptionScripts {
  parvisCaptionAppend(cues: string, times: string, seqs: string, desk: string, langs: string, input: string): Promise<[number, string[], string[]]>;
  parvisCaptionUpdate(cues: string, times: string, cueId: string, edit: string): Promise<string | null>;
  parvisCaptionSecret(secret: string, fresh: string): Promise<string>;
}

/** Caption cues and ingest secrets on Redis, under the store's prefix. */
export class RedisCaptionStore implements CaptionStore, RedisEventData {
  private readonly scripts: CaptionScripts;

  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
  ) {
    client.defineCommand('parvisCaptionAppend', { lua: APPEND_LUA, numberOfKeys: 5 });
    client.defineCommand('parvisCaptionUpdate', { lua: UPDATE_LUA, numberOfKeys: 2 });
    client.defineCommand('parvisCaptionSecret', { lua: SECRET_LUA, numberOfKeys: 1 });
    this.scripts = client as unknown as CaptionScripts;
  }

  private key(eventId: string, part: string): string {
    return `${this.prefix}captions:{${eventId}}:${part}`;
  }

  async append(input: CaptionAppend): Promise<CaptionAppendResult> {
    const payload = JSON.stringify({ ...input, lines: input.lines.map((l) => ({ ...l, startMs: ms(l.startAt) })) });
    const [repeated, cues, ended] = await io(() =>
      this.scripts.parvisCaptionAppend(
        this.key(input.eventId, 'cues'),
        this.key(input.eventId, `t:${input.lang}`),
        this.key(input.eventId, 'seqs'),
        this.key(input.eventId, 'desk'),
        this.key(input.eventId, 'langs'),
        payload,
      ),
    );
    return { cues: cues.map(toCue).sort(byTime), repeated: repeated === 1, ended: ended.map(toCue) };
  }

  async list(eventId: string, lang: string, options: { last?: number } = {}): Promise<CaptionCue[]> {
    const ids = await io(() =>
      options.last === undefined
        ? this.client.zrange(this.key(eventId, `t:${lang}`), 0, -1)
        : this.client.zrange(this.key(eventId, `t:${lang}`), -options.last, -1),
    );
    if (ids.length === 0) return [];
    const found = await io(() => this.client.hmget(this.key(eventId, 'cues'), ...ids));
    return found.flatMap((json) => (json === null ? [] : [toCue(json)])).sort(byTime);
  }

  async languages(eventId: string): Promise<string[]> {
    const langs = await io(() => this.client.smembers(this.key(eventId, 'langs')));
    return langs.sort(compareBytes);
  }

  async get(eventId: string, cueId: string): Promise<CaptionCue | undefined> {
    const json = await io(() => this.client.hget(this.key(eventId, 'cues'), cueId));
    return json === null ? undefined : toCue(json);
  }

  async update(eventId: string, cueId: string, edit: CaptionEdit): Promise<CaptionCue | undefined> {
    // The language picks the zset to move the cue in; no edit changes it, so reading it first is safe.
    const current = await this.get(eventId, cueId);
    if (!current) return undefined;
    const change = {
      ...(edit.text !== undefined && { text: edit.text }),
      ...(edit.startAt !== undefined && { startAt: edit.startAt, startMs: ms(edit.startAt) }),
      // JSON null reaches Lua as cjson.null, not nil: an end taken away is written back as null.
      ...(edit.endAt !== undefined && { endAt: edit.endAt, endMs: edit.endAt === null ? null : ms(edit.endAt) }),
      editedAt: edit.editedAt,
    };
    const json = await io(() =>
      this.scripts.parvisCaptionUpdate(this.key(eventId, 'cues'), this.key(eventId, `t:${current.lang}`), cueId, JSON.stringify(change)),
    );
    return json === null ? undefined : toCue(json);
  }

  async remove(eventId: string, cueId: string): Promise<boolean> {
    const cuesKey = this.key(eventId, 'cues');
    const json = await io(() => this.client.hget(cuesKey, cueId));
    if (json === null) return false;
    const { lang } = JSON.parse(json) as StoredCue;
    const done = await io(() => this.client.multi().hdel(cuesKey, cueId).zrem(this.key(eventId, `t:${lang}`), cueId).exec());
    return done?.[0]?.[1] === 1;
  }

  async ingestSecret(eventId: string, fresh: string): Promise<string> {
    return io(() => this.scripts.parvisCaptionSecret(this.key(eventId, 'secret'), fresh));
  }

  async rotateIngestSecret(eventId: string, fresh: string): Promise<string> {
    await io(() => this.client.set(this.key(eventId, 'secret'), fresh));
    return fresh;
  }

  async deleteEventData(eventId: string): Promise<void> {
    const langs = await io(() => this.client.smembers(this.key(eventId, 'langs')));
    await io(() =>
      this.client.del(
        ...['cues', 'seqs', 'desk', 'langs', 'secret'].map((part) => this.key(eventId, part)),
        ...langs.map((lang) => this.key(eventId, `t:${lang}`)),
      ),
    );
  }
}
