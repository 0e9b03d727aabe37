// Test support for the ingest: a Parvis with its own nginx-rtmp on free ports, an event whose key works now, and
// ffmpeg publishing a test pattern with sound, the way OBS would.
import { spawn, type ChildProcess } from 'node:child_process';
import pino from 'pino';
import type { Event } from '#shared/domain/event';
import { loadConfig, type Config } from '../config';
import type { BroadcastListener } from '../modules/ingest/ingest.service';
import type { Store } from '../store/store';
import { startTestServer, type TestServer } from './harness';
import { freePort } from './process';

/* Processes a test started: killed if the worker exits without its hooks having run (a timeout, a crash). */
const started = new Set<ChildProcess>();
const nginxGroups = new Set<TestServer>();
process.once('exit', () => {
  for (const child of started) child.kill('SIGKILL');
  for (const server of nginxGroups) {
    const pid = server.ingest.supervisor?.pid;
    if (pid) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
  }
});

export interface IngestTestServer extends TestServer {
  rtmpPort: number;
  /** `broadcastEnded` calls, in order. */
  ended: string[];
  /** Every line the server logged, parsed. */
  logs: Record<string, unknown>[];
}

/** Parvis with RTMP_PORT set on a free port, nginx listening on loopback, a fresh data directory. */
export async function startIngestServer(ingest: Partial<Config['ingest']> = {}, overrides: Partial<Config> = {}): Promise<IngestTestServer> {
  const rtmpPort = await freePort();
  const logs: Record<string, unknown>[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const ended: string[] = [];
  const broadcasts: BroadcastListener = {
    broadcastEnded: async (eventId) => {
      ended.push(eventId);
    },
  };
  const base = loadConfig({}).ingest;
  const server = await startTestServer(
    {
      ingest: {
        ...base,
        rtmpPort,
        host: '127.0.0.1',
        rtmpUrl: `rtmp://127.0.0.1:${rtmpPort}/live`,
        ...ingest,
      },
      ...overrides,
    },
    log,
    { broadcasts },
  );
  nginxGroups.add(server);
  const stop = server.stop;
  return {
    ...server,
    rtmpPort,
    ended,
    logs,
    stop: async () => {
      await stop();
      nginxGroups.delete(server);
    },
  };
}

/** An event starting in ten minutes: its key works now (from 60 minutes before the start). */
export async function addTalk(store: Store, id: string, extra: Partial<Event> = {}): Promise<Event> {
  const now = Date.now();
  const event: Event = {
    id,
    kind: 'lecture',
    title: `Rencontre ${id}`,
    summary: '',
    startsAt: new Date(now + 10 * 60_000).toISOString(),
    endsAt: new Date(now + 70 * 60_000).toISOString(),
    timezone: 'Europe/Paris',
    status: 'scheduled',
    access: 'open',
    speakers: [],
    language: 'fr',
    ...extra,
  };
  await store.programme.saveProgramme([], [event]);
  return event;
}

export interface Publisher {
  /** Resolves with ffmpeg's exit code once it ends (refused: at once, non-zero). */
  exited: Promise<number | null>;
  /** What ffmpeg said on stderr. */
  stderr(): string;
  /** Stops publishing as OBS's "Stop streaming" does: ffmpeg closes the connection. */
  stop(): Promise<void>;
}

/**
 * ffmpeg publishing a 640x360 test pattern at 25 fps with a 440 Hz tone, a keyframe every 2 s, in real time
 * (`-re`), for `seconds` (or until stopped).
 */
export function publish(rtmpPort: number, streamKey: string, seconds = 5): Publisher {
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    '-re',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=640x360:rate=25',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440',
    '-t',
    String(seconds),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-g',
    '50',
    '-c:a',
    'aac',
    '-f',
    'flv',
    `rtmp://127.0.0.1:${rtmpPort}/live/${streamKey}`,
  ];
  const child = spawn('/usr/bin/ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  started.add(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      started.delete(child);
      resolve(code);
    });
  });
  return {
    exited,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}
