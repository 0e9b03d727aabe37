// Test support: publishing sessions recorded by the real ffmpeg, laid out as the ingest's transcoder lays them out.
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface SessionSpec {
  /** 1, 2…: the folder `sessions/<n>`. */
  session: number;
  /** Whole seconds, a multiple of 2: the segments are 2 s long. */
  seconds: number;
  /** When the session was live (ms since 1970), written as its EXT-X-PROGRAM-DATE-TIME. */
  startsAt: number;
}

/**
 * Records `spec.seconds` of ffmpeg's test pattern with a tone into `<eventDir>/sessions/<n>/`: two renditions
 * (`source` 320x180 and `360p` 160x90, H.264 and AAC), 2 s segments with a keyframe forced at each, playlists with
 * every segment kept and `EXT-X-PROGRAM-DATE-TIME` on each, a master playlist: what the transcoder writes.
 *
 * ffmpeg stamps the program date from its own clock as it encodes (much faster than real time here), so the stamps
 * are then rewritten from `startsAt`, second by second, as if the session had been published live then. The tests
 * can thus say exactly when each moment was live, and leave a gap between sessions without waiting for it.
 */
export async function recordSession(eventDir: string, spec: SessionSpec): Promise<void> {
  const dir = join(eventDir, 'sessions', String(spec.session));
  await mkdir(dir, { recursive: true });
  await ffmpeg([
    '-nostdin', '-v', 'error',
    '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25',
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(spec.seconds),
    '-filter_complex', '[0:v]split=2[a][b];[b]scale=160:90[b2]',
    '-map', '[a]', '-map', '1:a', '-map', '[b2]', '-map', '1:a',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-threads', '1', '-g', '50', '-keyint_min', '50', '-sc_threshold', '0',
    '-force_key_frames', 'expr:gte(t,n_forced*2)',
    '-c:a', 'aac', '-b:a', '64k', '-ac', '1',
    '-f', 'hls', '-hls_time', '2', '-hls_list_size', '0', '-hls_playlist_type', 'event',
    '-hls_flags', 'program_date_time+independent_segments+temp_file',
    '-var_stream_map', 'v:0,a:0,name:source v:1,a:1,name:360p',
    '-master_pl_name', 'master.m3u8',
    '-hls_segment_filename', join(dir, '%v_%05d.ts'),
    join(dir, '%v.m3u8'),
  ]);
  await writeFile(join(dir, 'source.json'), JSON.stringify({ width: 320, height: 180, fps: 25, audio: true }));
  for (const file of await readdir(dir)) {
    if (!file.endsWith('.m3u8') || file === 'master.m3u8') continue;
    await restamp(join(dir, file), spec.startsAt);
  }
}

/** Rewrites a media playlist's program dates so that its first segment starts at `startsAt`, the others following. */
async function restamp(path: string, startsAt: number): Promise<void> {
  const lines = (await readFile(path, 'utf8')).split('\n');
  let at = startsAt;
  let duration = 0;
  const out = lines.map((line) => {
    if (line.startsWith('#EXTINF:')) duration = Number.parseFloat(line.slice(8));
    if (!line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) return line;
    // ffmpeg writes the tag after EXTINF: the segment's own duration is known by then.
    const stamp = `#EXT-X-PROGRAM-DATE-TIME:${new Date(at).toISOString()}`;
    at += Math.round(duration * 1000);
    return stamp;
  });
  // As ffmpeg's temp_file does: a reader never sees half a playlist.
  await writeFile(`${path}.tmp`, out.join('\n'));
  await rename(`${path}.tmp`, path);
}

function ffmpeg(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited with ${code}: ${stderr}`))));
  });
}

/** What ffprobe reads of a file or URL: the container's duration and the codecs of its streams. */
export async function probe(target: string): Promise<{ duration: number; codecs: string[]; width?: number; height?: number }> {
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      'ffprobe',
      ['-v', 'error', '-show_entries', 'format=duration:stream=codec_name,width,height', '-of', 'json', target],
      { timeout: 60_000 },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`ffprobe exited with ${code}: ${stderr}`))));
  });
  const parsed = JSON.parse(output) as {
    format?: { duration?: string };
    streams: { codec_name: string; width?: number; height?: number }[];
  };
  const video = parsed.streams.find((s) => s.width !== undefined);
  return {
    duration: Number(parsed.format?.duration ?? NaN),
    codecs: parsed.streams.map((s) => s.codec_name),
    ...(video?.width !== undefined && { width: video.width, height: video.height! }),
  };
}

/** When each kind of stream of a media file starts, in seconds of its timestamps (ffprobe's `start_time`). */
export async function streamStarts(target: string): Promise<{ video: number; audio: number }> {
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,start_time', '-of', 'json', target], { timeout: 60_000 });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`ffprobe exited with ${code}`))));
  });
  const streams = (JSON.parse(output) as { streams: { codec_type: string; start_time?: string }[] }).streams;
  const start = (type: string) => Number(streams.find((s) => s.codec_type === type)?.start_time ?? NaN);
  return { video: start('video'), audio: start('audio') };
}
