import { randomUUID } from 'node:crypto';
import type { ChainableCommander, Redis } from 'ioredis';
import type { ChatMessage } from '#shared/domain/chat';
import type { AppendResult, ChatRevision, ChatStore, NewChatMessage } from '../chat-store';
import { tombstone } from '../moderation-store';
import { exec, io, type RedisEventData } from './redis-connection';

/*
 * Key layout of the chat, under the store's prefix P:
 *
 *   P chat:{E}             stream one entry per message, ID `<offset>-0`, single field `m` = message JSON
 *   P chat:{E}:seq         string the last offset given out in event E (INCR)
 *   P chat:{E}:client      hash   JSON [authorId, clientId] → offset, the idempotency record
 *   P chat:{E}:deleted     set    ids of the event's deleted messages, written by the moderation sub-store
 *                                 (redis-moderation.ts). Stream entries cannot be edited, so every read here consults
 *                                 this set and answers tombstones.
 *
 * Chat is a Stream keyed by offset rather than a sorted set: XRANGE from `<after+1>-0` and XREVRANGE with COUNT are
 * both O(log n + k), and Redis itself refuses an ID that is not greater than the last one, so an offset can never be
 * written twice or go backwards even if the counter were damaged. The event id sits in braces so that the keys of an
 * event can never collide with another event's (an id may contain ':'), and so they would share a slot if this ever
 * ran on Redis Cluster, which a multi-key script requires.
 */
export function chatKeys(prefix: string) {
  return {
    stream: (eventId: string) => `${prefix}chat:{${eventId}}`,
    seq: (eventId: string) => `${prefix}chat:{${eventId}}:seq`,
    client: (eventId: string) => `${prefix}chat:{${eventId}}:client`,
    deleted: (eventId: string) => `${prefix}chat:{${eventId}}:deleted`,
  };
}

/** The part of a ChatMessage stored in the stream entry; it begins with `{"id":` (moderation searches for that). */
type StoredMessage = Omit<ChatMessage, 'eventId' | 'offset'>;

/** A stream entry (ID `<offset>-0`, JSON without eventId and offset) as a ChatMessage. */
export function messageFromEntry(eventId: string, entryId: string, body: string): ChatMessage {
  const m = JSON.parse(body) as StoredMessage;
  const offset = Number.parseInt(entryId, 10);
  return { id: m.id, eventId, offset, author: m.author, text: m.text, sentAt: m.sentAt, clientId: m.clientId };
}

/**
 * append, atomically.
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

interface ChatScripts {
  parvisAppendChat(seqKey: string, chatKey: string, clientKey: string, field: string, body: string): Promise<[number, string, string]>;
}

/** The chat on Redis, under the store's prefix. */
export class RedisChatStore implements ChatStore, RedisEventData {
  private readonly k: ReturnType<typeof chatKeys>;
  private readonly scripts: ChatScripts;

  constructor(
    private readonly client: Redis,
    prefix: string,
  ) {
    this.k = chatKeys(prefix);
    client.defineCommand('parvisAppendChat', { lua: APPEND_CHAT_LUA, numberOfKeys: 3 });
    this.scripts = client as unknown as ChatScripts;
  }

  async append(m: NewChatMessage): Promise<AppendResult> {
    const stored: StoredMessage = { id: randomUUID(), author: m.author, text: m.text, sentAt: m.sentAt, clientId: m.clientId };
    const [created, offset, body] = await io(() =>
      this.scripts.parvisAppendChat(
        this.k.seq(m.eventId),
        this.k.stream(m.eventId),
        this.k.client(m.eventId),
        JSON.stringify([m.author.id, m.clientId]),
        JSON.stringify(stored),
      ),
    );
    const message = messageFromEntry(m.eventId, offset, body);
    // A retry of a message deleted since gets its tombstone, as every other reader does.
    if (created === 0 && (await io(() => this.client.sismember(this.k.deleted(m.eventId), message.id)))) {
      return { message: tombstone(message), created: false };
    }
    return { message, created: created === 1 };
  }

  async after(eventId: string, afterOffset: number, max: number): Promise<ChatMessage[]> {
    if (max <= 0) return [];
    const start = `${Math.max(0, Math.floor(afterOffset)) + 1}-0`;
    return this.read(eventId, (tx) => tx.xrange(this.k.stream(eventId), start, '+', 'COUNT', max), false);
  }

  async tail(eventId: string, count: number): Promise<ChatMessage[]> {
    if (count <= 0) return [];
    return this.read(eventId, (tx) => tx.xrevrange(this.k.stream(eventId), '+', '-', 'COUNT', count), true);
  }

  /**
   * Reads stream entries together with the event's deleted ids (one MULTI, so a deletion is seen entirely or not),
   * and answers deleted messages as tombstones: a stream entry cannot be edited.
   */
  private async read(eventId: string, range: (tx: ChainableCommander) => ChainableCommander, newestFirst: boolean): Promise<ChatMessage[]> {
    const [entries, deletedIds] = (await exec(range(this.client.multi()).smembers(this.k.deleted(eventId)))) as [
      [id: string, fields: string[]][],
      string[],
    ];
    const deleted = new Set(deletedIds);
    if (newestFirst) entries.reverse();
    return entries.map(([id, fields]) => {
      const message = messageFromEntry(eventId, id, fields[1]!);
      return deleted.has(message.id) ? tombstone(message) : message;
    });
  }

  async lastOffset(eventId: string): Promise<number> {
    // Offsets have no gaps, so the counter is the newest offset.
    return Number(await io(() => this.client.get(this.k.seq(eventId)))) || 0;
  }

  /**
   * The newest entry's ID and message id (a chat begun again after its event's removal has new message ids) and the
   * size of the deleted set, which only grows: one MULTI, so a deletion or an append is seen entirely or not at all.
   */
  async revision(eventId: string): Promise<ChatRevision> {
    const [newest, deleted] = (await exec(
      this.client.multi().xrevrange(this.k.stream(eventId), '+', '-', 'COUNT', 1).scard(this.k.deleted(eventId)),
    )) as [[id: string, fields: string[]][], number];
    const entry = newest[0];
    if (!entry) return { lastOffset: 0, tag: `0:${deleted}` };
    const message = messageFromEntry(eventId, entry[0], entry[1][1]!);
    return { lastOffset: message.offset, tag: `${message.offset}:${message.id}:${deleted}` };
  }

  /** With the idempotency record and the counter: a new event under the same id starts at offset 1 again. */
  async deleteEventData(eventId: string): Promise<void> {
    const k = this.k;
    await io(() => this.client.del(k.stream(eventId), k.seq(eventId), k.client(eventId), k.deleted(eventId)));
  }
}
