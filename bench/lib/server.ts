import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { onCleanup, trackChild } from './cleanup';
import { RpcClient } from './ipc';

const ROOT = resolve(import.meta.dirname, '../..');

export interface BenchServer {
  label: string;
  url: string;
  port: number;
  pid: number;
  /** Heap and RSS as the process sees them; `gc` forces two full collections first. */
  mem(gc: boolean): Promise<NodeJS.MemoryUsage>;
  profileStart(): Promise<void>;
  profileStop(path: string): Promise<string>;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts a Parvis server process (bench/lib/server-entry.ts, which does what server/src/main.ts does) on a free
 * loopback port with a fresh DATA_DIR, and waits until it listens.
 */
export async function startServer(label: string, env: Record<string, string> = {}): Promise<BenchServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parvis-bench-'));
  const child = fork(join(ROOT, 'bench/lib/server-entry.ts'), [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      MEDIA_DIR: join(ROOT, 'media'),
      LOG_LEVEL: 'warn',
      // One person may send this many messages per 10 s: the senders are a few guests speaking for a crowd.
      CHAT_RATE_LIMIT: '10000',
      // The whole simulated audience connects from 127.0.0.1.
      CHAT_ADDRESS_RATE_LIMIT: '1000000',
      GUEST_RATE_LIMIT: '1000000',
      SOCKETS_PER_ADDRESS: '1000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  trackChild(child);
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const unregister = onCleanup(() => stopChild(child).finally(() => rmSync(dataDir, { recursive: true, force: true })));

  const port = await readyPort(child, 60_000, () => out).catch((err: unknown) => {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    unregister();
    throw new Error(`${label} did not start: ${(err as Error).message}\n${out}`);
  });
  const rpc = new RpcClient(child, label);
  return {
    label,
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    mem: (gc) => rpc.call('mem', { gc }, 30_000),
    profileStart: () => rpc.call('profileStart'),
    profileStop: (path) => rpc.call('profileStop', { path }, 60_000),
    output: () => out,
    async stop() {
      unregister();
      await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The bare Express 5 hello-world of the HTTP row. */
export async function startHelloExpress(): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child = fork(join(ROOT, 'bench/lib/hello-express.ts'), [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  trackChild(child);
  const unregister = onCleanup(() => stopChild(child));
  const port = await readyPort(child, 60_000, () => '');
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    async stop() {
      unregister();
      await stopChild(child);
    },
  };
}

export interface BenchHelper {
  port: number;
  pid: number;
  rpc: RpcClient;
  stop(): Promise<void>;
}

/**
 * A helper process of a row (`bench/lib/<file>`: the SMTP sink, the sign-up peer), forked with an IPC channel, that
 * says `{type: 'ready', port}` once it listens. It exits by itself if the bench dies.
 */
export async function startHelper(file: string, label: string): Promise<BenchHelper> {
  const child = fork(join(ROOT, 'bench/lib', file), [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  trackChild(child);
  const unregister = onCleanup(() => stopChild(child));
  const port = await readyPort(child, 60_000, () => '').catch((err: unknown) => {
    child.kill('SIGKILL');
    unregister();
    throw new Error(`${label} did not start: ${(err as Error).message}`);
  });
  return {
    port,
    pid: child.pid!,
    rpc: new RpcClient(child, label),
    async stop() {
      unregister();
      await stopChild(child);
    },
  };
}

function readyPort(child: ChildProcess, timeoutMs: number, output: () => string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready within ${timeoutMs} ms`)), timeoutMs);
    child.on('message', (msg: { type?: string; port?: number }) => {
      if (msg?.type === 'ready' && typeof msg.port === 'number') {
        clearTimeout(timer);
        resolvePort(msg.port);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code ?? signal}\n${output()}`));
    });
  });
}

/** SIGTERM, then SIGKILL after 5 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
