import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ChatMessage } from '#shared/domain/chat';
import type { BackstageNote, HeldMessage, PinnedAnnouncement, Sanction } from '#shared/domain/moderation';
import {
  DEFAULT_ROOM_SETTINGS,
  tombstone,
  type ModerationStore,
  type NewHeldMessage,
  type PriorSend,
  type RoomSettingsPatch,
  type StoredRoomSettings,
} from '../moderation-store';
import { chatKeys, messageFromEntry } from './redis-chat';
import { io, type RedisEventData } from './redis-connection';

/*
 * Key layout, under the store's prefix P, each with the event id in braces like the chat's keys:
 *
 *   P room:{E}           hash   slowModeSeconds, preModeration ('1' | '0', absent until set), pinned (JSON or
 *                               'null'), wordFilter (JSON array)
 *   P slow:{E}           hash   user id → `<sent ms>|<clientId>` of their last message under slow mode
 *   P held:{E}           hash   held id → HeldMessage JSON, the messages waiting for review
 *   P held:{E}:client    hash   JSON [authorId, clientId] → HeldMessage JSON, kept after review (idempotency)
 *   P sanctions:{E}      hash   user id → Sanction JSON plus `untilMs` (a timeout's end in ms, for the reads)
 *   P backstage:{E}      list   BackstageNote JSON, oldest first
 *
 * Deleting a message adds its id to the chat's `chat:{E}:deleted` set, and finding a message by id or by clientId
 * reads the chat's stream and idempotency hash: those keys belong to the chat, see redis-chat.ts.
 */
function keys(prefix: string) {
  const chat = chatKeys(prefix);
  return {
    chat: chat.stream,
    chatClient: chat.client,
    deleted: chat.deleted,
    room: (e: string) => `${prefix}room:{${e}}`,
    slow: (e: string) => `${prefix}slow:{${e}}`,
    held: (e: string) => `${prefix}held:{${e}}`,
    heldClient: (e: string) => `${prefix}held:{${e}}:client`,
    sanctions: (e: string) => `${prefix}sanctions:{${e}}`,
    backstage: (e: string) => `${prefix}backstage:{${e}}`,
  };
}

/**
 * deleteChatMessage. Entries are keyed by offset, so the message is found by scanning the stream from its newest end
 * (moderators delete recent messages). Each entry's JSON begins with its id (`{"id":"…",`, as chat.append writes
 * it), which ARGV[1] is.
 * KEYS: 1 chat stream, 2 deleted set. ARGV: 1 the JSON prefix to look for, 2 message id.
 * Returns nil when there is no such message, else { entry id, message JSON, 1 when newly deleted else 0 }.
 */
const DELETE_CHAT_LUA = `
local last = '+'
while true do
  local entries = redis.call('XREVRANGE', KEYS[1], last, '-', 'COUNT', 500)
  for _, entry in ipairs(entries) do
    local body = entry[2][2]
    if string.sub(body, 1, #ARGV[1]) == ARGV[1] then
      return { entry[1], body, redis.call('SADD', KEYS[2], ARGV[2]) }
    end
  end
  if #entries < 500 then return false end
  last = '(' .. entries[#entries][1]
end
`;

/**
 * findSent. KEYS: 1 chat idempotency hash, 2 chat stream, 3 deleted set, 4 held idempotency hash. ARGV: 1 field.
 * Returns { 'm', offset, message JSON, 1 when deleted else 0 }, { 'h', held JSON }, or nil.
 */
const FIND_SENT_LUA = `
local offset = redis.call('HGET', KEYS[1], ARGV[1])
if offset then
  local entry = redis.call('XRANGE', KEYS[2], offset .. '-0', offset .. '-0')[1]
  if entry then
    local m = cjson.decode(entry[2][2])
    return { 'm', offset, entry[2][2], redis.call('SISMEMBER', KEYS[3], m.id) }
  end
end
local held = redis.call('HGET', KEYS[4], ARGV[1])
if held then return { 'h', held } end
return false
`;

/**
 * updateSettings: reads, writes the given fields and reads again in one step.
 * KEYS: 1 room hash. ARGV: field, value pairs. Returns { before HGETALL, after HGETALL }.
 */
const UPDATE_SETTINGS_LUA = `
local before = redis.call('HGETALL', KEYS[1])
if #ARGV > 0 then redis.call('HSET', KEYS[1], unpack(ARGV)) end
return { before, redis.call('HGETALL', KEYS[1]) }
`;

/**
 * takeSlowModeTurn. KEYS: 1 slow hash. ARGV: 1 user id, 2 clientId, 3 window ms, 4 now ms.
 * Returns 0 when the turn is taken (or is this clientId's already), else the ms left to wait.
 */
const SLOW_MODE_LUA = `
local last = redis.call('HGET', KEYS[1], ARGV[1])
if last then
  local bar = string.find(last, '|', 1, true)
  local sent = tonumber(string.sub(last, 1, bar - 1))
  if string.sub(last, bar + 1) == ARGV[2] then return 0 end
  local wait = sent + tonumber(ARGV[3]) - tonumber(ARGV[4])
  if wait > 0 then return wait end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[4] .. '|' .. ARGV[2])
return 0
`;

/**
 * holdMessage. KEYS: 1 held hash, 2 held idempotency hash. ARGV: 1 field, 2 id, 3 JSON.
 * Returns { created (1|0), JSON }.
 */
const HOLD_LUA = `
local known = redis.call('HGET', KEYS[2], ARGV[1])
if known then return { 0, known } end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
return { 1, ARGV[3] }
`;

/** takeHeld. KEYS: 1 held hash. ARGV: 1 held id. Returns the JSON to the one caller that removed it, else nil. */
const TAKE_HELD_LUA = `
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return false end
redis.call('HDEL', KEYS[1], ARGV[1])
return json
`;

/**
 * removeSanction. KEYS: 1 sanctions hash. ARGV: 1 user id. Returns the JSON removed, or nil.
 * Whether it was still in force is the caller's to judge (it knows the clock it passes everywhere else).
 */
const REMOVE_SANCTION_LUA = `
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return false end
redis.call('HDEL', KEYS[1], ARGV[1])
return json
`;

interface ScriptCommands {
  parvisModDeleteChat(chatKey: string, deletedKey: string, needle: string, id: string): Promise<[string, string, number] | null>;
  parvisModFindSent(chatClient: string, chat: string, deleted: string, heldClient: string, field: string): Promise<[string, string, string?, number?] | null>;
  parvisModUpdateSettings(roomKey: string, ...pairs: string[]): Promise<[string[], string[]]>;
  parvisModSlowMode(slowKey: string, userId: string, clientId: string, windowMs: string, nowMs: string): Promise<number>;
  parvisModHold(heldKey: string, heldClient: string, field: string, id: string, json: string): Promise<[number, string]>;
  parvisModTakeHeld(heldKey: string, id: string): Promise<string | null>;
  parvisModRemoveSanction(sanctionsKey: string, userId: string): Promise<string | null>;
}

type StoredSanction = Sanction & { untilMs: number | null };

const active = (s: StoredSanction, nowMs: number) => s.kind === 'ban' || (s.untilMs !== null && s.untilMs > nowMs);

function publicSanction(s: StoredSanction): Sanction {
  const { untilMs: _drop, ...sanction } = s;
  return sanction;
}

/** Settings from a flat HGETALL reply ([field, value, field, value, …]) or an object. */
function settingsFrom(raw: string[] | Record<string, string>): StoredRoomSettings {
  const h: Record<string, string> = Array.isArray(raw)
    ? Object.fromEntries(Array.from({ length: raw.length / 2 }, (_, i) => [raw[2 * i]!, raw[2 * i + 1]!]))
    : raw;
  return {
    slowModeSeconds: h.slowModeSeconds === undefined ? DEFAULT_ROOM_SETTINGS.slowModeSeconds : Number(h.slowModeSeconds),
    preModeration: h.preModeration === undefined ? null : h.preModeration === '1',
    pinned: h.pinned === undefined ? null : (JSON.parse(h.pinned) as PinnedAnnouncement | null),
    wordFilter: h.wordFilter === undefined ? [] : (JSON.parse(h.wordFilter) as string[]),
  };
}

const byTimeThenId = <T>(at: (x: T) => string, id: (x: T) => string) => (a: T, b: T) =>
  Date.parse(at(a)) - Date.parse(at(b)) || (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0);

/** Chat moderation, room settings and backstage notes on Redis, under the store's prefix. */
export class RedisModerationStore implements ModerationStore, RedisEventData {
  private readonly k: ReturnType<typeof keys>;
  private readonly scripts: ScriptCommands;

  constructor(
    private readonly client: Redis,
    prefix: string,
  ) {
    this.k = keys(prefix);
    client.defineCommand('parvisModDeleteChat', { lua: DELETE_CHAT_LUA, numberOfKeys: 2 });
    client.defineCommand('parvisModFindSent', { lua: FIND_SENT_LUA, numberOfKeys: 4 });
    client.defineCommand('parvisModUpdateSettings', { lua: UPDATE_SETTINGS_LUA, numberOfKeys: 1 });
    client.defineCommand('parvisModSlowMode', { lua: SLOW_MODE_LUA, numberOfKeys: 1 });
    client.defineCommand('parvisModHold', { lua: HOLD_LUA, numberOfKeys: 2 });
    client.defineCommand('parvisModTakeHeld', { lua: TAKE_HELD_LUA, numberOfKeys: 1 });
    client.defineCommand('parvisModRemoveSanction', { lua: REMOVE_SANCTION_LUA, numberOfKeys: 1 });
    this.scripts = client as unknown as ScriptCommands;
  }

  async deleteChatMessage(eventId: string, messageId: string): Promise<{ message: ChatMessage; changed: boolean } | undefined> {
    const needle = `{"id":${JSON.stringify(messageId)},`;
    const found = await io(() => this.scripts.parvisModDeleteChat(this.k.chat(eventId), this.k.deleted(eventId), needle, messageId));
    if (!found) return undefined;
    const [entryId, body, added] = found;
    const message = messageFromEntry(eventId, entryId, body);
    return added === 1 ? { message, changed: true } : { message: tombstone(message), changed: false };
  }

  async findSent(eventId: string, authorId: string, clientId: string): Promise<PriorSend | undefined> {
    const found = await io(() =>
      this.scripts.parvisModFindSent(
        this.k.chatClient(eventId),
        this.k.chat(eventId),
        this.k.deleted(eventId),
        this.k.heldClient(eventId),
        JSON.stringify([authorId, clientId]),
      ),
    );
    if (!found) return undefined;
    if (found[0] === 'h') return { held: JSON.parse(found[1]) as HeldMessage };
    const message = messageFromEntry(eventId, `${found[1]}-0`, found[2]!);
    return { message: found[3] === 1 ? tombstone(message) : message };
  }

  async getSettings(eventId: string): Promise<StoredRoomSettings> {
    return settingsFrom(await io(() => this.client.hgetall(this.k.room(eventId))));
  }

  async updateSettings(eventId: string, patch: RoomSettingsPatch): Promise<{ before: StoredRoomSettings; after: StoredRoomSettings }> {
    const pairs: string[] = [];
    if (patch.slowModeSeconds !== undefined) pairs.push('slowModeSeconds', String(patch.slowModeSeconds));
    if (patch.preModeration !== undefined) pairs.push('preModeration', patch.preModeration ? '1' : '0');
    if (patch.pinned !== undefined) pairs.push('pinned', JSON.stringify(patch.pinned));
    if (patch.wordFilter !== undefined) pairs.push('wordFilter', JSON.stringify(patch.wordFilter));
    const [before, after] = await io(() => this.scripts.parvisModUpdateSettings(this.k.room(eventId), ...pairs));
    return { before: settingsFrom(before), after: settingsFrom(after) };
  }

  async takeSlowModeTurn(eventId: string, userId: string, clientId: string, windowMs: number, nowMs: number): Promise<number> {
    const wait = await io(() =>
      this.scripts.parvisModSlowMode(this.k.slow(eventId), userId, clientId, String(Math.floor(windowMs)), String(Math.floor(nowMs))),
    );
    return Number(wait);
  }

  async holdMessage(m: NewHeldMessage): Promise<{ held: HeldMessage; created: boolean }> {
    const held: HeldMessage = { id: randomUUID(), ...m };
    const [created, json] = await io(() =>
      this.scripts.parvisModHold(
        this.k.held(m.eventId),
        this.k.heldClient(m.eventId),
        JSON.stringify([m.author.id, m.clientId]),
        held.id,
        JSON.stringify(held),
      ),
    );
    return { held: JSON.parse(json) as HeldMessage, created: created === 1 };
  }

  async listHeld(eventId: string): Promise<HeldMessage[]> {
    const all = await io(() => this.client.hvals(this.k.held(eventId)));
    return all.map((json) => JSON.parse(json) as HeldMessage).sort(byTimeThenId((h) => h.sentAt, (h) => h.id));
  }

  async takeHeld(eventId: string, heldId: string): Promise<HeldMessage | undefined> {
    const json = await io(() => this.scripts.parvisModTakeHeld(this.k.held(eventId), heldId));
    return json === null ? undefined : (JSON.parse(json) as HeldMessage);
  }

  async putSanction(s: Sanction): Promise<void> {
    const stored: StoredSanction = { ...s, untilMs: s.until === null ? null : Date.parse(s.until) };
    await io(() => this.client.hset(this.k.sanctions(s.eventId), s.userId, JSON.stringify(stored)));
  }

  async removeSanction(eventId: string, userId: string, nowMs: number): Promise<Sanction | undefined> {
    const json = await io(() => this.scripts.parvisModRemoveSanction(this.k.sanctions(eventId), userId));
    if (json === null) return undefined;
    const stored = JSON.parse(json) as StoredSanction;
    return active(stored, nowMs) ? publicSanction(stored) : undefined;
  }

  async sanctionOf(eventId: string, userId: string, nowMs: number): Promise<Sanction | undefined> {
    const json = await io(() => this.client.hget(this.k.sanctions(eventId), userId));
    if (json === null) return undefined;
    const stored = JSON.parse(json) as StoredSanction;
    return active(stored, nowMs) ? publicSanction(stored) : undefined;
  }

  async listSanctions(eventId: string, nowMs: number): Promise<Sanction[]> {
    const all = await io(() => this.client.hvals(this.k.sanctions(eventId)));
    return all
      .map((json) => JSON.parse(json) as StoredSanction)
      .filter((s) => active(s, nowMs))
      .map(publicSanction)
      .sort(byTimeThenId((s) => s.at, (s) => s.userId));
  }

  async addBackstageNote(note: BackstageNote): Promise<void> {
    await io(() => this.client.rpush(this.k.backstage(note.eventId), JSON.stringify(note)));
  }

  async listBackstageNotes(eventId: string, limit: number): Promise<BackstageNote[]> {
    if (limit <= 0) return [];
    const all = await io(() => this.client.lrange(this.k.backstage(eventId), -limit, -1));
    return all.map((json) => JSON.parse(json) as BackstageNote);
  }

  async deleteEventData(eventId: string): Promise<void> {
    const k = this.k;
    await io(() =>
      this.client.del(
        k.room(eventId),
        k.slow(eventId),
        k.held(eventId),
        k.heldClient(eventId),
        k.sanctions(eventId),
        k.backstage(eventId),
      ),
    );
  }

  /** The store's clearAll already removes every key under the prefix but the people's and meta. */
  async clearAll(): Promise<void> {}
}
