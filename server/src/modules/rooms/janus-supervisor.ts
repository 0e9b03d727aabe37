import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { isExecutable, waitForPort } from '../../ops/child-processes';
import { SupervisedProgram } from '../../ops/supervised-program';
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
/** Janus's warning when some of a browser's ICE candidates are of no use to it (see the constructor). */
const UNUSABLE_CANDIDATES = /Failed to add some remote candidates/;
/** How long a start waits for the WebSocket port to accept connections. */
const READY_TIMEOUT_MS = 10_000;

/**
 * Debian's Janus, run by Parvis and for as long as Parvis runs, as the ingest runs nginx (ops/supervised-program.ts:
 * its own process group, restarted with backoff, a stale one stopped first, stopped with Parvis); the config is
 * generated into `DATA_DIR/rooms/` at each start (janus-config.ts: the videoroom and the loopback WebSocket transport
 * only, signed tokens).
 */
export class JanusSupervisor {
  private readonly program: SupervisedProgram;

  constructor(private readonly o: JanusSupervisorOptions) {
    const pidFile = join(o.dir, 'janus.pid');
    this.program = new SupervisedProgram({
      name: 'Janus',
      command: o.janusPath,
      args: ['-C', join(o.dir, 'janus.jcfg'), '-F', o.dir, '-p', pidFile, '-o'],
      pidFile,
      dir: o.dir,
      commandWord: 'janus',
      stop: { signal: 'SIGTERM', timeoutMs: TERM_TIMEOUT_MS },
      stdio: ['ignore', 'pipe', 'pipe'],
      onLine: (line) => {
        // debug_level 3: what Janus prints is its warnings and errors (and its banner, which the log can do without).
        if (!/\[(ERR|WARN|FATAL)\]|error/i.test(line)) return;
        // Browsers offer candidates Janus cannot use (mDNS `.local` names, other families): it warns at every join,
        // and nothing is wrong. Kept for debugging only, so that an operator's warnings stay worth reading.
        if (UNUSABLE_CANDIDATES.test(line)) o.log.debug({ janus: line }, 'janus says');
        else o.log.warn({ janus: line }, 'janus says');
      },
      log: o.log,
      onRestart: o.onRestart,
      restart: o.restart,
    });
  }

  /** The running Janus's pid (tests kill it to see the supervisor at work). */
  get pid(): number | undefined {
    return this.program.pid;
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
    await writeJanusConfig(this.o);
    await this.program.start();
    if (!(await waitForPort('127.0.0.1', this.o.wsPort, READY_TIMEOUT_MS))) {
      this.o.log.warn(`Janus does not accept connections on 127.0.0.1:${this.o.wsPort} yet`);
    }
  }

  /** Stops Janus: SIGTERM, then SIGKILL to its group after a bound. No restart after this. */
  stop(): Promise<void> {
    return this.program.stop();
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
