import { type Bench, LIVE_EVENT, profiled } from '../lib/context';
import { summarizeProfile } from '../lib/profile';
import { sleep } from '../lib/clock';
import { fmtMs } from '../lib/histogram';
import { LoadGen, type ConnectSummary } from '../lib/loadgen';
import { CpuWindow } from '../lib/proc';
import { cpuLine, num, type Row } from '../lib/report';
import { startServer } from '../lib/server';

const HISTORY = 100;

function storm(s: ConnectSummary): string {
  return `all ${num(s.joined)} had their history ${(s.wallMs / 1000).toFixed(2)} s after the first join started; join→ack p50 ${fmtMs(s.joinHist.percentile(50))} ms, p99 ${fmtMs(s.joinHist.percentile(99))} ms, max ${fmtMs(s.joinHist.max)} ms`;
}

/**
 * One server with 100 messages of chat history. 2,000 raw viewers connect and join, one every 5 ms (all within
 * 10 s); then, after they leave, 2,000 more all at once. Each join ack carries the 100 messages.
 */
export const joinStormBench: Bench = {
  id: 'joinstorm',
  title: 'Join storm: 2,000 viewers joining within 10 s',
  budgetMs: (ctx) => (ctx.quick ? 90_000 : 180_000),
  async run(ctx) {
    const n = ctx.quick ? 500 : 2000;
    const spreadMs = ctx.quick ? 2500 : 10_000;
    const server = await startServer('server');
    const gen = await LoadGen.start(2);
    try {
      await gen.connectSenders(server.url, 1);
      const stored = await gen.fill(LIVE_EVENT, HISTORY, 500);
      if (stored !== HISTORY) throw new Error(`history fill: ${stored}/${HISTORY} messages stored`);

      ctx.log(`${n} viewers joining over ${spreadMs / 1000} s`);
      let cpu = new CpuWindow({ server: server.pid, ...gen.pids() });
      const paced = await gen.connectViewers(server.url, n, { eventId: LIVE_EVENT, spreadMs, group: 'paced' });
      const pacedCpu = cpu.end();
      await gen.closeViewers('paced');
      await sleep(2000);

      ctx.log(`${n} viewers joining at once`);
      cpu = new CpuWindow({ server: server.pid, ...gen.pids() });
      const { result: burst, profile } = await profiled(ctx, server, 'joinstorm-burst', () =>
        gen.connectViewers(server.url, n, { eventId: LIVE_EVENT, group: 'burst', concurrency: n }),
      );
      const burstCpu = cpu.end();

      const fails = (s: ConnectSummary) => (Object.keys(s.failed).length ? `; failed ${JSON.stringify(s.failed)}` : '');
      const rows: Row[] = [
        {
          bench: 'joinstorm',
          metric: `${num(n)} viewers joining within ${spreadMs / 1000} s (100 messages of history each)`,
          value: `${(paced.wallMs / 1000).toFixed(2)} s until all have their history${fails(paced)}`,
          target: 'report',
          verdict: 'report',
          why: storm(paced),
        },
        {
          bench: 'joinstorm',
          metric: `${num(n)} viewers joining at once`,
          value: `${(burst.wallMs / 1000).toFixed(2)} s until all have their history${fails(burst)}`,
          target: 'report',
          verdict: 'report',
          why: storm(burst),
        },
      ];
      return {
        rows,
        details: [
          `- paced (one join every ${fmtMs(spreadMs / n)} ms): ${storm(paced)}${fails(paced)}`,
          `  - ${cpuLine(pacedCpu)}`,
          `- at once (${n} handshakes in flight): ${storm(burst)}${fails(burst)}`,
          `  - ${cpuLine(burstCpu)}`,
          ...(profile ? summarizeProfile(profile) : []),
        ],
      };
    } finally {
      await gen.stop();
      await server.stop();
    }
  },
};
