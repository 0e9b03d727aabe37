/*
 * The Parvis server as `npm start` runs it (server/src/main.ts: loadConfig → startParvis), plus an IPC channel the
 * bench uses to read the heap after a forced GC and to take CPU profiles. Nothing here changes how requests are served.
 * Run with --expose-gc so that memory deltas are not GC timing noise.
 */
import pino from 'pino';
import { loadConfig } from '../../server/src/config';
import { startParvis } from '../../server/src/parvis';
import { serveRpc } from './ipc';

const config = loadConfig();
const log = pino({ level: config.logLevel });
process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled promise rejection'));

const parvis = await startParvis(config, log);

/*
 * Experiments: server changes the bench can measure before anyone makes them, never used by the rows that are
 * compared with targets. `drop-handshake-request` is the tip of https://socket.io/docs/v4/memory-usage/: forget the
 * HTTP request of each connection once the Engine.IO session exists.
 */
const experiments = new Set((process.env.BENCH_EXPERIMENT ?? '').split(',').filter(Boolean));
if (experiments.has('drop-handshake-request')) {
  parvis.io.engine.on('connection', (raw: { request: unknown }) => {
    raw.request = null;
  });
}

serveRpc({
  mem({ gc }: { gc?: boolean }) {
    const collect = (globalThis as { gc?: () => void }).gc;
    if (gc && collect) {
      collect();
      collect();
    }
    return process.memoryUsage();
  },
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    setTimeout(() => process.exit(1), 5000).unref();
    parvis.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

process.send!({ type: 'ready', port: parvis.port });
