import { join, resolve } from 'node:path';
import addressparser from 'nodemailer/lib/addressparser';
import { ROOM_LEAD_MINUTES, type RoomIceServer } from '#shared/domain/room';
import { DEBIAN_JANUS_LIB } from './modules/rooms/janus-config';
import { jitsiOptionsFromEnv, type JitsiOptions } from './modules/rooms/jitsi-provider';
import { liveKitOptionsFromEnv, type LiveKitOptions } from './modules/rooms/livekit-provider';
import { DEFAULT_LADDER, parseLadder, type RenditionName } from './modules/ingest/ladder';

/** Sign-up: seats, offers, reminders, retention and the scheduler (docs/configuration.md, docs/registrations.md). */
export interface SignUpConfig {
  /** SIGNUP_RATE_LIMIT: sign-ups one address may make per 10 minutes (a series pick counts once). */
  signupRateLimit: number;
  /** OFFER_HOURS: how long a freed seat is held for the next person waiting, before the start draws near. */
  offerHours: number;
  /** JOIN_URL_LEAD_MINUTES: how long before the start confirmed registrants see the outside room's link. */
  joinUrlLeadMinutes: number;
  /** REMINDER_HOURS: how long before the start reminders go out, largest first (`24,1`). */
  reminderHours: number[];
  /** REGISTRATION_RETENTION_DAYS: registrants' personal data is erased this many days after the event ends. */
  registrationRetentionDays: number;
  /**
   * PARVIS_TEST_CLOCK=1: a test hook, never for production (refused with NODE_ENV=production). The sign-up module
   * runs on a clock that `POST /api/test/clock` shifts, from loopback only, so that end-to-end tests move time.
   */
  testClock: boolean;
}

/** Everything the process reads from its environment, read once in main.ts and passed down. */
export interface Config extends SignUpConfig {
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
  /**
   * SMTP_URL (`smtp://user:pass@host:587`, `smtps://…:465`): emails go through this server. Unset, the embedded
   * default: each email is written as an `.eml` file to `DATA_DIR/outbox/`, readable in the admin.
   */
  smtpUrl: string | undefined;
  /** MAIL_FROM: the From of every email, `Parvis <no-reply@host of PUBLIC_ORIGIN>` by default. */
  mailFrom: { header: string; name: string | null; address: string };
  /** SCHEDULER_TICK_MS: how often this process looks for due work (emails to send). */
  schedulerTickMs: number;
  /** RECORDINGS_DIR (default `DATA_DIR/media`): what the ingest records, one folder per event, served at /media/events/. */
  recordingsDir: string;
  /** Broadcasting from OBS (docs/broadcasting.md). */
  ingest: IngestConfig;
  /** Rooms of our own (issue 14): ROOMS and the JANUS_* / ROOM_* variables, see docs/rooms.md. */
  rooms: RoomsConfig;
}

/** Rooms: Janus run by Parvis (ROOMS=janus), a Janus elsewhere (JANUS_URL), or none (the default). */
export interface RoomsConfig {
  /**
   * ROOMS: `janus` (also implied by JANUS_URL), `jitsi` or `livekit` (a library's own server, docs/rooms-providers.md),
   * or `off` (the default: room events use their joinUrl).
   */
  mode: 'janus' | 'jitsi' | 'livekit' | 'off';
  /** ROOMS=jitsi: JITSI_URL, JITSI_APP_ID, JITSI_APP_SECRET, JITSI_DOMAIN, JITSI_AUDIENCE. */
  jitsi: JitsiOptions | undefined;
  /** ROOMS=livekit: LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET. */
  livekit: LiveKitOptions | undefined;
  /**
   * JANUS_URL: the WebSocket API of a Janus Parvis does not run (`ws://10.0.0.5:8188`), configured with the videoroom,
   * `token_auth_secret` = JANUS_TOKEN_SECRET and the videoroom's `admin_key` = JANUS_ADMIN_KEY.
   */
  janusUrl: string | undefined;
  /** JANUS_TOKEN_SECRET and JANUS_ADMIN_KEY: required with JANUS_URL; derived from the signing key otherwise. */
  tokenSecret: string | undefined;
  adminKey: string | undefined;
  /** JANUS_PATH: Debian's `/usr/bin/janus`. */
  janusPath: string;
  /** JANUS_LIB_DIR: where the videoroom plugin and WebSocket transport are, Debian's by default. */
  janusLibDir: string;
  /** JANUS_WS_PORT: Janus's loopback WebSocket port (a free one when unset). */
  wsPort: number | undefined;
  /** JANUS_RTP_PORTS (`20000-20199`): the UDP range media uses, to open in the firewall. */
  rtpPorts: { min: number; max: number };
  /** JANUS_NAT_1_1: the public address behind a 1:1 NAT (Janus's `nat_1_1_mapping`). */
  nat11: string | undefined;
  /** JANUS_STUN (`stun.example.org:3478`): for Janus to learn its public address. */
  stun: { host: string; port: number } | undefined;
  /** ROOM_ICE_SERVERS (JSON array of RTCIceServer) or TURN_URL + TURN_USERNAME + TURN_CREDENTIAL: for browsers. */
  iceServers: RoomIceServer[];
  /** ROOM_LEAD_MINUTES (15): the room answers from this long before the start. */
  leadMinutes: number;
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


function smtpUrlFrom(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('SMTP_URL must be a URL such as smtp://user:password@mail.example.org:587');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new Error(`SMTP_URL must start with smtp:// or smtps://, got "${url.protocol}//"`);
  }
  return raw;
}

/** `Name <address>` or a bare address; the default names Parvis and sends from no-reply at PUBLIC_ORIGIN's host. */
function mailFromOf(raw: string | undefined, publicOrigin: string): Config['mailFrom'] {
  const value = raw?.trim() || `Parvis <no-reply@${new URL(publicOrigin).hostname}>`;
  const [first, ...rest] = addressparser(value, { flatten: true });
  if (!first?.address || rest.length > 0 || !/^[^\s@]+@[^\s@]+$/.test(first.address)) {
    throw new Error(`MAIL_FROM must be one address, such as "Médiathèque <no-reply@example.org>", got "${value}"`);
  }
  return { header: value, name: first.name || null, address: first.address };
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
  const publicOrigin = (env.PUBLIC_ORIGIN || `http://localhost:${port}`).replace(/\/+$/, '');
  return {
    port,
    host,
    dataDir: resolve(env.DATA_DIR || 'data'),
    mediaDir: resolve(env.MEDIA_DIR || 'media'),
    clientDir: resolve(env.CLIENT_DIR || 'dist/client'),
    jwtSecret: env.JWT_SECRET,
    publicOrigin,
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
    smtpUrl: smtpUrlFrom(env.SMTP_URL),
    mailFrom: mailFromOf(env.MAIL_FROM, publicOrigin),
    schedulerTickMs: intFrom('SCHEDULER_TICK_MS', env.SCHEDULER_TICK_MS, 5000, 10, 3_600_000),
    ...httpLimitsFrom(env),
    ...signUpFrom(env),
    recordingsDir: resolve(env.RECORDINGS_DIR || join(resolve(env.DATA_DIR || 'data'), 'media')),
    ingest: ingestFrom(env, env.PUBLIC_ORIGIN || `http://localhost:${port}`),
    rooms: roomsFrom(env),
  };
}

function roomsFrom(env: NodeJS.ProcessEnv): RoomsConfig {
  const janusUrl = env.JANUS_URL || undefined;
  const modes = ['janus', 'jitsi', 'livekit', 'off'] as const;
  const named = modes.find((m) => m === env.ROOMS);
  if (env.ROOMS && !named) throw new Error(`ROOMS must be janus, jitsi, livekit or off, not "${env.ROOMS}"`);
  const mode: RoomsConfig['mode'] = named ?? (janusUrl ? 'janus' : 'off');
  if (janusUrl) {
    if (!/^wss?:\/\//.test(janusUrl)) throw new Error('JANUS_URL must be a ws:// or wss:// address of Janus\'s WebSocket API');
    if (!env.JANUS_TOKEN_SECRET || !env.JANUS_ADMIN_KEY) {
      throw new Error("JANUS_URL needs JANUS_TOKEN_SECRET (Janus's token_auth_secret) and JANUS_ADMIN_KEY (the videoroom's admin_key)");
    }
  }
  const range = /^(\d+)-(\d+)$/.exec(env.JANUS_RTP_PORTS || '20000-20199');
  const rtpPorts = range ? { min: Number(range[1]), max: Number(range[2]) } : undefined;
  if (!rtpPorts || rtpPorts.min < 1024 || rtpPorts.max > 65535 || rtpPorts.max - rtpPorts.min < 10) {
    throw new Error('JANUS_RTP_PORTS must be a range such as 20000-20199 (at least 10 ports, above 1023)');
  }
  const stunMatch = env.JANUS_STUN ? /^([^:\s]+):(\d+)$/.exec(env.JANUS_STUN) : null;
  if (env.JANUS_STUN && !stunMatch) throw new Error('JANUS_STUN must be host:port, such as stun.example.org:3478');
  return {
    mode,
    jitsi: mode === 'jitsi' ? jitsiOptionsFromEnv(env) : undefined,
    livekit: mode === 'livekit' ? liveKitOptionsFromEnv(env) : undefined,
    janusUrl,
    tokenSecret: env.JANUS_TOKEN_SECRET || undefined,
    adminKey: env.JANUS_ADMIN_KEY || undefined,
    janusPath: env.JANUS_PATH || '/usr/bin/janus',
    janusLibDir: env.JANUS_LIB_DIR || DEBIAN_JANUS_LIB,
    wsPort: env.JANUS_WS_PORT ? intFrom('JANUS_WS_PORT', env.JANUS_WS_PORT, 8188, 1, 65535) : undefined,
    rtpPorts,
    nat11: env.JANUS_NAT_1_1 || undefined,
    stun: stunMatch ? { host: stunMatch[1]!, port: Number(stunMatch[2]) } : undefined,
    iceServers: iceServersFrom(env),
    leadMinutes: intFrom('ROOM_LEAD_MINUTES', env.ROOM_LEAD_MINUTES, ROOM_LEAD_MINUTES, 1, 24 * 60),
  };
}

function iceServersFrom(env: NodeJS.ProcessEnv): RoomIceServer[] {
  if (env.ROOM_ICE_SERVERS) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(env.ROOM_ICE_SERVERS);
    } catch {
      throw new Error('ROOM_ICE_SERVERS must be JSON: [{"urls":"turn:turn.example.org:3478","username":"…","credential":"…"}]');
    }
    const ok =
      Array.isArray(parsed) &&
      parsed.every((s: unknown) => {
        const urls = (s as RoomIceServer | null)?.urls;
        return typeof urls === 'string' || (Array.isArray(urls) && urls.every((u) => typeof u === 'string'));
      });
    if (!ok) throw new Error('ROOM_ICE_SERVERS must be a JSON array of {urls, username?, credential?}');
    return parsed as RoomIceServer[];
  }
  if (env.TURN_URL) {
    return [{ urls: env.TURN_URL, ...(env.TURN_USERNAME && { username: env.TURN_USERNAME }), ...(env.TURN_CREDENTIAL && { credential: env.TURN_CREDENTIAL }) }];
  }
  return [];
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

function signUpFrom(env: NodeJS.ProcessEnv): SignUpConfig {
  const testClock = env.PARVIS_TEST_CLOCK === '1';
  if (testClock && env.NODE_ENV === 'production') {
    throw new Error('PARVIS_TEST_CLOCK is a test hook that moves time: it is refused when NODE_ENV=production');
  }
  return {
    signupRateLimit: intFrom('SIGNUP_RATE_LIMIT', env.SIGNUP_RATE_LIMIT, 60, 1, 1_000_000),
    offerHours: intFrom('OFFER_HOURS', env.OFFER_HOURS, 24, 1, 24 * 14),
    joinUrlLeadMinutes: intFrom('JOIN_URL_LEAD_MINUTES', env.JOIN_URL_LEAD_MINUTES, 15, 0, 24 * 60),
    reminderHours: reminderHoursFrom(env.REMINDER_HOURS),
    registrationRetentionDays: intFrom('REGISTRATION_RETENTION_DAYS', env.REGISTRATION_RETENTION_DAYS, 30, 1, 3650),
    testClock,
  };
}

/** `24,1` → [24, 1]: distinct whole hours from 1 to 336, largest first; empty (`none`) sends no reminders. */
function reminderHoursFrom(raw: string | undefined): number[] {
  if (raw === undefined || raw.trim() === '') return [24, 1];
  if (raw.trim() === 'none') return [];
  const hours = raw.split(/[\s,]+/).filter(Boolean).map((h) => intFrom('REMINDER_HOURS', h, 0, 1, 24 * 14));
  if (new Set(hours).size !== hours.length) throw new Error(`REMINDER_HOURS must not repeat an hour, got "${raw}"`);
  return hours.sort((a, b) => b - a);
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
