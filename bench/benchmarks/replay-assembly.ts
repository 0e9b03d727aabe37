import { execFile, execFileSync } from 'node:child_process';
import { statfsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IngestInfo, ReplayInfo } from '#shared/domain/broadcast';
import { folderBytes } from '../../server/src/modules/replay/recordings';
import { gib, mib, percentileOf, publish, seconds, startBroadcastServer, until, uris, type BroadcastServer } from '../lib/broadcast';
import { onCleanup } from '../lib/cleanup';
import type { Bench } from '../lib/context';
import type { Row } from '../lib/report';

const TARGET_P50_MS = 10_000;
/** The recording: an hour of 2 s segments in two renditions, as the transcoder writes them. */
const SEGMENT_SECONDS = 2;
const HOUR_SEGMENTS = 3600 / SEGMENT_SECONDS;
const RENDITIONS = [
  { name: 'source', size: '1280x720', videoKbps: 2500, audioKbps: 128 },
  { name: '360p', size: '640x360', videoKbps: 700, audioKbps: 96 },
] as const;
/** The bench's reconnect window: the time measured starts when it runs out. */
const RECONNECT_SECONDS = 5;
const PUBLISH_MS = 6000;

function ffmpeg(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', ...args], { timeout: 120_000 }, (err, _out, stderr) =>
      err ? reject(new Error(`ffmpeg: ${err.message} ${stderr}`)) : resolve(),
    );
  });
}

/** One 2 s MPEG-TS segment per rendition, encoded as the ingest would receive and make them (a keyframe at its start). */
async function templates(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const r of RENDITIONS) {
    const file = join(dir, `${r.name}.ts`);
    await ffmpeg([
      '-f', 'lavfi', '-i', `testsrc2=size=${r.size}:rate=30`, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
      '-t', String(SEGMENT_SECONDS), '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-g', '60',
      '-b:v', `${r.videoKbps}k`, '-maxrate', `${r.videoKbps}k`, '-bufsize', `${r.videoKbps * 2}k`,
      '-c:a', 'aac', '-b:a', `${r.audioKbps}k`, '-f', 'mpegts', file,
    ]);
    out[r.name] = file;
  }
  return out;
}

/**
 * An hour recorded in `sessions/1/` of the event, ending `endsAt`: every segment a copy of its rendition's template
 * (real bytes on disk), the playlists with an EXT-X-PROGRAM-DATE-TIME on each as ffmpeg writes them, the master.
 */
async function recordHour(sessionDir: string, template: Record<string, string>, endsAt: number): Promise<void> {
  await mkdir(sessionDir, { recursive: true });
  const startsAt = endsAt - HOUR_SEGMENTS * SEGMENT_SECONDS * 1000;
  const variants: string[] = [];
  for (const r of RENDITIONS) {
    const lines = ['#EXTM3U', '#EXT-X-VERSION:6', `#EXT-X-TARGETDURATION:${SEGMENT_SECONDS}`, '#EXT-X-MEDIA-SEQUENCE:0', '#EXT-X-PLAYLIST-TYPE:EVENT', '#EXT-X-INDEPENDENT-SEGMENTS'];
    for (let i = 0; i < HOUR_SEGMENTS; i++) {
      const name = `${r.name}_${String(i).padStart(5, '0')}.ts`;
      await copyFile(template[r.name]!, join(sessionDir, name));
      lines.push(`#EXTINF:${SEGMENT_SECONDS.toFixed(6)},`, `#EXT-X-PROGRAM-DATE-TIME:${new Date(startsAt + i * SEGMENT_SECONDS * 1000).toISOString()}`, name);
    }
    lines.push('#EXT-X-ENDLIST');
    await writeFile(join(sessionDir, `${r.name}.m3u8`), `${lines.join('\n')}\n`);
    const [w, h] = r.size.split('x');
    variants.push(`#EXT-X-STREAM-INF:BANDWIDTH=${Math.round((r.videoKbps + r.audioKbps) * 1200)},RESOLUTION=${w}x${h},CODECS="avc1.64001f,mp4a.40.2"`, `${r.name}.m3u8`);
  }
  await writeFile(join(sessionDir, 'master.m3u8'), `${['#EXTM3U', '#EXT-X-VERSION:6', '#EXT-X-INDEPENDENT-SEGMENTS', ...variants].join('\n')}\n`);
  await writeFile(join(sessionDir, 'source.json'), `${JSON.stringify({ probedAt: new Date(startsAt).toISOString(), video: { width: 1280, height: 720, fps: 30 }, audio: { channels: 2 } })}\n`);
}

interface Run {
  /** From the end of the reconnect window (the stored deadline) to the event `ended`, its replayUrl set, the replay playable. */
  endedMs: number;
  replayUrlMs: number;
  playableMs: number;
  durationSeconds: number;
  segmentsListed: number;
  sessionBytes: number;
  replayBytes: number;
  manifestBytes: number;
  thumbBytes: number;
  files: number;
  sessionsLeft: boolean;
  playlistBytes: number;
  playlistMs: number;
  preparedMs: number;
}

async function oneRun(b: BroadcastServer, eventId: string, template: Record<string, string>): Promise<Run> {
  const eventDir = join(b.recordingsDir, eventId);
  const prepared = performance.now();
  // The hour OBS sent before it dropped; then it comes back for a few seconds and leaves for good.
  await recordHour(join(eventDir, 'sessions', '1'), template, Date.now() - 5000);
  // Segments recorded over an hour are long on disk by the end: the copies' dirty pages must not be written back
  // during the assembly (its fsync of the replay folder would wait for them).
  execFileSync('sync');
  const preparedMs = performance.now() - prepared;
  const sessionBytes = await folderBytes(join(eventDir, 'sessions'));

  const publisher = publish(b.rtmpPort!, await b.streamKey(eventId));
  try {
    await until(`${eventId} live`, async () => ((await b.event(eventId)).status === 'live' ? true : undefined), 60_000, 100);
    await new Promise((r) => setTimeout(r, PUBLISH_MS));
  } finally {
    await publisher.stop();
  }
  const ingest = async () =>
    (await (await fetch(`${b.server.url}/api/events/${eventId}/ingest`, { headers: { authorization: `Bearer ${b.token}` } })).json()) as IngestInfo;
  const deadline = Date.parse(
    await until('the reconnect window', async () => (await ingest()).reconnectDeadline ?? undefined, 30_000, 50),
  );
  // Date.now(), not performance.now(): the deadline is a wall-clock instant the server stored.
  let endedAt: number | undefined;
  let replayUrlAt: number | undefined;
  const replayUrl = await until(
    `${eventId}'s replayUrl`,
    async () => {
      const event = await b.event(eventId);
      if (event.status === 'ended') endedAt ??= Date.now();
      if (event.replayUrl) replayUrlAt ??= Date.now();
      return event.replayUrl ?? undefined;
    },
    120_000,
  );
  const masterUrl = new URL(replayUrl, b.server.url).href;
  const mediaUrl = await until(
    'the replay playable',
    async () => {
      const master = await (await fetch(masterUrl)).text();
      const media = new URL(uris(master)[0]!, masterUrl).href;
      const playlist = await fetch(media);
      const text = await playlist.text();
      if (playlist.status !== 200 || !text.includes('#EXT-X-ENDLIST')) return undefined;
      const first = await fetch(new URL(uris(text)[0]!, media));
      await first.arrayBuffer();
      return first.status === 200 ? media : undefined;
    },
    60_000,
  );
  const playableAt = Date.now();

  const info = (await (await fetch(`${b.server.url}/api/events/${eventId}/replay`)).json()) as ReplayInfo;
  const times: number[] = [];
  let playlist = '';
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    playlist = await (await fetch(mediaUrl)).text();
    times.push(performance.now() - t);
  }
  const replayDir = join(eventDir, 'replay');
  const run: Run = {
    endedMs: (endedAt ?? NaN) - deadline,
    replayUrlMs: (replayUrlAt ?? NaN) - deadline,
    playableMs: playableAt - deadline,
    durationSeconds: info.durationSeconds,
    segmentsListed: uris(playlist).length,
    sessionBytes,
    replayBytes: await folderBytes(replayDir),
    manifestBytes: (await stat(join(replayDir, 'replay.json'))).size,
    thumbBytes: await folderBytes(join(eventDir, 'thumbs')),
    files: (await readdir(replayDir)).length,
    sessionsLeft: await stat(join(eventDir, 'sessions')).then(() => true, () => false),
    playlistBytes: Buffer.byteLength(playlist),
    playlistMs: percentileOf(times, 50),
    preparedMs,
  };
  // Room for the next run.
  await rm(eventDir, { recursive: true, force: true });
  return run;
}

/**
 * From the end of the reconnect window to a playable replay, for a one-hour recording: the real path (the sweeper
 * ends the broadcast, the transcoder is stopped, the replay is assembled, its thumbnail taken, the event's replayUrl
 * set). The hour is made cheaply: one real 2 s segment per rendition (720p at 2.5 Mb/s and 360p at 0.7 Mb/s, as the
 * default ladder makes them), copied 1,800 times into `sessions/1/` with playlists stamped an hour back; then ffmpeg
 * publishes for a few seconds (session 2) and stops, and the window (5 s here) runs out.
 */
export const replayAssemblyBench: Bench = {
  id: 'replay-assembly',
  title: 'End of the reconnect window → playable replay, for a 1-hour recording',
  budgetMs: (ctx) => (ctx.quick ? 300_000 : 600_000),
  async run(ctx) {
    const count = ctx.quick ? 1 : 3;
    const ids = Array.from({ length: count }, (_, i) => `heure-${i + 1}`);
    const work = await mkdtemp(join(tmpdir(), 'parvis-bench-hour-'));
    const removeWork = onCleanup(() => rm(work, { recursive: true, force: true }));
    const free = statfsSync(tmpdir());
    if (free.bavail * free.bsize < 4 * 2 ** 30) throw new Error(`less than 4 GiB free in ${tmpdir()}: an hour of recording takes ~1.5 GiB`);
    const template = await templates(work);
    const b = await startBroadcastServer('ingest', { events: ids, env: { INGEST_RECONNECT_SECONDS: String(RECONNECT_SECONDS) } });
    const runs: Run[] = [];
    try {
      for (const id of ids) {
        const run = await oneRun(b, id, template);
        ctx.log(
          `${id}: prepared in ${seconds(run.preparedMs)}; after the window: ended ${seconds(run.endedMs, 2)}, replayUrl ${seconds(run.replayUrlMs, 2)}, playable ${seconds(run.playableMs, 2)}`,
        );
        runs.push(run);
      }
    } finally {
      await b.stop();
      await rm(work, { recursive: true, force: true });
      removeWork();
    }

    const playable = runs.map((r) => r.playableMs);
    const p50 = percentileOf(playable, 50);
    const ok = p50 <= TARGET_P50_MS;
    const last = runs.at(-1)!;
    const rows: Row[] = [
      {
        bench: 'replay-assembly',
        metric: 'end of the reconnect window → replay playable (VOD playlist with ENDLIST, first segment 200), 1-hour recording, p50',
        value: `${seconds(p50, 2)} (${runs.length} run${runs.length > 1 ? 's' : ''}: ${playable.map((ms) => seconds(ms, 2)).join(', ')})`,
        target: `p50 ≤ ${seconds(TARGET_P50_MS, 0)}`,
        verdict: ok ? 'pass' : 'miss',
        ...(ok
          ? { why: `includes up to one sweeper tick (2 s) before the broadcast ends; the assembly moves ${HOUR_SEGMENTS * RENDITIONS.length} files, it copies none` }
          : { missBy: `+${seconds(p50 - TARGET_P50_MS, 2)}`, why: 'see the steps in the details' }),
      },
      {
        bench: 'replay-assembly',
        metric: 'disk of a 1-hour replay (720p source + 360p)',
        value: `${gib(last.replayBytes)} in ${last.files} files; replay.json ${mib(last.manifestBytes)}; thumbnail ${(last.thumbBytes / 1024).toFixed(0)} KiB`,
        target: '',
        verdict: 'report',
        why: `the recording took ${gib(last.sessionBytes)} before; no extra space while assembling (renames); sessions/ ${last.sessionsLeft ? 'still there' : 'deleted'} after`,
      },
      {
        bench: 'replay-assembly',
        metric: "the 1-hour replay's media playlist (computed at each request from replay.json and the trims), GET p50",
        value: `${percentileOf(runs.map((r) => r.playlistMs), 50).toFixed(0)} ms for ${(last.playlistBytes / 1024).toFixed(0)} KiB (${last.segmentsListed} segments)`,
        target: '',
        verdict: 'report',
        why: 'each player asks for it once when it opens a replay; 20 requests one after the other, no cache in front',
      },
    ];
    return {
      rows,
      details: [
        `- the recording: ${HOUR_SEGMENTS} segments of ${SEGMENT_SECONDS} s per rendition (${RENDITIONS.map((r) => `${r.name} ${r.size} ${r.videoKbps + r.audioKbps} kb/s`).join(', ')}), copies of one real segment each, playlists with a PDT on every segment over the hour before; then ffmpeg publishes for ${PUBLISH_MS / 1000} s more (session 2) and stops; INGEST_RECONNECT_SECONDS=${RECONNECT_SECONDS}; the clock starts at the stored reconnect deadline`,
        `- per run, after the deadline: ${runs.map((r) => `ended ${seconds(r.endedMs, 2)} → replayUrl ${seconds(r.replayUrlMs, 2)} → playable ${seconds(r.playableMs, 2)}`).join('; ')}`,
        `- the replay: ${last.durationSeconds.toFixed(0)} s long, ${last.segmentsListed} segments listed in its first rendition's playlist; made in ${seconds(last.preparedMs)} per run (copies, then \`sync\`, so that no write-back of them overlaps the assembly)`,
      ],
    };
  },
};
