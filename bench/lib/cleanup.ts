import type { ChildProcess } from 'node:child_process';

/*
 * Everything the bench starts is registered here, so that it is stopped whatever ends the run: the last benchmark,
 * an error, a watchdog, Ctrl-C. Children forked with an IPC channel also exit by themselves when this process dies
 * (see serveRpc), and redis-server is started under setpriv --pdeathsig, so even `kill -9` of the bench leaves
 * nothing behind.
 */

const children = new Set<ChildProcess>();
const tasks = new Set<() => Promise<void> | void>();

export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

/** Registers a cleanup step; returns a function that unregisters it (call it after cleaning up normally). */
export function onCleanup(task: () => Promise<void> | void): () => void {
  tasks.add(task);
  return () => tasks.delete(task);
}

let running: Promise<void> | undefined;

/** Runs every cleanup step (each bounded to 10 s), then SIGKILLs any child still alive. */
export function cleanupAll(): Promise<void> {
  return (running ??= (async () => {
    try {
      const pending = [...tasks].reverse();
      tasks.clear();
      for (const task of pending) {
        await Promise.race([
          Promise.resolve()
            .then(task)
            .catch(() => undefined),
          new Promise((r) => setTimeout(r, 10_000).unref()),
        ]);
      }
      killChildren();
    } finally {
      running = undefined;
    }
  })());
}

function killChildren(): void {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

let installed = false;

/** Ctrl-C, SIGTERM and crashes clean up before the process exits. */
export function installCleanupHandlers(): void {
  if (installed) return;
  installed = true;
  process.once('exit', killChildren);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping every process the bench started…`);
      void cleanupAll().finally(() => process.exit(130));
      // A second signal (or a cleanup that hangs) ends at once.
      process.once(signal, () => process.exit(130));
      setTimeout(() => process.exit(130), 20_000).unref();
    });
  }
  process.on('uncaughtException', (err) => {
    console.error('bench crashed:', err);
    void cleanupAll().finally(() => process.exit(1));
  });
  process.on('unhandledRejection', (err) => {
    console.error('bench crashed (unhandled rejection):', err);
    void cleanupAll().finally(() => process.exit(1));
  });
}
