import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { isAlive, isExecutable, isReadable, killGroup, stopProcess, waitForPort } from '../../ops/child-processes';
import { renderNginxConfig, type NginxConfigOptions } from './nginx-config';

export interface NginxSupervisorOptions extends Omit<NginxConfigOptions, 'modulePath'> {
  /** `/usr/sbin/nginx`. */
  nginxPath: string;
  /** `/usr/lib/nginx/modules/ngx_rtmp_module.so`. */
  modulePath: string;
  /** `DATA_DIR/ingest`: nginx's prefix, holding its config, pid and lock files. */
  prefixDir: string;
  log: Logger;
  /** nginx died and was started again: whoever published to it is gone (no publish-done hook was sent). */
  onRestart?: () => void;
  /** Backoff between restarts: from `minMs`, doubling, at most `maxMs`. */
  restart?: { minMs: number; maxMs: number };
}

/** How long nginx has to stop on SIGQUIT (it waits for its connections) before it is killed. */
const QUIT_TIMEOUT_MS = 3000;
const QUIT = { signal: 'SIGQUIT', timeoutMs: QUIT_TIMEOUT_MS } as const;
/** A run this long counts as healthy: the next crash starts the backoff over. */
const HEALTHY_RUN_MS = 30_000;
/** How long a start waits for the RTMP port to accept connections. */
const READY_TIMEOUT_MS = 10_000;

/**
 * Debian's nginx with the RTMP module, run by Parvis and for as long as Parvis runs: the config is generated into
 * `DATA_DIR/ingest/` at each start; nginx runs in the foreground (`daemon off`) in its own process group, as
 * whoever runs Parvis; it is started again with backoff if it dies; a stale nginx left by a Parvis that was killed is
 * stopped through its pid file first; and it is stopped with Parvis (SIGQUIT, then SIGKILL after a bound).
 */
export class NginxSupervisor {
  private child: ChildProcess | undefined;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private readonly pidFile: string;

  constructor(private readonly o: NginxSupervisorOptions) {
    this.pidFile = join(o.prefixDir, 'nginx.pid');
  }

  /** The running nginx's master pid (tests kill it to see the supervisor at work). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * Why the ingest cannot run on this machine (nginx or the RTMP module missing), in one sentence for the log, or
   * undefined when both are there.
   */
  async missing(): Promise<string | undefined> {
    if (!(await isExecutable(this.o.nginxPath))) {
      return `nginx is not installed at ${this.o.nginxPath}: run \`apt-get install nginx libnginx-mod-rtmp\`, or unset RTMP_PORT`;
    }
    if (!(await isReadable(this.o.modulePath))) {
      return `the nginx RTMP module is not installed at ${this.o.modulePath}: run \`apt-get install libnginx-mod-rtmp\`, or unset RTMP_PORT`;
    }
    return undefined;
  }

  /** Writes the config, stops a stale nginx, starts nginx and waits until its RTMP port accepts connections. */
  async start(): Promise<void> {
    await mkdir(this.o.prefixDir, { recursive: true });
    await writeFile(join(this.o.prefixDir, 'nginx.conf'), renderNginxConfig(this.o));
    await this.stopStale();
    this.spawn();
    if (!(await waitForPort(this.o.host, this.o.port, READY_TIMEOUT_MS))) {
      this.o.log.warn(`the ingest's nginx does not accept RTMP connections on port ${this.o.port} yet`);
    }
  }

  private spawn(): void {
    const startedAt = Date.now();
    // -e: nginx opens its compiled-in error log before it reads the config; stderr is the only path sure to work.
    const child = spawn(this.o.nginxPath, ['-p', `${this.o.prefixDir}/`, '-c', 'nginx.conf', '-e', 'stderr', '-g', 'daemon off;'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      // Its own group: its worker dies with it when it must be killed, and a Ctrl-C reaches Parvis, which stops it.
      detached: true,
    });
    this.child = child;
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) this.o.log.warn({ nginx: line }, 'nginx (ingest) says');
    });
    child.once('error', (err) => this.o.log.error({ err }, 'could not start nginx for the ingest'));
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      // A master killed outright leaves its worker holding the port: take the whole group down.
      killGroup(child.pid, 'SIGKILL');
      if (this.stopping) return;
      this.failures = Date.now() - startedAt >= HEALTHY_RUN_MS ? 1 : this.failures + 1;
      const { minMs, maxMs } = this.o.restart ?? { minMs: 500, maxMs: 30_000 };
      const delay = Math.min(maxMs, minMs * 2 ** (this.failures - 1));
      this.o.log.error(
        `nginx (ingest) exited (${signal ? `signal ${signal}` : `code ${String(code)}`}): starting it again in ${delay} ms`,
      );
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        if (this.stopping) return;
        this.spawn();
        this.o.onRestart?.();
      }, delay);
    });
  }

  /** An nginx of a previous run of Parvis (killed before it could stop it) still holds the port: stop it. */
  private async stopStale(): Promise<void> {
    const pid = Number((await readFile(this.pidFile, 'utf8').catch(() => '')).trim());
    if (!Number.isInteger(pid) || pid <= 1) return;
    // Only if that pid is still an nginx with our prefix: a pid file can outlive its process, and pids are reused.
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (!cmdline.includes('nginx') || !cmdline.includes(this.o.prefixDir)) {
      await rm(this.pidFile, { force: true });
      return;
    }
    this.o.log.warn(`stopping the ingest's nginx left running by a previous start (pid ${pid})`);
    await stopProcess(pid, () => isAlive(pid), QUIT);
    await rm(this.pidFile, { force: true });
  }

  /** Stops nginx: SIGQUIT (graceful), then SIGKILL to its group after a bound. No restart after this. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit').catch(() => undefined);
    await stopProcess(child.pid, () => child.exitCode === null && child.signalCode === null, QUIT, exited);
  }
}
