import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SeatCounts } from '#shared/domain/registration';
import { openRedisStore } from '../../server/src/store/redis/redis-store';
import { openSqliteStore } from '../../server/src/store/sqlite/sqlite-store';
import type { Store } from '../../server/src/store/store';
import { onCleanup } from '../lib/cleanup';
import type { Bench, Ctx } from '../lib/context';
import { fmtMs } from '../lib/histogram';
import { CpuWindow, type CpuReport } from '../lib/proc';
import { startRedis } from '../lib/redis';
import { cpuLine, num, type Row } from '../lib/report';
import { startHelper, startServer, type BenchServer } from '../lib/server';
import { signUpStorm, stormEvent, stormProblems, type StormResult } from '../lib/signup-storm';

const SEATS = 20;
const EVENT_ID = 'atelier-tempete';

/** Every sign-up of the storm comes from 127.0.0.1, which the limit per address would count as one network. */
const SERVER_ENV = { SIGNUP_RATE_LIMIT: '1000000' };

interface Setup {
  label: string;
  run: StormResult;
  cpu: CpuReport;
  seats: SeatCounts | undefined;
  problems: string[];
}

const lat = (r: StormResult) => `p50 ${fmtMs(r.hist.percentile(50))} ms, p99 ${fmtMs(r.hist.percentile(99))} ms`;

/** Adds the event through a store connection of its own, as a librarian's admin page would have, then lets it go. */
async function addEvent(store: Store): Promise<void> {
  try {
    await store.programme.saveProgramme([], [stormEvent(EVENT_ID, SEATS)]);
  } finally {
    await store.close();
  }
}

async function seatsOf(server: BenchServer): Promise<SeatCounts | undefined> {
  const answer = (await (await fetch(`${server.url}/api/events/${EVENT_ID}`)).json()) as { seats?: SeatCounts };
  return answer.seats;
}

/** The storm against Parvis, checked: the answers each person got, and the seats the store holds afterwards. */
async function parvisStorm(ctx: Ctx, label: string, servers: BenchServer[], watch: Record<string, number>, people: number, spreadMs: number): Promise<Setup> {
  ctx.log(`${label}: ${num(people)} sign-ups for ${SEATS} seats over ${spreadMs / 1000} s`);
  // The generator is this process: its CPU is counted beside the servers'.
  const cpu = new CpuWindow({ ...watch, gen: process.pid });
  const run = await signUpStorm(
    servers.map((s) => s.url),
    EVENT_ID,
    people,
    spreadMs,
    `tempete-${Date.now()}`,
  );
  const used = cpu.end();
  const seats = await seatsOf(servers[0]!);
  const problems = stormProblems(run, SEATS);
  if (seats?.confirmed !== SEATS || seats.waitlisted !== people - SEATS) {
    problems.push(`the store holds ${JSON.stringify(seats)} instead of ${SEATS} confirmed and ${people - SEATS} waiting`);
  }
  return { label, run, cpu: used, seats, problems };
}

/**
 * The sign-up storm: 2,000 people sign up for a 20-seat workshop within 10 s (one every 5 ms), on one process with the
 * embedded SQLite store, then on two processes sharing Redis (the requests alternate, as behind a load balancer). Each
 * setup is checked (exactly 20 confirmed, waiting-list positions 1…1,980 once each, every answer 201, and the store's
 * own counts) and timed (p50 and p99 from request to answer). The peer, in the same run: the same storm against a bare
 * Express 5 route that does one SQLite insert.
 */
export const signupBench: Bench = {
  id: 'signup',
  title: 'Sign-up storm: 2,000 people for 20 seats within 10 s',
  budgetMs: (ctx) => (ctx.quick ? 150_000 : 300_000),
  async run(ctx) {
    const people = ctx.quick ? 500 : 2000;
    const spreadMs = ctx.quick ? 2500 : 10_000;
    const setups: Setup[] = [];

    // One process, SQLite (the embedded default).
    {
      const dataDir = mkdtempSync(join(tmpdir(), 'parvis-bench-signup-'));
      const unregister = onCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
      const server = await startServer('server', { ...SERVER_ENV, DATA_DIR: dataDir });
      try {
        await addEvent(openSqliteStore(join(dataDir, 'parvis.sqlite')));
        setups.push(await parvisStorm(ctx, 'one process (SQLite)', [server], { server: server.pid }, people, spreadMs));
      } finally {
        await server.stop();
        rmSync(dataDir, { recursive: true, force: true });
        unregister();
      }
    }

    // Two processes, Redis.
    {
      const redis = await startRedis();
      const env = { ...SERVER_ENV, REDIS_URL: redis.url };
      const a = await startServer('A', env);
      const b = await startServer('B', env);
      try {
        await addEvent(await openRedisStore(redis.url));
        setups.push(await parvisStorm(ctx, 'two processes (Redis)', [a, b], { A: a.pid, B: b.pid, redis: redis.pid }, people, spreadMs));
      } finally {
        await b.stop();
        await a.stop();
        await redis.stop();
      }
    }

    // The peer: the same POST, a bare Express route and one SQLite insert.
    ctx.log(`peer: ${num(people)} POSTs over ${spreadMs / 1000} s to a bare Express route with one SQLite insert`);
    const peer = await startHelper('peer-signup.ts', 'peer');
    let peerRun: StormResult;
    let peerCpu: CpuReport;
    try {
      const cpu = new CpuWindow({ peer: peer.pid, gen: process.pid });
      peerRun = await signUpStorm([`http://127.0.0.1:${peer.port}`], EVENT_ID, people, spreadMs, `pair-${Date.now()}`);
      peerCpu = cpu.end();
    } finally {
      await peer.stop();
    }

    const peerP50 = peerRun.hist.percentile(50);
    const peerP99 = peerRun.hist.percentile(99);
    const rows: Row[] = setups.map((s) => {
      const ok = s.problems.length === 0;
      const servers = [
        ...Object.entries(s.cpu.procs).map(([l, v]) => `${l} ${Math.round(v.pctOfCore)}% (waited for a core ${Math.round(v.waitPct)}%)`),
        `other processes ${Math.round((100 * s.cpu.othersMs) / s.cpu.wallMs)}%`,
      ].join(', ');
      return {
        bench: 'signup',
        metric: `${num(people)} sign-ups for ${SEATS} seats within ${spreadMs / 1000} s, ${s.label}${ctx.quick ? ' (quick)' : ''}`,
        value: `${num(s.run.registrations.filter((r) => r.status === 'confirmed').length)} confirmed, ${num(
          s.run.registrations.filter((r) => r.status === 'waitlisted').length,
        )} waiting; ${lat(s.run)}`,
        target: `exactly ${SEATS} confirmed, positions 1…${num(people - SEATS)} once each, all 201`,
        verdict: ok ? 'pass' : 'miss',
        ...(ok
          ? {
              why:
                `the store agrees (${s.seats?.confirmed} confirmed, ${num(s.seats?.waitlisted ?? 0)} waiting); latency ` +
                `${(s.run.hist.percentile(50) / peerP50).toFixed(1)}× the peer's at p50, ${(s.run.hist.percentile(99) / peerP99).toFixed(1)}× at p99; CPU of a core: ${servers}`,
            }
          : { missBy: s.problems[0]!, why: s.problems.join('; ') }),
      };
    });
    rows.push({
      bench: 'signup',
      metric: `peer: the same ${num(people)} POSTs to a bare Express 5 route doing one SQLite insert`,
      value: lat(peerRun),
      target: 'report',
      verdict: 'report',
      why: 'no validation, rate limit, seat rule or outbox: what a sign-up costs at the least here',
    });

    const detail = (name: string, r: StormResult, cpu: CpuReport) => [
      `- **${name}**: ${num(r.people)} sign-ups, the last sent ${(r.lastSentMs / 1000).toFixed(2)} s after the first (generator at most ${fmtMs(
        r.maxLagMs,
      )} ms behind its pace), the last answer at ${(r.lastAnswerMs / 1000).toFixed(2)} s; answers ${JSON.stringify(r.statuses)}`,
      `  - latency (request sent → answer read): ${r.hist.summary()}, mean ${fmtMs(r.hist.mean)} ms`,
      `  - ${cpuLine(cpu)}`,
    ];
    return {
      rows,
      details: [
        `- each person signs up once (\`POST /api/events/${EVENT_ID}/registrations\`, a new email each), one every ${fmtMs(spreadMs / people)} ms, over keep-alive connections; the two-process setup alternates A, B. The servers run as \`npm start\` does (\`NODE_ENV=production\`), with \`SIGNUP_RATE_LIMIT\` raised since every request comes from 127.0.0.1; each sign-up stores its email in the outbox in the same operation, and the mail sender writes them as \`.eml\` files on its ticks meanwhile (no \`SMTP_URL\`)`,
        ...setups.flatMap((s) => detail(s.label, s.run, s.cpu)),
        ...detail('peer (bare Express 5 + one SQLite insert)', peerRun, peerCpu),
      ],
    };
  },
};
