import { resolve } from 'node:path';

/** Everything the process reads from its environment, read once in main.ts and passed down. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  mediaDir: string;
  /** Built client; served when it exists. */
  clientDir: string;
  /** From JWT_SECRET; when absent the access module generates one and keeps it in dataDir. */
  jwtSecret: string | undefined;
  /** The origin people reach Parvis at, used in links and for the Socket.IO CORS allow-list. */
  publicOrigin: string;
  /** Origins of external media servers the player may load HLS from (CSP connect-src and media-src). */
  mediaOrigins: string[];
  /** Chat messages allowed per person in each 10 s window. */
  chatRateLimit: number;
  logLevel: string;
  /** When set, state lives in Redis and Socket.IO fans out through it, so any number of processes can share the load. */
  redisUrl: string | undefined;
  /** Which Socket.IO Redis adapter carries broadcasts between processes (see docs/scaling.md). */
  socketAdapter: 'pubsub' | 'streams';
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

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = intFrom('PORT', env.PORT, 3000, 0, 65535);
  const host = env.HOST || '0.0.0.0';
  return {
    port,
    host,
    dataDir: resolve(env.DATA_DIR || 'data'),
    mediaDir: resolve(env.MEDIA_DIR || 'media'),
    clientDir: resolve(env.CLIENT_DIR || 'dist/client'),
    jwtSecret: env.JWT_SECRET || undefined,
    publicOrigin: (env.PUBLIC_ORIGIN || `http://localhost:${port}`).replace(/\/+$/, ''),
    mediaOrigins: (env.MEDIA_ORIGINS || '')
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((o) => new URL(o).origin),
    chatRateLimit: intFrom('CHAT_RATE_LIMIT', env.CHAT_RATE_LIMIT, 8, 1, 10_000),
    logLevel: env.LOG_LEVEL || 'info',
    redisUrl: env.REDIS_URL || undefined,
    socketAdapter: adapterFrom(env.SOCKET_ADAPTER),
  };
}
