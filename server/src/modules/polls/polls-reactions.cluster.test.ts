import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Poll } from '#shared/domain/poll';
import type { JoinResult } from '#shared/protocol/events';
import { openRedisStore } from '../../store/redis/redis-store';
import type { Store } from '../../store/store';
import { connectViewer, eventually, guestToken, ok, request, type TestClient } from '../../test/harness';
import { spawnParvis, type ParvisProcess } from '../../test/process';
import { startRedisServer, type RedisServer } from '../../test/redis-server';
import { createAccount, login, testEvent } from '../../test/staff';

/**
 * Two real Parvis processes on one real redis-server, with each Socket.IO adapter: reactions clicked on either process
 * reach every viewer summed, and poll votes taken by either process are counted once and shown everywhere.
 */

const SECRET = 'polls-cluster-secret-0123456789-0123456789';
const EVENT_ID = 'polls-cluster-webinar';

describe.each(['pubsub', 'streams'] as const)('polls and reactions across two processes (%s adapter)', (adapter) => {
  let redis: RedisServer;
  let store: Store;
  let dataDir: string;
  const processes: ParvisProcess[] = [];
  const sockets: TestClient[] = [];
  let adminToken: string;

  beforeAll(async () => {
    redis = await startRedisServer();
    dataDir = mkdtempSync(join(tmpdir(), 'parvis-polls-cluster-'));
    for (let i = 0; i < 2; i++) {
      processes.push(await spawnParvis({ REDIS_URL: redis.url, JWT_SECRET: SECRET, DATA_DIR: dataDir, SOCKET_ADAPTER: adapter }));
    }
    store = await openRedisStore(redis.url);
    await store.programme.saveProgramme([], [testEvent(EVENT_ID, { kind: 'webinar', status: 'live' })]);
    await createAccount(store, { email: 'admin@example.org', password: 'correct horse battery', isAdmin: true });
    adminToken = (await login(processes[0]!.url, 'admin@example.org', 'correct horse battery')).token;
  }, 90_000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    await Promise.all(processes.map((p) => p.stop()));
    await store?.close();
    await redis?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function joined(url: string, name?: string): Promise<TestClient> {
    const socket = await connectViewer(url, name ? await guestToken(url, name) : undefined);
    sockets.push(socket);
    await ok(request<JoinResult>(socket, 'event:join', { eventId: EVENT_ID }));
    return socket;
  }

  it('sums the reactions clicked on both processes in the bursts every viewer receives', async () => {
    const [one, two] = processes as [ParvisProcess, ParvisProcess];
    const watchers = [await joined(one.url), await joined(two.url)];
    const totals = watchers.map(() => ({ value: 0 }));
    watchers.forEach((w, i) =>
      w.on('reactions:burst', ({ eventId, counts }) => {
        if (eventId === EVENT_ID) totals[i]!.value += Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
      }),
    );
    // Four people, two on each process, 15 clicks each.
    const clickers = await Promise.all([0, 1, 2, 3].map((i) => joined((i % 2 ? two : one).url, `Clic ${i}`)));
    const acks = await Promise.all(
      clickers.flatMap((socket) => Array.from({ length: 15 }, () => request(socket, 'reaction:send', { eventId: EVENT_ID, reaction: '👏' }))),
    );
    expect(acks.every((a) => a.ok)).toBe(true);
    for (const total of totals) await eventually(() => total.value === 60, 10_000, '60 clicks on each process');

    // Kept for the replay once each: every process writes its own clicks, and the store adds them up. A last click on
    // each process is the marker: a process writes its clicks in order, so once both are kept, all 60 are.
    const markers = clickers.slice(0, 2).map((s) => request(s, 'reaction:send', { eventId: EVENT_ID, reaction: '👍' }));
    expect((await Promise.all(markers)).every((a) => a.ok)).toBe(true);
    const kept = async () => {
      const totals: Record<string, number> = {};
      for (const { counts } of await store.reactions.list(EVENT_ID)) {
        for (const [r, n] of Object.entries(counts)) totals[r] = (totals[r] ?? 0) + (n ?? 0);
      }
      return totals;
    };
    const deadline = Date.now() + 10_000;
    while ((await kept())['👍'] !== 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await kept()).toEqual({ '👏': 60, '👍': 2 });
  }, 30_000);

  it('counts votes taken by either process once and shows the results on both', async () => {
    const [one, two] = processes as [ParvisProcess, ParvisProcess];
    const admin = await connectViewer(one.url, adminToken);
    sockets.push(admin);
    await ok(request<JoinResult>(admin, 'event:join', { eventId: EVENT_ID }));
    const watcher = await joined(two.url);
    const seen: Poll[] = [];
    watcher.on('polls:updated', ({ polls }) => seen.push(...polls));

    const { poll } = await ok(
      request<{ poll: Poll }>(admin, 'poll:create', { eventId: EVENT_ID, question: 'Un ou deux ?', options: ['Un', 'Deux'] }),
    );
    await ok(request(admin, 'poll:control', { eventId: EVENT_ID, pollId: poll.id, action: 'open' }));
    const voters = await Promise.all(Array.from({ length: 30 }, (_, i) => joined((i % 2 ? two : one).url, `Votant ${i}`)));
    const acks = await Promise.all(
      voters.flatMap((socket, i) => {
        const vote = () => request(socket, 'poll:vote', { eventId: EVENT_ID, pollId: poll.id, optionIds: [i % 3 ? 'o1' : 'o2'] });
        // A third of them vote twice at once: counted once.
        return i % 3 === 0 ? [vote(), vote()] : [vote()];
      }),
    );
    expect(acks.filter((a) => a.ok)).toHaveLength(30);
    expect(acks.filter((a) => !a.ok).every((a) => !a.ok && a.error.code === 'CONFLICT')).toBe(true);
    expect(await store.polls.getPoll(EVENT_ID, poll.id)).toMatchObject({ voters: 30, counts: [20, 10] });
    await eventually(() => seen.some((p) => p.id === poll.id && p.voters === 30), 10_000, 'the final counts on the other process');
    expect(seen.filter((p) => p.id === poll.id && p.voters === 30).at(-1)!.counts).toEqual([20, 10]);
  }, 30_000);
});
