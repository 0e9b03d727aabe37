import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRedisStore } from '../../server/src/store/redis/redis-store';
import { openSqliteStore } from '../../server/src/store/sqlite/sqlite-store';
import type { Store } from '../../server/src/store/store';
import { onCleanup } from '../lib/cleanup';
import { monoNow, sleep } from '../lib/clock';
import type { Bench, Ctx } from '../lib/context';
import { CpuWindow, type CpuReport } from '../lib/proc';
import { startRedis } from '../lib/redis';
import { cpuLine, num, type Row } from '../lib/report';
import { startHelper, startServer, type BenchHelper, type BenchServer } from '../lib/server';
import { stormEvent } from '../lib/signup-storm';

const EVENT_ID = 'atelier-courrier';
/**
 * Each scheduler tick ends with one sender run of at most 200 emails (outbox-sender.ts). At the default tick (5 s) that
 * caps a process at 40 emails/s by design; a 20 ms tick lets the row measure how fast the sender itself goes.
 */
const TICK_MS = 20;
const DEFAULT_TICK_CAP = '40 emails/s per process at the default SCHEDULER_TICK_MS (200 per 5 s tick)';

interface SinkStats {
  received: number;
  distinct: number;
  duplicates: number;
  first: number | null;
  last: number | null;
  connections: number;
}

interface Measured {
  label: string;
  emails: number;
  perSec: number;
  spanMs: number;
  stats: SinkStats;
  cpu: CpuReport;
  sent: number;
}

/**
 * Signs up `count` people with a seat, through the store as the sign-up service would, so that each leaves a
 * confirmation (HTML, text and an `.ics` invitation) in the outbox, due at `dueAt`.
 */
async function fill(store: Store, count: number, dueAt: Date, tag: string): Promise<void> {
  for (let i = 0; i < count; i++) {
    const result = await store.registrations.register({
      eventId: EVENT_ID,
      person: { email: `${tag}-${i}@example.org`, name: `Personne ${i}`, language: i % 3 === 0 ? 'en' : 'fr' },
      phone: null,
      answers: {},
      source: 'online',
      seriesId: null,
      weekKey: null,
      rules: { capacity: 1_000_000, waitlist: true, fairCap: null },
      overbook: false,
      notify: true,
      now: dueAt.toISOString(),
    });
    if (result.outcome !== 'registered') throw new Error(`could not sign up person ${i}: ${result.outcome}`);
  }
}

async function waitForSink(sink: BenchHelper, count: number, timeoutMs: number): Promise<SinkStats> {
  const deadline = monoNow() + timeoutMs;
  for (;;) {
    const stats = await sink.rpc.call<SinkStats>('stats');
    if (stats.received >= count) return stats;
    if (monoNow() > deadline) throw new Error(`the SMTP server received ${stats.received} of ${count} emails within ${timeoutMs / 1000} s`);
    await sleep(50);
  }
}

async function sentCount(openStore: () => Promise<Store>): Promise<number> {
  const store = await openStore();
  try {
    return (await store.outbox.list({ limit: 100_000 })).filter((m) => m.eventId === EVENT_ID && m.state === 'sent').length;
  } finally {
    await store.close();
  }
}

/**
 * One setup: the servers are up and idle; a warm-up of 50 emails goes through them first (compiling the renderer's
 * path, and timing how fast the outbox fills); then `count` confirmations are stored due at one instant a little
 * later, so that every process starts on them at once, and the SMTP server counts them in.
 */
async function measure(
  ctx: Ctx,
  label: string,
  watch: Record<string, number>,
  sink: BenchHelper,
  openStore: () => Promise<Store>,
  count: number,
): Promise<Measured> {
  const store = await openStore();
  try {
    await store.programme.saveProgramme([], [stormEvent(EVENT_ID, 1_000_000)]);
    const warm = 50;
    const t = monoNow();
    await fill(store, warm, new Date(), `warm-${Date.now()}`);
    const perRegistrationMs = (monoNow() - t) / warm;
    await waitForSink(sink, warm, 60_000);
    await sink.rpc.call('reset');
    // Due once the whole outbox is written, with room to spare.
    const leadMs = Math.max(2000, 2 * perRegistrationMs * count + 1000);
    const dueAt = new Date(Date.now() + leadMs);
    ctx.log(`${label}: ${num(count)} confirmations due in ${(leadMs / 1000).toFixed(1)} s`);
    await fill(store, count, dueAt, `mail-${Date.now()}`);
    const wait = dueAt.getTime() - Date.now();
    if (wait < 0) ctx.log(`${label}: the outbox took longer to fill than planned (${-wait} ms late)`);
    await sleep(Math.max(0, wait - 200));
  } finally {
    await store.close();
  }
  const cpu = new CpuWindow({ ...watch, smtp: sink.pid });
  const stats = await waitForSink(sink, count, 300_000);
  const used = cpu.end();
  const spanMs = (stats.last ?? 0) - (stats.first ?? 0);
  // Marked sent just after the SMTP server took each one: a moment later, the store says so for every one of them.
  let sent = 0;
  for (let i = 0; i < 100 && sent < count; i++) {
    sent = (await sentCount(openStore)) - 50;
    if (sent < count) await sleep(100);
  }
  return { label, emails: count, perSec: ((count - 1) * 1000) / Math.max(1, spanMs), spanMs, stats, cpu: used, sent };
}

/**
 * Emails sent per second from the outbox to a local SMTP server (smtp-server, in a process of its own): one process on
 * SQLite, one on Redis, and two on Redis sharing the outbox. Each email is a confirmation rendered at send time (HTML,
 * text, `.ics`) and handed to nodemailer's pool of 3 connections per process; every row is claimed with a lease, so
 * two processes never send the same one (checked: the SMTP server counts each Message-ID).
 */
export const mailBench: Bench = {
  id: 'mail',
  title: 'Emails sent per second from the outbox to a local SMTP server',
  budgetMs: (ctx) => (ctx.quick ? 240_000 : 480_000),
  async run(ctx) {
    const count = ctx.quick ? 300 : 2000;
    const sink = await startHelper('smtp-sink.ts', 'smtp');
    const env = { SMTP_URL: `smtp://127.0.0.1:${sink.port}`, SCHEDULER_TICK_MS: String(TICK_MS) };
    const results: Measured[] = [];
    try {
      {
        const dataDir = mkdtempSync(join(tmpdir(), 'parvis-bench-mail-'));
        const unregister = onCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
        const server = await startServer('server', { ...env, DATA_DIR: dataDir });
        try {
          const open = async () => openSqliteStore(join(dataDir, 'parvis.sqlite'));
          results.push(await measure(ctx, 'one process (SQLite)', { server: server.pid }, sink, open, count));
        } finally {
          await server.stop();
          rmSync(dataDir, { recursive: true, force: true });
          unregister();
        }
      }
      for (const processes of [1, 2]) {
        await sink.rpc.call('reset');
        const redis = await startRedis();
        const servers: BenchServer[] = [];
        try {
          for (const label of processes === 1 ? ['server'] : ['A', 'B']) servers.push(await startServer(label, { ...env, REDIS_URL: redis.url }));
          const watch = Object.fromEntries([...servers.map((s) => [s.label, s.pid] as const), ['redis', redis.pid] as const]);
          const open = () => openRedisStore(redis.url);
          const label = processes === 1 ? 'one process (Redis)' : 'two processes (Redis)';
          results.push(await measure(ctx, label, watch, sink, open, count));
        } finally {
          for (const s of servers.reverse()) await s.stop();
          await redis.stop();
        }
      }
    } finally {
      await sink.stop();
    }

    const one = results.find((r) => r.label === 'one process (Redis)');
    const rows: Row[] = results.map((r) => {
      const once = r.stats.received === r.emails && r.stats.duplicates === 0 && r.sent === r.emails;
      const scale = r.label === 'two processes (Redis)' && one ? `; ${(r.perSec / one.perSec).toFixed(2)}× one process on Redis` : '';
      return {
        bench: 'mail',
        metric: `emails/s from the outbox to a local SMTP server, ${r.label}${ctx.quick ? ' (quick)' : ''}`,
        value: `${num(r.perSec)} emails/s (${num(r.emails)} in ${(r.spanMs / 1000).toFixed(2)} s)`,
        target: 'report; each email sent once',
        verdict: once ? 'report' : 'miss',
        ...(once
          ? {
              why: `${num(r.stats.distinct)} distinct Message-IDs, none twice, all marked sent${scale}; CPU of a core: ${[
                ...Object.entries(r.cpu.procs).map(([l, v]) => `${l} ${Math.round(v.pctOfCore)}% (waited for a core ${Math.round(v.waitPct)}%)`),
                `other processes ${Math.round((100 * r.cpu.othersMs) / r.cpu.wallMs)}%`,
              ].join(', ')}; ${DEFAULT_TICK_CAP}`,
            }
          : {
              missBy: `${r.stats.received - r.emails} extra, ${r.stats.duplicates} sent twice, ${r.emails - r.sent} not marked sent`,
              why: 'an email was sent more than once or not recorded as sent',
            }),
      };
    });
    return {
      rows,
      details: [
        `- each email is a confirmation (HTML and text parts, an \`.ics\` invitation) rendered at send time from the store, sent by the scheduler's mail sender (batches of 10 over nodemailer's pool of 3 connections per process, up to 200 per tick) with \`SCHEDULER_TICK_MS=${TICK_MS}\`; a third of them in English. The rate is (emails − 1) ÷ the time from the first to the last arrival at the SMTP server, which accepts without TLS or authentication and parses nothing but the Message-ID.`,
        ...results.flatMap((r) => [
          `- **${r.label}**: ${num(r.stats.received)} received over ${r.stats.connections} SMTP connections, ${num(r.stats.distinct)} distinct Message-IDs, ${r.stats.duplicates} twice; ${num(r.sent)} marked sent in the store`,
          `  - ${cpuLine(r.cpu)}`,
        ]),
      ],
    };
  },
};
