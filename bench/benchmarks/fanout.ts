import { type Bench, type Ctx, LIVE_EVENT, profiled } from '../lib/context';
import { LoadGen, type RunResult } from '../lib/loadgen';
import { summarizeProfile } from '../lib/profile';
import { diagnose, latency, num, pct, runDetails, type Row } from '../lib/report';
import { startHelper, startServer } from '../lib/server';

interface FanoutSpec {
  id: string;
  viewers: number;
  rate: number;
  p99TargetMs: number;
  quick: { viewers: number; rate: number };
}

/** Parvis ÷ baseline targets of issue 13: batching has to earn its keep, and the latency must not pay for it. */
const P99_RATIO_TARGET = 1.0;
const CPU_RATIO_TARGET = 0.8;

/**
 * One server process, `viewers` raw viewers in the live event's room (plus 5 socket.io-client viewers), guests
 * sending `rate` messages per second for ~20 s. Then the same generator, at the same size, against the baseline: a
 * bare Socket.IO relay (lib/baseline-relay.ts). Rows: the latency against its target, the server's CPU per delivered
 * message, and both as Parvis ÷ baseline.
 */
export function fanoutBench(spec: FanoutSpec): Bench {
  const title = `Fan-out: ${num(spec.viewers)} viewers in one room, ${spec.rate} msg/s`;
  return {
    id: spec.id,
    title,
    // Two runs: Parvis, then the baseline.
    budgetMs: (ctx) => (ctx.quick ? 240_000 : 480_000),
    async run(ctx) {
      const viewers = ctx.quick ? spec.quick.viewers : spec.viewers;
      const rate = ctx.quick ? spec.quick.rate : spec.rate;
      const durationMs = ctx.quick ? 5000 : 20_000;
      const size = ctx.quick ? ` (quick: ${num(viewers)} viewers, ${rate} msg/s)` : '';

      let profile: string | undefined;
      let generatorProfile: string | undefined;
      const server = await startServer('server');
      let run: RunResult;
      try {
        run = await drive(ctx, server.url, server.pid, viewers, rate, durationMs, 'server', (gen, fn) =>
          profiled(ctx, server, spec.id, fn, gen).then((r) => {
            ({ profile, generatorProfile } = r);
            return r.result;
          }),
        );
      } finally {
        await server.stop();
      }

      ctx.log('the same against the baseline relay');
      const relay = await startHelper('baseline-relay.ts', 'baseline relay');
      let base: RunResult;
      try {
        base = await drive(ctx, `http://127.0.0.1:${relay.port}`, relay.pid, viewers, rate, durationMs, 'baseline', (_gen, fn) => fn());
      } finally {
        await relay.stop();
      }

      const p99 = run.all.hist.percentile(99);
      const ok = p99 <= spec.p99TargetMs && run.lost === 0 && run.send.ok === run.send.sent;
      const why = diagnose(run, ['server']);
      const serverCpu = run.cpu.procs.server!;
      const perDelivery = (r: RunResult, label: string) => (r.cpu.procs[label]!.ms * 1000) / Math.max(1, r.deliveries);
      const genPerDelivery = (r: RunResult) =>
        (Object.entries(r.cpu.procs)
          .filter(([l]) => l.startsWith('gen:'))
          .reduce((n, [, v]) => n + v.ms, 0) *
          1000) /
        Math.max(1, r.deliveries);
      const cpuUs = perDelivery(run, 'server');
      const baseCpuUs = perDelivery(base, 'baseline');
      const baseP99 = base.all.hist.percentile(99);
      const p99Ratio = p99 / baseP99;
      const cpuRatio = cpuUs / baseCpuUs;
      // A ratio against a baseline that lost messages or was itself starved says little: the row says so.
      const baseWhy = diagnose(base, ['baseline']);
      const baseNote = baseWhy.length ? `; baseline: ${baseWhy.join('; ')}` : '';

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
          value: `${cpuUs.toFixed(2)} µs`,
          target: 'report',
          verdict: 'report',
          why:
            `server at ${pct(serverCpu.pctOfCore)} of a core (${pct(serverCpu.sysShare)} of it in the kernel) for ${num(run.deliveriesPerSec)} deliveries/s ` +
            `(${(run.all.received / Math.max(1, run.all.frames)).toFixed(2)} messages per frame, ${((serverCpu.ms * 1000) / Math.max(1, run.all.frames)).toFixed(1)} µs per frame); ` +
            `generator ${genPerDelivery(run).toFixed(2)} µs per delivery`,
        },
        ratioRow(spec.id, `p99 latency, Parvis ÷ baseline relay${size}`, p99Ratio, P99_RATIO_TARGET, {
          value: `${p99Ratio.toFixed(2)}× (Parvis ${latency(run.all)}, lost ${num(run.lost)}; baseline ${latency(base.all)}, lost ${num(base.lost)})`,
          note: `baseline at ${pct(base.cpu.procs.baseline!.pctOfCore)} of a core${baseNote}`,
        }),
        ratioRow(spec.id, `server CPU per delivery, Parvis ÷ baseline relay${size}`, cpuRatio, CPU_RATIO_TARGET, {
          value: `${cpuRatio.toFixed(2)}× (Parvis ${cpuUs.toFixed(2)} µs, baseline ${baseCpuUs.toFixed(2)} µs)`,
          note:
            `Parvis ${num(run.all.frames)} frames (${(run.all.received / Math.max(1, run.all.frames)).toFixed(2)} messages per frame), ` +
            `baseline ${num(base.all.frames)} frames (${(base.all.received / Math.max(1, base.all.frames)).toFixed(2)}); ` +
            `generator ${genPerDelivery(run).toFixed(2)} / ${genPerDelivery(base).toFixed(2)} µs per delivery${baseNote}`,
        }),
      ];
      const details = runDetails(title, run);
      details.push(...runDetails(`${title}, baseline relay (bare Socket.IO, one emit per message)`, base));
      if (profile) details.push('  - server:', ...summarizeProfile(profile).map((l) => `  ${l}`));
      if (generatorProfile) details.push('  - generator (first viewer worker):', ...summarizeProfile(generatorProfile).map((l) => `  ${l}`));
      return { rows, details };
    },
  };
}

/**
 * Connects a fresh generator to `url` (senders, raw viewers, socket.io-client viewers) and runs it once, measuring
 * the process `pid` under `label`. `wrap` runs the measured part (under the profiler for Parvis).
 */
async function drive(
  ctx: Ctx,
  url: string,
  pid: number,
  viewers: number,
  rate: number,
  durationMs: number,
  label: string,
  wrap: (gen: LoadGen, fn: () => Promise<RunResult>) => Promise<RunResult>,
): Promise<RunResult> {
  const gen = await LoadGen.start(2);
  try {
    await gen.connectSenders(url, Math.max(1, Math.ceil(rate / 200)));
    ctx.log(`connecting ${viewers} viewers to the ${label}`);
    const joined = await gen.connectViewers(url, viewers, { eventId: LIVE_EVENT });
    if (joined.joined < viewers) throw new Error(`only ${joined.joined}/${viewers} viewers joined the ${label}: ${JSON.stringify(joined.failed)}`);
    await gen.sio.connect(url, 5, LIVE_EVENT);
    ctx.log(`sending ${rate} msg/s for ${durationMs / 1000} s`);
    const watch = { [label]: pid };
    return await wrap(gen, () => gen.run({ eventId: LIVE_EVENT, rate, durationMs, warmupMs: ctx.quick ? 1000 : 3000, watch }));
  } finally {
    await gen.stop();
  }
}

/** A Parvis ÷ baseline row: pass when the ratio is at most `target`; NaN (a run with no deliveries) is an error. */
function ratioRow(bench: string, metric: string, ratio: number, target: number, text: { value: string; note: string }): Row {
  if (!Number.isFinite(ratio)) return { bench, metric, value: text.value, target: `≤ ${target.toFixed(1)}×`, verdict: 'error', why: `no ratio: ${text.note}` };
  const ok = ratio <= target;
  return {
    bench,
    metric,
    value: text.value,
    target: `≤ ${target.toFixed(1)}×`,
    verdict: ok ? 'pass' : 'miss',
    ...(!ok && { missBy: `+${(ratio - target).toFixed(2)}× (${(ratio / target).toFixed(2)}× the target)` }),
    why: text.note,
  };
}
