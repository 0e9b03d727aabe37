import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Question } from '#shared/domain/question';
import type { JoinResult, QuestionsUpdate } from '#shared/protocol/events';
import { openRedisStore } from '../../store/redis/redis-store';
import type { Store } from '../../store/store';
import { connectViewer, eventually, guestToken, ok, request, type TestClient } from '../../test/harness';
import { spawnParvis, type ParvisProcess } from '../../test/process';
import { startRedisServer, type RedisServer } from '../../test/redis-server';
import { testEvent } from '../../test/staff';

/** Two real Parvis processes on one real redis-server: votes are counted in Redis, whichever process takes them. */

const SECRET = 'questions-cluster-secret-0123456789-0123456789';
const EVENT_ID = 'qa-cluster-webinar';
const PEOPLE = 200;
let redis: RedisServer;
let store: Store;
let dataDir: string;
const processes: ParvisProcess[] = [];
const sockets: TestClient[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  dataDir = mkdtempSync(join(tmpdir(), 'parvis-qa-cluster-'));
  for (let i = 0; i < 2; i++) {
    processes.push(await spawnParvis({ REDIS_URL: redis.url, JWT_SECRET: SECRET, DATA_DIR: dataDir }));
  }
  // The processes use the default prefix; a webinar takes questions without pre-moderation.
  store = await openRedisStore(redis.url);
  await store.programme.saveProgramme([], [testEvent(EVENT_ID, { kind: 'webinar', status: 'live' })]);
}, 90_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await Promise.all(processes.map((p) => p.stop()));
  await store?.close();
  await redis?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('questions across two processes', () => {
  it('counts 200 people upvoting the same question at once, spread over both processes, as 200', async () => {
    const [one, two] = processes as [ParvisProcess, ParvisProcess];
    const asker = await connectViewer(one.url, await guestToken(one.url, 'Ana'));
    sockets.push(asker);
    const watcher = await connectViewer(two.url);
    sockets.push(watcher);
    const seen: Question[] = [];
    watcher.on('questions:updated', (u: QuestionsUpdate) => seen.push(...u.questions));
    await ok(request<JoinResult>(watcher, 'event:join', { eventId: EVENT_ID }));
    const { question } = await ok(
      request<{ question: Question }>(asker, 'question:ask', { eventId: EVENT_ID, text: 'Combien sommes-nous ?', clientId: 'q1' }),
    );
    expect(question.state).toBe('approved');

    const voters = await Promise.all(
      Array.from({ length: PEOPLE }, async (_, i) => {
        const url = (i % 2 === 0 ? one : two).url;
        const socket = await connectViewer(url, await guestToken(url, `Votant ${i}`));
        sockets.push(socket);
        return socket;
      }),
    );
    // Everyone votes at once; half of them send their vote twice, which must count once.
    const acks = await Promise.all(
      voters.flatMap((socket, i) => {
        const vote = () => request<{ question: Question }>(socket, 'question:vote', { eventId: EVENT_ID, questionId: question.id, up: true });
        return i % 2 === 0 ? [vote(), vote()] : [vote()];
      }),
    );
    expect(acks.every((a) => a.ok)).toBe(true);
    expect((await store.questions.get(EVENT_ID, question.id))!.votes).toBe(PEOPLE);
    // The audience on the other process ends on the exact count too.
    await eventually(() => seen.filter((q) => q.id === question.id).some((q) => q.votes === PEOPLE), 10_000, '200 votes broadcast');
    const rejoined = await ok(request<JoinResult>(watcher, 'event:join', { eventId: EVENT_ID }));
    expect(rejoined.questions.find((q) => q.id === question.id)).toMatchObject({ votes: PEOPLE, voted: false });
  }, 90_000);
});
