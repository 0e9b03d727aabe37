import { type Bench, profiled } from '../lib/context';
import { summarizeProfile } from '../lib/profile';
import { httpLoad, httpTool, type HttpLoadResult } from '../lib/http-load';
import { CpuWindow } from '../lib/proc';
import { num, pct } from '../lib/report';
import { startHelloExpress, startServer } from '../lib/server';

const TARGET_RATIO = 1.0;

type Measured = HttpLoadResult & { cpu: number; others: number };

/** One load measurement with the server's CPU and what the rest of the machine used meanwhile (wrk included). */
async function measured(pid: number, load: () => Promise<HttpLoadResult>): Promise<Measured> {
  const cpu = new CpuWindow({ s: pid });
  const r = await load();
  const c = cpu.end();
  return { ...r, cpu: c.procs.s!.pctOfCore, others: (100 * c.othersMs) / c.wallMs };
}
const CONNECTIONS = 32;

/**
 * GET /api/events on Parvis against a bare Express 5 hello-world, same tool, same connections, same machine, taken
 * alternately twice each (hello, Parvis, hello, Parvis) and keeping each side's best, so that a burst of other load
 * hurts neither side alone.
 */
export const httpBench: Bench = {
  id: 'http',
  title: 'GET /api/events throughput vs a bare Express 5 hello-world',
  budgetMs: (ctx) => (ctx.quick ? 90_000 : 180_000),
  async run(ctx) {
    const durationMs = ctx.quick ? 3000 : 10_000;
    const rounds = 2;
    const server = await startServer('server');
    const hello = await startHelloExpress();
    try {
      const body = await (await fetch(`${server.url}/api/events`)).text();
      const warm = Math.min(2000, durationMs);
      await httpLoad(`${hello.url}/`, CONNECTIONS, warm);
      await httpLoad(`${server.url}/api/events`, CONNECTIONS, warm);
      const helloRuns: Measured[] = [];
      const parvisRuns: Measured[] = [];
      for (let i = 0; i < rounds; i++) {
        ctx.log(`round ${i + 1}: hello-world, then /api/events, ${durationMs / 1000} s each`);
        helloRuns.push(await measured(hello.pid, () => httpLoad(`${hello.url}/`, CONNECTIONS, durationMs)));
        parvisRuns.push(await measured(server.pid, () => httpLoad(`${server.url}/api/events`, CONNECTIONS, durationMs)));
      }
      const health = await measured(server.pid, () => httpLoad(`${server.url}/healthz`, CONNECTIONS, durationMs));
      // A returning visitor's browser revalidates the listing it holds: 304, no body.
      const etag = (await fetch(`${server.url}/api/events`)).headers.get('etag') ?? '';
      const revalidated = await measured(server.pid, () => httpLoad(`${server.url}/api/events`, CONNECTIONS, durationMs, { 'If-None-Match': etag }));
      const profileLines: string[] = [];
      for (const path of ['/api/events', '/healthz']) {
        const { profile } = await profiled(ctx, server, `http${path.replace(/\//g, '-')}`, () => httpLoad(`${server.url}${path}`, CONNECTIONS, durationMs));
        if (profile) profileLines.push(`- profile of Parvis under load on ${path}:`, ...summarizeProfile(profile));
      }

      const best = (runs: Measured[]) => runs.reduce((a, b) => (b.requestsPerSec > a.requestsPerSec ? b : a));
      const h = best(helloRuns);
      const p = best(parvisRuns);
      const ratio = p.requestsPerSec / h.requestsPerSec;
      const ok = ratio >= TARGET_RATIO && p.errors === 0;
      const line = (name: string, r: Measured) =>
        `${name}: ${num(r.requestsPerSec)} req/s, server ${pct(r.cpu)} of a core, ${r.errors} errors${r.latency ? `, latency ${r.latency}` : ''}; other processes ${pct(r.others)} of a core`;
      return {
        rows: [
          {
            bench: 'http',
            metric: 'GET /api/events req/s ÷ bare Express 5 hello-world req/s',
            value: `${ratio.toFixed(2)}× (${num(p.requestsPerSec)} vs ${num(h.requestsPerSec)} req/s)`,
            target: `≥ ${TARGET_RATIO}×`,
            verdict: ok ? 'pass' : 'miss',
            ...(!ok && {
              missBy: `−${(TARGET_RATIO - ratio).toFixed(2)}× (${num(TARGET_RATIO * h.requestsPerSec - p.requestsPerSec)} req/s short)`,
            }),
            why:
              `the listing (${num(body.length)} bytes of JSON, ${(JSON.parse(body) as { events: unknown[] }).events.length} events, vs 12 bytes) is prepared once per programme ` +
              `change with its ETag and written before Express (server/src/http/prepared-responses.ts); Parvis /healthz, through Express and the access log, ` +
              `does ${num(health.requestsPerSec)} req/s (${(health.requestsPerSec / h.requestsPerSec).toFixed(2)}× hello)`,
          },
          {
            bench: 'http',
            metric: 'GET /api/events with If-None-Match (304) req/s ÷ bare Express 5 hello-world req/s',
            value: `${(revalidated.requestsPerSec / h.requestsPerSec).toFixed(2)}× (${num(revalidated.requestsPerSec)} vs ${num(h.requestsPerSec)} req/s)`,
            target: 'report',
            verdict: 'report',
            why: `what a returning visitor's browser costs: ${line('304', revalidated)}`,
          },
        ],
        details: [
          `- tool: ${httpTool}, ${CONNECTIONS} keep-alive connections, ${durationMs / 1000} s per measurement, ${rounds} alternating rounds, best of each kept`,
          `- /api/events answers ${num(body.length)} bytes`,
          ...helloRuns.map((r, i) => `- round ${i + 1} ${line('hello-world', r)}`),
          ...parvisRuns.map((r, i) => `- round ${i + 1} ${line('Parvis /api/events', r)}`),
          `- ${line('Parvis /healthz (registered before helmet and the API router: Express routing only, tiny body)', health)}`,
          `- ${line('Parvis /api/events with If-None-Match (304, no body)', revalidated)}`,
          ...profileLines,
        ],
      };
    } finally {
      await hello.stop();
      await server.stop();
    }
  },
};
