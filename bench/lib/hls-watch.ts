import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { onCleanup } from './cleanup';

/*
 * Watching a live HLS stream from outside, for the latency row: when each segment becomes listed at its URL, what its
 * EXT-X-PROGRAM-DATE-TIME says, which segments of two streams hold the same frames, and what hls.js in Chromium
 * reports while it plays the stream.
 */

export interface SeenSegment {
  uri: string;
  /** Date.now() when a poll of the playlist first listed it. */
  seenAt: number;
  /** Its EXT-X-PROGRAM-DATE-TIME, ms since 1970. */
  pdt: number;
  durationMs: number;
}

/** Parses a media playlist: each segment's URI, PDT and duration (segments without a PDT are left out). */
export function segmentsOf(playlist: string): Array<Omit<SeenSegment, 'seenAt'>> {
  const out: Array<Omit<SeenSegment, 'seenAt'>> = [];
  let pdt: number | undefined;
  let duration: number | undefined;
  for (const line of playlist.split('\n')) {
    if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) pdt = Date.parse(line.slice('#EXT-X-PROGRAM-DATE-TIME:'.length));
    else if (line.startsWith('#EXTINF:')) duration = Number.parseFloat(line.slice('#EXTINF:'.length)) * 1000;
    else if (line && !line.startsWith('#')) {
      if (pdt !== undefined && duration !== undefined) out.push({ uri: line, pdt, durationMs: duration });
      pdt = undefined;
      duration = undefined;
    }
  }
  return out;
}

/** Polls a media playlist every `everyMs` until stopped, noting when each segment is first listed. */
export function watchPlaylist(url: string, everyMs = 100): { stop(): Promise<SeenSegment[]> } {
  const seen = new Map<string, SeenSegment>();
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const res = await fetch(url);
        const text = await res.text();
        const now = Date.now();
        if (res.status === 200) {
          for (const segment of segmentsOf(text)) if (!seen.has(segment.uri)) seen.set(segment.uri, { ...segment, seenAt: now });
        }
      } catch {
        // the next poll tells
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return [...seen.values()];
    },
  };
}

/**
 * The MD5 of a segment's second video packet: the first P-frame, whose bytes a remux (`-c copy` through FLV and back
 * to MPEG-TS) leaves untouched, while the keyframe before it gets its parameter sets re-inserted. Two segments with
 * the same fingerprint hold the same frames.
 */
export function fingerprint(file: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      '/usr/bin/ffprobe',
      ['-v', 'error', '-select_streams', 'v:0', '-show_packets', '-show_data_hash', 'md5', '-read_intervals', '%+#2', '-show_entries', 'packet=data_hash', '-of', 'csv=p=0', file],
      { timeout: 30_000 },
      (err, stdout) => resolve(err ? undefined : /MD5:[0-9a-f]{32}/.exec(stdout.split('\n').filter((l) => l.includes('MD5:'))[1] ?? '')?.[0]),
    );
  });
}

/** Fingerprint → PDT (ms) of every segment a local HLS output (a playlist in `dir`) lists. */
export async function fingerprintsOf(dir: string, playlistName: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const playlist = await readFile(join(dir, playlistName), 'utf8');
  const names = new Set(await readdir(dir));
  for (const segment of segmentsOf(playlist)) {
    if (!names.has(segment.uri)) continue;
    const print = await fingerprint(join(dir, segment.uri));
    if (print) out.set(print, segment.pdt);
  }
  return out;
}

export interface PlayerSample {
  /** Date.now() in the page. */
  at: number;
  /** `hls.latency`: seconds from the live edge hls.js estimates to the playhead. */
  latency: number;
  /** Date.now() − `hls.playingDate`: how far behind the wall clock the picture is, by the stream's PDT, in ms. */
  behindPdtMs: number;
  /** `waiting` events since the page opened (its start included). */
  stalls: number;
  /** ms from the page's start to the video's first `playing`. */
  startupMs: number;
  /** Renditions hls.js switched to since the page opened (the first choice included). */
  switches: number;
  level: number;
  height: number;
}

const HLS_JS = join(import.meta.dirname, '../../node_modules/hls.js/dist/hls.min.js');

/**
 * A page on the server's own origin (routed by Playwright, so no CSP of the server applies) with hls.js configured as
 * Parvis's player configures it, playing `src` muted, and sampling every 500 ms once it plays.
 */
const PLAYER_PAGE = `<!doctype html><meta charset="utf-8"><video id="v" muted playsinline></video>
<script src="/__bench/hls.min.js"></script>
<script>
  const video = document.getElementById('v');
  const src = new URL(location.href).searchParams.get('src');
  window.samples = [];
  let stalls = 0;
  let startupMs = 0;
  const opened = performance.now();
  video.addEventListener('waiting', () => stalls++);
  video.addEventListener('playing', () => { if (!startupMs) startupMs = performance.now() - opened; });
  let switches = 0;
  // As client/src/player/hls-controller.ts configures it for a live stream.
  const hls = new Hls({ liveDurationInfinity: true, backBufferLength: 60 });
  hls.on(Hls.Events.MANIFEST_PARSED, () => video.play().catch(() => {}));
  hls.on(Hls.Events.LEVEL_SWITCHED, () => switches++);
  hls.loadSource(src);
  hls.attachMedia(video);
  setInterval(() => {
    if (video.paused || !(video.currentTime > 0) || !hls.playingDate) return;
    const level = hls.levels[hls.currentLevel];
    window.samples.push({ at: Date.now(), latency: hls.latency, behindPdtMs: Date.now() - hls.playingDate.getTime(), stalls, startupMs, switches, level: hls.currentLevel, height: level ? level.height : 0 });
  }, 500);
</script>`;

export interface Player {
  /** The samples taken since the page opened. */
  samples(): Promise<PlayerSample[]>;
  close(): Promise<void>;
}

let browser: Browser | undefined;

/**
 * Debian's Chromium, headless, closed with the bench whatever ends it; `extraArgs` add to the switches every row
 * uses (no sandbox, no GPU, no background traffic of its own).
 */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  const launched = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', ...extraArgs],
  });
  onCleanup(() => launched.close());
  return launched;
}

async function theBrowser(): Promise<Browser> {
  if (browser?.isConnected()) return browser;
  browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
  return browser;
}

/** Debian's Chromium, headless, playing `src` (a URL on `origin`) with hls.js. */
export async function openPlayer(origin: string, src: string): Promise<Player> {
  const b = await theBrowser();
  const page: Page = await b.newPage();
  await page.route(`${origin}/__bench/player.html*`, (route) => route.fulfill({ contentType: 'text/html', body: PLAYER_PAGE }));
  await page.route(`${origin}/__bench/hls.min.js`, (route) => route.fulfill({ contentType: 'text/javascript', path: HLS_JS }));
  await page.goto(`${origin}/__bench/player.html?src=${encodeURIComponent(src)}`);
  return {
    samples: () => page.evaluate(() => (globalThis as unknown as { samples: PlayerSample[] }).samples),
    close: () => page.close(),
  };
}

export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = undefined;
}
