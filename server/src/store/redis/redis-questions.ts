import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { QuestionState } from '#shared/domain/question';
import { byInstant, compareBytes } from '../instants';
import type {
  MergeResult,
  NewQuestion,
  QuestionPatch,
  QuestionRecord,
  QuestionStore,
  StateChange,
  StateResult,
  VoteResult,
} from '../question-store';
import { io, type RedisEventData } from './redis-connection';

/*
 * Key layout of the Q&A, under the store's prefix P:
 *
 *   P questions:{E}            hash  question id → QuestionRecord JSON (its `votes` kept equal to SCARD of its voters)
 *   P questions:{E}:client     hash  JSON [authorId, clientId] → question id, the idempotency record
 *   P questions:{E}:voters:{Q} set   user ids that voted for question Q (the brace tag is E's, so every key of an
 *                                    event's Q&A shares one slot; scripts that reach a question's voters build its
 *                                    key from the prefix passed in ARGV)
 */
function questionKeys(prefix: string) {
  return {
    questions: (eventId: string) => `${prefix}questions:{${eventId}}`,
    client: (eventId: string) => `${prefix}questions:{${eventId}}:client`,
    /** Followed by a question id: that question's voter set. */
    votersPrefix: (eventId: string) => `${prefix}questions:{${eventId}}:voters:`,
  };
}

/*
 * Questions. A QuestionRecord is flat apart from `author` (two strings), so cjson gives it back as it was; nulls stay
 * nulls. `allowed` lists of states arrive as one comma-separated ARGV.
 */
const QUESTION_LUA_PRELUDE = `
local function allowed(state, list) return string.find(',' .. list .. ',', ',' .. state .. ',', 1, true) ~= nil end
`;

/**
 * ask. KEYS: 1 questions, 2 idempotency hash. ARGV: 1 idempotency field, 2 new id, 3 record JSON.
 * Returns { created (1|0), record JSON }.
 */
const ASK_QUESTION_LUA = `
local known = redis.call('HGET', KEYS[2], ARGV[1])
if known then return { 0, redis.call('HGET', KEYS[1], known) } end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return { 1, ARGV[3] }
`;

/**
 * vote. KEYS: 1 questions, 2 the question's voters. ARGV: 1 question id, 2 user id, 3 '1' up / '0' withdraw.
 * Returns { 0 } not found, { 2, JSON } when the question takes no votes, { 1, JSON, changed (1|0) }.
 */
const VOTE_LUA = `
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return { 0 } end
local q = cjson.decode(json)
if q.state ~= 'approved' and q.state ~= 'live' then return { 2, json } end
local changed
if ARGV[3] == '1' then changed = redis.call('SADD', KEYS[2], ARGV[2]) else changed = redis.call('SREM', KEYS[2], ARGV[2]) end
if changed == 1 then
  q.votes = redis.call('SCARD', KEYS[2])
  json = cjson.encode(q)
  redis.call('HSET', KEYS[1], ARGV[1], json)
end
return { 1, json, changed }
`;

/** votesBy. KEYS: 1 questions. ARGV: 1 voters key prefix, 2 user id. Returns the question ids. */
const VOTES_BY_LUA = `
local out = {}
for _, qid in ipairs(redis.call('HKEYS', KEYS[1])) do
  if redis.call('SISMEMBER', ARGV[1] .. qid, ARGV[2]) == 1 then out[#out + 1] = qid end
end
return out
`;

/**
 * setState. KEYS: 1 questions. ARGV: 1 id, 2 target state, 3 allowed states, 4 at, 5 '1' when a reason
 * follows, 6 reason. Returns { 0 } not found, { 2, JSON } refused, { 1, JSON, previous state [, the previous live
 * question, now answered, JSON] }.
 */
const SET_QUESTION_STATE_LUA = `${QUESTION_LUA_PRELUDE}
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return { 0 } end
local q = cjson.decode(json)
if not allowed(q.state, ARGV[3]) then return { 2, json } end
local previous = q.state
local answered = false
if ARGV[2] == 'live' then
  local all = redis.call('HGETALL', KEYS[1])
  for i = 1, #all, 2 do
    if all[i] ~= ARGV[1] then
      local other = cjson.decode(all[i + 1])
      if other.state == 'live' then
        other.state = 'answered'
        other.answeredAt = ARGV[4]
        answered = cjson.encode(other)
        redis.call('HSET', KEYS[1], all[i], answered)
      end
    end
  end
  q.liveAt = ARGV[4]
elseif ARGV[2] == 'answered' then
  q.answeredAt = ARGV[4]
elseif ARGV[2] == 'rejected' then
  if ARGV[5] == '1' then q.rejectedReason = ARGV[6] else q.rejectedReason = cjson.null end
end
q.state = ARGV[2]
local out = cjson.encode(q)
redis.call('HSET', KEYS[1], ARGV[1], out)
if answered then return { 1, out, previous, answered } end
return { 1, out, previous }
`;

/**
 * merge. KEYS: 1 questions, 2 from's voters, 3 into's voters. ARGV: 1 from id, 2 into id, 3 allowed states
 * of from, 4 of into. Returns { 0 } not found, { 2, from JSON, into JSON } refused, { 1, from JSON, into JSON, from's
 * previous state }.
 */
const MERGE_QUESTION_LUA = `${QUESTION_LUA_PRELUDE}
local fj = redis.call('HGET', KEYS[1], ARGV[1])
local ij = redis.call('HGET', KEYS[1], ARGV[2])
if not fj or not ij then return { 0 } end
local from = cjson.decode(fj)
local into = cjson.decode(ij)
if ARGV[1] == ARGV[2] or not allowed(from.state, ARGV[3]) or not allowed(into.state, ARGV[4]) then return { 2, fj, ij } end
local previous = from.state
redis.call('SUNIONSTORE', KEYS[3], KEYS[3], KEYS[2])
into.votes = redis.call('SCARD', KEYS[3])
from.state = 'merged'
from.mergedInto = ARGV[2]
fj = cjson.encode(from)
ij = cjson.encode(into)
redis.call('HSET', KEYS[1], ARGV[1], fj, ARGV[2], ij)
return { 1, fj, ij, previous }
`;

/** update. KEYS: 1 questions. ARGV: 1 id, 2 patch JSON (only the fields to change). Returns JSON or nil. */
const UPDATE_QUESTION_LUA = `
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return false end
local q = cjson.decode(json)
for k, v in pairs(cjson.decode(ARGV[2])) do q[k] = v end
local out = cjson.encode(q)
redis.call('HSET', KEYS[1], ARGV[1], out)
return out
`;

/**
 * deleteEventData: every question of the event with its voters and the idempotency record.
 * KEYS: 1 questions, 2 idempotency hash. ARGV: 1 voters key prefix.
 */
const DELETE_EVENT_QUESTIONS_LUA = `
for _, qid in ipairs(redis.call('HKEYS', KEYS[1])) do
  redis.call('DEL', ARGV[1] .. qid)
end
redis.call('DEL', KEYS[1], KEYS[2])
`;

interface QuestionScripts {
  parvisAskQuestion(questionsKey: string, clientKey: string, field: string, id: string, json: string): Promise<[number, string]>;
  parvisVote(questionsKey: string, votersKey: string, id: string, userId: string, up: string): Promise<[number, string?, number?]>;
  parvisVotesBy(questionsKey: string, votersPrefix: string, userId: string): Promise<string[]>;
  parvisSetQuestionState(
    questionsKey: string,
    id: string,
    to: string,
    allowed: string,
    at: string,
    hasReason: string,
    reason: string,
  ): Promise<[number, string?, string?, string?]>;
  parvisMergeQuestion(
    questionsKey: string,
    fromVoters: string,
    intoVoters: string,
    fromId: string,
    intoId: string,
    allowedFrom: string,
    allowedInto: string,
  ): Promise<[number, string?, string?, string?]>;
  parvisUpdateQuestion(questionsKey: string, id: string, patch: string): Promise<string | null>;
  parvisDeleteEventQuestions(questionsKey: string, clientKey: string, votersPrefix: string): Promise<null>;
}

/** The Q&A on Redis, under the store's prefix. */
export class RedisQuestionStore implements QuestionStore, RedisEventData {
  private readonly k: ReturnType<typeof questionKeys>;
  private readonly scripts: QuestionScripts;

  constructor(
    private readonly client: Redis,
    prefix: string,
  ) {
    this.k = questionKeys(prefix);
    client.defineCommand('parvisAskQuestion', { lua: ASK_QUESTION_LUA, numberOfKeys: 2 });
    client.defineCommand('parvisVote', { lua: VOTE_LUA, numberOfKeys: 2 });
    client.defineCommand('parvisVotesBy', { lua: VOTES_BY_LUA, numberOfKeys: 1 });
    client.defineCommand('parvisSetQuestionState', { lua: SET_QUESTION_STATE_LUA, numberOfKeys: 1 });
    client.defineCommand('parvisMergeQuestion', { lua: MERGE_QUESTION_LUA, numberOfKeys: 3 });
    client.defineCommand('parvisUpdateQuestion', { lua: UPDATE_QUESTION_LUA, numberOfKeys: 1 });
    client.defineCommand('parvisDeleteEventQuestions', { lua: DELETE_EVENT_QUESTIONS_LUA, numberOfKeys: 2 });
    this.scripts = client as unknown as QuestionScripts;
  }

  async ask(q: NewQuestion): Promise<{ question: QuestionRecord; created: boolean }> {
    const record: QuestionRecord = {
      id: randomUUID(),
      eventId: q.eventId,
      text: q.text,
      anonymous: q.anonymous,
      author: { id: q.author.id, displayName: q.author.displayName },
      clientId: q.clientId,
      state: q.state,
      votes: 0,
      starred: false,
      position: null,
      createdAt: q.createdAt,
      liveAt: null,
      answeredAt: null,
      rejectedReason: null,
      mergedInto: null,
      origin: q.origin ?? 'online',
    };
    const [created, json] = await io(() =>
      this.scripts.parvisAskQuestion(
        this.k.questions(q.eventId),
        this.k.client(q.eventId),
        JSON.stringify([q.author.id, q.clientId]),
        record.id,
        JSON.stringify(record),
      ),
    );
    return { question: toQuestion(json), created: created === 1 };
  }

  async get(eventId: string, questionId: string): Promise<QuestionRecord | undefined> {
    const json = await io(() => this.client.hget(this.k.questions(eventId), questionId));
    return json === null ? undefined : toQuestion(json);
  }

  async list(eventId: string): Promise<QuestionRecord[]> {
    const all = await io(() => this.client.hvals(this.k.questions(eventId)));
    return all.map(toQuestion).sort(byInstant((q) => q.createdAt, (q) => q.id));
  }

  async vote(eventId: string, questionId: string, userId: string, up: boolean): Promise<VoteResult> {
    const [outcome, json, changed] = await io(() =>
      this.scripts.parvisVote(
        this.k.questions(eventId),
        this.k.votersPrefix(eventId) + questionId,
        questionId,
        userId,
        up ? '1' : '0',
      ),
    );
    if (outcome === 0) return { outcome: 'not-found' };
    if (outcome === 2) return { outcome: 'closed', question: toQuestion(json!) };
    return { outcome: 'counted', question: toQuestion(json!), changed: changed === 1 };
  }

  async votesBy(eventId: string, userId: string): Promise<string[]> {
    const ids = await io(() => this.scripts.parvisVotesBy(this.k.questions(eventId), this.k.votersPrefix(eventId), userId));
    return ids.sort(compareBytes);
  }

  async setState(eventId: string, questionId: string, change: StateChange): Promise<StateResult> {
    const hasReason = change.reason !== undefined && change.reason !== null;
    const [outcome, json, previous, answered] = await io(() =>
      this.scripts.parvisSetQuestionState(
        this.k.questions(eventId),
        questionId,
        change.to,
        change.from.join(','),
        change.at,
        hasReason ? '1' : '0',
        hasReason ? change.reason! : '',
      ),
    );
    if (outcome === 0) return { outcome: 'not-found' };
    if (outcome === 2) return { outcome: 'refused', question: toQuestion(json!) };
    const changed = { outcome: 'changed', question: toQuestion(json!), previous: previous as QuestionState } as const;
    return answered ? { ...changed, answered: toQuestion(answered) } : changed;
  }

  async merge(
    eventId: string,
    fromId: string,
    intoId: string,
    allowed: { from: readonly QuestionState[]; into: readonly QuestionState[] },
  ): Promise<MergeResult> {
    const voters = this.k.votersPrefix(eventId);
    const [outcome, fj, ij, previous] = await io(() =>
      this.scripts.parvisMergeQuestion(
        this.k.questions(eventId),
        voters + fromId,
        voters + intoId,
        fromId,
        intoId,
        allowed.from.join(','),
        allowed.into.join(','),
      ),
    );
    if (outcome === 0) return { outcome: 'not-found' };
    const from = toQuestion(fj!);
    const into = toQuestion(ij!);
    return outcome === 2
      ? { outcome: 'refused', from, into }
      : { outcome: 'merged', from, into, previous: previous as QuestionState };
  }

  async update(eventId: string, questionId: string, patch: QuestionPatch): Promise<QuestionRecord | undefined> {
    const fields: QuestionPatch = {};
    if (patch.text !== undefined) fields.text = patch.text;
    if (patch.starred !== undefined) fields.starred = patch.starred;
    if (patch.position !== undefined) fields.position = patch.position;
    const json = await io(() => this.scripts.parvisUpdateQuestion(this.k.questions(eventId), questionId, JSON.stringify(fields)));
    return json === null ? undefined : toQuestion(json);
  }

  async deleteEventData(eventId: string): Promise<void> {
    await io(() =>
      this.scripts.parvisDeleteEventQuestions(this.k.questions(eventId), this.k.client(eventId), this.k.votersPrefix(eventId)),
    );
  }
}

/** The QuestionRecord fields only, nulls where cjson or an older record left a field out. */
function toQuestion(json: string): QuestionRecord {
  const q = JSON.parse(json) as QuestionRecord;
  return {
    id: q.id,
    eventId: q.eventId,
    text: q.text,
    anonymous: q.anonymous,
    author: { id: q.author.id, displayName: q.author.displayName },
    clientId: q.clientId,
    state: q.state,
    votes: q.votes,
    starred: q.starred,
    position: q.position ?? null,
    createdAt: q.createdAt,
    liveAt: q.liveAt ?? null,
    answeredAt: q.answeredAt ?? null,
    rejectedReason: q.rejectedReason ?? null,
    mergedInto: q.mergedInto ?? null,
    // Records written before questions had an origin were all asked online.
    origin: q.origin ?? 'online',
  };
}
