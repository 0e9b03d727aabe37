import { fork, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { onCleanup, trackChild } from './cleanup';
import { monoNow, sleep } from './clock';
import { Histogram, type SparseHistogram } from './histogram';
import { RpcClient } from './ipc';
import { CpuWindow, rssBytes, type CpuReport } from './proc';
import { stopChild } from './server';
import { SioViewers } from './sio-viewers';

const ROOT = resolve(import.meta.dirname, '../..');

interface Worker {
  name: string;
  child: ChildProcess;
  rpc: RpcClient;
  viewers: number;
}

type SparseHist = { buckets: SparseHistogram; count: number; sum: number; max: number };

export interface ConnectSummary {
  joined: number;
  failed: Record<string, number>;
  /** Launch → join ack, per viewer. */
  joinHist: Histogram;
  /** First launch → last join ack. */
  wallMs: number;
}

export interface GroupResult {
  hist: Histogram;
  received: number;
  /** Broadcast frames that carried them (received / frames = messages per frame, the fan-out batching). */
  frames: number;
  viewers: number;
  /** Viewers that got fewer messages than were sent, and how many messages they missed in all. */
  short: number;
  missing: number;
  over: number;
  disconnected: number;
}

export interface RunResult {
  rate: number;
  /** First send → last send. */
  sendMs: number;
  send: { sent: number; ok: number; answered: number; errors: Record<string, number>; ackHist: Histogram };
  groups: Record<string, GroupResult>;
  /** Every raw viewer. */
  all: GroupResult;
  sio: { hist: Histogram; received: number; viewers: number } | undefined;
  deliveries: number;
  deliveriesPerSec: number;
  lost: number;
  drainMs: number;
  cpu: CpuReport;
  /** Highest RSS seen of each watched process during the run, in bytes. */
  peakRss: Record<string, number>;
  /** Set when the safety stop ended the sending early. */
  aborted?: string;
}

export interface RunOptions {
  eventId: string;
  rate: number;
  durationMs: number;
  /** Processes whose CPU the report shows (servers, redis), by label. */
  watch: Record<string, number>;
  /** A short unmeasured run first, at the same rate, so the server's hot paths are compiled. */
  warmupMs?: number;
  /** The longest to wait for deliveries after the last send. */
  drainMaxMs?: number;
  onRunning?: () => Promise<void> | void;
  /** Safety stop: if a watched process grows past this RSS, sending stops early (default 4 GiB). */
  maxRssBytes?: number;
}

let runCounter = Math.floor(Math.random() * 1000) * 1000;

/**
 * The load generator as the benchmarks see it: viewer worker processes (raw websocket viewers), one sender worker
 * process, and a few socket.io-client viewers in this process.
 */
export class LoadGen {
  readonly sio = new SioViewers();
  private constructor(
    private readonly viewerWorkers: Worker[],
    private readonly sender: Worker,
  ) {}

  static async start(viewerWorkers: number): Promise<LoadGen> {
    const workers = Array.from({ length: viewerWorkers }, (_, i) => spawnWorker(`viewers-${i}`, 'viewers-worker.ts'));
    const gen = new LoadGen(workers, spawnWorker('senders', 'senders-worker.ts'));
    onCleanup(() => gen.stop());
    return gen;
  }

  /** The first viewer worker's CPU profile around `fn` (to check that the generator stays cheap). */
  async profileViewerWorker<T>(path: string, fn: () => Promise<T>): Promise<T> {
    const w = this.viewerWorkers[0]!;
    await w.rpc.call('profileStart');
    try {
      return await fn();
    } finally {
      await w.rpc.call('profileStop', { path });
    }
  }

  /** Worker pids by label, for CPU accounting. */
  pids(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const w of [...this.viewerWorkers, this.sender]) out[`gen:${w.name}`] = w.child.pid!;
    return out;
  }

  get viewerCount(): number {
    return this.viewerWorkers.reduce((n, w) => n + w.viewers, 0);
  }

  /**
   * Connects and joins `count` viewers, spread over the workers. With `spreadMs`, viewer k starts at k·spreadMs/count
   * after a common start (a join storm); otherwise each worker keeps `concurrency` handshakes in flight.
   */
  async connectViewers(
    url: string,
    count: number,
    opts: { eventId: string; group?: string; concurrency?: number; spreadMs?: number; token?: string },
  ): Promise<ConnectSummary> {
    const workers = this.viewerWorkers;
    const shares = workers.map(() => 0);
    const offsets: number[][] = workers.map(() => []);
    // Fill the least loaded worker first, so that groups connected one after the other still spread evenly.
    const load = workers.map((w) => w.viewers);
    for (let k = 0; k < count; k++) {
      let best = 0;
      for (let i = 1; i < workers.length; i++) if (load[i]! < load[best]!) best = i;
      load[best]!++;
      shares[best]!++;
      if (opts.spreadMs !== undefined) offsets[best]!.push((k * opts.spreadMs) / count);
    }
    const startAt = opts.spreadMs !== undefined ? monoNow() + 500 : undefined;
    const timeoutMs = 60_000;
    const results = await Promise.all(
      workers.map((w, i) =>
        shares[i] === 0
          ? undefined
          : w.rpc.call<{ joined: number; failed: Record<string, number>; joinHist: SparseHist; firstStart: number; lastAck: number }>(
              'connect',
              {
                url,
                count: shares[i],
                group: opts.group ?? 'main',
                eventId: opts.eventId,
                token: opts.token,
                concurrency: opts.concurrency ?? 64,
                startAt,
                offsets: startAt !== undefined ? offsets[i] : undefined,
                timeoutMs,
              },
              timeoutMs + 30_000 + (opts.spreadMs ?? 0) + count * 20,
            ),
      ),
    );
    const summary: ConnectSummary = { joined: 0, failed: {}, joinHist: new Histogram(), wallMs: 0 };
    let first = Infinity;
    let last = 0;
    results.forEach((r, i) => {
      if (!r) return;
      workers[i]!.viewers += r.joined;
      summary.joined += r.joined;
      for (const [k, n] of Object.entries(r.failed)) summary.failed[k] = (summary.failed[k] ?? 0) + n;
      summary.joinHist.merge(r.joinHist);
      first = Math.min(first, r.firstStart);
      last = Math.max(last, r.lastAck);
    });
    summary.wallMs = last > first ? last - first : NaN;
    return summary;
  }

  /** Guests from POST /api/auth/guest, connected as senders to `url`. */
  async connectSenders(url: string, count: number): Promise<void> {
    const tokens: string[] = [];
    for (let i = 0; i < count; i++) {
      const res = await fetch(`${url}/api/auth/guest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ displayName: `Bench sender ${i + 1}` }),
      });
      if (!res.ok) throw new Error(`POST /api/auth/guest: ${res.status} ${await res.text()}`);
      tokens.push(((await res.json()) as { token: string }).token);
    }
    await this.sender.rpc.call('connect', { url, tokens });
  }

  /** Sends `total` messages at `rate` without measuring anything (chat history for joins). */
  async fill(eventId: string, total: number, rate: number): Promise<number> {
    const r = await this.sender.rpc.call<{ ok: number }>('run', { eventId, rate, durationMs: (total / rate) * 1000 + 5000, runId: 0, total }, 120_000);
    return r.ok;
  }

  /** One measured run: arm the viewers, send at `rate` for `durationMs`, wait for the deliveries, collect. */
  async run(opts: RunOptions): Promise<RunResult> {
    if (opts.warmupMs) {
      await this.broadcastArm(++runCounter);
      await this.sendRun(opts.eventId, opts.rate, opts.warmupMs, runCounter);
      await sleep(300);
      await this.collect(0);
    }
    const runId = ++runCounter;
    await this.broadcastArm(runId);
    const cpu = new CpuWindow({ ...opts.watch, ...this.pids() });
    const running = opts.onRunning?.();
    const peakRss: Record<string, number> = {};
    let aborted: string | undefined;
    const sampleRss = () => {
      for (const [label, pid] of Object.entries(opts.watch)) {
        const rss = rssBytes(pid);
        if (!(rss <= (peakRss[label] ?? 0))) peakRss[label] = rss;
        if (!aborted && rss > (opts.maxRssBytes ?? 4 * 2 ** 30)) {
          aborted = `${label} grew to ${(rss / 2 ** 20).toFixed(0)} MiB RSS: sending stopped early`;
          void this.sender.rpc.call('stop').catch(() => undefined);
        }
      }
    };
    const sampler = setInterval(sampleRss, 250);
    const send = await this.sendRun(opts.eventId, opts.rate, opts.durationMs, runId).finally(() => clearInterval(sampler));
    sampleRss();
    await running;
    // Drain: until every viewer has every message, or nothing has arrived for 3 s, or drainMaxMs. When some sends
    // were not acked ok, their messages may or may not have been broadcast, so only the 3 s of silence ends it.
    const drainStart = monoNow();
    const target = send.ok === send.sent ? send.ok * (this.viewerCount + this.sio.count) : Infinity;
    let last = -1;
    let lastChange = drainStart;
    for (;;) {
      const got = (await this.progress()) + this.sio.received;
      const now = monoNow();
      if (got >= target) break;
      if (got !== last) {
        last = got;
        lastChange = now;
      }
      if (now - lastChange > 3000 || now - drainStart > (opts.drainMaxMs ?? 15_000)) break;
      await sleep(100);
    }
    const drainMs = monoNow() - drainStart;
    const cpuReport = cpu.end();
    const groups = await this.collect(send.ok);
    const all: GroupResult = { hist: new Histogram(), received: 0, frames: 0, viewers: 0, short: 0, missing: 0, over: 0, disconnected: 0 };
    for (const g of Object.values(groups)) {
      all.hist.merge(g.hist.toSparse());
      all.received += g.received;
      all.frames += g.frames;
      all.viewers += g.viewers;
      all.short += g.short;
      all.missing += g.missing;
      all.over += g.over;
      all.disconnected += g.disconnected;
    }
    const sio = this.sio.count > 0 ? { hist: this.sio.hist, received: this.sio.received, viewers: this.sio.count } : undefined;
    const sendMs = Math.max(1, send.lastSend - send.firstSend);
    return {
      rate: opts.rate,
      sendMs,
      send: { ...send, ackHist: new Histogram().merge(send.ackHist) },
      groups,
      all,
      sio,
      deliveries: all.received,
      deliveriesPerSec: (all.received * 1000) / sendMs,
      lost: all.missing,
      drainMs,
      cpu: cpuReport,
      peakRss,
      ...(aborted && { aborted }),
    };
  }

  private async sendRun(eventId: string, rate: number, durationMs: number, runId: number) {
    return this.sender.rpc.call<{ sent: number; ok: number; answered: number; errors: Record<string, number>; ackHist: SparseHist; firstSend: number; lastSend: number }>(
      'run',
      { eventId, rate, durationMs, runId },
      durationMs + 60_000,
    );
  }

  private async broadcastArm(runId: number): Promise<void> {
    await Promise.all(this.viewerWorkers.map((w) => w.rpc.call('arm', { runId })));
    this.sio.arm(runId);
  }

  private async progress(): Promise<number> {
    const parts = await Promise.all(this.viewerWorkers.map((w) => w.rpc.call<{ received: number }>('progress', {}, 30_000)));
    return parts.reduce((n, p) => n + p.received, 0);
  }

  private async collect(expected: number): Promise<Record<string, GroupResult>> {
    type Part = Record<string, Omit<GroupResult, 'hist'> & { hist: SparseHist }>;
    const parts = await Promise.all(this.viewerWorkers.map((w) => w.rpc.call<Part>('report', { expected }, 30_000)));
    const out: Record<string, GroupResult> = {};
    for (const part of parts) {
      for (const [name, g] of Object.entries(part)) {
        const o = (out[name] ??= { hist: new Histogram(), received: 0, frames: 0, viewers: 0, short: 0, missing: 0, over: 0, disconnected: 0 });
        o.hist.merge(g.hist);
        o.received += g.received;
        o.frames += g.frames;
        o.viewers += g.viewers;
        o.short += g.short;
        o.missing += g.missing;
        o.over += g.over;
        o.disconnected += g.disconnected;
      }
    }
    return out;
  }

  async closeViewers(group?: string): Promise<void> {
    await Promise.all(
      this.viewerWorkers.map(async (w) => {
        w.viewers = await w.rpc.call<number>('close', { group }, 60_000);
      }),
    );
  }

  private stopped = false;

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.sio.close();
    await Promise.all([...this.viewerWorkers, this.sender].map((w) => stopChild(w.child)));
  }
}

function spawnWorker(name: string, file: string): Worker {
  const child = fork(join(ROOT, 'bench/lib', file), [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  trackChild(child);
  return { name, child, rpc: new RpcClient(child, `generator ${name}`), viewers: 0 };
}
