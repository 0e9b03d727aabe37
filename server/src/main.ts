import pino from 'pino';
import { loadConfig } from './config';
import { setupNotice } from './modules/access/setup.service';
import { startParvis } from './parvis';

const config = loadConfig();
const log = pino({ level: config.logLevel });

// A library that forgets to handle a promise must not take every viewer of this process down with it.
process.on('unhandledRejection', (err) => {
  log.error({ err }, 'unhandled promise rejection');
});

const parvis = await startParvis(config, log).catch((err: unknown) => {
  // The reason in the message itself: it is what an operator must fix (a weak JWT_SECRET, an unreachable Redis...).
  log.fatal({ err }, `Parvis could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
log.info(`Parvis is listening on ${parvis.url} (data in ${config.dataDir}, media from ${config.mediaDir})`);
if (parvis.setupUrl) process.stdout.write(setupNotice(parvis.setupUrl));

// SIGTERM (systemd, a container runtime, a deploy) stops gracefully within SHUTDOWN_GRACE_MS (ops/shutdown.ts); a
// second signal, or a shutdown that overruns, exits at once.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info(`${signal}: stopping within ${config.shutdownGraceMs} ms`);
    setTimeout(() => {
      log.error(`still stopping after SHUTDOWN_GRACE_MS (${config.shutdownGraceMs} ms): exiting anyway`);
      process.exit(1);
    }, config.shutdownGraceMs).unref();
    parvis.shutdown().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  });
}
