import { type Bench, LIVE_EVENT, profiled } from '../lib/context';
import { LoadGen } from '../lib/loadgen';
import { summarizeProfile } from '../lib/profile';
import { startCluster } from '../lib/redis';
import { diagnose, latency, num, runDetails, type Row } from '../lib/report';

const P99_TARGET_MS = 400;

/**
 * Two server processes on one Redis, 10,000 raw viewers split evenly, guests sending 100 msg/s in all, half of them
 * connected to each process (as a load balancer would spread them). Uses the server's default adapter unless
 * --adapter is given.
 */
export const clusterBench: Bench = {
  id: 'cluster10k',
  title: '10,000 viewers at 100 msg/s on two processes',
  budgetMs: (ctx) => (ctx.quick ? 150_000 : 360_000),
  async run(ctx) {
    const viewers = ctx.quick ? 2000 : 10_000;
    const rate = 100;
    const durationMs = ctx.quick ? 5000 : 20_000;
    const { redis, a, b, stop } = await startCluster(ctx.adapter ? { SOCKET_ADAPTER: ctx.adapter } : {});
    // Two viewer workers, as in the other rows: more workers would take a larger share of the two cores from the
    // servers under the scheduler's fairness, without adding capacity.
    const gen = await LoadGen.start(2);
    try {
      // Senders alternate A, B, A, B: the sender worker sends round-robin over them.
      for (let i = 0; i < 4; i++) await gen.connectSenders(i % 2 === 0 ? a.url : b.url, 1);
      ctx.log(`connecting ${num(viewers)} viewers`);
      for (let i = 0; i < 10; i++) {
        for (const [server, group] of [[a, 'A'], [b, 'B']] as const) {
          const j = await gen.connectViewers(server.url, viewers / 20, { eventId: LIVE_EVENT, group });
          if (j.joined < viewers / 20) throw new Error(`only ${j.joined}/${viewers / 20} viewers joined ${group}: ${JSON.stringify(j.failed)}`);
        }
      }
      await gen.sio.connect(a.url, 3, LIVE_EVENT);
      await gen.sio.connect(b.url, 2, LIVE_EVENT);
      ctx.log(`sending ${rate} msg/s for ${durationMs / 1000} s`);
      const { result: run, profile } = await profiled(ctx, a, 'cluster10k-A', () =>
        gen.run({ eventId: LIVE_EVENT, rate, durationMs, warmupMs: ctx.quick ? 1000 : 3000, watch: { A: a.pid, B: b.pid, redis: redis.pid }, drainMaxMs: 20_000 }),
      );
      const p99 = run.all.hist.percentile(99);
      const ok = p99 <= P99_TARGET_MS && run.lost === 0 && run.send.ok === run.send.sent;
      const adapter = ctx.adapter ?? 'server default';
      const rows: Row[] = [
        {
          bench: 'cluster10k',
          metric: `latency, ${num(viewers)} viewers at ${rate} msg/s on two processes (adapter: ${adapter})${ctx.quick ? ' (quick)' : ''}`,
          value: `${latency(run.all)}; lost ${num(run.lost)}`,
          target: `p99 ≤ ${P99_TARGET_MS} ms, no loss`,
          verdict: ok ? 'pass' : 'miss',
          ...(!ok && {
            missBy: p99 > P99_TARGET_MS ? `+${num(p99 - P99_TARGET_MS)} ms (${(p99 / P99_TARGET_MS).toFixed(1)}×)` : `${num(run.lost)} deliveries lost`,
            why:
              [
                ...diagnose(run, ['A', 'B', 'redis']),
                `servers wrote ${num(run.all.frames / ((run.sendMs + run.drainMs) / 1000))} frames/s (${(run.all.received / Math.max(1, run.all.frames)).toFixed(1)} messages per frame) at ${(((run.cpu.procs.A?.ms ?? 0) + (run.cpu.procs.B?.ms ?? 0)) * 1000 / Math.max(1, run.all.frames)).toFixed(1)} µs of server CPU per frame`,
                ...(run.send.ok < run.send.sent ? [`chat:send acks: ${latency({ hist: run.send.ackHist })}`] : []),
              ].join('; ') || 'see the details',
          }),
        },
      ];
      const details = runDetails(`${num(viewers)} viewers × ${rate} msg/s`, run);
      if (profile) details.push(...summarizeProfile(profile));
      return { rows, details };
    } finally {
      await gen.stop();
      await stop();
    }
  },
};
