import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeLiveWindow, LIVE_EPOCH_MS } from './live-simulator';
import type { LiveWindow } from './live-simulator';
import { startMediaServer } from './test-server';
import type { MediaTestServer } from './test-server';

/** The committed demo recording: 10 segments of 2 s per rendition. */
const REPO_MEDIA_DIR = fileURLToPath(new URL('../../../media', import.meta.url));

interface LivePlaylist {
  mediaSequence: number;
  discontinuitySequence: number;
  targetDuration: number;
  segments: { uri: string; programDateTime: number; duration: number; discontinuity: boolean }[];
  text: string;
}

/** Reads a live playlist the way a player would: every tag and URI in order. */
function parseLive(text: string): LivePlaylist {
  const playlist: LivePlaylist = { mediaSequence: NaN, discontinuitySequence: NaN, targetDuration: NaN, segments: [], text };
  let pending = { programDateTime: NaN, duration: NaN, discontinuity: false };
  for (const line of text.split('\n')) {
    const [tag, value = ''] = line.split(/:(.*)/s);
    if (tag === '#EXT-X-MEDIA-SEQUENCE') playlist.mediaSequence = Number(value);
    else if (tag === '#EXT-X-DISCONTINUITY-SEQUENCE') playlist.discontinuitySequence = Number(value);
    else if (tag === '#EXT-X-TARGETDURATION') playlist.targetDuration = Number(value);
    else if (tag === '#EXT-X-DISCONTINUITY') pending.discontinuity = true;
    else if (tag === '#EXT-X-PROGRAM-DATE-TIME') pending.programDateTime = Date.parse(value);
    else if (tag === '#EXTINF') pending.duration = Number.parseFloat(value);
    else if (line !== '' && !line.startsWith('#')) {
      playlist.segments.push({ uri: line, ...pending });
      pending = { programDateTime: NaN, duration: NaN, discontinuity: false };
    }
  }
  return playlist;
}

async function fetchPlaylist(url: string): Promise<LivePlaylist> {
  const res = await fetch(url);
  expect(res.status, url).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
  expect(res.headers.get('cache-control')).toBe('no-cache');
  return parseLive(await res.text());
}

/** Which discontinuity a segment belongs to, as a player counts it (RFC 8216, 6.2.1 / 6.3.1). */
function discontinuityNumbers(window: LiveWindow): Map<number, number> {
  const numbers = new Map<number, number>();
  let current = window.discontinuitySequence;
  for (const segment of window.segments) {
    if (segment.discontinuity) current++;
    numbers.set(segment.sequence, current);
  }
  return numbers;
}

describe('computeLiveWindow', () => {
  const fiveOfTwo = [2, 2, 2, 2, 2]; // a 10 s loop
  const at = (seconds: number) => LIVE_EPOCH_MS + seconds * 1000;

  it('lists the last six segments that have fully played, in order', () => {
    // Loop 3 started at 30 s; at 34.5 s two of its segments are done.
    const window = computeLiveWindow(fiveOfTwo, at(34.5));
    expect(window.segments.map((s) => s.sequence)).toEqual([11, 12, 13, 14, 15, 16]);
    expect(window.segments.map((s) => s.index)).toEqual([1, 2, 3, 4, 0, 1]);
    expect(window.mediaSequence).toBe(11);
    expect(window.segments.map((s) => s.startMs)).toEqual([22, 24, 26, 28, 30, 32].map(at));
    const last = window.segments.at(-1)!;
    expect(last.startMs + last.durationMs).toBeLessThanOrEqual(at(34.5));
  });

  it('marks the loop point with a discontinuity and counts it once it slides out', () => {
    const tenOfTwo = Array.from({ length: 10 }, () => 2); // a 20 s loop, like the demo
    const beforeLoop = computeLiveWindow(tenOfTwo, at(39.9));
    expect(beforeLoop.segments.some((s) => s.discontinuity)).toBe(false);
    expect(beforeLoop.discontinuitySequence).toBe(1);

    const afterLoop = computeLiveWindow(tenOfTwo, at(42));
    expect(afterLoop.segments.map((s) => s.index)).toEqual([5, 6, 7, 8, 9, 0]);
    expect(afterLoop.segments.map((s) => s.discontinuity)).toEqual([false, false, false, false, false, true]);
    expect(afterLoop.discontinuitySequence).toBe(1);

    // Once the loop's first segment heads the window its tag goes; DISCONTINUITY-SEQUENCE carries it instead.
    const slidOut = computeLiveWindow(tenOfTwo, at(52));
    expect(slidOut.segments[0]).toMatchObject({ index: 0, discontinuity: false });
    expect(slidOut.discontinuitySequence).toBe(2);
    expect(computeLiveWindow(tenOfTwo, at(2_000_014)).discontinuitySequence).toBe(100_000);
  });

  it('gives every process the same window at the same instant, and never moves backwards', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 500, max: 6000 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 10 * 365 * 24 * 3600 * 1000 }),
        fc.integer({ min: 0, max: 120_000 }),
        (durationsMs, sinceEpoch, later) => {
          const durations = durationsMs.map((ms) => ms / 1000);
          const first = computeLiveWindow(durations, LIVE_EPOCH_MS + sinceEpoch);
          const second = computeLiveWindow(durations, LIVE_EPOCH_MS + sinceEpoch + later);
          expect(computeLiveWindow(durations, LIVE_EPOCH_MS + sinceEpoch)).toEqual(first);
          expect(second.mediaSequence).toBeGreaterThanOrEqual(first.mediaSequence);
          expect(second.discontinuitySequence).toBeGreaterThanOrEqual(first.discontinuitySequence);
          // A segment still listed after a refresh keeps its recording index, start time and discontinuity
          // number, or the player would glitch or re-download it.
          const firstNumbers = discontinuityNumbers(first);
          const secondNumbers = discontinuityNumbers(second);
          for (const segment of second.segments) {
            const before = first.segments.find((s) => s.sequence === segment.sequence);
            if (!before) continue;
            expect(segment.index).toBe(before.index);
            expect(segment.startMs).toBe(before.startMs);
            expect(secondNumbers.get(segment.sequence)).toBe(firstNumbers.get(segment.sequence));
          }
          // Segments follow each other without gaps in wall-clock time.
          for (let i = 1; i < second.segments.length; i++) {
            const previous = second.segments[i - 1]!;
            expect(second.segments[i]!.startMs).toBe(previous.startMs + previous.durationMs);
          }
        },
      ),
    );
  });
});

describe('live simulator over HTTP (demo recording)', () => {
  let server: MediaTestServer;
  /** The same recording on a server whose clock the test moves by hand. */
  let manual: MediaTestServer;
  // On the day of a demo event, at the instant a 2 s segment ends (loops are aligned on the epoch).
  let now = Date.UTC(2026, 10, 25, 18, 0, 0);
  const live = (path: string, on = server) => `${on.origin}/media/live/demo/${path}`;

  beforeAll(async () => {
    // As the app mounts it: on the system clock.
    server = await startMediaServer({ mediaDir: REPO_MEDIA_DIR });
    manual = await startMediaServer({ mediaDir: REPO_MEDIA_DIR, now: () => now });
  });
  afterAll(async () => {
    await server?.close();
    await manual?.close();
  });

  it('slides the window forward by one segment when one more has played', async () => {
    const before = await fetchPlaylist(live('360p.m3u8', manual));
    const justEnded = before.segments.at(-1)!;
    expect(justEnded.programDateTime + justEnded.duration * 1000).toBe(now);
    now += 1999;
    expect(await fetchPlaylist(live('360p.m3u8', manual))).toEqual(before);
    now += 1;
    const after = await fetchPlaylist(live('360p.m3u8', manual));

    expect(after.mediaSequence).toBe(before.mediaSequence + 1);
    expect(before.segments).toHaveLength(6);
    expect(after.segments).toHaveLength(6);
    // The oldest segment goes, the others move up, and the one that just finished is added at the end.
    expect(after.segments.slice(0, 5)).toEqual(before.segments.slice(1));
    const newest = after.segments.at(-1)!;
    expect(newest.programDateTime + newest.duration * 1000).toBe(now);
    for (const playlist of [before, after]) {
      const times = playlist.segments.map((s) => s.programDateTime);
      for (let i = 1; i < times.length; i++) expect(times[i]).toBe(times[i - 1]! + 2000);
    }
  });

  it('lists, by the system clock, the segments that have just played', async () => {
    const asked = Date.now();
    const playlist = await fetchPlaylist(live('360p.m3u8'));
    const answered = Date.now();
    // The server read its clock between the two: the newest segment had ended by then, less than a segment before.
    const newest = playlist.segments.at(-1)!;
    const newestEnd = newest.programDateTime + newest.duration * 1000;
    expect(newestEnd).toBeLessThanOrEqual(answered);
    expect(newestEnd).toBeGreaterThan(asked - 2000);
  });

  it('is a live playlist: no ENDLIST, no PLAYLIST-TYPE, a target duration', async () => {
    const playlist = await fetchPlaylist(live('180p.m3u8'));
    expect(playlist.text).not.toContain('#EXT-X-ENDLIST');
    expect(playlist.text).not.toContain('#EXT-X-PLAYLIST-TYPE');
    expect(playlist.targetDuration).toBe(2);
    expect(playlist.segments.every((s) => Number.isFinite(s.programDateTime))).toBe(true);
  });

  it('points at the recording segments, which the origin serves', async () => {
    const playlistUrl = live('360p.m3u8');
    const playlist = await fetchPlaylist(playlistUrl);
    const segmentUrl = new URL(playlist.segments[0]!.uri, playlistUrl);
    expect(playlist.segments[0]!.uri).toMatch(/^\.\.\/\.\.\/demo\/360p_\d{3}\.ts$/);
    const res = await fetch(segmentUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp2t');
  });

  it('serves a master playlist whose variants are the live playlists', async () => {
    const res = await fetch(live('master.m3u8'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    const text = await res.text();
    expect(text).toMatch(/#EXT-X-STREAM-INF:.*BANDWIDTH=\d+.*RESOLUTION=640x360.*CODECS="avc1\.[0-9a-f]{6},mp4a\.40\.2"/);
    const variants = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(variants).toEqual(['360p.m3u8', '180p.m3u8']);
    for (const variant of variants) {
      const playlist = await fetchPlaylist(new URL(variant, live('master.m3u8')).href);
      expect(playlist.segments).toHaveLength(6);
    }
  });

  it('can be read by ffprobe as H.264 video with AAC audio', async () => {
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        'ffprobe',
        ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'json', live('master.m3u8')],
        { timeout: 15_000 },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`ffprobe exited ${code}: ${stderr}`))));
    });
    const codecs = (JSON.parse(output) as { streams: { codec_name: string }[] }).streams.map((s) => s.codec_name);
    expect(codecs).toContain('h264');
    expect(codecs).toContain('aac');
  });

  it.each(['/media/live/nope/master.m3u8', '/media/live/demo/720p.m3u8', '/media/live/demo/360p_000.ts', '/media/live/..%2Fdemo/master.m3u8'])(
    'answers 404 for %s',
    async (path) => {
      const res = await fetch(`${server.origin}${path}`);
      expect(res.status).toBe(404);
    },
  );
});

describe('live simulator over HTTP (other recordings)', () => {
  // A whole number of 3 s loops after the epoch.
  const loopStart = Date.UTC(2021, 5, 1, 12, 0, 0);
  let now = loopStart + 5000;
  let root: string;
  let server: MediaTestServer;

  const media = (durations: number[], prefix: string, ended = true) =>
    [
      '#EXTM3U',
      '#EXT-X-VERSION:3',
      '#EXT-X-TARGETDURATION:2',
      '#EXT-X-PLAYLIST-TYPE:VOD',
      ...durations.flatMap((d, i) => [`#EXTINF:${d},`, `${prefix}${i}.ts`]),
      ...(ended ? ['#EXT-X-ENDLIST'] : []),
      '',
    ].join('\n');

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'parvis-live-'));
    // Variants in sub-folders, as some packagers write them.
    await mkdir(join(root, 'nested', 'hi'), { recursive: true });
    await writeFile(join(root, 'nested', 'master.m3u8'), '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000\nhi/index.m3u8\n');
    await writeFile(join(root, 'nested', 'hi', 'index.m3u8'), media([1, 2], 'seg'));
    // A stream still being written (no ENDLIST) cannot be looped.
    await mkdir(join(root, 'unfinished'));
    await writeFile(join(root, 'unfinished', 'master.m3u8'), '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000\nindex.m3u8\n');
    await writeFile(join(root, 'unfinished', 'index.m3u8'), media([2, 2], 'seg', false));
    expect((loopStart - LIVE_EPOCH_MS) % 3000).toBe(0);
    server = await startMediaServer({ mediaDir: root, now: () => now });
  });
  afterAll(async () => {
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('re-roots segment URIs of variants in sub-folders and marks each loop point', async () => {
    const playlist = await fetchPlaylist(`${server.origin}/media/live/nested/hi/index.m3u8`);
    // A 3 s loop (1 s + 2 s), 2 s into a loop: its seg0 is the newest finished segment.
    expect(playlist.segments.map((s) => s.uri)).toEqual(
      ['seg1', 'seg0', 'seg1', 'seg0', 'seg1', 'seg0'].map((name) => `../../../nested/hi/${name}.ts`),
    );
    expect(playlist.segments.map((s) => s.discontinuity)).toEqual([false, true, false, true, false, true]);
    expect(playlist.text).toContain(`#EXT-X-PROGRAM-DATE-TIME:${new Date(loopStart + 3000).toISOString()}`);
  });

  it('picks up a re-made recording without a restart', async () => {
    const url = `${server.origin}/media/live/nested/hi/index.m3u8`;
    expect((await fetchPlaylist(url)).segments[0]!.uri).toMatch(/seg\d\.ts$/);
    const file = join(root, 'nested', 'hi', 'index.m3u8');
    await writeFile(file, media([1, 2], 'take2-'));
    const future = new Date(Date.now() + 60_000);
    await utimes(file, future, future);
    expect((await fetchPlaylist(url)).segments.every((s) => s.uri.includes('take2-'))).toBe(true);
  });

  it('does not loop a stream that is still being recorded', async () => {
    const res = await fetch(`${server.origin}/media/live/unfinished/master.m3u8`);
    expect(res.status).toBe(404);
  });

  it('lists nothing that has not happened yet', async () => {
    const url = `${server.origin}/media/live/nested/hi/index.m3u8`;
    now = loopStart + 3000 + 999; // 1 ms before this loop's seg0 (1 s) ends
    const almost = (await fetchPlaylist(url)).segments.at(-1)!;
    expect(almost.uri).toMatch(/1\.ts$/);
    expect(almost.programDateTime).toBe(loopStart + 1000);

    now = loopStart + 3000 + 1000;
    const done = (await fetchPlaylist(url)).segments.at(-1)!;
    expect(done.uri).toMatch(/0\.ts$/);
    expect(done.programDateTime).toBe(loopStart + 3000);
  });
});
