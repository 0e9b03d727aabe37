import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Event } from '#shared/domain/event';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../../core/errors';
import { startRedisServer, type RedisServer } from '../../test/redis-server';
import type { NewChatMessage } from '../chat-store';
import type { Store } from '../store';
import { runStoreContracts } from '../contracts';
import { intent } from '../outbox.contract';
import { at as minute, signUp } from '../sign-up-fixtures';
import { openRedisStore } from './redis-store';

function chat(eventId: string, authorId: string, clientId: string, text = 'bonjour'): NewChatMessage {
  return {
    eventId,
    author: { id: authorId, displayName: authorId.toUpperCase(), role: 'guest' },
    text,
    clientId,
    sentAt: '2026-11-25T10:00:00.000Z',
  };
}

const lecture: Event = {
  id: 'e1',
  kind: 'lecture',
  title: 'Rencontre',
  summary: '',
  startsAt: '2026-12-01T18:00:00.000Z',
  endsAt: '2026-12-01T19:00:00.000Z',
  timezone: 'Europe/Paris',
  status: 'scheduled',
  access: 'open',
  speakers: [],
  language: 'fr',
};

/** The rejection of `call`. */
async function failure(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to reject');
}

/** Retries `call` until it resolves: the client reconnects on its own, with backoff. */
async function eventually<T>(call: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

let server: RedisServer;
let seq = 0;
/** Each test gets its own prefix on the shared server, so tests cannot see each other's keys. */
const freshPrefix = () => `parvis-test-${++seq}:`;

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
});

runStoreContracts('Redis', () => openRedisStore(server.url, { prefix: freshPrefix() }), (store) => store.close(), {
  // Two clients on one prefix, as two processes would hold it.
  open: async () => {
    const prefix = freshPrefix();
    return { one: await openRedisStore(server.url, { prefix }), two: await openRedisStore(server.url, { prefix }) };
  },
  dispose: async (pair) => {
    await pair.one.close();
    await pair.two.close();
  },
});

describe('Redis store', () => {
  const opened: Store[] = [];
  const raw: Redis[] = [];
  async function open(prefix: string, target: string | Redis = server.url): Promise<Store> {
    const store = await openRedisStore(target, { prefix });
    opened.push(store);
    return store;
  }
  function rawClient(): Redis {
    const client = new Redis(server.url);
    raw.push(client);
    return client;
  }
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    raw.splice(0).forEach((c) => c.disconnect());
  });

  it('gives gap-free offsets and one message per author and clientId across two connections', async () => {
    const prefix = freshPrefix();
    const [one, two] = [await open(prefix), await open(prefix)];
    // Both "processes" send every (author, clientId) pair, interleaved, as retries after a lost ack would.
    const pairs = Array.from({ length: 60 }, (_, i) => ({ author: `u${i % 4}`, clientId: `c${i % 15}` }));
    const results = await Promise.all(
      pairs.flatMap(({ author, clientId }) => [
        one.chat.append(chat('live', author, clientId, `${author}/${clientId} via one`)),
        two.chat.append(chat('live', author, clientId, `${author}/${clientId} via two`)),
      ]),
    );

    const created = results.filter((r) => r.created).map((r) => r.message);
    expect(created.map((m) => m.offset).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    for (const r of results) {
      const first = created.find((m) => m.author.id === r.message.author.id && m.clientId === r.message.clientId);
      expect(r.message).toEqual(first);
    }
    const stored = await one.chat.after('live', 0, 1000);
    expect(stored.map((m) => m.offset)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(new Set(stored.map((m) => `${m.author.id}/${m.clientId}`)).size).toBe(60);
    expect(await two.chat.lastOffset('live')).toBe(60);
  });

  it('writes only under its prefix and clears nothing outside it', async () => {
    // A glob character in the prefix must be taken literally: "p*:" must not clear "p1:".
    const mine = `t${seq}*:`;
    const theirs = `t${seq}1:`;
    const [store, neighbour] = [await open(mine), await open(theirs)];
    const redis = rawClient();
    await redis.set('unrelated', 'keep me');
    for (const s of [store, neighbour]) {
      await s.programme.saveProgramme([{ id: 's1', title: 'Cycle', summary: '' }], [{ ...lecture, seriesId: 's1' }]);
      await s.chat.append(chat('e1', 'u1', 'c1'));
      await s.meta.set('programme.source', 'demo');
    }

    const keysOf = async (prefix: string) => (await redis.keys('*')).filter((k) => k.startsWith(prefix)).sort();
    const before = await keysOf(mine);
    expect(before.length).toBeGreaterThan(0);
    expect(await keysOf(theirs)).toEqual(before.map((k) => theirs + k.slice(mine.length)));

    await store.clearAll();
    expect(await store.programme.listEvents({})).toEqual([]);
    expect(await store.chat.lastOffset('e1')).toBe(0);
    expect(await store.meta.get('programme.source')).toBe('demo');
    expect(await neighbour.programme.listEvents({})).toEqual([{ ...lecture, seriesId: 's1' }]);
    expect(await neighbour.chat.tail('e1', 10)).toHaveLength(1);
    expect(await redis.get('unrelated')).toBe('keep me');
  });

  it('deletes every key of an event, and on reset keeps exactly the keys of people, sent emails and meta', async () => {
    const prefix = freshPrefix();
    const store = await open(prefix);
    const redis = rawClient();
    const at = new Date().toISOString();
    await store.programme.saveProgramme([{ id: 's1', title: 'Cycle', summary: '' }], [{ ...lecture, seriesId: 's1' }, { ...lecture, id: 'e2' }]);
    for (const id of ['e1', 'e2']) {
      await store.chat.append(chat(id, 'u1', 'c1'));
      await store.accounts.grantRole({ eventId: id, userId: 'u1', displayName: 'Ana', role: 'moderator', grantedAt: at });
      await store.accounts.createInvite({
        id: `invite-${id}`,
        eventId: id,
        role: 'speaker',
        createdBy: 'u1',
        createdAt: at,
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        revokedAt: null,
        usedBy: null,
        usedAt: null,
      });
    }
    await store.accounts.createAccount({ id: 'u1', email: 'ana@x.example', displayName: 'Ana', passwordHash: 'h', isAdmin: true, createdAt: at });
    await store.accounts.createSession({ id: 's1', userId: 'u1', tokenHash: 'h0', createdAt: at, expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    await store.accounts.revokeToken('jti-1', Math.floor(Date.now() / 1000) + 3600);
    await store.accounts.revokeTokensOf('u1', 1_800_000_000);
    await store.audit.append({ id: 'a1', at, actor: { id: 'u1', displayName: 'Ana' }, action: 'event.delete', target: 'event:e1', details: {} });
    await store.meta.set('programme.source', 'demo');
    for (const id of ['e1', 'e2']) {
      await store.registrations.register(signUp(id, 'ana@x.example', { notify: false }));
      await store.registrations.setSettings(id, { joinUrl: `https://meet.example/${id}` });
      await store.jobs.schedule({ key: `reminder:24h:${id}`, kind: 'reminder', dueAt: minute(60), payload: { eventId: id } });
    }
    // One email sent (kept by the reset), one not yet (dropped with the registrations).
    await store.outbox.enqueue([intent('sent', { personId: 'p1' }), intent('unsent', { personId: 'p2' })], minute(0));
    const [sent] = await store.outbox.claimDue(minute(0), 60_000, 1);
    await store.outbox.markSent(sent!.id, 1, minute(1));
    const names = async () =>
      (await redis.keys(`${prefix}*`)).map((k) => k.slice(prefix.length)).sort();

    expect(await store.programme.deleteEvent('e1')).toBe(true);
    // A key of e1 names it as one of its parts (`chat:e1`, `{e1}`…); a person's random id may contain the letters "e1".
    const ofE1 = (k: string) => k.split(/[:{}]/).some((part) => part === 'e1' || part === 'invite-e1');
    expect((await names()).filter(ofE1)).toEqual([]);
    expect(await redis.hkeys(`${prefix}invite-events`)).toEqual(['invite-e2']);

    await store.clearAll();
    expect(await names()).toEqual([
      'accounts',
      'accounts:admins',
      'accounts:by-email',
      'audit',
      'audit:by-time',
      'audit:seq',
      'meta',
      'outbox',
      'outbox:dedupe',
      'outbox:done',
      'outbox:list',
      'outbox:of:{p1}',
      'outbox:seq',
      'people',
      'people:by-email',
      'revoked:{jti-1}',
      'session:{s1}',
      'sessions:of:{u1}',
      'tokens:not-before',
    ]);
  });

  it('lets a session expire after its lifetime and forgets its id when the person signs in again', async () => {
    const prefix = freshPrefix();
    const store = await open(prefix);
    const redis = rawClient();
    const createdAt = '2026-11-25T09:00:00.000Z';
    await store.accounts.createSession({ id: 'short', userId: 'u1', tokenHash: 'h', createdAt, expiresAt: '2026-11-25T09:00:00.150Z' });
    // The lifetime counts from createdAt by the caller's clock, whatever the wall clock says.
    expect(await redis.pttl(`${prefix}session:{short}`)).toBeGreaterThan(0);
    expect(await redis.pttl(`${prefix}session:{short}`)).toBeLessThanOrEqual(150);
    // Redis expires it by its own clock, which no test can move: wait until it has.
    await eventually(async () => {
      if ((await redis.exists(`${prefix}session:{short}`)) === 1) throw new Error('the short session has not expired yet');
    });

    await store.accounts.createSession({ id: 'long', userId: 'u1', tokenHash: 'h', createdAt, expiresAt: '2026-12-25T09:00:00.000Z' });
    expect(await redis.smembers(`${prefix}sessions:of:{u1}`)).toEqual(['long']);
    expect(await redis.exists(`${prefix}session:{short}`)).toBe(0);
  });

  it('deletes a series even when the programme changes while it does', async () => {
    const prefix = freshPrefix();
    const client = new Redis(server.url);
    raw.push(client);
    const store = await open(prefix, client);
    const other = await open(prefix);
    const first = { ...lecture, seriesId: 's1' };
    const second = { ...lecture, id: 'e2', seriesId: 's2' };
    await store.programme.saveProgramme([{ id: 's1', title: 'Un', summary: '' }, { id: 's2', title: 'Deux', summary: '' }], [first, second]);
    const { seriesId: _dropped, ...unlinked } = lecture as Event;

    /** Right after the store has read the events, another process saves these. */
    const read = client.hgetall.bind(client) as (key: string) => Promise<Record<string, string>>;
    const meanwhile = (saved: Event[]) =>
      vi.spyOn(client, 'hgetall').mockImplementationOnce((async (key: string) => {
        const events = await read(key);
        await other.programme.saveProgramme([], saved);
        return events;
      }) as never);

    // An event joins the series: it must not keep a series that no longer exists.
    meanwhile([{ ...lecture, id: 'late', seriesId: 's1' }]);
    expect(await store.programme.deleteSeries('s1')).toBe(true);
    expect(await store.programme.getEvent('e1')).toEqual(unlinked);
    expect(await store.programme.getEvent('late')).toEqual({ ...unlinked, id: 'late' });

    // An event of the series is edited: the edit must not be lost.
    meanwhile([{ ...second, title: 'Edited' }]);
    expect(await store.programme.deleteSeries('s2')).toBe(true);
    expect(await store.programme.getEvent('e2')).toEqual({ ...unlinked, id: 'e2', title: 'Edited' });
    expect(await store.programme.listSeries()).toEqual([]);
  });

  it('stores a message whose author and clientId contain the separators of the keys', async () => {
    const store = await open(freshPrefix());
    const a = await store.chat.append(chat('x:seq', 'a","b', 'c'));
    const b = await store.chat.append(chat('x', 'a', '","b","c'));
    const c = await store.chat.append(chat('x', 'a","b', 'c'));
    expect([a, b, c].map((r) => [r.message.offset, r.created])).toEqual([
      [1, true],
      [1, true],
      [2, true],
    ]);
  });

  it('reads the questions stored before origins existed as asked online', async () => {
    const prefix = freshPrefix();
    const store = await open(prefix);
    const { question } = await store.questions.ask({
      eventId: 'e1',
      text: 'Et demain ?',
      anonymous: false,
      author: { id: 'u1', displayName: 'Ana' },
      clientId: 'c1',
      state: 'approved',
      createdAt: '2026-11-25T10:00:00.000Z',
      origin: 'room',
    });
    // The record as an earlier version wrote it: no origin field at all.
    const client = rawClient();
    const key = `${prefix}questions:{e1}`;
    const { origin: _dropped, ...older } = JSON.parse((await client.hget(key, question.id))!) as Record<string, unknown>;
    await client.hset(key, question.id, JSON.stringify(older));
    expect(await store.questions.get('e1', question.id)).toMatchObject({ text: 'Et demain ?', origin: 'online' });
  });
});

describe('Redis store when redis-server goes away', () => {
  let own: RedisServer | undefined;
  let store: Store | undefined;
  afterEach(async () => {
    // The server first: closing a store cannot hang then, and the process never outlives a failed test.
    await own?.stop();
    await store?.close();
    store = own = undefined;
  });

  /**
   * The call is answered UNAVAILABLE rather than left hanging: it settles (the test would time out otherwise) and says
   * why. How soon is not checked here; speed belongs to `npm run bench`.
   */
  async function expectUnavailable(call: () => Promise<unknown>): Promise<void> {
    const err = await failure(call);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe(ErrorCode.UNAVAILABLE);
  }

  it('refuses to open when Redis is not there', async () => {
    own = await startRedisServer();
    await own.kill();
    await expectUnavailable(() => openRedisStore(own!.url));
  });

  it('answers UNAVAILABLE while Redis is down and works again after it restarts', { timeout: 30_000 }, async () => {
    own = await startRedisServer();
    store = await openRedisStore(own.url);
    await store.chat.append(chat('e1', 'u1', 'before'));

    await own.kill('SIGKILL');
    await expectUnavailable(() => store!.chat.append(chat('e1', 'u1', 'during')));
    await expectUnavailable(() => store!.programme.listEvents({}));
    await expectUnavailable(() => store!.meta.get('k'));

    await own.restart();
    // The same store, not a new one: the client reconnects by itself.
    await eventually(() => store!.meta.set('k', 'back'));
    expect(await store.meta.get('k')).toBe('back');
    expect((await store.chat.append(chat('e1', 'u1', 'after'))).created).toBe(true);
  });

  it('answers UNAVAILABLE while Redis hangs and works again when it resumes', { timeout: 30_000 }, async () => {
    own = await startRedisServer();
    store = await openRedisStore(own.url);

    await own.kill('SIGSTOP');
    // The connection stays open and nothing answers: only the client's command timeout ends the call.
    await expectUnavailable(() => store!.programme.getEvent('e1'));
    await own.kill('SIGCONT');
    await eventually(() => store!.meta.set('k', 'resumed'));
    expect(await store.meta.get('k')).toBe('resumed');
  });

  it('keeps acknowledged chat and programme through kill -9 with appendfsync always', { timeout: 30_000 }, async () => {
    own = await startRedisServer({ appendonly: true, appendfsync: 'always' });
    const first = await openRedisStore(own.url);
    await first.programme.saveProgramme([], [lecture]);
    const sent = [];
    for (let i = 1; i <= 20; i++) sent.push((await first.chat.append(chat('e1', `u${i % 3}`, `k${i}`, `m${i}`))).message);
    await own.kill('SIGKILL');
    await first.close();

    await own.restart();
    store = await openRedisStore(own.url);
    expect(await store.chat.after('e1', 0, 100)).toEqual(sent);
    expect(await store.programme.getEvent('e1')).toEqual(lecture);
    // The counter and the idempotency record came back too.
    expect(await store.chat.append(chat('e1', 'u1', 'k1', 'again'))).toEqual({ message: sent[0], created: false });
    expect((await store.chat.append(chat('e1', 'u1', 'k21'))).message.offset).toBe(21);
  });
});
