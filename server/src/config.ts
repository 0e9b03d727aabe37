import { join, resolve } from 'node:path';
import { DEFAULT_LADDER, parseLadder, type RenditionName } from './modules/ingest/ladder';

/** Everything the process reads from its environment, read once in main.ts and passed down. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  mediaDir: string;
  /** Built client; served when it exists. */
  clientDir: string;
  /**
   * From JWT_SECRET, kept as set ('' included, which the access module refuses); when unset the access module
   * generates one and keeps it in Redis (with REDIS_URL) or in dataDir.
   */
  jwtSecret: string | undefined;
  /** The origin people reach Parvis at, used in links (invites, setup) and for the Socket.IO origin allow-list. */
  publicOrigin: string;
  /**
   * Other origins whose pages may open a socket (ALLOWED_ORIGINS). With PUBLIC_ORIGIN unset, the loopback spellings
   * of the default origin are added, so that both http://localhost:3000 and http://127.0.0.1:3000 work out of the box.
   */
  allowedOrigins: string[];
  /**
   * Express's `trust proxy` (TRUST_PROXY): which hops may tell the client's address in X-Forwarded-For. False by
   * default, so a client cannot choose its own address to dodge the sign-in limit.
   */
  trustProxy: boolean | number | string;
  /** Origins of external media servers the player may load HLS from (CSP connect-src and media-src). */
  mediaOrigins: string[];
  /** Chat messages allowed per person in each 10 s window. */
  chatRateLimit: number;
  /**
   * The limits per address (CHAT_ADDRESS_RATE_LIMIT, GUEST_RATE_LIMIT, SOCKETS_PER_ADDRESS): guest names cost
   * nothing to make, so limits per person alone do not hold. Set for a library's Wi-Fi, where many readers share
   * one address: chat messages per address in each 10 s window (staff are exempt), guest names made per address in
   * each 10 minutes, and sockets an address may hold open at once.
   */
  chatAddressRateLimit: number;
  guestRateLimit: number;
  socketsPerAddress: number;
  logLevel: string;
  /** When set, state lives in Redis and Socket.IO fans out through it, so any number of processes can share the load. */
  redisUrl: string | undefined;
  /** Which Socket.IO Redis adapter carries broadcasts between processes (see docs/scaling.md). */
  socketAdapter: 'pubsub' | 'streams';
  /**
   * How long a client may take to send a request's headers (HTTP_HEADERS_TIMEOUT), and the whole request with its
   * body (HTTP_REQUEST_TIMEOUT), before it gets 408 and the connection is closed: a client that trickles bytes must
   * not hold a connection for minutes. Neither bounds a response, so long-polling and downloads are not cut.
   */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open (HTTP_KEEP_ALIVE_TIMEOUT); above a proxy's own idle timeout. */
  keepAliveTimeoutMs: number;
  /** Open TCP connections this process accepts (MAX_CONNECTIONS), WebSockets included; past it new ones are dropped. */
  maxConnections: number;
  /**
   * METRICS_TOKEN: when set, `GET /metrics` answers only `Authorization: Bearer <token>`; when unset, only requests
   * made straight to this process from its own machine (see docs/deployment.md).
   */
  metricsToken: string | undefined;
  /** SHUTDOWN_GRACE_MS: on SIGTERM, the process answers what is in flight, tells its clients and exits within this. */
  shutdownGraceMs: number;
  /** RECORDINGS_DIR (default `DATA_DIR/media`): what the ingest records, one folder per event, served at /media/events/. */
  recordingsDir: string;
  /** Broadcasting from OBS (docs/broadcasting.md). */
  ingest: IngestConfig;
}

/** The ingest's settings: RTMP_PORT and the INGEST_* variables. */
export interface IngestConfig {
  /** RTMP_PORT: when set, this process runs the ingest (nginx-rtmp, its hooks, the transcoder, the sweeper). */
  rtmpPort: number | undefined;
  /** INGEST_HOST: where nginx listens for OBS. */
  host: string;
  /** INGEST_ONLY (`npm run ingest`): the ingest, the recordings and the store, without the client or the live room. */
  only: boolean;
  /** INGEST_RTMP_URL: the server OBS is told, `rtmp://<PUBLIC_ORIGIN's host>:<RTMP_PORT>/live` by default. */
  rtmpUrl: string;
  /**
   * Whether INGEST_RTMP_URL was set: a process without RTMP_PORT then gives out the keys of an ingest that runs on
   * another machine (`npm run ingest`); without either, this server takes no broadcasts from OBS.
   */
  rtmpUrlSet: boolean;
  /** INGEST_PUBLIC_ORIGIN: prefixes the `streamUrl` of live events, when the recordings are served from another origin. */
  publicOrigin: string | undefined;
  /** INGEST_HOOK_SECRET: the hooks then take only requests that carry it, from anywhere. */
  hookSecret: string | undefined;
  /** A key works from this long before the start (INGEST_KEY_LEAD_MINUTES)… */
  keyLeadMinutes: number;
  /** …to this long after the planned end (INGEST_KEY_GRACE_MINUTES). */
  keyGraceMinutes: number;
  /** INGEST_RECONNECT_SECONDS: how long a dropped publisher has to come back before the broadcast ends. */
  reconnectSeconds: number;
  /** INGEST_LADDER: the renditions made from the stream. */
  ladder: RenditionName[];
  /** INGEST_SEGMENT_SECONDS: HLS segment length, and the keyframe interval of the encoded renditions. */
  segmentSeconds: number;
  /** The programs the ingest drives (INGEST_NGINX, INGEST_RTMP_MODULE, INGEST_FFMPEG, INGEST_FFPROBE): Debian's by default. */
  nginxPath: string;
  rtmpModulePath: string;
  ffmpegPath: string;
  ffprobePath: string;
}

function intFrom(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

function adapterFrom(raw: string | undefined): Config['socketAdapter'] {
  if (raw === undefined || raw === '') return 'pubsub';
  if (raw === 'pubsub' || raw === 'streams') return raw;
  throw new Error(`SOCKET_ADAPTER must be "pubsub" or "streams", got "${raw}"`);
}

function originsFrom(name: string, raw: string | undefined): string[] {
  return (raw || '')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((o) => {
      try {
        return new URL(o).origin;
      } catch {
        throw new Error(`${name} must list origins such as https://example.org, got "${o}"`);
      }
    });
}

/** A bearer token compared with what scrapers send: long enough not to be guessed, and free of spaces. */
function metricsTokenFrom(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < 16 || /\s/.test(raw)) {
    throw new Error('METRICS_TOKEN must be at least 16 characters without spaces (try `openssl rand -hex 24`)');
  }
  return raw;
}

/** `1` (hops), `true`/`false`, or what Express takes as is: `loopback`, `uniquelocal`, addresses and CIDR ranges. */
function trustProxyFrom(raw: string | undefined): Config['trustProxy'] {
  const value = raw?.trim();
  if (!value || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = intFrom('PORT', env.PORT, 3000, 0, 65535);
  const host = env.HOST || '0.0.0.0';
  return {
    port,
    host,
    dataDir: resolve(env.DATA_DIR || 'data'),
    mediaDir: resolve(env.MEDIA_DIR || 'media'),
    clientDir: resolve(env.CLIENT_DIR || 'dist/client'),
    jwtSecret: env.JWT_SECRET,
    publicOrigin: (env.PUBLIC_ORIGIN || `http://localhost:${port}`).replace(/\/+$/, ''),
    allowedOrigins: [
      ...originsFrom('ALLOWED_ORIGINS', env.ALLOWED_ORIGINS),
      ...(env.PUBLIC_ORIGIN ? [] : [`http://127.0.0.1:${port}`, `http://[::1]:${port}`]),
    ],
    trustProxy: trustProxyFrom(env.TRUST_PROXY),
    mediaOrigins: originsFrom('MEDIA_ORIGINS', env.MEDIA_ORIGINS),
    chatRateLimit: intFrom('CHAT_RATE_LIMIT', env.CHAT_RATE_LIMIT, 8, 1, 10_000),
    chatAddressRateLimit: intFrom('CHAT_ADDRESS_RATE_LIMIT', env.CHAT_ADDRESS_RATE_LIMIT, 30, 1, 1_000_000),
    guestRateLimit: intFrom('GUEST_RATE_LIMIT', env.GUEST_RATE_LIMIT, 100, 1, 1_000_000),
    socketsPerAddress: intFrom('SOCKETS_PER_ADDRESS', env.SOCKETS_PER_ADDRESS, 200, 1, 1_000_000),
    logLevel: env.LOG_LEVEL || 'info',
    redisUrl: env.REDIS_URL || undefined,
    socketAdapter: adapterFrom(env.SOCKET_ADAPTER),
    metricsToken: metricsTokenFrom(env.METRICS_TOKEN),
    shutdownGraceMs: intFrom('SHUTDOWN_GRACE_MS', env.SHUTDOWN_GRACE_MS, 10_000, 1_000, 600_000),
    ...httpLimitsFrom(env),
    recordingsDir: resolve(env.RECORDINGS_DIR || join(resolve(env.DATA_DIR || 'data'), 'media')),
    ingest: ingestFrom(env, env.PUBLIC_ORIGIN || `http://localhost:${port}`),
  };
}

function ingestFrom(env: NodeJS.ProcessEnv, publicOrigin: string): IngestConfig {
  const rtmpPort = env.RTMP_PORT ? intFrom('RTMP_PORT', env.RTMP_PORT, 1935, 1, 65535) : undefined;
  const only = env.INGEST_ONLY === '1' || env.INGEST_ONLY === 'true';
  if (only && rtmpPort === undefined) throw new Error('INGEST_ONLY runs the ingest alone: set RTMP_PORT too (1935 is the usual port)');
  const secret = env.INGEST_HOOK_SECRET || undefined;
  if (secret !== undefined && (secret.length < 16 || !/^[A-Za-z0-9._~-]+$/.test(secret))) {
    throw new Error('INGEST_HOOK_SECRET must be at least 16 letters, digits, ".", "_", "~" or "-" (try `openssl rand -hex 24`)');
  }
  const url = (name: string, raw: string | undefined, protocols: string[]): string | undefined => {
    if (!raw) return undefined;
    try {
      const parsed = new URL(raw);
      if (protocols.includes(parsed.protocol)) return raw.replace(/\/+$/, '');
    } catch {
      // Reported below.
    }
    throw new Error(`${name} must be a ${protocols.join(' or ')} URL, got "${raw}"`);
  };
  return {
    rtmpPort,
    host: env.INGEST_HOST || '0.0.0.0',
    only,
    rtmpUrl:
      url('INGEST_RTMP_URL', env.INGEST_RTMP_URL, ['rtmp:', 'rtmps:']) ??
      `rtmp://${new URL(publicOrigin).hostname}:${rtmpPort ?? 1935}/live`,
    rtmpUrlSet: Boolean(env.INGEST_RTMP_URL),
    publicOrigin: url('INGEST_PUBLIC_ORIGIN', env.INGEST_PUBLIC_ORIGIN, ['http:', 'https:']),
    hookSecret: secret,
    keyLeadMinutes: intFrom('INGEST_KEY_LEAD_MINUTES', env.INGEST_KEY_LEAD_MINUTES, 60, 0, 7 * 24 * 60),
    keyGraceMinutes: intFrom('INGEST_KEY_GRACE_MINUTES', env.INGEST_KEY_GRACE_MINUTES, 180, 0, 7 * 24 * 60),
    reconnectSeconds: intFrom('INGEST_RECONNECT_SECONDS', env.INGEST_RECONNECT_SECONDS, 60, 0, 24 * 3600),
    ladder: env.INGEST_LADDER ? parseLadder(env.INGEST_LADDER) : [...DEFAULT_LADDER],
    segmentSeconds: intFrom('INGEST_SEGMENT_SECONDS', env.INGEST_SEGMENT_SECONDS, 2, 1, 10),
    nginxPath: env.INGEST_NGINX || '/usr/sbin/nginx',
    rtmpModulePath: env.INGEST_RTMP_MODULE || '/usr/lib/nginx/modules/ngx_rtmp_module.so',
    ffmpegPath: env.INGEST_FFMPEG || '/usr/bin/ffmpeg',
    ffprobePath: env.INGEST_FFPROBE || '/usr/bin/ffprobe',
  };
}

function httpLimitsFrom(env: NodeJS.ProcessEnv) {
  const seconds = (name: string, fallback: number) => intFrom(name, env[name], fallback, 1, 3600) * 1000;
  const headersTimeoutMs = seconds('HTTP_HEADERS_TIMEOUT', 20);
  const requestTimeoutMs = seconds('HTTP_REQUEST_TIMEOUT', 30);
  // Node refuses to start otherwise; say it in the operator's words.
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new Error('HTTP_HEADERS_TIMEOUT must not be longer than HTTP_REQUEST_TIMEOUT: the headers are part of the request');
  }
  return {
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: seconds('HTTP_KEEP_ALIVE_TIMEOUT', 5),
    maxConnections: intFrom('MAX_CONNECTIONS', env.MAX_CONNECTIONS, 10_000, 1, 1_000_000),
  };
}
