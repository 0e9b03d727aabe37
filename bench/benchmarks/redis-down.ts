import { io, type Socket } from 'socket.io-client';
import { monoNow, sleep } from '../lib/clock';
import { type Bench, LIVE_EVENT } from '../lib/context';
import { fmtMs, Histogram } from '../lib/histogram';
import { startRedis } from '../lib/redis';
import { num, type Row } from '../lib/report';
import { startServer } from '../lib/server';

/** A message sent while Redis is away is answered UNAVAILABLE within this, whether Redis died or hangs. */
const TARGET_MS = 2500;
/** An ack later than this is counted as none: the sender would have given up. */
const GIVE_UP_MS = 15_000;

interface Outcome {
  hist: Histogram;
  unavailable: number;
  other: string[];
}

/**
 * How soon `chat:send` is answered while Redis is gone: killed (the connection closes, so the client fails at once)
 * and hung (SIGSTOP: the connection stays open and only the command timeout ends a call). The tests check that the
 * answer is UNAVAILABLE and that it comes; this row measures how soon.
 */
export const redisDownBench: Bench = {
  id: 'redisdown',
  title: 'time to UNAVAILABLE while Redis is killed or hangs',
  budgetMs: (ctx) => (ctx.quick ? 90_000 : 180_000),
  async run(ctx) {
    const sends = ctx.quick ? 10 : 40;
    const redis = await startRedis();
    const server = await startServer('A', { REDIS_URL: redis.url });
    let socket: Socket | undefined;
    try {
      socket = await connectGuest(server.url);
      const sender = socket;
      let seq = 0;
      const send = () => ack(sender, `redisdown ${seq++}`);
      const first = await send();
      if (first.code !== 'OK') throw new Error(`chat:send answered ${first.code} with Redis up`);

      ctx.log(`Redis killed: ${sends} messages, one after the other`);
      await redis.kill('SIGKILL');
      const killed: Outcome = { hist: new Histogram(), unavailable: 0, other: [] };
      for (let i = 0; i < sends; i++) record(killed, await send());
      await redis.restart();
      await untilRedisAnswers(send);

      // Each call waits for the command timeout, so they are sent together rather than one after the other.
      ctx.log(`Redis hung (SIGSTOP): ${sends} messages at once`);
      await redis.kill('SIGSTOP');
      const hung: Outcome = { hist: new Histogram(), unavailable: 0, other: [] };
      for (const result of await Promise.all(Array.from({ length: sends }, send))) record(hung, result);
      await redis.kill('SIGCONT');
      await untilRedisAnswers(send);

      const rows = [row('Redis killed', sends, killed), row('Redis hung (SIGSTOP)', sends, hung)];
      return { rows, details: [] };
    } finally {
      socket?.close();
      await server.stop();
      await redis.stop();
    }
  },
};

function record(outcome: Outcome, result: { ms: number; code: string }): void {
  outcome.hist.record(result.ms);
  if (result.code === 'UNAVAILABLE') outcome.unavailable++;
  else outcome.other.push(result.code);
}

function row(what: string, sends: number, outcome: Outcome): Row {
  const max = outcome.hist.max;
  const ok = outcome.unavailable === sends && max <= TARGET_MS;
  return {
    bench: 'redisdown',
    metric: `chat:send answered while ${what}, ${sends} messages`,
    value: `${outcome.hist.summary()}; ${num(outcome.unavailable)} UNAVAILABLE`,
    target: `every one UNAVAILABLE, max ≤ ${num(TARGET_MS)} ms`,
    verdict: ok ? 'pass' : 'miss',
    ...(!ok && {
      missBy: max > TARGET_MS ? `+${fmtMs(max - TARGET_MS)} ms` : `${sends - outcome.unavailable} other answers`,
      why: outcome.other.length > 0 ? `answers other than UNAVAILABLE: ${[...new Set(outcome.other)].join(', ')}` : 'see the latency',
    }),
  };
}

async function connectGuest(url: string): Promise<Socket> {
  const res = await fetch(`${url}/api/auth/guest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ displayName: 'Banc d’essai' }),
  });
  if (!res.ok) throw new Error(`guest sign-in failed: ${res.status}`);
  const { token } = (await res.json()) as { token: string };
  const socket = io(url, { transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Sends one chat message and answers how long its ack took and its outcome (`OK`, an error code, or `NO_ACK`). */
async function ack(socket: Socket, text: string): Promise<{ ms: number; code: string }> {
  const started = monoNow();
  try {
    const res = (await socket
      .timeout(GIVE_UP_MS)
      .emitWithAck('chat:send', { eventId: LIVE_EVENT, text, clientId: crypto.randomUUID() })) as { ok: boolean; error?: { code: string } };
    return { ms: monoNow() - started, code: res.ok ? 'OK' : (res.error?.code ?? 'UNKNOWN') };
  } catch {
    return { ms: monoNow() - started, code: 'NO_ACK' };
  }
}

/**
 * Sends until the answer is no longer UNAVAILABLE: the server reconnects to Redis by itself, with backoff. A Redis
 * restarted without persistence has forgotten the programme, so NOT_FOUND counts as back too: the hung round that
 * follows is answered UNAVAILABLE before the event is even looked up.
 */
async function untilRedisAnswers(send: () => Promise<{ code: string }>): Promise<void> {
  for (let tries = 0; tries < 150; tries++) {
    const { code } = await send();
    if (code !== 'UNAVAILABLE' && code !== 'NO_ACK') return;
    await sleep(200);
  }
  throw new Error('the server did not get Redis back within 30 s');
}
