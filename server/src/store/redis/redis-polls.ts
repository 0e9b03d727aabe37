import type { Redis } from 'ioredis';
import {
  newPollRecord,
  type NewPoll,
  type PollDeleteResult,
  type PollRecord,
  type PollStateChange,
  type PollStateResult,
  type PollStore,
  type PollVoteResult,
} from '../poll-store';
import { io, type RedisEventData } from './redis-connection';

/*
 * Key layout, under the store's prefix P:
 *
 *   P polls:{E}          hash  poll id → PollRecord JSON, its `counts` and `voters` kept equal to its ballots
 *   P polls:{E}:ballots  hash  `<poll id>:<user id>` → the JSON array of option ids that person chose (poll ids are
 *                              UUIDs, without ':', so the field cannot be read two ways)
 *
 * Both keys of an event share the brace tag, so one script may touch both. Each rule is one Lua script that decodes the
 * record, checks, and writes it back: a vote and a state change can never interleave.
 */

/**
 * setPollState. KEYS: 1 polls. ARGV: 1 poll id, 2 required state, 3 new state, 4 instant.
 * Returns { outcome, poll JSON }.
 */
const SET_POLL_STATE_LUA = `
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return { 'not-found' } end
local poll = cjson.decode(json)
if poll.state ~= ARGV[2] then return { 'refused', json } end
poll.state = ARGV[3]
if ARGV[3] == 'open' then poll.openedAt = ARGV[4] else poll.closedAt = ARGV[4] end
json = cjson.encode(poll)
redis.call('HSET', KEYS[1], ARGV[1], json)
return { 'changed', json }
`;

/** deleteDraft. KEYS: 1 polls. ARGV: 1 poll id. Returns { outcome, poll JSON }. */
const DELETE_DRAFT_LUA = `
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return { 'not-found' } end
if cjson.decode(json).state ~= 'draft' then return { 'refused', json } end
redis.call('HDEL', KEYS[1], ARGV[1])
return { 'deleted', json }
`;

/**
 * votePoll. KEYS: 1 polls, 2 ballots. ARGV: 1 poll id, 2 user id, 3 the chosen option ids (JSON array).
 * Returns { outcome, poll JSON, choice JSON }: the poll after the vote, and the ballot that counts.
 */
const VOTE_POLL_LUA = `
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return { 'not-found' } end
local poll = cjson.decode(json)
if poll.state ~= 'open' then return { 'not-open', json } end
local choice = cjson.decode(ARGV[3])
if type(choice) ~= 'table' or #choice == 0 or (not poll.multiple and #choice ~= 1) then return { 'invalid', json } end
local index = {}
for i, option in ipairs(poll.options) do index[option.id] = i end
local chosen = {}
for _, id in ipairs(choice) do
  local i = type(id) == 'string' and index[id] or nil
  if not i or chosen[i] then return { 'invalid', json } end
  chosen[i] = true
end
local field = ARGV[1] .. ':' .. ARGV[2]
local prior = redis.call('HGET', KEYS[2], field)
if prior then return { 'already-voted', json, prior } end
for i in pairs(chosen) do poll.counts[i] = poll.counts[i] + 1 end
poll.voters = poll.voters + 1
json = cjson.encode(poll)
redis.call('HSET', KEYS[1], ARGV[1], json)
redis.call('HSET', KEYS[2], field, ARGV[3])
return { 'counted', json, ARGV[3] }
`;

/** choicesOf. KEYS: 1 polls, 2 ballots. ARGV: 1 user id. Returns poll id, choice JSON, poll id, choice JSON… */
const CHOICES_OF_LUA = `
local out = {}
for _, pid in ipairs(redis.call('HKEYS', KEYS[1])) do
  local choice = redis.call('HGET', KEYS[2], pid .. ':' .. ARGV[1])
  if choice then
    out[#out + 1] = pid
    out[#out + 1] = choice
  end
end
return out
`;

interface PollScripts {
  parvisSetPollState(pollsKey: string, pollId: string, from: string, to: string, at: string): Promise<string[]>;
  parvisDeleteDraft(pollsKey: string, pollId: string): Promise<string[]>;
  parvisVotePoll(pollsKey: string, ballotsKey: string, pollId: string, userId: string, choice: string): Promise<string[]>;
  parvisChoicesOf(pollsKey: string, ballotsKey: string, userId: string): Promise<string[]>;
}

/** Polls on Redis, under the store's prefix. */
export class RedisPollStore implements PollStore, RedisEventData {
  private readonly scripts: PollScripts;

  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
  ) {
    client.defineCommand('parvisSetPollState', { lua: SET_POLL_STATE_LUA, numberOfKeys: 1 });
    client.defineCommand('parvisDeleteDraft', { lua: DELETE_DRAFT_LUA, numberOfKeys: 1 });
    client.defineCommand('parvisVotePoll', { lua: VOTE_POLL_LUA, numberOfKeys: 2 });
    client.defineCommand('parvisChoicesOf', { lua: CHOICES_OF_LUA, numberOfKeys: 2 });
    this.scripts = client as unknown as PollScripts;
  }

  private polls(eventId: string): string {
    return `${this.prefix}polls:{${eventId}}`;
  }

  private ballots(eventId: string): string {
    return `${this.prefix}polls:{${eventId}}:ballots`;
  }

  async createPoll(poll: NewPoll): Promise<PollRecord> {
    const record = newPollRecord(poll);
    await io(() => this.client.hset(this.polls(poll.eventId), record.id, JSON.stringify(record)));
    return record;
  }

  async getPoll(eventId: string, pollId: string): Promise<PollRecord | undefined> {
    const json = await io(() => this.client.hget(this.polls(eventId), pollId));
    return json === null ? undefined : toPoll(json);
  }

  async listPolls(eventId: string): Promise<PollRecord[]> {
    const all = await io(() => this.client.hvals(this.polls(eventId)));
    return all.map(toPoll).sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async setPollState(eventId: string, pollId: string, change: PollStateChange): Promise<PollStateResult> {
    const [outcome, json] = await io(() =>
      this.scripts.parvisSetPollState(this.polls(eventId), pollId, change.from, change.to, change.at),
    );
    if (outcome === 'not-found') return { outcome };
    return { outcome: outcome as 'changed' | 'refused', poll: toPoll(json!) };
  }

  async deleteDraft(eventId: string, pollId: string): Promise<PollDeleteResult> {
    const [outcome, json] = await io(() => this.scripts.parvisDeleteDraft(this.polls(eventId), pollId));
    if (outcome === 'not-found') return { outcome };
    return { outcome: outcome as 'deleted' | 'refused', poll: toPoll(json!) };
  }

  async votePoll(eventId: string, pollId: string, userId: string, optionIds: readonly string[]): Promise<PollVoteResult> {
    const [outcome, json, choice] = await io(() =>
      this.scripts.parvisVotePoll(this.polls(eventId), this.ballots(eventId), pollId, userId, JSON.stringify(optionIds)),
    );
    switch (outcome) {
      case 'not-found':
        return { outcome };
      case 'counted':
      case 'already-voted':
        return { outcome, poll: toPoll(json!), choice: JSON.parse(choice!) as string[] };
      default:
        return { outcome: outcome as 'not-open' | 'invalid', poll: toPoll(json!) };
    }
  }

  async choicesOf(eventId: string, userId: string): Promise<Map<string, string[]>> {
    const flat = await io(() => this.scripts.parvisChoicesOf(this.polls(eventId), this.ballots(eventId), userId));
    const out = new Map<string, string[]>();
    for (let i = 0; i + 1 < flat.length; i += 2) out.set(flat[i]!, JSON.parse(flat[i + 1]!) as string[]);
    return out;
  }

  async deleteEventData(eventId: string): Promise<void> {
    await io(() => this.client.del(this.polls(eventId), this.ballots(eventId)));
  }

  /** The store's clearAll already removes every key under the prefix but the people's and meta. */
  async clearAll(): Promise<void> {}
}

/** A record as the scripts wrote it back: Lua's JSON encoder writes `null` and numbers as JSON.parse expects. */
function toPoll(json: string): PollRecord {
  return JSON.parse(json) as PollRecord;
}
