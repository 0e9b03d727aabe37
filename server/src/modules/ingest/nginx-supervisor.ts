import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { isExecutable, isReadable, waitForPort } from '../../ops/child-processes';
import { SupervisedProgram } from '../../ops/supervised-program';
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
/** How long a start waits for the RTMP port to accept connections. */
const READY_TIMEOUT_MS = 10_000;

/**
 * Debian's nginx with the RTMP module, run by Parvis and for as long as Parvis runs (ops/supervised-program.ts: its
 * own process group with its worker, restarted with backoff, a stale one stopped first, stopped with Parvis by
 * SIGQUIT and then SIGKILL after a bound), as whoever runs Parvis, in the foreground (`daemon off`); the config is
 * generated into `DATA_DIR/ingest/` at each start.
 */
export class NginxSupervisor {
  private readonly program: SupervisedProgram;

  constructor(private readonly o: NginxSupervisorOptions) {
    this.program = new SupervisedProgram({
      name: 'nginx (ingest)',
      command: o.nginxPath,
      // -e: nginx opens its compiled-in error log before it reads the config; stderr is the only path sure to work.
      args: ['-p', `${o.prefixDir}/`, '-c', 'nginx.conf', '-e', 'stderr', '-g', 'daemon off;'],
      pidFile: join(o.prefixDir, 'nginx.pid'),
      dir: o.prefixDir,
      commandWord: 'nginx',
      stop: { signal: 'SIGQUIT', timeoutMs: QUIT_TIMEOUT_MS },
      stdio: ['ignore', 'ignore', 'pipe'],
      onLine: (line) => o.log.warn({ nginx: line }, 'nginx (ingest) says'),
      log: o.log,
      onRestart: o.onRestart,
      restart: o.restart,
    });
  }

  /** The running nginx's master pid (tests kill it to see the supervisor at work). */
  get pid(): number | undefined {
    return this.program.pid;
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
    await this.program.start();
    if (!(await waitForPort(this.o.host, this.o.port, READY_TIMEOUT_MS))) {
      this.o.log.warn(`the ingest's nginx does not accept RTMP connections on port ${this.o.port} yet`);
    }
  }

  /** Stops nginx: SIGQUIT (graceful), then SIGKILL to its group after a bound. No restart after this. */
  stop(): Promise<void> {
    return this.program.stop();
  }
}
