import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '#shared/domain/chat';
import type { Ack } from '#shared/protocol/ack';
import type { ChatSendResult, JoinResult } from '#shared/protocol/events';
import { connectViewer, eventually, guestToken, LIVE_EVENT_ID, ok, request, type TestClient } from '../test/harness';
import { spawnParvis, type ParvisProcess } from '../test/process';
import { startRedisServer, type RedisServer } from '../test/redis-server';

/**
 * Several real Parvis processes (spawned as `npm start` runs them) on one real redis-server. These are the tests
 * of "no message is lost": they kill processes and Redis itself.
 */

const SECRET = 'cluster-test-secret-0123456789-0123456789';
let redis: RedisServer;
let dataDir: string;
const processes: ParvisProcess[] = [];
const sockets: TestClient[] = [];

async function parvis(extra: Record<string, string> = {}): Promise<ParvisProcess> {
  const p = await spawnParvis({
    REDIS_URL: redis.url,
    JWT_SECRET: SECRET,
    DATA_DIR: dataDir,
    CHAT_RATE_LIMIT: '10000',
    ...extra,
  });
  processes.push(p);
  return p;
}

async function viewer(url: string, token?: string): Promise<TestClient> {
  const s = await connectViewer(url, token);
  sockets.push(s);
  return s;
}

/**
 * What a well-behaved client keeps: messages by offset. Offsets of an event have no holes, so a message whose offset
 * is past the next expected one reveals a loss, and the client rejoins with `since` to fill it.
 */
class ChatLog {
  readonly byOffset = new Map<number, ChatMessage>();
  duplicatesWithOtherContent = 0;
  private socket: TestClient | undefined;

  get last(): number {
    let n = 0;
    while (this.byOffset.has(n + 1)) n++;
    return n;
  }

  add(messages: ChatMessage[]): void {
    for (const m of messages) {
      const held = this.byOffset.get(m.offset);
      if (held && held.id !== m.id) this.duplicatesWithOtherContent++;
      this.byOffset.set(m.offset, m);
    }
  }

  async attach(socket: TestClient): Promise<void> {
    this.socket = socket;
    socket.on('chat:messages', ({ messages }) => {
      const gap = messages.some((m) => m.offset > this.last + 1);
      this.add(messages);
      if (gap) void this.rejoin();
    });
    await this.rejoin();
  }

  async rejoin(): Promise<void> {
    const since = this.last;
    const res = await ok(request<JoinResult>(this.socket!, 'event:join', { eventId: LIVE_EVENT_ID, since }));
    if (res.chat.reset) this.byOffset.clear();
    this.add(res.chat.messages);
  }

  texts(): string[] {
    return [...this.byOffset.values()].sort((a, b) => a.offset - b.offset).map((m) => m.text);
  }
}

beforeAll(async () => {
  redis = await startRedisServer({ appendonly: true, appendfsync: 'always' });
  dataDir = mkdtempSync(join(tmpdir(), 'parvis-cluster-'));
});
afterEach(async () => {
  while (sockets.length) sockets.pop()!.close();
  await Promise.all(processes.splice(0).map((p) => p.stop()));
});
afterAll(async () => {
  await redis?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

// Each test spawns real processes, which takes seconds on a busy 2-core machine: bounded, generous timeouts.
describe('two processes on Redis', { timeout: 90_000 }, () => {
  it('let viewers on different processes chat together and see the same viewer count', async () => {
    const [a, b] = [await parvis(), await parvis()];
    const ana = await viewer(a.url, await guestToken(a.url, 'Ana'));
    const bob = await viewer(b.url, await guestToken(b.url, 'Bob'));
    const counts = { ana: 0, bob: 0 };
    ana.on('presence:viewers', ({ viewers }) => (counts.ana = viewers));
    bob.on('presence:viewers', ({ viewers }) => (counts.bob = viewers));
    const toAna: string[] = [];
    const toBob: string[] = [];
    ana.on('chat:messages', ({ messages }) => toAna.push(...messages.map((m) => m.text)));
    bob.on('chat:messages', ({ messages }) => toBob.push(...messages.map((m) => m.text)));
    await ok(request(ana, 'event:join', { eventId: LIVE_EVENT_ID }));
    await ok(request(bob, 'event:join', { eventId: LIVE_EVENT_ID }));

    await ok(request(ana, 'chat:send', { eventId: LIVE_EVENT_ID, text: 'depuis A', clientId: crypto.randomUUID() }));
    await ok(request(bob, 'chat:send', { eventId: LIVE_EVENT_ID, text: 'depuis B', clientId: crypto.randomUUID() }));
    await eventually(() => toAna.length === 2 && toBob.length === 2, 5000, 'both messages on both processes');
    expect(toAna).toEqual(['depuis A', 'depuis B']);
    expect(toBob).toEqual(['depuis A', 'depuis B']);
    await eventually(() => counts.ana === 2 && counts.bob === 2, 5000, 'a count of 2 on both processes');
  });

  it('gives every viewer, on either process, each message of a burst sent through both processes once', async () => {
    const [a, b] = [await parvis(), await parvis()];
    const senders = [await viewer(a.url, await guestToken(a.url, 'Ana')), await viewer(b.url, await guestToken(b.url, 'Bob'))];
    const watchers = [await viewer(a.url), await viewer(b.url), await viewer(b.url)];
    const received = watchers.map(() => [] as string[]);
    watchers.forEach((w, i) => w.on('chat:messages', ({ messages }) => received[i]!.push(...messages.map((m) => m.text))));
    for (const socket of [...senders, ...watchers]) await ok(request(socket, 'event:join', { eventId: LIVE_EVENT_ID }));

    const texts = Array.from({ length: 60 }, (_, i) => `message ${i} via ${i % 2 === 0 ? 'A' : 'B'}`);
    await Promise.all(
      texts.map((text, i) => ok(request(senders[i % 2]!, 'chat:send', { eventId: LIVE_EVENT_ID, text, clientId: crypto.randomUUID() }))),
    );
    // The marker goes through A after everything else; a copy of any message would have reached B's viewers before it.
    await ok(request(senders[0]!, 'chat:send', { eventId: LIVE_EVENT_ID, text: 'marker', clientId: crypto.randomUUID() }));
    await eventually(() => received.every((r) => r.includes('marker')), 10_000, 'the marker on every viewer');

    for (const r of received) expect([...r].sort()).toEqual([...texts, 'marker'].sort());
  });

  it('stores one message when the same clientId reaches both processes', async () => {
    const [a, b] = [await parvis(), await parvis()];
    const token = await guestToken(a.url, 'Ana');
    const onA = await viewer(a.url, token);
    const onB = await viewer(b.url, token);
    const payload = { eventId: LIVE_EVENT_ID, text: 'une seule fois', clientId: crypto.randomUUID() };
    const [first, second] = await Promise.all([
      ok(request<{ message: ChatMessage }>(onA, 'chat:send', payload)),
      ok(request<{ message: ChatMessage }>(onB, 'chat:send', payload)),
    ]);
    expect(second.message).toEqual(first.message);
    const history = await ok(request<JoinResult>(onA, 'event:join', { eventId: LIVE_EVENT_ID, since: first.message.offset - 1 }));
    expect(history.chat.messages.filter((m) => m.clientId === payload.clientId)).toHaveLength(1);
  });

  it('holds one rate limit per person however their sockets are spread over processes', async () => {
    const [a, b] = [await parvis({ CHAT_RATE_LIMIT: '3' }), await parvis({ CHAT_RATE_LIMIT: '3' })];
    const token = await guestToken(a.url, 'Ana');
    const onA = await viewer(a.url, token);
    const onB = await viewer(b.url, token);
    const say = (socket: TestClient, text: string) =>
      request(socket, 'chat:send', { eventId: LIVE_EVENT_ID, text, clientId: crypto.randomUUID() });
    const results = [await say(onA, '1'), await say(onB, '2'), await say(onA, '3'), await say(onB, '4')];
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false]);
    expect(results[3]).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  });

  it('loses no accepted message when a process is killed in the middle of a 1,000-message burst', async () => {
    const [a, b] = [await parvis(), await parvis()];
    const tokens = { sa: await guestToken(a.url, 'Sa'), sb: await guestToken(a.url, 'Sb') };
    const logs = { onA: new ChatLog(), onB: new ChatLog() };
    await logs.onA.attach(await viewer(a.url));
    await logs.onB.attach(await viewer(b.url));
    const start = logs.onA.last;

    const senderA = await viewer(a.url, tokens.sa);
    let senderB = await viewer(b.url, tokens.sb);
    const accepted = new Set<string>();
    const unacked = new Map<string, { eventId: string; text: string; clientId: string }>();
    const send = (socket: TestClient, text: string, clientId: string = crypto.randomUUID()) => {
      const payload = { eventId: LIVE_EVENT_ID, text, clientId };
      unacked.set(clientId, payload);
      return new Promise<void>((done) => {
        // A socket of a killed process: the message stays unacked, to be resent elsewhere.
        if (!socket.connected) return done();
        socket.emit('chat:send', payload, (res: Ack<ChatSendResult>) => {
          if (res.ok && 'message' in res.data) {
            accepted.add(res.data.message.id);
            unacked.delete(clientId);
          }
          done();
        });
        // A killed process never answers; the sender gives up on that socket and retries elsewhere below.
        socket.once('disconnect', () => done());
      });
    };

    const burstA = Array.from({ length: 500 }, (_, i) => send(senderA, `A${i}`));
    const burstB: Promise<void>[] = [];
    for (let i = 0; i < 500; i++) {
      burstB.push(send(senderB, `B${i}`));
      if (i === 250) await b.kill('SIGKILL');
    }
    await Promise.all([...burstA, ...burstB]);

    // Everyone who was on B comes back on A, as the load balancer would send them, and resends what was not acked
    // with the same clientId.
    senderB = await viewer(a.url, tokens.sb);
    // The kill really cut the burst: B's later messages were never acknowledged there.
    expect(unacked.size).toBeGreaterThan(0);
    for (const payload of [...unacked.values()]) await send(senderB, payload.text, payload.clientId);
    expect(unacked.size).toBe(0);
    await logs.onB.attach(await viewer(a.url));
    // A last message reveals any hole to clients that never disconnected.
    await send(senderA, 'fin');

    await eventually(() => logs.onA.texts().at(-1) === 'fin' && logs.onB.texts().at(-1) === 'fin', 10_000, 'the end');
    for (const log of [logs.onA, logs.onB]) {
      const after = [...log.byOffset.values()].filter((m) => m.offset > start);
      // Every offset once, no holes, and every accepted message among them.
      expect(after.map((m) => m.offset).sort((x, y) => x - y)).toEqual(
        Array.from({ length: after.length }, (_, i) => start + 1 + i),
      );
      const ids = new Set(after.map((m) => m.id));
      for (const id of accepted) expect(ids.has(id)).toBe(true);
      expect(log.duplicatesWithOtherContent).toBe(0);
      // Each sender's messages in the order it sent them.
      const fromA = after.filter((m) => m.text.startsWith('A')).map((m) => Number(m.text.slice(1)));
      expect(fromA).toEqual(Array.from({ length: 500 }, (_, i) => i));
      expect(after.filter((m) => m.text.startsWith('B'))).toHaveLength(500);
    }
    expect(accepted.size).toBe(1001);
  });

  it('loses no acknowledged write when Redis is killed and restarted under load, and answers UNAVAILABLE meanwhile', async () => {
    const a = await parvis();
    const sender = await viewer(a.url, await guestToken(a.url, 'Ana'));
    const acked: ChatMessage[] = [];
    let unavailable = 0;
    let other = 0;
    let i = 0;
    const sendOne = async () => {
      // request() fails the test when no ack comes at all: a send that hangs cannot pass.
      const res = await request<{ message: ChatMessage }>(sender, 'chat:send', {
        eventId: LIVE_EVENT_ID,
        text: `m${i++}`,
        clientId: crypto.randomUUID(),
      });
      if (res.ok) acked.push(res.data.message);
      else if (res.error.code === 'UNAVAILABLE') unavailable++;
      else other++;
    };

    for (let n = 0; n < 50; n++) await sendOne();
    await redis.kill('SIGKILL');
    for (let n = 0; n < 20; n++) await sendOne();
    // Each send was answered, and answered UNAVAILABLE: the sender is told to try again, not left waiting.
    expect(unavailable).toBe(20);
    await redis.restart();
    // The process reconnects by itself; keep sending until writes go through again.
    const deadline = Date.now() + 15_000;
    while (acked.length < 100 && Date.now() < deadline) {
      await sendOne();
      if (acked.length < 100) await new Promise((r) => setTimeout(r, 50));
    }
    expect(acked.length).toBe(100);
    expect(other).toBe(0);

    const reader = await viewer(a.url);
    const history = await ok(
      request<JoinResult>(reader, 'event:join', { eventId: LIVE_EVENT_ID, since: acked[0]!.offset - 1 }),
    );
    const stored = new Set(history.chat.messages.map((m) => m.id));
    for (const m of acked) expect(stored.has(m.id)).toBe(true);
  });
});
