import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gib, ingestProcesses, publish, seconds, startBroadcastServer, until } from '../lib/broadcast';
import type { Bench } from '../lib/context';
import { segmentsOf } from '../lib/hls-watch';
import { childrenCpuMs, CpuWindow } from '../lib/proc';
import { pct } from '../lib/report';

const EVENT = 'cpu';
/** nginx + the transcoder may take this share of one core for one 720p publisher with the default ladder. */
const TARGET_PCT_OF_CORE = 50;

/** Per rendition of a session folder: the bytes of the segments its playlist lists, and their total duration (s). */
async function recorded(dir: string): Promise<Record<string, { bytes: number; seconds: number }>> {
  const out: Record<string, { bytes: number; seconds: number }> = {};
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.m3u8') || name === 'master.m3u8') continue;
    const rendition = { bytes: 0, seconds: 0 };
    for (const segment of segmentsOf(await readFile(join(dir, name), 'utf8'))) {
      rendition.bytes += await stat(join(dir, segment.uri)).then((s) => s.size, () => 0);
      rendition.seconds += segment.durationMs / 1000;
    }
    out[name.slice(0, -'.m3u8'.length)] = rendition;
  }
  return out;
}

/**
 * The CPU the ingest costs per published hour on this machine, with the default ladder (`source` copied, `360p`
 * encoded by x264 veryfast): nginx-rtmp and the transcoder's ffmpeg, measured from /proc over a window of publishing
 * a 720p30 test pattern and scaled to an hour. Parvis's own share (the hooks, the session watcher, the ffprobe of
 * each new segment for the stream health) is given beside it, and the disk the recording takes per hour.
 */
export const ingestCpuBench: Bench = {
  id: 'ingest-cpu',
  title: 'CPU of the ingest (nginx + transcoder) per published hour, default ladder',
  budgetMs: (ctx) => (ctx.quick ? 180_000 : 300_000),
  async run(ctx) {
    const windowMs = ctx.quick ? 15_000 : 60_000;
    const b = await startBroadcastServer('ingest', { events: [EVENT] });
    try {
      const publisher = publish(b.rtmpPort!, await b.streamKey(EVENT));
      try {
        await until(`${EVENT} live`, async () => ((await b.event(EVENT)).status === 'live' ? true : undefined), 60_000, 100);
        // The transcoder's first seconds (probing, the first segments, the session's master) are not its steady state.
        await new Promise((r) => setTimeout(r, 6000));
        const ingest = ingestProcesses(b.server.pid);
        if (!ingest.transcoder || !ingest.nginx) throw new Error(`the ingest's processes are not all there: ${JSON.stringify(ingest)}`);
        const session = join(b.recordingsDir, EVENT, 'sessions', '1');
        const probesBefore = childrenCpuMs(b.server.pid);
        ctx.log(`publishing 720p30 for ${windowMs / 1000} s, measuring nginx and the transcoder`);
        const cpu = new CpuWindow({ ...ingest, parvis: b.server.pid, publisher: publisher.child.pid! });
        await new Promise((r) => setTimeout(r, windowMs));
        const used = cpu.end();
        const probesMs = childrenCpuMs(b.server.pid) - probesBefore;
        const kept = await recorded(session);
        if (publisher.child.exitCode !== null) throw new Error(`the publisher stopped: ${publisher.stderr()}`);

        const hour = 3_600_000 / used.wallMs;
        const ingestMs = Object.keys(ingest).reduce((sum, label) => sum + used.procs[label]!.ms, 0);
        const ingestPct = (100 * ingestMs) / used.wallMs;
        const parvisMs = used.procs.parvis!.ms + probesMs;
        const perHour = (ms: number) => `${((ms * hour) / 60_000).toFixed(1)} CPU-min`;
        // Every segment recorded so far, over its own duration: whole segments, so no rounding at the window's edges.
        const disk = Object.fromEntries(Object.entries(kept).map(([r, { bytes, seconds: s }]) => [r, (bytes / s) * 3600]));
        const diskTotal = Object.values(disk).reduce((a, x) => a + x, 0);
        const ok = ingestPct <= TARGET_PCT_OF_CORE;
        return {
          rows: [
            {
              bench: 'ingest-cpu',
              metric: 'CPU of nginx + the transcoder per published hour (720p30 at 2.5 Mb/s in, ladder `source,360p`)',
              value: `${perHour(ingestMs)} per hour (${pct(ingestPct)} of a core)`,
              target: `≤ ${TARGET_PCT_OF_CORE}% of a core (${(TARGET_PCT_OF_CORE * 0.6).toFixed(0)} CPU-min per hour)`,
              verdict: ok ? 'pass' : 'miss',
              ...(ok
                ? { why: `the 360p encode is nearly all of it (transcoder ${pct(used.procs.transcoder!.pctOfCore)}); the source rendition is copied` }
                : { missBy: `+${pct(ingestPct - TARGET_PCT_OF_CORE)} of a core`, why: `transcoder ${pct(used.procs.transcoder!.pctOfCore)}, waited ${pct(used.procs.transcoder!.waitPct)}` }),
            },
            {
              bench: 'ingest-cpu',
              metric: "Parvis's own CPU meanwhile (hooks, session watcher, ffprobe of each segment for the stream health), per published hour",
              value: `${perHour(parvisMs)} per hour (${pct((100 * parvisMs) / used.wallMs)} of a core)`,
              target: '',
              verdict: 'report',
              why: 'no viewers: the live room and the HLS origin serving an audience come on top',
            },
            {
              bench: 'ingest-cpu',
              metric: 'disk the recording takes per published hour (same stream)',
              value: `${gib(diskTotal)} (${Object.entries(disk).map(([r, bytes]) => `${r} ${gib(bytes)}`).join(', ')})`,
              target: '',
              verdict: 'report',
              why: 'kept until the replay is deleted: the assembled replay moves these segments, it does not copy them',
            },
          ],
          details: [
            `- the publisher: ffmpeg, 1280×720 30 fps test pattern with a tone in real time, x264 veryfast zerolatency 2.5 Mb/s, a keyframe every 2 s, AAC 128 kb/s, to nginx-rtmp on loopback; measured over ${seconds(used.wallMs)} of steady publishing (from 6 s after the event went live), scaled to an hour`,
            `- CPU (% of one core; "waited" = runnable with no free core): ${Object.entries(used.procs)
              .map(([label, v]) => `${label} ${pct(v.pctOfCore)} (waited ${pct(v.waitPct)})`)
              .join(', ')}; Parvis's ffprobe children ${seconds(probesMs, 2)} in all; other processes ${pct((100 * used.othersMs) / used.wallMs)}`,
            `- disk: the segments each rendition's playlist lists (${Object.entries(kept).map(([r, k]) => `${r} ${k.seconds.toFixed(0)} s`).join(', ')}), bytes ÷ seconds × 3,600`,
            `- the publisher itself (standing for OBS, on the speaker's computer) is not counted in the ingest's figure`,
          ],
        };
      } finally {
        await publisher.stop();
      }
    } finally {
      await b.stop();
    }
  },
};
