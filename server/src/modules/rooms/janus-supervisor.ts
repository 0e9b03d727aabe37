import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { isAlive, isExecutable, killGroup, stopProcess, waitForPort } from '../../ops/child-processes';
import { writeJanusConfig, type JanusConfigOptions } from './janus-config';

export interface JanusSupervisorOptions extends JanusConfigOptions {
  /** `/usr/bin/janus` (JANUS_PATH). */
  janusPath: string;
  log: Logger;
  /** Janus died and was started again: its rooms are gone until Parvis opens them again. */
  onRestart?: () => void;
  /** Backoff between restarts: from `minMs`, doubling, at most `maxMs`. */
  restart?: { minMs: number; maxMs: number };
}

/** How long Janus has to stop on SIGTERM before it is killed. */
const TERM_TIMEOUT_MS = 3000;
const STOP = { signal: 'SIGTERM', timeoutMs: TERM_TIMEOUT_MS } as const;
/** Janus's warning when some of a browser's ICE candidates are of no use to it (see `spawn`). */
const UNUSABLE_CANDIDATES = /Failed to add some remote candidates/;
/** A run this long counts as healthy: the next crash starts the backoff over. */
const HEALTHY_RUN_MS = 30_000;
/** How long a start waits for the WebSocket port to accept connections. */
const READY_TIMEOUT_MS = 10_000;

/**
 * Debian's Janus, run by Parvis and for as long as Parvis runs, as the ingest runs nginx: the config is generated into
 * `DATA_DIR/rooms/` at each start (janus-config.ts: the videoroom and the loopback WebSocket transport only, signed
 * tokens); Janus runs in the foreground in its own process group; it is started again with backoff if it dies; a
 * stale Janus left by a Parvis that was killed is stopped through its pid file first; it is stopped with Parvis.
 */
export class JanusSupervisor {
  private child: ChildProcess | undefined;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private readonly pidFile: string;

  constructor(private readonly o: JanusSupervisorOptions) {
    this.pidFile = join(o.dir, 'janus.pid');
  }

  /** The running Janus's pid (tests kill it to see the supervisor at work). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The loopback WebSocket address of Janus's API. */
  get url(): string {
    return `ws://127.0.0.1:${this.o.wsPort}`;
  }

  /** Why rooms cannot run here (Janus missing), in one sentence for the log, or undefined. */
  async missing(): Promise<string | undefined> {
    if (!(await isExecutable(this.o.janusPath))) {
      return `Janus is not installed at ${this.o.janusPath}: run \`apt-get install janus\` (or set JANUS_PATH, or ROOMS=off); rooms are unavailable and room events use their joinUrl`;
    }
    return undefined;
  }

  /** Writes the config, stops a stale Janus, starts Janus and waits until its WebSocket port accepts connections. */
  async start(): Promise<void> {
    this.stopping = false;
    await writeJanusConfig(this.o);
    await this.stopStale();
    this.spawn();
    if (!(await waitForPort('127.0.0.1', this.o.wsPort, READY_TIMEOUT_MS))) {
      this.o.log.warn(`Janus does not accept connections on 127.0.0.1:${this.o.wsPort} yet`);
    }
  }

  private spawn(): void {
    const startedAt = Date.now();
    const child = spawn(this.o.janusPath, ['-C', join(this.o.dir, 'janus.jcfg'), '-F', this.o.dir, '-p', this.pidFile, '-o'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own group: a Ctrl-C reaches Parvis, which stops it, and a kill takes all of it.
      detached: true,
    });
    this.child = child;
    const say = (chunk: string) => {
      // debug_level 3: what Janus prints is its warnings and errors (and its banner, which the log can do without).
      for (const line of chunk.split('\n').filter((l) => /\[(ERR|WARN|FATAL)\]|error/i.test(l))) {
        // Browsers offer candidates Janus cannot use (mDNS `.local` names, other families): it warns at every join,
        // and nothing is wrong. Kept for debugging only, so that an operator's warnings stay worth reading.
        if (UNUSABLE_CANDIDATES.test(line)) this.o.log.debug({ janus: line.trim() }, 'janus says');
        else this.o.log.warn({ janus: line.trim() }, 'janus says');
      }
    };
    child.stdout!.setEncoding('utf8').on('data', say);
    child.stderr!.setEncoding('utf8').on('data', say);
    child.once('error', (err) => this.o.log.error({ err }, 'could not start Janus'));
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      killGroup(child.pid, 'SIGKILL');
      if (this.stopping) return;
      this.failures = Date.now() - startedAt >= HEALTHY_RUN_MS ? 1 : this.failures + 1;
      const { minMs, maxMs } = this.o.restart ?? { minMs: 500, maxMs: 30_000 };
      const wait = Math.min(maxMs, minMs * 2 ** (this.failures - 1));
      this.o.log.error(`Janus exited (${signal ? `signal ${signal}` : `code ${String(code)}`}): starting it again in ${wait} ms`);
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        if (this.stopping) return;
        this.spawn();
        this.o.onRestart?.();
      }, wait);
    });
  }

  /** A Janus of a previous run of Parvis (killed before it could stop it) still holds the ports: stop it. */
  private async stopStale(): Promise<void> {
    const pid = Number((await readFile(this.pidFile, 'utf8').catch(() => '')).trim());
    if (!Number.isInteger(pid) || pid <= 1) return;
    // Only if that pid is still a Janus with our config: a pid file can outlive its process, and pids are reused.
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes('janus') && cmdline.includes(this.o.dir)) {
      this.o.log.warn(`stopping the Janus left running by a previous start (pid ${pid})`);
      await stopProcess(pid, () => isAlive(pid), STOP);
    }
    await rm(this.pidFile, { force: true });
  }

  /** Stops Janus: SIGTERM, then SIGKILL to its group after a bound. No restart after this. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit').catch(() => undefined);
    await stopProcess(child.pid, () => child.exitCode === null && child.signalCode === null, STOP, exited);
  }
}

/** A TCP port free on 127.0.0.1 right now (for Janus's WebSocket transport when none is configured). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
