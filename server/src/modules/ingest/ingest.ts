import { join } from 'node:path';
import { Router } from 'express';
import type { Logger } from 'pino';
import type { StreamHealth } from '#shared/domain/broadcast';
import type { AuditLog } from '../../core/audit';
import type { Config } from '../../config';
import type { Store } from '../../store/store';
import type { HttpAuth } from '../access/http-auth';
import type { AccessPolicy } from '../access/policy';
import type { ProgrammeService } from '../programme/programme.service';
import { ingestRoutes } from './ingest.routes';
import { IngestService, type BroadcastListener } from './ingest.service';
import { IngestSweeper } from './ingest-sweeper';
import { isExecutable } from '../../ops/child-processes';
import { NginxSupervisor } from './nginx-supervisor';
import { nginxHookRoutes } from './nginx-hooks.routes';
import { Transcoder } from './transcoder';

/** How long nginx keeps a publisher that sends nothing before it drops it (and the reconnect window starts). */
const DROP_IDLE_PUBLISHER_SECONDS = 10;

export interface IngestDeps {
  config: Pick<Config, 'dataDir' | 'recordingsDir' | 'host' | 'ingest'>;
  store: Store;
  programme: ProgrammeService;
  audit: AuditLog;
  publishHealth(eventId: string, health: StreamHealth): void;
  listener: BroadcastListener;
  log: Logger;
  now?: () => Date;
}

/** The ingest of one Parvis process, built by parvis.ts. */
export interface Ingest {
  service: IngestService;
  /** nginx, when this process runs the ingest and nginx is installed. */
  supervisor: NginxSupervisor | undefined;
  /** Ends broadcasts whose reconnect window passed; runs where the ingest runs. */
  sweeper: IngestSweeper | undefined;
  /** ffmpeg, one per event being published to, where the ingest runs. */
  transcoder: Transcoder | undefined;
  /** Whether nginx runs here. */
  readonly running: boolean;
  /**
   * Whether this server takes broadcasts from OBS: nginx runs here (RTMP_PORT, and nginx found), or, on a process
   * without RTMP_PORT, INGEST_RTMP_URL names the ingest of a media machine.
   */
  readonly offered: boolean;
  /** For every process: the key's routes (NOT_FOUND while the ingest is not {@link offered}). */
  routes(policy: AccessPolicy, http: HttpAuth): Router;
  /** nginx's hooks, answering only while the ingest runs here (404 otherwise, like any unknown route). */
  hookRoutes(): Router;
  /** Starts nginx and the sweeper when RTMP_PORT is set: needs Parvis's own port for the hooks. */
  start(httpPort: number): Promise<void>;
  stop(): Promise<void>;
}

export function createIngest(deps: IngestDeps): Ingest {
  const { config, log } = deps;
  const settings = config.ingest;
  const now = deps.now ?? (() => new Date());
  const service = new IngestService({
    store: deps.store,
    programme: deps.programme,
    audit: deps.audit,
    settings: {
      rtmpUrl: settings.rtmpUrl,
      keyLeadMinutes: settings.keyLeadMinutes,
      keyGraceMinutes: settings.keyGraceMinutes,
      reconnectSeconds: settings.reconnectSeconds,
      recordingsDir: config.recordingsDir,
      streamUrlOf: (eventId) => `${settings.publicOrigin ?? ''}/media/events/${encodeURIComponent(eventId)}/live/master.m3u8`,
    },
    publishHealth: deps.publishHealth,
    listener: deps.listener,
    log,
    now,
  });

  let supervisor: NginxSupervisor | undefined;
  let sweeper: IngestSweeper | undefined;
  let transcoder: Transcoder | undefined;
  let running = false;

  /** Why this server takes no broadcasts from OBS, or undefined when it does. */
  const unavailable = (): string | undefined => {
    if (settings.rtmpPort === undefined) {
      return settings.rtmpUrlSet
        ? undefined
        : 'This server takes no broadcasts from OBS: set RTMP_PORT (or INGEST_RTMP_URL, for an ingest on a media machine), see docs/broadcasting.md';
    }
    return running ? undefined : 'The ingest is not running on this server (RTMP_PORT is set): its log says why';
  };

  const hooks = Router();
  const hookHandlers = nginxHookRoutes(service, settings.hookSecret);
  hooks.use((req, res, next) => (running ? hookHandlers(req, res, next) : next()));

  return {
    service,
    get supervisor() {
      return supervisor;
    },
    get sweeper() {
      return sweeper;
    },
    get transcoder() {
      return transcoder;
    },
    get running() {
      return running;
    },
    get offered() {
      return unavailable() === undefined;
    },
    routes: (policy, http) => ingestRoutes(service, policy, http, unavailable),
    hookRoutes: () => hooks,

    async start(httpPort) {
      const port = settings.rtmpPort;
      if (port === undefined) return;
      const hookHost = config.host === '0.0.0.0' || config.host === '::' || config.host === '' ? '127.0.0.1' : config.host;
      const candidate = new NginxSupervisor({
        nginxPath: settings.nginxPath,
        modulePath: settings.rtmpModulePath,
        prefixDir: join(config.dataDir, 'ingest'),
        host: settings.host,
        port,
        hookBase: `http://${hookHost.includes(':') ? `[${hookHost}]` : hookHost}:${httpPort}/api/ingest/hooks/nginx`,
        hookSecret: settings.hookSecret,
        dropIdleSeconds: DROP_IDLE_PUBLISHER_SECONDS,
        log,
        onRestart: () => {
          service.publishersLost().catch((err: unknown) => log.warn({ err }, 'could not mark the lost publishers'));
        },
      });
      const missing =
        (await candidate.missing()) ??
        (await missingProgram(settings.ffmpegPath, 'ffmpeg')) ??
        (await missingProgram(settings.ffprobePath, 'ffprobe'));
      if (missing) {
        log.error(`No ingest on this server (RTMP_PORT=${port}): ${missing}`);
        return;
      }
      transcoder = new Transcoder({
        ffmpegPath: settings.ffmpegPath,
        ffprobePath: settings.ffprobePath,
        pullBase: `rtmp://127.0.0.1:${port}/live`,
        recordingsDir: config.recordingsDir,
        ladder: settings.ladder,
        segmentSeconds: settings.segmentSeconds,
        log,
        now,
        stillPublishing: async (eventId) => (await deps.store.ingest.getBroadcast(eventId))?.state === 'live',
        listener: {
          sessionStarted: (eventId, session) => {
            service.sessionStarted(eventId, session).catch((err: unknown) => log.error({ err, eventId }, 'could not take the event live'));
          },
          health: (eventId, health) => {
            service.health(eventId, health).catch((err: unknown) => log.warn({ err, eventId }, 'could not keep the stream health'));
          },
        },
      });
      service.attach(transcoder);
      // Broadcasts this process left live when it stopped (or was killed) have lost their publisher: their window
      // runs from now, and the sessions already on disk stay part of them.
      await service.publishersLost();
      supervisor = candidate;
      await supervisor.start();
      running = true;
      sweeper = new IngestSweeper((at) => service.sweep(at), log, now);
      sweeper.start();
      log.info(`Ingest: OBS publishes to ${settings.rtmpUrl} (nginx-rtmp on ${settings.host}:${port}), recordings in ${config.recordingsDir}`);
    },

    async stop() {
      running = false;
      await sweeper?.stop();
      await transcoder?.stopAll();
      await supervisor?.stop();
    },
  };
}

async function missingProgram(path: string, name: string): Promise<string | undefined> {
  return (await isExecutable(path)) ? undefined : `${name} is not installed at ${path}: run \`apt-get install ffmpeg\`, or unset RTMP_PORT`;
}
