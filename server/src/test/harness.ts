import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pino, { type Logger } from 'pino';
import { io as connectClient, type Socket } from 'socket.io-client';
import type { Ack } from '#shared/protocol/ack';
import type { ClientToServerEvents, ServerToClientEvents } from '#shared/protocol/events';
import { loadConfig, type Config } from '../config';
import { startParvis, type ParvisParts, type RunningParvis } from '../parvis';

export type TestClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestServer extends RunningParvis {
  dataDir: string;
  /** Stops the server and removes its data directory. */
  stop(): Promise<void>;
}

/**
 * The real server on a free loopback port, with a fresh SQLite file and the demo programme. Pass `{ redisUrl }` (a
 * `startRedisServer()` of the test) to run it on Redis instead: store, rate limits, viewer counts and the adapter.
 * Servers given the same `redisUrl` and `jwtSecret` behave as processes of one deployment. Pass a `log` to read
 * what the server logs. `parts.store` replaces the store altogether (a database the test limits itself).
 */
export async function startTestServer(
  overrides: Partial<Config> = {},
  log: Logger = pino({ level: 'silent' }),
  parts: ParvisParts = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parvis-test-'));
  const config: Config = {
    ...loadConfig({}),
    port: 0,
    host: '127.0.0.1',
    dataDir,
    mediaDir: resolve('media'),
    recordingsDir: join(dataDir, 'media'),
    chatRateLimit: 1000,
    // Every test client comes from 127.0.0.1: tests of the limits per address set their own.
    chatAddressRateLimit: 100_000,
    guestRateLimit: 100_000,
    socketsPerAddress: 100_000,
    signupRateLimit: 100_000,
    logLevel: 'silent',
    ...overrides,
  };
  const parvis = await startParvis(config, log, parts);
  return {
    ...parvis,
    dataDir,
    async stop() {
      await parvis.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A socket.io-client viewer, connected (or refused) before it is returned. `headers` go with the handshake: an
 * `x-forwarded-for` makes the viewer come from another address when the server trusts the loopback proxy.
 */
export async function connectViewer(url: string, token?: string, headers?: Record<string, string>): Promise<TestClient> {
  const socket: TestClient = connectClient(url, {
    transports: ['websocket'],
    auth: token ? { token } : {},
    reconnection: false,
    forceNew: true,
    ...(headers && { extraHeaders: headers }),
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
  return socket;
}

/** Emits anything at all, bypassing the typed event map: for tests of what malformed clients send. */
export function emitRaw(socket: TestClient, ...args: unknown[]): void {
  (socket.emit as (...a: unknown[]) => void)(...args);
}

/** Emits with an ack and resolves with the ack (never rejects on an error ack). */
export function request<T = unknown>(socket: { emit: (...args: any[]) => unknown }, event: string, payload: unknown): Promise<Ack<T>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ack for ${event} within 5 s`)), 5000);
    socket.emit(event, payload, (response: Ack<T>) => {
      clearTimeout(timer);
      resolve(response);
    });
  });
}

/** Unwraps an ok ack or fails the test with the error it carried. */
export async function ok<T>(pending: Promise<Ack<T>>): Promise<T> {
  const res = await pending;
  if (!res.ok) throw new Error(`expected ok ack, got ${res.error.code}: ${res.error.message}`);
  return res.data;
}

export async function guestToken(url: string, displayName: string, headers?: Record<string, string>): Promise<string> {
  const res = await fetch(`${url}/api/auth/guest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ displayName }),
  });
  if (res.status !== 200) throw new Error(`guest sign-in failed: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

/** Polls `check` until it returns true or the timeout passes. Used for asynchronous delivery, never for speed. */
export async function eventually(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The demo event that is live now. */
export const LIVE_EVENT_ID = 'rencontre-bd-marie-lenoir';
