import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';
const READY_TIMEOUT_MS = 10_000;
/*
 * redis-server has no "die with my parent" option, and a test worker can end without running its hooks (a hook that
 * times out, the pool killing the worker). util-linux's setpriv asks the kernel to SIGKILL the server when the worker
 * dies, whatever the reason; the exit hook below covers systems without it.
 */
const SETPRIV = '/usr/bin/setpriv';

export interface RedisServerOptions {
  /** Keep an append-only file in the temp dir, so data survives `kill('SIGKILL')` + `restart()`. Default false. */
  appendonly?: boolean;
  /** `always` makes every acknowledged write durable before the reply. Default `everysec` (Redis' default). */
  appendfsync?: 'always' | 'everysec';
}

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** The server's working directory (AOF lives here); removed by `stop()`. */
  readonly dir: string;
  /** Kills the server if it runs and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
  /**
   * Sends a signal. Terminating signals resolve once the process has exited (the directory is kept, for
   * `restart()`); SIGSTOP and SIGCONT resolve at once, to simulate a server that hangs and comes back.
   */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the server again on the same port and directory (stopping it first if it still runs). */
  restart(): Promise<void>;
}

/* Servers still running, killed when the worker exits normally without having stopped them. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts a real redis-server on a free loopback port with a fresh temp directory, and waits until it answers PING. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'parvis-redis-'));
  // A free port can be taken between probing and binding: try a few.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      const child = await launch(port, dir, options);
      return handle(port, dir, options, child);
    } catch (err) {
      if (attempt >= 3) {
        rmSync(dir, { recursive: true, force: true });
        throw err;
      }
    }
  }
}

function handle(port: number, dir: string, options: RedisServerOptions, first: ChildProcess): RedisServer {
  let child: ChildProcess | undefined = first;
  let removed = false;

  async function kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const current = child;
    if (!current) return;
    if (signal === 'SIGSTOP' || signal === 'SIGCONT') {
      current.kill(signal);
      return;
    }
    child = undefined;
    await terminate(current, signal);
  }

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    kill,
    async stop() {
      await kill('SIGKILL');
      if (!removed) {
        removed = true;
        rmSync(dir, { recursive: true, force: true });
      }
    },
    async restart() {
      if (removed) throw new Error('restart() after stop(): the directory is gone');
      // SIGTERM lets Redis finish its AOF write; tests that want a crash call kill('SIGKILL') first.
      await kill('SIGTERM');
      child = await launch(port, dir, options);
    },
  };
}

async function launch(port: number, dir: string, options: RedisServerOptions): Promise<ChildProcess> {
  const args = [
    '--bind', '127.0.0.1',
    '--port', String(port),
    '--dir', dir,
    '--save', '',
    '--appendonly', options.appendonly ? 'yes' : 'no',
    '--appendfsync', options.appendfsync ?? 'everysec',
    '--daemonize', 'no',
    '--loglevel', 'warning',
  ];
  const [command, argv] = existsSync(SETPRIV)
    ? [SETPRIV, ['--pdeathsig', 'SIGKILL', REDIS_SERVER, ...args]]
    : [REDIS_SERVER, args];
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);

  try {
    await waitForPong(port, child);
    return child;
  } catch (err) {
    await terminate(child, 'SIGKILL');
    throw new Error(`redis-server on port ${port} did not start: ${(err as Error).message}\n${output}`);
  }
}

async function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  // A stopped (SIGSTOP) process ignores SIGTERM until it is continued.
  if (signal !== 'SIGKILL') child.kill('SIGCONT');
  await exited;
}

async function waitForPong(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`exited with ${child.exitCode ?? child.signalCode}`);
    }
    // While it loads its AOF, Redis answers -LOADING: only +PONG means ready.
    if (await ping(port)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no PONG within ${READY_TIMEOUT_MS} ms`);
}

/** One raw RESP PING, so the helper does not depend on the client under test. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
