import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { connect as tcpConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../../config';
import type { Clock } from '../../core/clock';
import type { Store } from '../../store/store';
import type { AccessPolicy } from '../access/policy';
import type { RegistrationService } from '../registrations/registration.service';
import { JanusProvider } from './janus-provider';
import { freeLoopbackPort, JanusSupervisor } from './janus-supervisor';
import type { RoomAccessExtension } from './room-access-extension';
import { RoomsService } from './rooms.service';
import { JitsiProvider } from './jitsi-provider';
import { LiveKitProvider } from './livekit-provider';
import type { RoomProvider } from './room-provider';

/** The path browsers open Janus's WebSocket API at, on Parvis's own origin. */
export const JANUS_PROXY_PATH = '/janus';

export interface RoomsModuleDeps {
  config: Pick<Config, 'dataDir' | 'rooms' | 'publicOrigin' | 'allowedOrigins'>;
  store: Store;
  policy: AccessPolicy;
  registrations: RegistrationService;
  clock: Clock;
  /** The server's signing key: Janus's token secret, the videoroom's admin key and the rooms' secrets come from it. */
  serverSecret: string;
  extension?: RoomAccessExtension;
  log: Logger;
}

/** The rooms of one Parvis process, built by parvis.ts. */
export interface Rooms {
  service: RoomsService;
  /** Janus, when this process runs it (ROOMS=janus without JANUS_URL, and Janus installed). */
  readonly supervisor: JanusSupervisor | undefined;
  /** Whether rooms are served (a running or an external Janus). */
  readonly running: boolean;
  /** The `upgrade` of `/janus`: pipes the browser's WebSocket to Janus. False when the request is not one. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** The scheduler's task: opens and closes rooms by the programme's times. */
  tick(now: Date): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A secret of its own for each use, from the server's signing key: every process derives the same ones. */
export function derivedSecret(serverSecret: string, use: string): string {
  return createHmac('sha256', serverSecret).update(`parvis-rooms:${use}`).digest('base64url');
}

export function createRooms(deps: RoomsModuleDeps): Rooms {
  const { config, log } = deps;
  const settings = config.rooms;
  const tokenSecret = settings.tokenSecret ?? derivedSecret(deps.serverSecret, 'janus-token');
  const adminKey = settings.adminKey ?? derivedSecret(deps.serverSecret, 'videoroom-admin-key');
  let supervisor: JanusSupervisor | undefined;
  let janusUrl: string | undefined = settings.janusUrl;
  let running = false;
  let provider: RoomProvider | undefined;
  const allowedOrigins = new Set([config.publicOrigin, ...config.allowedOrigins]);

  const service = new RoomsService({
    store: deps.store,
    policy: deps.policy,
    registrations: deps.registrations,
    get provider() {
      return provider;
    },
    available: () => running,
    clock: deps.clock,
    leadMinutes: settings.leadMinutes,
    extension: deps.extension,
  });

  const makeProvider = (url: string) =>
    new JanusProvider({ url, tokenSecret, adminKey, serverSecret: deps.serverSecret, iceServers: settings.iceServers });

  return {
    service,
    get supervisor() {
      return supervisor;
    },
    get running() {
      return running;
    },

    handleUpgrade(req, socket, head) {
      const path = (req.url ?? '').split('?')[0];
      if (path !== JANUS_PROXY_PATH && path !== `${JANUS_PROXY_PATH}/`) return false;
      const origin = req.headers.origin;
      if (!running || settings.mode !== 'janus' || !janusUrl || (origin !== undefined && !allowedOrigins.has(origin))) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return true;
      }
      pipeUpgrade(req, socket, head, new URL(janusUrl), log);
      return true;
    },

    tick: (now) => service.tick(now),

    async start() {
      // A library's own Jitsi or LiveKit: Parvis only mints the tokens (docs/rooms-providers.md).
      if (settings.mode === 'jitsi' && settings.jitsi) {
        provider = new JitsiProvider(settings.jitsi, deps.clock);
        running = true;
        return;
      }
      if (settings.mode === 'livekit' && settings.livekit) {
        provider = new LiveKitProvider(settings.livekit, deps.clock);
        running = true;
        return;
      }
      if (settings.mode !== 'janus') return;
      if (settings.janusUrl) {
        provider = makeProvider(settings.janusUrl);
        running = true;
        log.info(`rooms: using the Janus at ${settings.janusUrl}`);
        return;
      }
      const candidate = new JanusSupervisor({
        janusPath: settings.janusPath,
        libDir: settings.janusLibDir,
        dir: join(config.dataDir, 'rooms'),
        wsPort: settings.wsPort ?? (await freeLoopbackPort()),
        rtpPorts: settings.rtpPorts,
        tokenSecret,
        adminKey,
        nat11: settings.nat11,
        stun: settings.stun,
        log,
        // Janus forgot its rooms: the next tick opens those under way again.
        onRestart: () => {
          log.warn('Janus was restarted: its rooms open again at the next tick');
          service.forgetOpened();
        },
      });
      const missing = await candidate.missing();
      if (missing) {
        log.warn(missing);
        return;
      }
      await candidate.start();
      supervisor = candidate;
      janusUrl = candidate.url;
      provider = makeProvider(candidate.url);
      running = true;
    },

    async stop() {
      running = false;
      await supervisor?.stop();
    },
  };
}

/**
 * Pipes a browser's WebSocket upgrade to Janus as raw bytes: the request goes on with Janus's host, and from the
 * answer on both ends just copy. One origin and its TLS serve the page, the API and the room.
 */
function pipeUpgrade(req: IncomingMessage, client: Duplex, head: Buffer, target: URL, log: Logger): void {
  const port = Number(target.port) || (target.protocol === 'wss:' ? 443 : 80);
  const upstream: Socket =
    target.protocol === 'wss:'
      ? tlsConnect({ host: target.hostname, port, servername: target.hostname })
      : tcpConnect({ host: target.hostname, port });
  const lines = [`GET ${target.pathname}${target.search} HTTP/1.1`];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    if (/^(host|x-forwarded-for)$/i.test(name)) continue;
    lines.push(`${name}: ${req.rawHeaders[i + 1]}`);
  }
  lines.push(`Host: ${target.host}`);
  if (req.socket.remoteAddress) lines.push(`X-Forwarded-For: ${req.socket.remoteAddress}`);
  upstream.once(target.protocol === 'wss:' ? 'secureConnect' : 'connect', () => {
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length > 0) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  const end = () => {
    upstream.destroy();
    client.destroy();
  };
  upstream.once('error', (err) => {
    log.warn({ err }, 'the /janus proxy could not reach Janus');
    if (client.writable) client.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    end();
  });
  upstream.once('close', end);
  client.once('error', end);
  client.once('close', end);
}
