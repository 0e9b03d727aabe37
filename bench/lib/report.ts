import { execFileSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { fmtMs } from './histogram';
import type { RunResult } from './loadgen';
import type { CpuReport } from './proc';

export type Verdict = 'pass' | 'miss' | 'report' | 'error';

export interface Row {
  /** Benchmark id (the --only= name). */
  bench: string;
  metric: string;
  value: string;
  target: string;
  verdict: Verdict;
  /** For a miss: how far from the target. */
  missBy?: string;
  /** For a miss: the evidence-based reason; for a report row: what to read in it. */
  why?: string;
}

export interface BenchOutput {
  rows: Row[];
  /** Markdown lines for the details section of RESULTS.md. */
  details: string[];
}

export function machine(): { cpu: string; cores: number; memGiB: string; node: string; kernel: string; commit: string } {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim();
    if (dirty) commit += ' + uncommitted changes';
  } catch {
    // not a git checkout
  }
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memGiB: (totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    kernel: release(),
    commit,
  };
}

export const pct = (x: number): string => `${Math.round(x)}%`;
export const num = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : String(x));

/** "p50 3.1 ms, p99 41 ms" */
export function latency(run: { hist: { percentile(p: number): number } }): string {
  return `p50 ${fmtMs(run.hist.percentile(50))} ms, p99 ${fmtMs(run.hist.percentile(99))} ms`;
}

/**
 * Why a run missed, from what was measured: whose CPU was full, what else ran on the machine, what was lost.
 * `servers` are labels in the CPU report.
 */
export function diagnose(run: RunResult, servers: string[]): string[] {
  const why: string[] = [];
  if (run.aborted) why.push(run.aborted);
  const cores = cpus().length;
  for (const label of servers) {
    const p = run.cpu.procs[label]?.pctOfCore ?? NaN;
    if (p >= 85) why.push(`${label} CPU-bound (${pct(p)} of a core)`);
    const w = run.cpu.procs[label]?.waitPct ?? NaN;
    if (w >= 10) why.push(`${label} waited for a free core ${pct(w)} of the time`);
  }
  const gen = Object.entries(run.cpu.procs).filter(([l]) => l.startsWith('gen:'));
  const hot = gen.filter(([, v]) => v.pctOfCore >= 85);
  if (hot.length > 0) why.push(`generator saturated (${hot.map(([l, v]) => `${l.slice(4)} ${pct(v.pctOfCore)}`).join(', ')})`);
  const machinePct = (100 * run.cpu.machineBusyMs) / run.cpu.wallMs;
  if (machinePct >= 90 * cores) why.push(`all ${cores} cores busy (${pct(machinePct)} of ${cores * 100}%)`);
  const others = (100 * run.cpu.othersMs) / run.cpu.wallMs;
  if (others >= 15) why.push(`other processes used ${pct(others)} of a core meanwhile`);
  if (run.lost > 0) why.push(`${num(run.lost)} deliveries lost or late beyond the drain (${run.all.short} viewers short)`);
  if (run.all.disconnected > 0) why.push(`${run.all.disconnected} viewers disconnected`);
  const failedSends = run.send.sent - run.send.ok;
  if (failedSends > 0) why.push(`${failedSends} sends not acked ok (${JSON.stringify(run.send.errors)})`);
  return why;
}

/** The CPU line of a run's details. */
export function cpuLine(cpu: CpuReport): string {
  const parts = Object.entries(cpu.procs).map(([label, v]) => `${label} ${pct(v.pctOfCore)} (${pct(v.sysShare)} sys, waited ${pct(v.waitPct)})`);
  parts.push(`other processes ${pct((100 * cpu.othersMs) / cpu.wallMs)}`);
  return `CPU (% of one core over ${(cpu.wallMs / 1000).toFixed(1)} s; "sys" = share in the kernel, "waited" = runnable but no free core): ${parts.join(', ')}`;
}

/** The usual detail lines of a fan-out run. */
export function runDetails(name: string, run: RunResult): string[] {
  const lines = [
    `- **${name}**: ${num(run.send.ok)} messages sent at ${run.rate}/s over ${(run.sendMs / 1000).toFixed(1)} s to ${num(run.all.viewers)} raw viewers` +
      (run.sio ? ` + ${run.sio.viewers} socket.io-client viewers` : '') +
      `; ${num(run.deliveries)} deliveries (${num(run.deliveriesPerSec)}/s) in ${num(run.all.frames)} frames` +
      ` (${(run.all.received / Math.max(1, run.all.frames)).toFixed(2)} messages per frame); drain ${num(run.drainMs)} ms.`,
    `  - latency raw viewers: ${run.all.hist.summary()}` + (run.sio ? `; socket.io-client viewers: ${run.sio.hist.summary()}` : '') + `; chat:send ack: ${run.send.ackHist.summary()}`,
  ];
  for (const [g, r] of Object.entries(run.groups)) {
    if (Object.keys(run.groups).length > 1) lines.push(`  - group ${g}: ${r.viewers} viewers, ${r.hist.summary()}, lost ${num(r.missing)}`);
  }
  lines.push(`  - ${cpuLine(run.cpu)}`);
  const rss = Object.entries(run.peakRss).map(([l, b]) => `${l} ${(b / 2 ** 20).toFixed(0)} MiB`);
  if (rss.length) lines.push(`  - peak RSS during the run: ${rss.join(', ')}${run.aborted ? `; ABORTED: ${run.aborted}` : ''}`);
  lines.push(`  - loss: ${num(run.lost)} deliveries missing, ${run.all.short} viewers short, ${run.all.over} over, ${run.all.disconnected} disconnected; sends ${run.send.ok}/${run.send.sent} ok ${JSON.stringify(run.send.errors)}`);
  return lines;
}

function cell(s: string | undefined): string {
  return (s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

const VERDICT: Record<Verdict, string> = { pass: 'PASS', miss: 'MISS', report: 'report', error: 'ERROR' };

export function markdownTable(rows: Row[]): string {
  const out = ['| benchmark | metric | measured | target | result | miss by | why / notes |', '|---|---|---|---|---|---|---|'];
  for (const r of rows) {
    out.push(`| ${cell(r.bench)} | ${cell(r.metric)} | ${cell(r.value)} | ${cell(r.target)} | ${VERDICT[r.verdict]} | ${cell(r.missBy)} | ${cell(r.why)} |`);
  }
  return out.join('\n');
}

/** A plain-text table for the terminal. */
export function consoleTable(rows: Row[]): string {
  const head = ['benchmark', 'metric', 'measured', 'target', 'result', 'miss by'];
  const body = rows.map((r) => [r.bench, r.metric, r.value, r.target, VERDICT[r.verdict], r.missBy ?? '']);
  const widths = head.map((h, i) => Math.min(70, Math.max(h.length, ...body.map((b) => b[i]!.length))));
  const line = (cols: string[]) => cols.map((c, i) => (c.length > widths[i]! ? c.slice(0, widths[i]! - 1) + '…' : c.padEnd(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export interface Report {
  startedAt: Date;
  finishedAt: Date;
  mode: string;
  rows: Row[];
  details: Array<{ bench: string; title: string; lines: string[] }>;
  loadAtStart: number[];
}

export function resultsMarkdown(r: Report): string {
  const m = machine();
  const lines = [
    '# Parvis benchmark results',
    '',
    'Written by `npm run bench` (see bench/README.md). Every number below comes from the run described here; baselines',
    '(the bare Express app, the viewers on the sending process in the relay row) were measured in the same run.',
    '',
    `- date: ${r.startedAt.toISOString()} (took ${took(r)})`,
    `- mode: ${r.mode}`,
    `- machine: ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB RAM, Linux ${m.kernel}`,
    `- Node ${m.node}; commit ${m.commit}`,
    `- load average when the run started: ${r.loadAtStart.map((x) => x.toFixed(2)).join(', ')} (1, 5, 15 min)`,
    GENERATOR_NOTE,
    '',
    markdownTable(r.rows),
    '',
    '## Details',
    '',
  ];
  for (const d of r.details) lines.push(...detailSection(d));
  return lines.join('\n');
}

const GENERATOR_NOTE =
  "- load generator and servers share the machine: the generator's CPU is reported next to the server's in the details.";

const took = (r: Report) => `${((r.finishedAt.getTime() - r.startedAt.getTime()) / 60_000).toFixed(1)} min`;

function detailSection(d: Report['details'][number]): string[] {
  return [`### ${d.title} (\`${d.bench}\`)`, '', ...d.lines, ''];
}

/** Where each row of a merged file comes from: the benchmarks of one run, and what that run was. */
interface RunLine {
  ids: string[];
  /** "date … · mode: … · machine: … · Node … · commit … · load average at the start: …" */
  about: string;
}

const RUN_PREFIX = '  - rows of ';

/** The runs an existing results file describes: the lines of a merged file, or the one run of a plain one. */
function runsOf(text: string, ids: string[]): RunLine[] {
  const merged = text.split('\n').filter((l) => l.startsWith(RUN_PREFIX));
  if (merged.length > 0) {
    return merged.map((line) => {
      const [head, ...rest] = line.slice(RUN_PREFIX.length).split(' · ');
      return { ids: [...head!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!), about: rest.join(' · ') };
    });
  }
  const field = (re: RegExp) => re.exec(text)?.[1]?.trim() ?? 'unknown';
  const about = [
    `date ${field(/^- date: (.+)$/m)}`,
    `mode: ${field(/^- mode: (.+)$/m)}`,
    `machine: ${field(/^- machine: (.+)$/m)}`,
    field(/^- (Node .+)$/m).replace('; commit', ' · commit'),
    `load average at the start: ${field(/^- load average when the run started: (.+)$/m)}`,
  ].join(' · ');
  return [{ ids, about }];
}

/**
 * The results of a run merged into an existing results file (`--merge`): the rows and details of the benchmarks run
 * now replace theirs, in place; those of every other benchmark stay as they were, and the header says which run each
 * row comes from. A benchmark new to the file is added at the end.
 */
export function mergeResults(existing: string, r: Report, ranIds: string[]): string {
  const lines = existing.split('\n');
  const tableStart = lines.findIndex((l) => l.startsWith('| benchmark |'));
  const detailsStart = lines.indexOf('## Details');
  if (tableStart < 0 || detailsStart < 0) throw new Error('the existing results file has no table or no details section to merge into');

  // The table, one block of rows per benchmark, in the file's order; the re-run ones replaced where they were.
  const oldRows: string[] = [];
  for (const line of lines.slice(tableStart + 2)) {
    if (!line.startsWith('| ')) break;
    oldRows.push(line);
  }
  const idOf = (row: string) => row.split(' | ')[0]!.slice(2).trim();
  const order: string[] = [];
  for (const row of oldRows) if (!order.includes(idOf(row))) order.push(idOf(row));
  for (const id of ranIds) if (!order.includes(id)) order.push(id);
  const newTable = markdownTable(r.rows).split('\n');
  const rows = order.flatMap((id) => (ranIds.includes(id) ? newTable.slice(2).filter((row) => idOf(row) === id) : oldRows.filter((row) => idOf(row) === id)));

  // The details, one section per benchmark, likewise.
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of lines.slice(detailsStart + 1)) {
    const heading = /^### .* \(`([^`]+)`\)$/.exec(line);
    if (heading) sections.set(heading[1]!, (current = []));
    current?.push(line);
  }
  for (const d of r.details) sections.set(d.bench, detailSection(d));
  const detailOrder = [...order, ...[...sections.keys()].filter((id) => !order.includes(id))];

  // Which run each row comes from.
  const m = machine();
  const runs = runsOf(existing, order.filter((id) => !ranIds.includes(id)))
    .map((run) => ({ ...run, ids: run.ids.filter((id) => !ranIds.includes(id)) }))
    .filter((run) => run.ids.length > 0);
  runs.push({
    ids: ranIds,
    about: [
      `date ${r.startedAt.toISOString()} (took ${took(r)})`,
      `mode: ${r.mode}`,
      `machine: ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB RAM, Linux ${m.kernel}`,
      `Node ${m.node}`,
      `commit ${m.commit}`,
      `load average at the start: ${r.loadAtStart.map((x) => x.toFixed(2)).join(', ')} (1, 5, 15 min)`,
    ].join(' · '),
  });

  return [
    '# Parvis benchmark results',
    '',
    'Written by `npm run bench` (see bench/README.md). Each row comes from one of the runs listed here (`--merge` runs',
    'some benchmarks again and keeps the latest rows of the others); every baseline (the bare Express app, the sign-up',
    'peer, the bare Socket.IO relay of the fan-out rows, the viewers on the sending process in the relay row) was measured in',
    'the same run as the row it is compared with.',
    '',
    '- runs:',
    ...runs.map((run) => `${RUN_PREFIX}${run.ids.map((id) => `\`${id}\``).join(', ')} · ${run.about}`),
    GENERATOR_NOTE,
    '',
    ...lines.slice(tableStart, tableStart + 2),
    ...rows,
    '',
    '## Details',
    '',
    ...detailOrder.flatMap((id) => sections.get(id) ?? []),
  ].join('\n');
}

export function currentLoad(): number[] {
  return loadavg();
}
