import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Event } from '#shared/domain/event';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../../modules/errors';
import { startRedisServer, type RedisServer } from '../../test/redis-server';
import { storeContract } from '../store.contract';
import type { NewChatMessage, Store } from '../store';
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

/** The rejection of `call`, and how long it took to come. */
async function failure(call: () => Promise<unknown>): Promise<{ err: unknown; ms: number }> {
  const started = Date.now();
  try {
    await call();
  } catch (err) {
    return { err, ms: Date.now() - started };
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

storeContract(
  'Redis',
  () => openRedisStore(server.url, { prefix: freshPrefix() }),
  (store) => store.close(),
);

describe('Redis store', () => {
  const opened: Store[] = [];
  const raw: Redis[] = [];
  async function open(prefix: string, url = server.url): Promise<Store> {
    const store = await openRedisStore(url, { prefix });
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
        one.appendChat(chat('live', author, clientId, `${author}/${clientId} via one`)),
        two.appendChat(chat('live', author, clientId, `${author}/${clientId} via two`)),
      ]),
    );

    const created = results.filter((r) => r.created).map((r) => r.message);
    expect(created.map((m) => m.offset).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    for (const r of results) {
      const first = created.find((m) => m.author.id === r.message.author.id && m.clientId === r.message.clientId);
      expect(r.message).toEqual(first);
    }
    const stored = await one.chatAfter('live', 0, 1000);
    expect(stored.map((m) => m.offset)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(new Set(stored.map((m) => `${m.author.id}/${m.clientId}`)).size).toBe(60);
    expect(await two.lastChatOffset('live')).toBe(60);
  });

  it('writes only under its prefix and clears nothing outside it', async () => {
    // A glob character in the prefix must be taken literally: "p*:" must not clear "p1:".
    const mine = `t${seq}*:`;
    const theirs = `t${seq}1:`;
    const [store, neighbour] = [await open(mine), await open(theirs)];
    const redis = rawClient();
    await redis.set('unrelated', 'keep me');
    for (const s of [store, neighbour]) {
      await s.saveProgramme([{ id: 's1', title: 'Cycle', summary: '' }], [{ ...lecture, seriesId: 's1' }]);
      await s.appendChat(chat('e1', 'u1', 'c1'));
      await s.setMeta('programme.source', 'demo');
    }

    const keysOf = async (prefix: string) => (await redis.keys('*')).filter((k) => k.startsWith(prefix)).sort();
    const before = await keysOf(mine);
    expect(before.length).toBeGreaterThan(0);
    expect(await keysOf(theirs)).toEqual(before.map((k) => theirs + k.slice(mine.length)));

    await store.clearAll();
    expect(await store.listEvents({})).toEqual([]);
    expect(await store.lastChatOffset('e1')).toBe(0);
    expect(await store.getMeta('programme.source')).toBe('demo');
    expect(await neighbour.listEvents({})).toEqual([{ ...lecture, seriesId: 's1' }]);
    expect(await neighbour.chatTail('e1', 10)).toHaveLength(1);
    expect(await redis.get('unrelated')).toBe('keep me');
  });

  it('stores a message whose author and clientId contain the separators of the keys', async () => {
    const store = await open(freshPrefix());
    const a = await store.appendChat(chat('x:seq', 'a","b', 'c'));
    const b = await store.appendChat(chat('x', 'a', '","b","c'));
    const c = await store.appendChat(chat('x', 'a","b', 'c'));
    expect([a, b, c].map((r) => [r.message.offset, r.created])).toEqual([
      [1, true],
      [1, true],
      [2, true],
    ]);
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

  async function expectUnavailable(call: () => Promise<unknown>): Promise<void> {
    const { err, ms } = await failure(call);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe(ErrorCode.UNAVAILABLE);
    // The requirement: a request gets UNAVAILABLE within 2.5 s, it does not hang.
    expect(ms).toBeLessThan(2500);
  }

  it('refuses to open when Redis is not there', async () => {
    own = await startRedisServer();
    await own.kill();
    await expectUnavailable(() => openRedisStore(own!.url));
  });

  it('answers UNAVAILABLE while Redis is down and works again after it restarts', { timeout: 30_000 }, async () => {
    own = await startRedisServer();
    store = await openRedisStore(own.url);
    await store.appendChat(chat('e1', 'u1', 'before'));

    await own.kill('SIGKILL');
    await expectUnavailable(() => store!.appendChat(chat('e1', 'u1', 'during')));
    await expectUnavailable(() => store!.listEvents({}));
    await expectUnavailable(() => store!.getMeta('k'));

    await own.restart();
    // The same store, not a new one: the client reconnects by itself.
    await eventually(() => store!.setMeta('k', 'back'));
    expect(await store.getMeta('k')).toBe('back');
    expect((await store.appendChat(chat('e1', 'u1', 'after'))).created).toBe(true);
  });

  it('answers UNAVAILABLE while Redis hangs and works again when it resumes', { timeout: 30_000 }, async () => {
    own = await startRedisServer();
    store = await openRedisStore(own.url);

    await own.kill('SIGSTOP');
    await expectUnavailable(() => store!.getEvent('e1'));
    await own.kill('SIGCONT');
    await eventually(() => store!.setMeta('k', 'resumed'));
    expect(await store.getMeta('k')).toBe('resumed');
  });

  it('keeps acknowledged chat and programme through kill -9 with appendfsync always', { timeout: 30_000 }, async () => {
    own = await startRedisServer({ appendonly: true, appendfsync: 'always' });
    const first = await openRedisStore(own.url);
    await first.saveProgramme([], [lecture]);
    const sent = [];
    for (let i = 1; i <= 20; i++) sent.push((await first.appendChat(chat('e1', `u${i % 3}`, `k${i}`, `m${i}`))).message);
    await own.kill('SIGKILL');
    await first.close();

    await own.restart();
    store = await openRedisStore(own.url);
    expect(await store.chatAfter('e1', 0, 100)).toEqual(sent);
    expect(await store.getEvent('e1')).toEqual(lecture);
    // The counter and the idempotency record came back too.
    expect(await store.appendChat(chat('e1', 'u1', 'k1', 'again'))).toEqual({ message: sent[0], created: false });
    expect((await store.appendChat(chat('e1', 'u1', 'k21'))).message.offset).toBe(21);
  });
});
