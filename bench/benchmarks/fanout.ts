import { type Bench, LIVE_EVENT, profiled } from '../lib/context';
import { LoadGen } from '../lib/loadgen';
import { summarizeProfile } from '../lib/profile';
import { diagnose, latency, num, pct, runDetails, type Row } from '../lib/report';
import { startServer } from '../lib/server';

interface FanoutSpec {
  id: string;
  viewers: number;
  rate: number;
  p99TargetMs: number;
  quick: { viewers: number; rate: number };
}

/**
 * One server process, `viewers` raw viewers in the live event's room (plus 5 socket.io-client viewers), guests
 * sending `rate` messages per second for ~20 s. Rows: the latency against its target, and the server's CPU per
 * delivered message.
 */
export function fanoutBench(spec: FanoutSpec): Bench {
  const title = `Fan-out: ${num(spec.viewers)} viewers in one room, ${spec.rate} msg/s`;
  return {
    id: spec.id,
    title,
    budgetMs: (ctx) => (ctx.quick ? 120_000 : 240_000),
    async run(ctx) {
      const viewers = ctx.quick ? spec.quick.viewers : spec.viewers;
      const rate = ctx.quick ? spec.quick.rate : spec.rate;
      const durationMs = ctx.quick ? 5000 : 20_000;
      const server = await startServer('server');
      const gen = await LoadGen.start(2);
      try {
        await gen.connectSenders(server.url, Math.max(1, Math.ceil(rate / 200)));
        ctx.log(`connecting ${viewers} viewers`);
        const joined = await gen.connectViewers(server.url, viewers, { eventId: LIVE_EVENT });
        if (joined.joined < viewers) throw new Error(`only ${joined.joined}/${viewers} viewers joined: ${JSON.stringify(joined.failed)}`);
        await gen.sio.connect(server.url, 5, LIVE_EVENT);
        ctx.log(`sending ${rate} msg/s for ${durationMs / 1000} s`);
        const { result: run, profile, generatorProfile } = await profiled(
          ctx,
          server,
          spec.id,
          () => gen.run({ eventId: LIVE_EVENT, rate, durationMs, warmupMs: ctx.quick ? 1000 : 3000, watch: { server: server.pid } }),
          gen,
        );
        const p99 = run.all.hist.percentile(99);
        const ok = p99 <= spec.p99TargetMs && run.lost === 0 && run.send.ok === run.send.sent;
        const size = ctx.quick ? ` (quick: ${num(viewers)} viewers, ${rate} msg/s)` : '';
        const why = diagnose(run, ['server']);
        const serverCpu = run.cpu.procs.server!;
        const genMs = Object.entries(run.cpu.procs)
          .filter(([l]) => l.startsWith('gen:'))
          .reduce((n, [, v]) => n + v.ms, 0);
        const rows: Row[] = [
          {
            bench: spec.id,
            metric: `latency, ${num(spec.viewers)} viewers at ${spec.rate} msg/s${size}`,
            value: `${latency(run.all)}; lost ${num(run.lost)}`,
            target: `p99 ≤ ${spec.p99TargetMs} ms, no loss`,
            verdict: ok ? 'pass' : 'miss',
            ...(!ok && {
              missBy: p99 > spec.p99TargetMs ? `+${Math.round(p99 - spec.p99TargetMs)} ms (${(p99 / spec.p99TargetMs).toFixed(1)}×)` : `${num(run.lost)} deliveries lost`,
              why: why.join('; ') || 'no saturation seen: see the details',
            }),
          },
          {
            bench: spec.id,
            metric: `server CPU per delivered message (${num(viewers)} viewers × ${rate} msg/s)`,
            value: `${((serverCpu.ms * 1000) / Math.max(1, run.deliveries)).toFixed(2)} µs`,
            target: 'report',
            verdict: 'report',
            why:
              `server at ${pct(serverCpu.pctOfCore)} of a core (${pct(serverCpu.sysShare)} of it in the kernel) for ${num(run.deliveriesPerSec)} deliveries/s ` +
              `(${(run.all.received / Math.max(1, run.all.frames)).toFixed(2)} messages per frame, ${((serverCpu.ms * 1000) / Math.max(1, run.all.frames)).toFixed(1)} µs per frame); ` +
              `generator ${((genMs * 1000) / Math.max(1, run.deliveries)).toFixed(2)} µs per delivery`,
          },
        ];
        const details = runDetails(title, run);
        if (profile) details.push('  - server:', ...summarizeProfile(profile).map((l) => `  ${l}`));
        if (generatorProfile) details.push('  - generator (first viewer worker):', ...summarizeProfile(generatorProfile).map((l) => `  ${l}`));
        return { rows, details };
      } finally {
        await gen.stop();
        await server.stop();
      }
    },
  };
}
