/**
 * `npm run bench [-- --quick] [-- --only=fanout1k,http] [-- --merge] [-- --profile] [-- --adapter=streams] [-- --out=path]`
 *
 * Runs the benchmarks against real Parvis server processes on loopback, prints a table and writes the results (with
 * the machine, the date, every row against its target) to bench/RESULTS.md for a full run, or to
 * bench/tmp/RESULTS-partial.md for --quick / --only runs so that they never overwrite the reference results.
 * `--only=… --merge` puts the rows of the benchmarks run into bench/RESULTS.md in place of theirs, keeping the other
 * rows' latest figures.
 * Every process it starts is stopped at the end, on errors and on Ctrl-C.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { relayBench } from './benchmarks/relay';
import { audienceBench } from './benchmarks/audience';
import { bundleBench } from './benchmarks/bundle';
import { clusterBench } from './benchmarks/cluster';
import { fanoutBench } from './benchmarks/fanout';
import { firstFrameBench } from './benchmarks/first-frame';
import { httpBench } from './benchmarks/http';
import { hlsLatencyBench } from './benchmarks/hls-latency';
import { ingestCpuBench } from './benchmarks/ingest-cpu';
import { ingestLiveBench } from './benchmarks/ingest-live';
import { joinStormBench } from './benchmarks/join-storm';
import { mailBench } from './benchmarks/mail';
import { memoryBench } from './benchmarks/memory';
import { redisDownBench } from './benchmarks/redis-down';
import { signupBench } from './benchmarks/signup';
import { replayAssemblyBench } from './benchmarks/replay-assembly';
import { roomsBench } from './benchmarks/rooms';
import { scaleoutBench } from './benchmarks/scaleout';
import { throughputBench } from './benchmarks/throughput';
import { cleanupAll, installCleanupHandlers } from './lib/cleanup';
import type { Bench, Ctx } from './lib/context';
import { consoleTable, currentLoad, mergeResults, resultsMarkdown, type Report, type Row } from './lib/report';

const BENCHES: Bench[] = [
  fanoutBench({ id: 'fanout1k', viewers: 1000, rate: 50, p99TargetMs: 60, quick: { viewers: 300, rate: 50 } }),
  fanoutBench({ id: 'fanout5k', viewers: 5000, rate: 10, p99TargetMs: 150, quick: { viewers: 1000, rate: 10 } }),
  audienceBench,
  throughputBench,
  memoryBench,
  joinStormBench,
  httpBench,
  relayBench,
  clusterBench,
  scaleoutBench,
  redisDownBench,
  signupBench,
  mailBench,
  ingestLiveBench,
  hlsLatencyBench,
  ingestCpuBench,
  replayAssemblyBench,
  bundleBench,
  firstFrameBench,
  roomsBench,
];

const ROOT = resolve(import.meta.dirname, '..');

function parseArgs(argv: string[]) {
  const opts = {
    quick: false,
    profile: false,
    merge: false,
    only: undefined as string[] | undefined,
    adapter: undefined as Ctx['adapter'],
    out: undefined as string | undefined,
    list: false,
  };
  for (const arg of argv) {
    const [key, value] = arg.split('=', 2) as [string, string | undefined];
    if (key === '--quick') opts.quick = true;
    else if (key === '--profile') opts.profile = true;
    else if (key === '--list') opts.list = true;
    else if (key === '--merge') opts.merge = true;
    else if (key === '--only' && value) opts.only = value.split(',');
    else if (key === '--out' && value) opts.out = resolve(value);
    else if (key === '--adapter' && (value === 'pubsub' || value === 'streams')) opts.adapter = value;
    else throw new Error(`unknown option ${arg}; use --quick, --profile, --only=a,b, --merge, --adapter=pubsub|streams, --out=file, --list`);
  }
  if (opts.merge && opts.quick) throw new Error('--merge keeps reference results: it cannot be used with --quick');
  return opts;
}

async function main(): Promise<void> {
  installCleanupHandlers();
  const opts = parseArgs(process.argv.slice(2));
  if (opts.list) {
    for (const b of BENCHES) console.log(`${b.id.padEnd(12)} ${b.title}`);
    return;
  }
  const unknown = opts.only?.filter((id) => !BENCHES.some((b) => b.id === id)) ?? [];
  if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${BENCHES.map((b) => b.id).join(', ')}`);
  const selected = BENCHES.filter((b) => !opts.only || opts.only.includes(b.id));

  const started = Date.now();
  const ctx: Ctx = {
    quick: opts.quick,
    profile: opts.profile,
    adapter: opts.adapter,
    log: (m) => console.log(`  [${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${m}`),
  };
  const report: Report = {
    startedAt: new Date(),
    finishedAt: new Date(),
    mode: [opts.quick ? 'quick (smaller sizes: rows are not comparable to the targets)' : 'full', opts.only && `only ${opts.only.join(', ')}`, opts.profile && 'with server CPU profiles (adds overhead)']
      .filter(Boolean)
      .join('; '),
    rows: [],
    details: [],
    loadAtStart: currentLoad(),
  };
  const out =
    opts.out ?? (!opts.merge && (opts.quick || opts.only) ? resolve(ROOT, 'bench/tmp/RESULTS-partial.md') : resolve(ROOT, 'bench/RESULTS.md'));

  checkLimits(selected, ctx);
  for (const bench of selected) {
    console.log(`\n▶ ${bench.id}: ${bench.title}`);
    const budget = bench.budgetMs(ctx);
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await Promise.race([
        bench.run(ctx),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`took longer than its ${budget / 1000} s budget`)), budget);
        }),
      ]);
      report.rows.push(...result.rows);
      report.details.push({ bench: bench.id, title: bench.title, lines: result.details });
      for (const r of result.rows) console.log(`  ${r.verdict.toUpperCase().padEnd(6)} ${r.metric}: ${r.value}${r.missBy ? ` (miss by ${r.missBy})` : ''}`);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      console.error(`  ERROR ${bench.id}: ${message}`);
      report.rows.push({ bench: bench.id, metric: bench.title, value: 'did not complete', target: '', verdict: 'error', why: message.split('\n')[0]! });
      report.details.push({ bench: bench.id, title: bench.title, lines: ['```', message.slice(0, 4000), '```'] });
    } finally {
      clearTimeout(timer);
      // Whatever the benchmark left running (after an error or a timeout) goes before the next one starts.
      await cleanupAll();
    }
  }
  report.finishedAt = new Date();

  console.log(`\n${consoleTable(report.rows)}\n`);
  mkdirSync(dirname(out), { recursive: true });
  const existing = opts.merge && existsSync(out) ? readFileSync(out, 'utf8') : undefined;
  writeFileSync(out, existing === undefined ? resultsMarkdown(report) : mergeResults(existing, report, selected.map((b) => b.id)));
  console.log(`results written to ${relative(process.cwd(), out)} (${((Date.now() - started) / 60_000).toFixed(1)} min)`);
  const missed: Row[] = report.rows.filter((r) => r.verdict === 'miss' || r.verdict === 'error');
  if (missed.length) console.log(`${missed.length} row(s) missed their target or failed: see the "why" column in the file.`);
}

/** The viewers need one file descriptor each in the generator and in the server. */
function checkLimits(selected: Bench[], ctx: Ctx): void {
  const needs = selected.some((b) => b.id === 'cluster10k' || b.id === 'audience') && !ctx.quick ? 10_000 : 5000;
  let limit = Infinity;
  try {
    // Node has no getrlimit; /proc/self/limits has it.
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const m = /Max open files\s+(\d+|unlimited)/.exec(limits);
    if (m && m[1] !== 'unlimited') limit = Number(m[1]);
  } catch {
    // not Linux: let the run tell
  }
  if (limit < needs / 2 + 1000) {
    console.warn(
      `warning: the open-file limit is ${limit}; a generator worker or server may need ~${needs / 2} sockets.\n` +
        `Raise it before running (e.g. \`ulimit -n 65536\` in this shell) or expect EMFILE errors in the larger rows.`,
    );
  }
}

main()
  .catch(async (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanupAll();
  });
