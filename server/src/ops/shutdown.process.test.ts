import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '#shared/protocol/ack';
import type { ChatSendResult } from '#shared/protocol/events';
import { connectViewer, guestToken, LIVE_EVENT_ID, ok, request, type TestClient } from '../test/harness';
import { spawnParvis, type ParvisProcess } from '../test/process';
import { startRedisServer, type RedisServer } from '../test/redis-server';

const PEOPLE = 4;
/** Per person: with four people, at most 800 messages, under the 1,000 a rejoin with `since` replays. */
const MESSAGES_EACH = 200;
/** Messages each person keeps in flight, sending the next as soon as one is answered. */
const WINDOW = 16;

interface Send {
  clientId: string;
  text: string;
  answer?: Ack<ChatSendResult>;
}

/** One person of the audience typing as fast as the chat answers, who stops when the server says it is leaving. */
class Chatter {
  readonly sends: Send[] = [];
  /** Got `server:shutdown`. */
  told = false;
  /** How many of their messages were still unanswered when they were told. */
  unansweredWhenTold = 0;
  readonly disconnected: Promise<string>;

  constructor(
    private readonly socket: TestClient,
    private readonly name: string,
    private readonly onAnswer: () => void,
  ) {
    socket.on('server:shutdown', (_payload, ack) => {
      this.told = true;
      this.unansweredWhenTold = this.sends.filter((send) => !send.answer).length;
      // Nothing more goes out on this connection (see next()): confirm, so that the server closes it.
      ack();
    });
    this.disconnected = new Promise((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
  }

  start(): void {
    for (let i = 0; i < WINDOW; i++) this.next();
  }

  private next(): void {
    if (this.told || this.sends.length >= MESSAGES_EACH) return;
    const send: Send = { clientId: `${this.name}-${this.sends.length}`, text: `${this.name} : message ${this.sends.length}` };
    this.sends.push(send);
    this.socket.emit('chat:send', { eventId: LIVE_EVENT_ID, text: send.text, clientId: send.clientId }, (answer) => {
      send.answer = answer;
      this.onAnswer();
      this.next();
    });
  }
}

// On SQLite a message is stored within the tick that received it; on Redis each one waits for round trips, so there
// the requests are truly in flight when the signal comes.
describe.each(['SQLite', 'Redis'])('SIGTERM on %s', (store) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'parvis-shutdown-'));
  const env: Record<string, string> = { DATA_DIR: dataDir, CHAT_RATE_LIMIT: '10000', SHUTDOWN_GRACE_MS: '20000' };
  const processes: ParvisProcess[] = [];
  const sockets: TestClient[] = [];
  let redis: RedisServer | undefined;

  beforeAll(async () => {
    if (store !== 'Redis') return;
    redis = await startRedisServer();
    Object.assign(env, { REDIS_URL: redis.url, JWT_SECRET: 'a-secret-shared-by-both-processes-0123456789' });
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    for (const parvis of processes) await parvis.kill('SIGKILL');
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'answers every chat message in flight, keeps every one it acknowledged, and tells its clients to reconnect',
    async () => {
      const first = await spawnParvis(env);
      processes.push(first);

      let answered = 0;
      let midBurst!: () => void;
      const halfwayThere = new Promise<void>((resolve) => (midBurst = resolve));
      const chatters = await Promise.all(
        Array.from({ length: PEOPLE }, async (_, i) => {
          const socket = await connectViewer(first.url, await guestToken(first.url, `Lecteur ${i}`));
          sockets.push(socket);
          await ok(request(socket, 'event:join', { eventId: LIVE_EVENT_ID }));
          return new Chatter(socket, `lecteur${i}`, () => {
            if (++answered === 100) midBurst();
          });
        }),
      );
      const exited = new Promise<number | null>((resolve) => first.child.once('exit', (code) => resolve(code)));

      for (const chatter of chatters) chatter.start();
      await halfwayThere;
      first.child.kill('SIGTERM');

      // Told, then disconnected by a transport close, on which Socket.IO clients reconnect by themselves.
      const reasons = await Promise.all(chatters.map((chatter) => chatter.disconnected));
      expect(reasons).toEqual(chatters.map(() => 'transport close'));
      expect(chatters.map((chatter) => chatter.told)).toEqual(chatters.map(() => true));
      expect(await exited, first.output()).toBe(0);

      // The signal came mid-burst: messages were on their way when the people were told.
      const sends = chatters.flatMap((chatter) => chatter.sends);
      expect(chatters.reduce((sum, chatter) => sum + chatter.unansweredWhenTold, 0)).toBeGreaterThan(0);
      expect(sends.length).toBeLessThan(PEOPLE * MESSAGES_EACH);
      // Every message sent got an answer: stored, or "send it again elsewhere".
      expect(sends.filter((send) => !send.answer).map((send) => send.clientId)).toEqual([]);
      const outcomes = new Set(sends.map(({ answer }) => (answer!.ok ? 'ok' : answer!.error.code)));
      expect([...outcomes].filter((outcome) => outcome !== 'ok' && outcome !== 'UNAVAILABLE')).toEqual([]);

      // Restarted on the same data: every acknowledged message is in the history.
      const acked = sends.flatMap(({ answer }) => (answer?.ok && 'message' in answer.data ? [answer.data.message] : []));
      expect(acked.length).toBeGreaterThanOrEqual(100);
      const second = await spawnParvis(env);
      processes.push(second);
      const reader = await connectViewer(second.url);
      sockets.push(reader);
      const since = Math.min(...acked.map((message) => message.offset)) - 1;
      const { chat } = await ok(request<{ chat: { messages: { id: string; text: string }[]; reset: boolean } }>(
        reader,
        'event:join',
        { eventId: LIVE_EVENT_ID, since },
      ));
      expect(chat.reset).toBe(false);
      const kept = new Map(chat.messages.map((message) => [message.id, message.text]));
      expect(acked.filter((message) => kept.get(message.id) !== message.text).map((m) => m.clientId)).toEqual([]);
    },
    90_000,
  );
});
