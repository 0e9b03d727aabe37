import { type Bench, LIVE_EVENT, profiled } from '../lib/context';
import { LoadGen, type RunResult } from '../lib/loadgen';
import { summarizeProfile } from '../lib/profile';
import { diagnose, latency, num, pct, runDetails, type Row } from '../lib/report';
import { startServer } from '../lib/server';

const P99_LIMIT_MS = 250;
const TARGET = 75_000;

interface Ladder {
  name: string;
  /** [viewers, msg/s]; viewers never decrease (they stay connected from one step to the next). */
  steps: Array<[viewers: number, rate: number]>;
}

/*
 * Deliveries/s = viewers × msg/s, but the server's cost is mostly per frame, and the fan-out sends at most one frame
 * per room per 20 ms. So the same deliveries/s is cheap with a busy chat (many messages per frame) and dear with a
 * big audience (many frames). Two ladders cover both shapes; the row is the best step of either.
 */
const LADDERS: Ladder[] = [
  { name: 'busy chat (500 viewers, rate up)', steps: [[500, 50], [500, 100], [500, 200], [500, 400], [500, 800]] },
  { name: 'big audience (50 msg/s, viewers up)', steps: [[750, 50], [1000, 50], [1500, 50], [2000, 50], [3000, 50]] },
];

interface Step {
  ladder: string;
  viewers: number;
  rate: number;
  run: RunResult;
  pass: boolean;
}

/**
 * One server process. Each ladder steps up viewers × rate and stops at the first step whose p99 exceeds 250 ms or
 * that loses a delivery (after one retry, as the machine is shared).
 */
export const throughputBench: Bench = {
  id: 'throughput',
  title: 'Most deliveries/s one process sustains (p99 ≤ 250 ms, no loss)',
  budgetMs: (ctx) => (ctx.quick ? 240_000 : 480_000),
  async run(ctx) {
    const stepMs = ctx.quick ? 3000 : 10_000;
    const server = await startServer('server');
    const gen = await LoadGen.start(2);
    const steps: Step[] = [];
    const details: string[] = [];
    const passes = (r: RunResult) => r.all.hist.percentile(99) <= P99_LIMIT_MS && r.lost === 0 && r.send.ok === r.send.sent && r.all.disconnected === 0;
    try {
      const maxRate = Math.max(...LADDERS.flatMap((l) => l.steps.map(([, r]) => r)));
      await gen.connectSenders(server.url, Math.ceil(maxRate / 200));
      for (const ladder of LADDERS) {
        details.push(`- ladder **${ladder.name}**:`);
        for (const [viewers, rate] of ladder.steps) {
          const more = viewers - gen.viewerCount;
          if (more > 0) {
            const joined = await gen.connectViewers(server.url, more, { eventId: LIVE_EVENT });
            if (joined.joined < more) throw new Error(`only ${joined.joined}/${more} viewers joined: ${JSON.stringify(joined.failed)}`);
          }
          ctx.log(`step ${num(viewers)} viewers × ${rate} msg/s`);
          const attempt = () =>
            profiled(ctx, server, `throughput-${viewers}x${rate}`, () =>
              gen.run({ eventId: LIVE_EVENT, rate, durationMs: stepMs, warmupMs: steps.length === 0 ? 2000 : 500, watch: { server: server.pid } }),
            );
          let { result: run, profile } = await attempt();
          let pass = passes(run);
          if (!pass) {
            // The machine is shared: a failing step gets one more try before it ends the ladder.
            details.push(`  - step ${num(viewers)} × ${rate}: first try failed (${latency(run.all)}, lost ${num(run.lost)}; ${diagnose(run, ['server']).join('; ')}), tried again`);
            ctx.log(`  failed (${latency(run.all)}, lost ${run.lost}): trying once more`);
            ({ result: run, profile } = await attempt());
            pass = passes(run);
          }
          steps.push({ ladder: ladder.name, viewers, rate, run, pass });
          const server_ = run.cpu.procs.server!;
          details.push(
            `  - step ${num(viewers)} × ${rate}: ${pass ? 'pass' : 'FAIL'}, ${latency(run.all)}, ${num(run.deliveriesPerSec)} deliveries/s, ` +
              `${(run.all.received / Math.max(1, run.all.frames)).toFixed(2)} messages per frame, lost ${num(run.lost)}; ` +
              `server ${pct(server_.pctOfCore)} of a core, ${((server_.ms * 1000) / Math.max(1, run.deliveries)).toFixed(2)} µs/delivery, ` +
              `${((server_.ms * 1000) / Math.max(1, run.all.frames)).toFixed(1)} µs/frame`,
          );
          details.push(...runDetails(`${num(viewers)} × ${rate}`, run).map((l) => `    ${l}`));
          if (profile) details.push(...summarizeProfile(profile).map((l) => `    ${l}`));
          ctx.log(`  ${pass ? 'pass' : 'FAIL'}: ${latency(run.all)}, ${num(run.deliveriesPerSec)}/s, lost ${run.lost}`);
          if (!pass) break;
        }
      }
    } finally {
      await gen.stop();
      await server.stop();
    }
    const bestOf = (list: Step[]) => list.filter((s) => s.pass).reduce<Step | undefined>((b, s) => (!b || s.run.deliveriesPerSec > b.run.deliveriesPerSec ? s : b), undefined);
    const best = bestOf(steps);
    const bestRate = best?.run.deliveriesPerSec ?? 0;
    const ok = bestRate >= TARGET;
    const perLadder = LADDERS.map((l) => {
      const mine = steps.filter((s) => s.ladder === l.name);
      const b = bestOf(mine);
      const failed = mine.find((s) => !s.pass);
      return (
        `${l.name}: ${b ? `${num(b.run.deliveriesPerSec)}/s at ${num(b.viewers)} × ${b.rate}` : 'no step passed'}` +
        (failed ? `, next step ${num(failed.viewers)} × ${failed.rate} failed (${latency(failed.run.all)}, lost ${num(failed.run.lost)}; ${diagnose(failed.run, ['server']).join('; ') || 'no saturation seen'})` : ', top of the ladder reached')
      );
    });
    const rows: Row[] = [
      {
        bench: 'throughput',
        metric: `max deliveries/s, one process, p99 ≤ ${P99_LIMIT_MS} ms, no loss${ctx.quick ? ' (quick: 3 s steps)' : ''}`,
        value: best ? `${num(bestRate)}/s (${num(best.viewers)} viewers × ${best.rate} msg/s, ${latency(best.run.all)})` : 'no step passed',
        target: `≥ ${num(TARGET)}/s`,
        verdict: ok ? 'pass' : 'miss',
        ...(!ok && { missBy: `−${num(TARGET - bestRate)}/s (${((100 * bestRate) / TARGET).toFixed(0)}% of target)` }),
        why: perLadder.join(' | '),
      },
    ];
    return { rows, details };
  },
};
