import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { once } from 'node:events';
import { readFile, rm } from 'node:fs/promises';
import type { Logger } from 'pino';
import { isAlive, killGroup, stopProcess } from './child-processes';

/** A run this long counts as healthy: the next crash starts the backoff over. */
const HEALTHY_RUN_MS = 30_000;

export interface SupervisedProgramOptions {
  /** How the log names it: "Janus", "nginx (ingest)". */
  name: string;
  command: string;
  args: readonly string[];
  /** Where the program writes its pid; a pid left there by a killed Parvis is how a stale run is found. */
  pidFile: string;
  /** The directory the program was started for: a stale pid is only stopped if its command line names it. */
  dir: string;
  /** A word of its command line (`janus`, `nginx`), checked with `dir` before a stale pid is stopped. */
  commandWord: string;
  /** How it stops gracefully (nginx: SIGQUIT; Janus: SIGTERM), and for how long before its group is killed. */
  stop: { signal: NodeJS.Signals; timeoutMs: number };
  /** Which of its output streams are read (`['ignore', 'ignore', 'pipe']`: stderr only). */
  stdio: StdioOptions;
  /** Each line it prints on the piped streams. */
  onLine: (line: string) => void;
  log: Logger;
  /** It died and was started again: whatever it held (publishers, rooms) is gone. */
  onRestart?: () => void;
  /** Backoff between restarts: from `minMs`, doubling, at most `maxMs`. */
  restart?: { minMs: number; maxMs: number };
}

/**
 * A system program Parvis runs for as long as it runs (the ingest's nginx, the rooms' Janus): in its own process
 * group (a Ctrl-C reaches Parvis, which stops it, and a kill takes all of it, workers included), started again with
 * backoff if it dies, a stale run left by a Parvis that was killed stopped through its pid file first, and stopped
 * with Parvis (its graceful signal, then SIGKILL to its group after a bound).
 */
export class SupervisedProgram {
  private child: ChildProcess | undefined;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private failures = 0;

  constructor(private readonly o: SupervisedProgramOptions) {}

  /** The running program's pid (tests kill it to see the supervisor at work). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Stops a stale run, then starts the program (the caller waits for it to be ready). */
  async start(): Promise<void> {
    this.stopping = false;
    await this.stopStale();
    this.spawn();
  }

  private spawn(): void {
    const startedAt = Date.now();
    const child = spawn(this.o.command, this.o.args, { stdio: this.o.stdio, detached: true });
    this.child = child;
    const read = (chunk: string) => {
      for (const line of chunk.split('\n')) if (line.trim()) this.o.onLine(line.trim());
    };
    child.stdout?.setEncoding('utf8').on('data', read);
    child.stderr?.setEncoding('utf8').on('data', read);
    child.once('error', (err) => this.o.log.error({ err }, `could not start ${this.o.name}`));
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      // A master killed outright leaves its workers holding the ports: take the whole group down.
      killGroup(child.pid, 'SIGKILL');
      if (this.stopping) return;
      this.failures = Date.now() - startedAt >= HEALTHY_RUN_MS ? 1 : this.failures + 1;
      const { minMs, maxMs } = this.o.restart ?? { minMs: 500, maxMs: 30_000 };
      const wait = Math.min(maxMs, minMs * 2 ** (this.failures - 1));
      this.o.log.error(`${this.o.name} exited (${signal ? `signal ${signal}` : `code ${String(code)}`}): starting it again in ${wait} ms`);
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        if (this.stopping) return;
        this.spawn();
        this.o.onRestart?.();
      }, wait);
    });
  }

  /** A run of a previous Parvis (killed before it could stop it) still holds the ports: stop it. */
  private async stopStale(): Promise<void> {
    const pid = Number((await readFile(this.o.pidFile, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(pid) && pid > 1) {
      // Only if that pid is still our program with our directory: a pid file can outlive its process, and pids are
      // reused.
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      if (cmdline.includes(this.o.commandWord) && cmdline.includes(this.o.dir)) {
        this.o.log.warn(`stopping the ${this.o.name} left running by a previous start (pid ${pid})`);
        await stopProcess(pid, () => isAlive(pid), this.o.stop);
      }
    }
    await rm(this.o.pidFile, { force: true });
  }

  /** Stops the program, gracefully and then by force after a bound. No restart after this. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit').catch(() => undefined);
    await stopProcess(child.pid, () => child.exitCode === null && child.signalCode === null, this.o.stop, exited);
  }
}
