import { type Bench, LIVE_EVENT } from '../lib/context';
import { LoadGen, type RunResult } from '../lib/loadgen';
import { startCluster } from '../lib/redis';
import { diagnose, latency, num, pct, runDetails, type Row } from '../lib/report';
import { startServer } from '../lib/server';

/** Issue 13: two processes may cost at most this much more CPU per delivery than one, at the same audience and rate. */
const RATIO_TARGET = 1.15;

/** Server-side CPU (the Parvis processes and Redis) per delivered message, in µs. */
function perDelivery(run: RunResult, labels: string[]): number {
  const ms = labels.reduce((n, l) => n + (run.cpu.procs[l]?.ms ?? 0), 0);
  return (ms * 1000) / Math.max(1, run.deliveries);
}

const framesLine = (run: RunResult) =>
  `${num(run.all.frames)} frames (${(run.all.received / Math.max(1, run.all.frames)).toFixed(2)} messages per frame)`;

/**
 * The same audience and chat rate served by one process, then by two processes on one Redis (viewers and senders
 * split evenly, as a load balancer spreads them). The row is the CPU per delivery of the two processes and Redis
 * together ÷ that of the one process: what adding a process costs in frames and relaying, not in capacity.
 */
export const scaleoutBench: Bench = {
  id: 'scaleout',
  title: 'One process vs two on Redis: CPU per delivery at the same audience and rate',
  budgetMs: (ctx) => (ctx.quick ? 150_000 : 300_000),
  async run(ctx) {
    const viewers = ctx.quick ? 600 : 2000;
    const rate = 50;
    const durationMs = ctx.quick ? 5000 : 15_000;
    const warmupMs = ctx.quick ? 1000 : 3000;

    ctx.log(`one process: ${num(viewers)} viewers × ${rate} msg/s`);
    let one: RunResult;
    {
      const server = await startServer('server');
      const gen = await LoadGen.start(2);
      try {
        await gen.connectSenders(server.url, 2);
        const joined = await gen.connectViewers(server.url, viewers, { eventId: LIVE_EVENT, group: 'one' });
        if (joined.joined < viewers) throw new Error(`only ${joined.joined}/${viewers} viewers joined: ${JSON.stringify(joined.failed)}`);
        one = await gen.run({ eventId: LIVE_EVENT, rate, durationMs, warmupMs, watch: { server: server.pid } });
      } finally {
        await gen.stop();
        await server.stop();
      }
    }

    ctx.log(`two processes on Redis: ${num(viewers / 2)} viewers on each, senders on both`);
    let two: RunResult;
    {
      const { redis, a, b, stop } = await startCluster();
      const gen = await LoadGen.start(2);
      try {
        await gen.connectSenders(a.url, 1);
        await gen.connectSenders(b.url, 1);
        for (const [server, group] of [[a, 'A'], [b, 'B']] as const) {
          const joined = await gen.connectViewers(server.url, viewers / 2, { eventId: LIVE_EVENT, group });
          if (joined.joined < viewers / 2) throw new Error(`only ${joined.joined}/${viewers / 2} viewers joined ${group}: ${JSON.stringify(joined.failed)}`);
        }
        two = await gen.run({ eventId: LIVE_EVENT, rate, durationMs, warmupMs, watch: { A: a.pid, B: b.pid, redis: redis.pid } });
      } finally {
        await gen.stop();
        await stop();
      }
    }

    const oneUs = perDelivery(one, ['server']);
    const twoUs = perDelivery(two, ['A', 'B', 'redis']);
    const ratio = twoUs / oneUs;
    const clean = one.lost === 0 && two.lost === 0 && one.send.ok === one.send.sent && two.send.ok === two.send.sent;
    const ok = ratio <= RATIO_TARGET && clean;
    const why = [...diagnose(one, ['server']).map((w) => `one: ${w}`), ...diagnose(two, ['A', 'B', 'redis']).map((w) => `two: ${w}`)];
    const rows: Row[] = [
      {
        bench: 'scaleout',
        metric: `server CPU per delivery, two processes + Redis ÷ one process (${num(viewers)} viewers × ${rate} msg/s${ctx.quick ? ', quick' : ''})`,
        value: `${ratio.toFixed(2)}× (two: ${twoUs.toFixed(2)} µs, one: ${oneUs.toFixed(2)} µs)`,
        target: `≤ ${RATIO_TARGET.toFixed(2)}×, no loss`,
        verdict: ok ? 'pass' : 'miss',
        ...(!ok && { missBy: clean ? `+${(ratio - RATIO_TARGET).toFixed(2)}×` : 'deliveries lost or sends failed' }),
        why:
          `one process: ${latency(one.all)}, ${framesLine(one)}, server ${pct(one.cpu.procs.server!.pctOfCore)} of a core; ` +
          `two: ${latency(two.all)}, ${framesLine(two)}, A ${pct(two.cpu.procs.A!.pctOfCore)}, B ${pct(two.cpu.procs.B!.pctOfCore)}, redis ${pct(two.cpu.procs.redis!.pctOfCore)}; lost ${num(one.lost)} / ${num(two.lost)}` +
          (why.length ? `; ${why.join('; ')}` : ''),
      },
    ];
    const details = [
      ...runDetails(`one process, ${num(viewers)} viewers × ${rate} msg/s`, one),
      ...runDetails(`two processes on Redis, ${num(viewers / 2)} viewers on each, ${rate} msg/s in all`, two),
    ];
    return { rows, details };
  },
};
