import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '#shared/domain/chat';
import type { Sanction } from '#shared/domain/moderation';
import type { ChatSendResult, JoinResult } from '#shared/protocol/events';
import { openRedisStore } from '../../store/redis/redis-store';
import type { Store } from '../../store/store';
import { connectViewer, eventually, guestToken, ok, request, type TestClient } from '../../test/harness';
import { spawnParvis, type ParvisProcess } from '../../test/process';
import { startRedisServer, type RedisServer } from '../../test/redis-server';
import { createAccount, grant, login, testEvent } from '../../test/staff';

/** Two real Parvis processes on one real redis-server: a moderator on one reaches people on the other. */

const SECRET = 'moderation-cluster-secret-0123456789-0123456789';
const EVENT_ID = 'moderation-cluster-webinar';
const PASSWORD = 'correct horse battery';
let redis: RedisServer;
let store: Store;
let dataDir: string;
let one: ParvisProcess;
let two: ParvisProcess;
let moderatorToken: string;
const sockets: TestClient[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  dataDir = mkdtempSync(join(tmpdir(), 'parvis-moderation-cluster-'));
  one = await spawnParvis({ REDIS_URL: redis.url, JWT_SECRET: SECRET, DATA_DIR: dataDir });
  two = await spawnParvis({ REDIS_URL: redis.url, JWT_SECRET: SECRET, DATA_DIR: dataDir });
  // The processes use the default prefix.
  store = await openRedisStore(redis.url);
  await store.programme.saveProgramme([], [testEvent(EVENT_ID, { kind: 'webinar', status: 'live' })]);
  const account = await createAccount(store, { email: 'mod@example.org', password: PASSWORD, displayName: 'Modératrice' });
  await grant(store, EVENT_ID, account, 'moderator');
  moderatorToken = (await login(one.url, 'mod@example.org', PASSWORD)).token;
}, 90_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await Promise.all([one, two].filter(Boolean).map((p) => p.stop()));
  await store?.close();
  await redis?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function joined(url: string, token?: string): Promise<TestClient> {
  const socket = await connectViewer(url, token);
  sockets.push(socket);
  await ok(request<JoinResult>(socket, 'event:join', { eventId: EVENT_ID }));
  return socket;
}

describe('chat moderation across two processes', () => {
  it('deletes a message on one process and it vanishes for a viewer on the other', async () => {
    const moderator = await joined(one.url, moderatorToken);
    const viewer = await joined(two.url);
    const received: ChatMessage[] = [];
    const deleted: string[] = [];
    viewer.on('chat:messages', ({ messages }) => received.push(...messages));
    viewer.on('chat:deleted', ({ messageIds }) => deleted.push(...messageIds));
    const author = await joined(two.url, await guestToken(two.url, 'Ana'));
    const sent = await ok(request<ChatSendResult>(author, 'chat:send', { eventId: EVENT_ID, text: 'à effacer', clientId: 'c1' }));
    const { message } = sent as { message: ChatMessage };
    await eventually(() => received.some((m) => m.id === message.id), 10_000, 'the viewer to see the message');

    await ok(request(moderator, 'chat:delete', { eventId: EVENT_ID, messageId: message.id }));
    await eventually(() => deleted.includes(message.id), 10_000, 'the viewer on the other process to be told');
    const later = await ok(request<JoinResult>(viewer, 'event:join', { eventId: EVENT_ID }));
    expect(later.chat.messages.find((m) => m.id === message.id)).toMatchObject({ text: '', deleted: true });
  }, 30_000);

  it('bans a person on one process and drops their socket on the other', async () => {
    const moderator = await joined(one.url, moderatorToken);
    const token = await guestToken(two.url, 'Bob');
    const bob = await joined(two.url, token);
    const bystander = await joined(two.url, await guestToken(two.url, 'Carl'));
    let dropped = false;
    bob.on('disconnect', () => (dropped = true));
    const sent = await ok(request<ChatSendResult>(bob, 'chat:send', { eventId: EVENT_ID, text: 'spam', clientId: 'c1' }));
    const { author } = (sent as { message: ChatMessage }).message;

    const { sanction } = await ok(
      request<{ sanction: Sanction }>(moderator, 'moderation:sanction', { eventId: EVENT_ID, userId: author.id, action: 'ban' }),
    );
    expect(sanction).toMatchObject({ kind: 'ban', displayName: 'Bob' });
    await eventually(() => dropped, 10_000, 'Bob’s socket on the other process to drop');
    expect(bystander.connected).toBe(true);

    // Back through either process, the door stays shut.
    for (const url of [one.url, two.url]) {
      const again = await connectViewer(url, token);
      sockets.push(again);
      const refused = await request(again, 'event:join', { eventId: EVENT_ID });
      expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'banned' } });
    }
  }, 30_000);
});
