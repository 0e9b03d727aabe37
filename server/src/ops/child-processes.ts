import { access, constants } from 'node:fs/promises';
import { connect } from 'node:net';

/*
 * What the supervisors of the system programs Parvis runs (the ingest's nginx, the rooms' Janus) share: stopping a
 * process and its group within a bound, telling whether a pid lives, and waiting for a port.
 */

/**
 * Sends `signal` (nginx: SIGQUIT, its graceful stop; Janus: SIGTERM), waits until `alive()` is false or `timeoutMs`
 * passed, then SIGKILLs the process group the program leads (it was spawned detached). `exited`, when the process is
 * our child, wakes the wait as soon as it exits.
 */
export async function stopProcess(
  pid: number,
  alive: () => boolean,
  options: { signal: NodeJS.Signals; timeoutMs: number },
  exited?: Promise<unknown>,
): Promise<void> {
  try {
    process.kill(pid, options.signal);
  } catch {
    return;
  }
  const deadline = Date.now() + options.timeoutMs;
  while (alive() && Date.now() < deadline) {
    await (exited ? Promise.race([exited, delay(50)]) : delay(50));
  }
  killGroup(pid, 'SIGKILL');
  if (exited) await exited;
}

/** Signals the group `pid` leads (a detached child and whatever it forked: nginx's workers). */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

export async function isReadable(path: string): Promise<boolean> {
  return access(path, constants.R_OK).then(
    () => true,
    () => false,
  );
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whether something accepts TCP connections on host:port (a wildcard address: on loopback) within `timeoutMs`. */
export async function waitForPort(host: string, port: number, timeoutMs: number): Promise<boolean> {
  const target = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: target, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return true;
    await delay(50);
  }
  return false;
}
