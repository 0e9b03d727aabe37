import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/*
 * A tiny request/response layer over the IPC channel of child_process.fork: the orchestrator calls commands by name,
 * the child answers each with the same id. Enough for a handful of commands per second.
 */

interface Request {
  rpc: number;
  cmd: string;
  args: unknown;
}
interface Response {
  rpc: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export class RpcClient {
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  constructor(
    private readonly child: ChildProcess,
    private readonly name: string,
  ) {
    child.on('message', (raw) => {
      const msg = raw as Response;
      if (typeof msg?.rpc !== 'number') return;
      const w = this.waiting.get(msg.rpc);
      if (!w) return;
      this.waiting.delete(msg.rpc);
      clearTimeout(w.timer);
      if (msg.ok) w.resolve(msg.result);
      else w.reject(new Error(`${this.name}: ${msg.error}`));
    });
    child.once('exit', (code, signal) => {
      for (const w of this.waiting.values()) {
        clearTimeout(w.timer);
        w.reject(new Error(`${this.name} exited (${code ?? signal}) during a call`));
      }
      this.waiting.clear();
    });
  }

  call<T>(cmd: string, args: unknown = {}, timeoutMs = 60_000): Promise<T> {
    const rpc = this.next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(rpc);
        reject(new Error(`${this.name}: "${cmd}" did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(rpc, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.child.send({ rpc, cmd, args } satisfies Request);
    });
  }
}

let session: Session | undefined;

/** Every child can be profiled over IPC: the V8 CPU profiler of its own main thread, 0.5 ms sampling. */
export const profilerHandlers = {
  async profileStart() {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    return true;
  },
  async profileStop({ path }: { path: string }) {
    if (!session) throw new Error('no profile running');
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    session = undefined;
    writeFileSync(path, JSON.stringify(profile));
    return path;
  },
};

/** Child side: answers commands, and exits when the parent goes away (so nothing outlives a killed run). */
export function serveRpc(own: Record<string, (args: any) => unknown>): void {
  const handlers: Record<string, (args: any) => unknown> = { ...profilerHandlers, ...own };
  if (!process.send) throw new Error('serveRpc needs an IPC channel (run with child_process.fork)');
  process.on('disconnect', () => process.exit(0));
  process.on('message', async (raw) => {
    const msg = raw as Request;
    if (typeof msg?.rpc !== 'number') return;
    const handler = handlers[msg.cmd];
    let reply: Response;
    try {
      if (!handler) throw new Error(`unknown command ${msg.cmd}`);
      reply = { rpc: msg.rpc, ok: true, result: await handler(msg.args) };
    } catch (err) {
      reply = { rpc: msg.rpc, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    }
    process.send!(reply);
  });
}
