import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event } from '#shared/domain/event';
import { openSqliteStore } from '../../server/src/store/sqlite/sqlite-store';
import { freePort } from '../../server/src/test/process';
import { api, createAccount, login } from '../../server/src/test/staff';
import { onCleanup, trackChild } from './cleanup';
import { startServer, type BenchServer } from './server';

/*
 * What the broadcasting rows share: a Parvis that runs the ingest (Debian's nginx with the RTMP module, supervised by
 * Parvis, and its ffmpeg transcoder) on free loopback ports, a programme of talks whose stream keys work now, an admin
 * to read the keys and end events, and ffmpeg publishing a test pattern the way OBS does.
 */

const ADMIN = { email: 'bench-admin@bibliotheque.example', password: 'une phrase de passe pour le banc' };
const SETPRIV = '/usr/bin/setpriv';

export interface BroadcastServer {
  server: BenchServer;
  dataDir: string;
  /** RECORDINGS_DIR: `DATA_DIR/media`. */
  recordingsDir: string;
  /** Undefined for a server started without the ingest. */
  rtmpPort: number | undefined;
  /** An admin's access token. */
  token: string;
  /** `GET /api/events/:id/ingest` as the admin: the stream key. */
  streamKey(eventId: string): Promise<string>;
  event(eventId: string): Promise<Event>;
  /** `POST /api/events/:id/status` as the admin. */
  setStatus(eventId: string, status: 'live' | 'ended'): Promise<void>;
  stop(): Promise<void>;
}

/** A talk starting in ten minutes, an hour long: its key works from 60 minutes before the start. */
export function talk(id: string): Event {
  const now = Date.now();
  return {
    id,
    kind: 'lecture',
    title: `Banc d'essai ${id}`,
    summary: '',
    startsAt: new Date(now + 10 * 60_000).toISOString(),
    endsAt: new Date(now + 70 * 60_000).toISOString(),
    timezone: 'Europe/Paris',
    status: 'scheduled',
    access: 'open',
    speakers: [],
    language: 'fr',
  };
}

/**
 * Starts Parvis (bench/lib/server.ts) on a data directory that already holds `events` and an admin, with the ingest
 * on a free RTMP port unless `ingest` is false. `env` adds to the server's environment (MEDIA_DIR, INGEST_*).
 */
export async function startBroadcastServer(
  label: string,
  options: { events: string[]; ingest?: boolean; env?: Record<string, string> },
): Promise<BroadcastServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parvis-bench-broadcast-'));
  const removeDir = onCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
  const store = openSqliteStore(join(dataDir, 'parvis.sqlite'));
  try {
    await store.programme.saveProgramme([], options.events.map(talk));
    await createAccount(store, { ...ADMIN, displayName: 'Banc', isAdmin: true });
  } finally {
    await store.close();
  }
  const rtmpPort = options.ingest === false ? undefined : await freePort();
  // nginx runs in its own process group: should the server be killed rather than stopped, its pid file still
  // says which process to stop.
  const stopNginx = onCleanup(() => killNginx(dataDir));
  const server = await startServer(label, {
    DATA_DIR: dataDir,
    ...(rtmpPort !== undefined && { RTMP_PORT: String(rtmpPort), INGEST_HOST: '127.0.0.1' }),
    ...options.env,
  });
  const { token } = await login(server.url, ADMIN.email, ADMIN.password);
  const ok = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const answer = await api<T>(server.url, method, path, { token, ...(body !== undefined && { body }) });
    if (answer.status >= 300) throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  return {
    server,
    dataDir,
    recordingsDir: join(dataDir, 'media'),
    rtmpPort,
    token,
    streamKey: async (eventId) => (await ok<{ streamKey: string }>('GET', `/api/events/${eventId}/ingest`)).streamKey,
    event: async (eventId) => (await ok<{ event: Event }>('GET', `/api/events/${eventId}`)).event,
    setStatus: async (eventId, status) => {
      await ok('POST', `/api/events/${eventId}/status`, { status });
    },
    async stop() {
      await server.stop();
      killNginx(dataDir);
      stopNginx();
      rmSync(dataDir, { recursive: true, force: true });
      removeDir();
    },
  };
}

function killNginx(dataDir: string): void {
  const pidFile = join(dataDir, 'ingest', 'nginx.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!(pid > 0)) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // gone with the server, as it should be
  }
}

export interface Publisher {
  child: ChildProcess;
  /** performance.now() just before ffmpeg was spawned. */
  startedAt: number;
  exited: Promise<number | null>;
  stderr(): string;
  /** Stops publishing as OBS's "Stop streaming" does: ffmpeg closes the connection. */
  stop(): Promise<void>;
}

/** OBS's usual 720p settings, as ffmpeg options: x264 at 2.5 Mb/s CBR-like, a keyframe every 2 s, AAC 128 kb/s. */
export function obsLikeEncoding(fps = 30): string[] {
  const gop = String(2 * fps);
  return [
    '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-profile:v', 'main', '-pix_fmt', 'yuv420p',
    '-b:v', '2500k', '-maxrate', '2500k', '-bufsize', '5000k', '-g', gop, '-keyint_min', gop, '-sc_threshold', '0',
    '-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '2',
  ];
}

/** The 720p test pattern with a tone, read in real time. */
export function testPattern(fps = 30): string[] {
  return ['-re', '-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=${fps}`, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'];
}

/** ffmpeg with these arguments, killed with the bench whatever ends it (setpriv --pdeathsig when there). */
export function runFfmpeg(args: string[]): Publisher {
  const full = ['-hide_banner', '-loglevel', 'error', '-nostdin', ...args];
  const startedAt = performance.now();
  const child = existsSync(SETPRIV)
    ? spawn(SETPRIV, ['--pdeathsig', 'SIGKILL', '--', '/usr/bin/ffmpeg', ...full], { stdio: ['ignore', 'ignore', 'pipe'] })
    : spawn('/usr/bin/ffmpeg', full, { stdio: ['ignore', 'ignore', 'pipe'] });
  trackChild(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const unregister = onCleanup(() => void child.kill('SIGKILL'));
  return {
    child,
    startedAt,
    exited,
    stderr: () => stderr,
    async stop() {
      unregister();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** OBS publishing the 720p test pattern to the ingest with this key. */
export function publish(rtmpPort: number, streamKey: string): Publisher {
  return runFfmpeg([...testPattern(), ...obsLikeEncoding(), '-f', 'flv', `rtmp://127.0.0.1:${rtmpPort}/live/${streamKey}`]);
}

/** Polls `check` every `everyMs` until it answers something other than undefined; throws after `timeoutMs`. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, everyMs = 25): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The body of a GET that answered 200, or undefined. */
export async function fetchText(url: string): Promise<string | undefined> {
  const res = await fetch(url);
  const text = await res.text();
  return res.status === 200 ? text : undefined;
}

/** The URIs of a playlist (its variants, or its segments), in order. */
export const uris = (playlist: string): string[] => playlist.split('\n').filter((l) => l && !l.startsWith('#'));

/**
 * Whether a live master playlist plays: the master, its first rendition's media playlist with a segment, and that
 * segment, each answered 200. Answers the media playlist's URL.
 */
export async function playable(masterUrl: string): Promise<string | undefined> {
  const master = await fetchText(masterUrl);
  const first = master && uris(master)[0];
  if (!first) return undefined;
  const mediaUrl = new URL(first, masterUrl).href;
  const media = await fetchText(mediaUrl);
  const segment = media && uris(media)[0];
  if (!segment) return undefined;
  const res = await fetch(new URL(segment, mediaUrl));
  await res.arrayBuffer();
  return res.status === 200 ? mediaUrl : undefined;
}

/** The processes under `pid` (children, grandchildren…), with their command names, from /proc. */
export function descendants(pid: number): Array<{ pid: number; name: string; parent: number }> {
  const parents = new Map<number, { ppid: number; name: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), { ppid, name });
    } catch {
      // gone meanwhile
    }
  }
  const out: Array<{ pid: number; name: string; parent: number }> = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [child, info] of parents) {
      if (info.ppid !== parent) continue;
      out.push({ pid: child, name: info.name, parent });
      queue.push(child);
    }
  }
  return out;
}

/**
 * The ingest's processes under a Parvis server, labelled for a CPU window: nginx's master and worker, and ffmpeg (the
 * transcoder). Short-lived probes (ffprobe) are left out: their CPU shows in the server's children's time.
 */
export function ingestProcesses(serverPid: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { pid, name, parent } of descendants(serverPid)) {
    const label = name === 'ffmpeg' ? 'transcoder' : name === 'nginx' ? (parent === serverPid ? 'nginx' : 'nginx worker') : undefined;
    if (!label) continue;
    let unique = label;
    for (let n = 2; out[unique] !== undefined; n++) unique = `${label}#${n}`;
    out[unique] = pid;
  }
  return out;
}

/** The p-th percentile (0–100) of a few values, by nearest rank; NaN when there are none. */
export function percentileOf(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const seconds = (ms: number, digits = 1): string => `${(ms / 1000).toFixed(digits)} s`;

export const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(bytes < 10 * 2 ** 20 ? 1 : 0)} MiB`;
export const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
