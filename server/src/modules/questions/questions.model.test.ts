import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event } from '#shared/domain/event';
import type { QuestionState } from '#shared/domain/question';
import type { User } from '#shared/domain/user';
import { eventRoom, eventStaffRoom, userRoom } from '../../realtime/rooms';
import { openRedisStore } from '../../store/redis/redis-store';
import { openSqliteStore } from '../../store/sqlite/sqlite-store';
import type { Store } from '../../store/store';
import { startRedisServer, type RedisServer } from '../../test/redis-server';
import { testEvent } from '../../test/staff';
import { AccessPolicy } from '../access/policy';
import { AuditLog } from '../../core/audit';
import { ModerationService } from '../moderation/moderation.service';
import { DomainError } from '../../core/errors';
import { planQuestionDeliveries, type QuestionDelivery } from './questions.broadcast';
import { QuestionsService } from './questions.service';

/*
 * The question state machine against a model: random sequences of ask, vote, unvote, approve, reject, merge, live and
 * answer, by random people (two guests, a moderator, an anonymous viewer), on a real store. After every step the store
 * agrees with the model, votes equal the number of distinct voters, at most one question is live, and nothing a guest's
 * socket received or may list is someone else's pending or rejected question.
 */

const guestA: User = { id: 'guest_a', displayName: 'Ana', role: 'guest' };
const guestB: User = { id: 'guest_b', displayName: 'Bob', role: 'guest' };
const moderator: User = { id: 'acct_mod', displayName: 'Modératrice', role: 'staff' };
const PEOPLE: (User | null)[] = [guestA, guestB, moderator, null];

type Action = 'approve' | 'reject' | 'live' | 'answered';
type Command =
  | { t: 'ask'; who: number; anonymous: boolean }
  | { t: 'vote'; who: number; q: number; up: boolean }
  | { t: 'moderate'; who: number; q: number; action: Action }
  | { t: 'merge'; who: number; q: number; into: number };

const who = fc.integer({ min: 0, max: PEOPLE.length - 1 });
/** Moderation is tried mostly by the moderator, so that sequences get past `pending`; the others are refused. */
const moderatorMostly = fc.oneof({ weight: 4, arbitrary: fc.constant(2) }, { weight: 1, arbitrary: who });
const index = fc.nat({ max: 7 });
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ t: fc.constant('ask' as const), who, anonymous: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('vote' as const), who, q: index, up: fc.boolean() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('moderate' as const),
      who: moderatorMostly,
      q: index,
      action: fc.constantFrom<Action>('approve', 'reject', 'live', 'answered'),
    }),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('merge' as const), who: moderatorMostly, q: index, into: index }) },
);

interface ModelQuestion {
  id: string;
  author: string;
  state: QuestionState;
  voters: Set<string>;
}

const FROM: Record<Action, QuestionState[]> = {
  approve: ['pending'],
  reject: ['pending', 'approved'],
  live: ['pending', 'approved'],
  answered: ['live'],
};
const TO: Record<Action, QuestionState> = { approve: 'approved', reject: 'rejected', live: 'live', answered: 'answered' };
const PUBLIC: QuestionState[] = ['approved', 'live', 'answered'];

/** The error code the model expects, or undefined when the command succeeds. */
async function run(
  service: QuestionsService,
  event: Event,
  model: ModelQuestion[],
  cmd: Command,
  seq: number,
): Promise<void> {
  const user = PEOPLE[cmd.who]!;
  const isMod = user === moderator;
  const pick = (i: number) => model[i % model.length];
  let expected: string | undefined;
  let apply: (id: string | undefined) => void = () => {};
  let call: () => Promise<{ id: string }>;

  switch (cmd.t) {
    case 'ask': {
      if (!user) expected = 'UNAUTHENTICATED';
      const state: QuestionState = event.kind === 'lecture' ? 'pending' : 'approved';
      apply = (id) => model.push({ id: id!, author: user!.id, state, voters: new Set() });
      call = () => service.ask(user, event, { eventId: event.id, text: `q${seq}`, anonymous: cmd.anonymous, clientId: `c${seq}` });
      break;
    }
    case 'vote': {
      const q = pick(cmd.q);
      if (!q) return;
      if (!user) expected = 'UNAUTHENTICATED';
      else if (q.state !== 'approved' && q.state !== 'live') {
        expected = isMod || q.author === user.id || PUBLIC.includes(q.state) ? 'CONFLICT' : 'NOT_FOUND';
      }
      apply = () => (cmd.up ? q.voters.add(user!.id) : q.voters.delete(user!.id));
      call = () => service.vote(user, event, { eventId: event.id, questionId: q.id, up: cmd.up });
      break;
    }
    case 'moderate': {
      const q = pick(cmd.q);
      if (!q) return;
      if (!user) expected = 'UNAUTHENTICATED';
      else if (!isMod) expected = 'FORBIDDEN';
      else if (!FROM[cmd.action].includes(q.state)) expected = 'CONFLICT';
      apply = () => {
        if (cmd.action === 'live') for (const other of model) if (other.state === 'live') other.state = 'answered';
        q.state = TO[cmd.action];
      };
      call = () => service.moderate(user, event, { eventId: event.id, questionId: q.id, action: cmd.action });
      break;
    }
    case 'merge': {
      const from = pick(cmd.q);
      const into = pick(cmd.into);
      if (!from || !into) return;
      if (!user) expected = 'UNAUTHENTICATED';
      else if (!isMod) expected = 'FORBIDDEN';
      else if (from === into || !['pending', 'approved'].includes(from.state) || !['pending', 'approved', 'live', 'answered'].includes(into.state)) {
        expected = 'CONFLICT';
      }
      apply = () => {
        for (const v of from.voters) into.voters.add(v);
        from.state = 'merged';
      };
      call = () =>
        service.moderate(user, event, { eventId: event.id, questionId: from.id, action: 'merge', intoQuestionId: into.id });
      break;
    }
  }

  try {
    const result = await call();
    expect(expected, `${JSON.stringify(cmd)} should have failed`).toBeUndefined();
    apply(result.id);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    expect(err.code, `${JSON.stringify(cmd)}: ${err.message}`).toBe(expected);
  }
}

/** What a guest's socket in the event's room receives: deliveries to a room it is in, unless excluded. */
function receivedBy(user: User, deliveries: QuestionDelivery[], eventId: string) {
  const rooms = new Set([eventRoom(eventId), userRoom(user.id)]);
  return deliveries
    .filter((d) => rooms.has(d.to) && !d.except.some((r) => rooms.has(r)))
    .flatMap((d) => d.update.questions);
}

function modelTest(name: string, openStore: () => Promise<Store>) {
  it(`never reaches an illegal state (${name})`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<Event['kind']>('lecture', 'webinar'), fc.array(command, { minLength: 5, maxLength: 40, size: 'max' }), async (kind, commands) => {
        const store = await openStore();
        try {
          const event = testEvent('model', { kind, status: 'live' });
          await store.accounts.grantRole({ eventId: event.id, userId: moderator.id, displayName: moderator.displayName, role: 'moderator', grantedAt: new Date().toISOString() });
          const deliveries: QuestionDelivery[] = [];
          // A clock that moves on every reading, so the store's oldest-first order is the order of the asks.
          let tick = Date.parse('2026-11-25T18:00:00.000Z');
          const policy = new AccessPolicy(store);
          const audit = new AuditLog(store);
          const service = new QuestionsService({
            store,
            policy,
            audit,
            moderation: new ModerationService({ store, policy, audit }),
            listener: (eventId, changes) => deliveries.push(...planQuestionDeliveries(eventId, changes)),
            now: () => new Date(tick++),
          });
          const model: ModelQuestion[] = [];
          let seq = 0;
          for (const cmd of commands) {
            await run(service, event, model, cmd, seq++);

            const stored = await store.questions.list(event.id);
            expect(stored.map((q) => [q.id, q.state, q.votes])).toEqual(model.map((q) => [q.id, q.state, q.voters.size]));
            expect(stored.filter((q) => q.state === 'live').length).toBeLessThanOrEqual(1);
            for (const user of [guestA, guestB]) {
              const mine = (q: { author: { id: string } | null; id: string }) => model.find((m) => m.id === q.id)!.author === user.id;
              for (const q of receivedBy(user, deliveries, event.id)) {
                if (!mine(q)) expect(PUBLIC, `${user.displayName} received ${q.state} ${q.id}`).toContain(q.state);
              }
              for (const q of await service.visibleTo(user, 'guest', event.id)) {
                if (!mine(q)) expect(PUBLIC).toContain(q.state);
              }
              const voted = new Set(await store.questions.votesBy(event.id, user.id));
              expect(voted).toEqual(new Set(model.filter((q) => q.voters.has(user.id)).map((q) => q.id)));
            }
            // The event's room (anonymous viewers) never gets a pending or rejected question, nor an anonymous name.
            for (const d of deliveries.filter((d) => d.to === eventRoom(event.id))) {
              for (const q of d.update.questions) {
                expect(PUBLIC).toContain(q.state);
                if (q.anonymous) expect(q.author).toBeNull();
              }
            }
            expect(deliveries.every((d) => d.to !== eventStaffRoom(event.id) || d.except.length === 0)).toBe(true);
          }
        } finally {
          await store.close();
        }
      }),
      { numRuns: 50 },
    );
  }, 120_000);
}

describe('the question state machine against a model', () => {
  let redis: RedisServer;
  let prefix = 0;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  modelTest('SQLite', async () => openSqliteStore(':memory:'));
  modelTest('Redis', () => openRedisStore(redis.url, { prefix: `model-${++prefix}:` }));
});
