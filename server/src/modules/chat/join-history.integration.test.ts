import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '#shared/domain/chat';
import type { ChatSendResult, JoinResult } from '#shared/protocol/events';
import { connectViewer, guestToken, ok, request, startTestServer, type TestClient, type TestServer } from '../../test/harness';
import { startRedisServer, type RedisServer } from '../../test/redis-server';
import { createAccount, grant, login, testEvent } from '../../test/staff';

/*
 * The history a joiner gets is kept per process and revision of the chat (ChatService.snapshot): every test here
 * first has someone join, so that the history is kept, and then checks that a change made afterwards reaches the
 * next joiner.
 */

const PASSWORD = 'correct horse battery';
const live = (id: string) => testEvent(id, { kind: 'webinar', status: 'live' });

/** A server with a moderator's token, whose store holds `events`. */
async function serverWith(events: string[], redisUrl?: string): Promise<{ server: TestServer; moderator: string }> {
  const server = await startTestServer(redisUrl ? { redisUrl } : {});
  await server.store.programme.saveProgramme([], events.map(live));
  const account =
    (await server.store.accounts.getAccountByEmail('mod@example.org')) ??
    (await createAccount(server.store, { email: 'mod@example.org', password: PASSWORD, displayName: 'Modératrice' }));
  for (const id of events) await grant(server.store, id, account, 'moderator');
  return { server, moderator: (await login(server.url, 'mod@example.org', PASSWORD)).token };
}

const open: TestClient[] = [];
afterEach(() => {
  while (open.length) open.pop()!.close();
});

async function socketOn(server: TestServer, token?: string): Promise<TestClient> {
  const socket = await connectViewer(server.url, token);
  open.push(socket);
  return socket;
}

/** A fresh socket joining the event: the history it gets. */
async function joinFresh(server: TestServer, eventId: string, since?: number): Promise<JoinResult['chat']> {
  const socket = await socketOn(server);
  return (await ok(request<JoinResult>(socket, 'event:join', { eventId, ...(since !== undefined && { since }) }))).chat;
}

async function send(socket: TestClient, eventId: string, text: string): Promise<ChatMessage> {
  const sent = await ok(request<ChatSendResult>(socket, 'chat:send', { eventId, text, clientId: crypto.randomUUID() }));
  if (!('message' in sent)) throw new Error(`"${text}" was held`);
  return sent.message;
}

const texts = (messages: ChatMessage[]) => messages.map((m) => m.text);

describe.each(['sqlite', 'redis'] as const)('the history of a joiner on %s', (storeKind) => {
  let redis: RedisServer | undefined;
  let server: TestServer;
  let moderator: string;

  beforeAll(async () => {
    if (storeKind === 'redis') redis = await startRedisServer();
    ({ server, moderator } = await serverWith(['jh-new', 'jh-deleted', 'jh-since', 'jh-short'], redis?.url));
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
    await redis?.stop();
  });

  it('holds a message sent after an earlier viewer joined', async () => {
    const ana = await socketOn(server, await guestToken(server.url, 'Ana'));
    await ok(request<JoinResult>(ana, 'event:join', { eventId: 'jh-new' }));
    await send(ana, 'jh-new', 'premier');
    expect(texts((await joinFresh(server, 'jh-new')).messages)).toEqual(['premier']);
    await send(ana, 'jh-new', 'second');
    const later = await joinFresh(server, 'jh-new');
    expect(texts(later.messages)).toEqual(['premier', 'second']);
    expect(later.lastOffset).toBe(2);
  });

  it('holds a message a moderator deleted after an earlier viewer joined only as its tombstone', async () => {
    const ana = await socketOn(server, await guestToken(server.url, 'Ana'));
    await ok(request<JoinResult>(ana, 'event:join', { eventId: 'jh-deleted' }));
    const doomed = await send(ana, 'jh-deleted', 'à effacer');
    await send(ana, 'jh-deleted', 'gardé');
    expect(texts((await joinFresh(server, 'jh-deleted')).messages)).toEqual(['à effacer', 'gardé']);

    const mod = await socketOn(server, moderator);
    await ok(request<JoinResult>(mod, 'event:join', { eventId: 'jh-deleted' }));
    await ok(request(mod, 'chat:delete', { eventId: 'jh-deleted', messageId: doomed.id }));

    const later = await joinFresh(server, 'jh-deleted');
    expect(later.messages[0]).toMatchObject({ id: doomed.id, text: '', deleted: true });
    expect(texts(later.messages)).toEqual(['', 'gardé']);
    // A viewer catching up from before the deletion gets the tombstone too.
    expect((await joinFresh(server, 'jh-deleted', 0)).messages[0]).toMatchObject({ id: doomed.id, deleted: true });
  });

  it('replays exactly the messages after `since`, inside and beyond the latest hundred', async () => {
    const ana = await socketOn(server, await guestToken(server.url, 'Ana'));
    await ok(request<JoinResult>(ana, 'event:join', { eventId: 'jh-since' }));
    for (let i = 1; i <= 130; i++) await send(ana, 'jh-since', `m${i}`);
    const latest = await joinFresh(server, 'jh-since');
    expect(latest.reset).toBe(true);
    expect(texts(latest.messages)).toEqual(Array.from({ length: 100 }, (_, i) => `m${i + 31}`));

    const recent = await joinFresh(server, 'jh-since', 127);
    expect(recent).toMatchObject({ reset: false, lastOffset: 130 });
    expect(texts(recent.messages)).toEqual(['m128', 'm129', 'm130']);
    // Back to exactly the oldest message kept, and one before it, which only the store still has.
    expect(texts((await joinFresh(server, 'jh-since', 30)).messages)).toHaveLength(100);
    const older = await joinFresh(server, 'jh-since', 10);
    expect(older.reset).toBe(false);
    expect(texts(older.messages)).toEqual(Array.from({ length: 120 }, (_, i) => `m${i + 11}`));
    expect(await joinFresh(server, 'jh-since', 130)).toEqual({ messages: [], lastOffset: 130, reset: false });
    // Ahead of the chat (a client that knew an earlier chat under this id): the latest history, to replace its own.
    expect(await joinFresh(server, 'jh-since', 500)).toMatchObject({ reset: true, lastOffset: 130 });

    await send(ana, 'jh-since', 'm131');
    expect(texts((await joinFresh(server, 'jh-since', 129)).messages)).toEqual(['m130', 'm131']);
  }, 60_000);

  it('replays from `since` in a chat shorter than the history kept', async () => {
    const ana = await socketOn(server, await guestToken(server.url, 'Ana'));
    await ok(request<JoinResult>(ana, 'event:join', { eventId: 'jh-short' }));
    for (const text of ['a', 'b', 'c']) await send(ana, 'jh-short', text);
    expect(texts((await joinFresh(server, 'jh-short')).messages)).toEqual(['a', 'b', 'c']);
    expect(await joinFresh(server, 'jh-short', 0)).toMatchObject({ reset: false, lastOffset: 3 });
    expect(texts((await joinFresh(server, 'jh-short', 1)).messages)).toEqual(['b', 'c']);
  });
});

describe('the history of a joiner with two servers on one Redis', () => {
  let redis: RedisServer;
  let a: TestServer;
  let b: TestServer;
  let moderator: string;

  beforeAll(async () => {
    redis = await startRedisServer();
    ({ server: a, moderator } = await serverWith(['jh-cluster'], redis.url));
    ({ server: b } = await serverWith(['jh-cluster'], redis.url));
  }, 30_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await redis?.stop();
  });

  it('holds what was sent and deleted on one server for a joiner on the other', async () => {
    const ana = await socketOn(a, await guestToken(a.url, 'Ana'));
    await ok(request<JoinResult>(ana, 'event:join', { eventId: 'jh-cluster' }));
    const doomed = await send(ana, 'jh-cluster', 'à effacer');
    // B keeps the history with the first message.
    expect(texts((await joinFresh(b, 'jh-cluster')).messages)).toEqual(['à effacer']);

    await send(ana, 'jh-cluster', 'envoyé sur A');
    expect(texts((await joinFresh(b, 'jh-cluster')).messages)).toEqual(['à effacer', 'envoyé sur A']);

    const mod = await socketOn(a, moderator);
    await ok(request<JoinResult>(mod, 'event:join', { eventId: 'jh-cluster' }));
    await ok(request(mod, 'chat:delete', { eventId: 'jh-cluster', messageId: doomed.id }));
    const later = await joinFresh(b, 'jh-cluster');
    expect(later.messages[0]).toMatchObject({ id: doomed.id, text: '', deleted: true });
    expect(later.messages[1]!.text).toBe('envoyé sur A');
  }, 30_000);
});
