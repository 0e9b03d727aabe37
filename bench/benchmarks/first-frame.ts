import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { fetchText, ingestProcesses, percentileOf, playable, publish, startBroadcastServer, until, uris, type BroadcastServer } from '../lib/broadcast';
import { onCleanup } from '../lib/cleanup';
import type { Bench, Ctx } from '../lib/context';
import { launchChromium } from '../lib/hls-watch';
import { CpuWindow, type CpuReport } from '../lib/proc';
import { cpuLine, pct, type Row } from '../lib/report';

const ROOT = resolve(import.meta.dirname, '../..');
const TARGET_P95_MS = 1000;
const LIVE = 'direct';
const REPLAY = 'rediffusion';
/** Segments the live playlist lists once a live is well under way (the transcoder's window). */
const WINDOW = 6;
/** How long the replay's talk is published before it ends: a short replay of a few segments. */
const REPLAY_PUBLISH_MS = 12_000;
const HLS_VERSION = (JSON.parse(readFileSync(resolve(ROOT, 'node_modules/hls.js/package.json'), 'utf8')) as { version: string }).version;

/** Where one load's time went, ms since navigation start, from the Performance API in the page. */
interface Load {
  frame: number;
  htmlEnd: number;
  domContentLoaded: number;
  entryScriptEnd: number;
  eventApiEnd: number;
  videoAt: number;
  hlsChunkStart: number;
  hlsChunkEnd: number;
  /** From its request to its sending: waiting for one of the 6 connections HTTP/1.1 allows per host. */
  hlsChunkQueued: number;
  /** From its sending to its first byte: the server. */
  hlsChunkWait: number;
  hlsChunkBytes: number;
  masterEnd: number;
  mediaPlaylistEnd: number;
  firstSegmentStart: number;
  firstSegmentEnd: number;
  loadeddata: number;
  playing: number;
  pausedAtFrame: boolean;
  muted: boolean;
  /** Web Workers the page started before its first frame. */
  workers: number;
  segmentsBeforeFrame: number;
  bytesBeforeFrame: number;
}

/*
 * Runs in every page before its own scripts. The player renders its `<video>` in a shadow root inside others (the app,
 * the event page, the stage, the player), which a document-level query or listener cannot see: every shadow root
 * attached is observed, and the first `<video>` added anywhere is hooked as soon as it is inserted. It notes, on the
 * page's clock (performance.now(): navigation start is 0), when the video was inserted, the presentation time of the
 * first frame handed to the compositor (`requestVideoFrameCallback`), `loadeddata` and `playing`, and whether the
 * video was paused (a replay waits for the viewer's play) and muted at its first frame.
 */
const INIT_SCRIPT = `(() => {
  const marks = {};
  window.__firstFrame = marks;
  const hook = (video) => {
    if (marks.videoAt !== undefined) return;
    marks.videoAt = performance.now();
    marks.muted = video.muted;
    video.requestVideoFrameCallback((now, meta) => {
      marks.frameAt = meta.presentationTime;
      marks.frameCallbackAt = now;
      marks.pausedAtFrame = video.paused;
      marks.muted = video.muted;
      window.__firstFrameSeen();
    });
    video.addEventListener('loadeddata', () => { marks.loadeddataAt ??= performance.now(); });
    video.addEventListener('playing', () => { marks.playingAt ??= performance.now(); });
  };
  const look = (node) => {
    if (marks.videoAt !== undefined || !(node instanceof Element || node instanceof DocumentFragment)) return;
    if (node instanceof HTMLVideoElement) return hook(node);
    const video = node.querySelector('video');
    if (video) hook(video);
  };
  const observe = (root) =>
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) look(n);
    }).observe(root, { childList: true, subtree: true });
  // hls.js transmuxes in a Web Worker when its build can start one: counted, to tell where that work runs.
  marks.workers = 0;
  const NativeWorker = window.Worker;
  window.Worker = function (...args) {
    marks.workers++;
    return new NativeWorker(...args);
  };
  window.Worker.prototype = NativeWorker.prototype;
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    observe(root);
    return root;
  };
  observe(document);
})();`;

/** Runs in the page once its first frame is presented: the marks and the Performance API's timings, as a `Load`. */
const COLLECT = `(() => {
  const marks = window.__firstFrame;
  const frame = marks.frameAt;
  const nav = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource');
  const path = (r) => new URL(r.name).pathname;
  const first = (test) => resources.find((r) => test(path(r)));
  const end = (r) => (r ? r.responseEnd : NaN);
  const playlists = resources.filter((r) => path(r).endsWith('.m3u8'));
  const segments = resources.filter((r) => /\\.(ts|m4s|mp4)$/.test(path(r)));
  const before = segments.filter((r) => r.responseEnd <= frame);
  const hlsChunk = first((p) => /\\/(assets\\/hls-[^/]*\\.js|hls\\.min\\.mjs)$/.test(p));
  return {
    frame,
    htmlEnd: nav.responseEnd,
    domContentLoaded: nav.domContentLoadedEventEnd,
    entryScriptEnd: end(first((p) => /\\/assets\\/index-[^/]*\\.js$/.test(p))),
    eventApiEnd: end(first((p) => /^\\/api\\/events\\/[^/]+$/.test(p))),
    videoAt: marks.videoAt ?? NaN,
    hlsChunkStart: hlsChunk ? hlsChunk.startTime : NaN,
    hlsChunkEnd: end(hlsChunk),
    hlsChunkQueued: hlsChunk ? hlsChunk.requestStart - hlsChunk.startTime : NaN,
    hlsChunkWait: hlsChunk ? hlsChunk.responseStart - hlsChunk.requestStart : NaN,
    hlsChunkBytes: hlsChunk ? hlsChunk.transferSize : NaN,
    masterEnd: end(playlists[0]),
    mediaPlaylistEnd: end(playlists[1]),
    firstSegmentStart: segments[0] ? segments[0].startTime : NaN,
    firstSegmentEnd: end(segments[0]),
    loadeddata: marks.loadeddataAt ?? NaN,
    playing: marks.playingAt ?? NaN,
    pausedAtFrame: marks.pausedAtFrame ?? false,
    muted: marks.muted ?? false,
    workers: marks.workers,
    segmentsBeforeFrame: before.length,
    bytesBeforeFrame: before.reduce((sum, r) => sum + (r.encodedBodySize || r.transferSize), 0),
  };
})()`;

/** One viewer's first visit: a fresh browser context (empty cache, no cookies), the watch page, its first frame. */
interface Page {
  url: string;
  /** A script run in the page before its own, for an experiment. */
  init?: string;
}

async function load(browser: Browser, page: Page): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  try {
    // The page's CSP forbids eval, which waitForFunction needs: the init script calls this binding instead.
    let seen!: () => void;
    const presented = new Promise<void>((r) => (seen = r));
    await context.exposeFunction('__firstFrameSeen', () => seen());
    await context.addInitScript(INIT_SCRIPT);
    if (page.init) await context.addInitScript(page.init);
    const tab = await context.newPage();
    let timer: NodeJS.Timeout | undefined;
    try {
      await tab.goto(page.url, { waitUntil: 'commit' });
      await Promise.race([
        presented,
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no video frame within 30 s at ${page.url}`)), 30_000))),
      ]);
    } finally {
      clearTimeout(timer);
    }
    return (await tab.evaluate(COLLECT)) as Load;
  } finally {
    await context.close();
  }
}

type Kind = 'live' | 'replay' | 'peerLive' | 'peerReplay' | 'livePreload';
const KINDS: readonly Kind[] = ['live', 'replay', 'peerLive', 'peerReplay', 'livePreload'];

/**
 * The experiment: the live's watch page with the hls.js chunk preloaded from the start (a `<link rel=modulepreload>`
 * added before the page's own scripts run), as the page would get it if the server listed it in the HTML of
 * `/events/:id`, or the app started `import('hls.js')` as soon as the route is known. Nothing else changes.
 */
function preloadScript(chunk: string): string {
  return `(() => {
  const add = () => {
    const link = document.createElement('link');
    link.rel = 'modulepreload';
    link.href = ${JSON.stringify(chunk)};
    document.documentElement.appendChild(link);
  };
  if (document.documentElement) add();
  else new MutationObserver((_, observer) => { if (document.documentElement) { observer.disconnect(); add(); } }).observe(document, { childList: true });
})();`;
}

/**
 * `count` loads of each page, in turn (live, replay, the peer's live, the peer's replay, live…) so that all see the
 * same machine: what else runs on it changes over a run, and a drift would otherwise show as a difference.
 */
async function loads(ctx: Ctx, browser: Browser, pages: Record<Kind, Page>, count: number): Promise<Record<Kind, Load[]>> {
  // One visit of each first, not counted: the server's first answers of each file (its disk reads) are no part of
  // what a viewer gets from a server in use. The browser's cache does not carry over (a new context each time).
  for (const kind of KINDS) await load(browser, pages[kind]);
  const out: Record<Kind, Load[]> = { live: [], replay: [], peerLive: [], peerReplay: [], livePreload: [] };
  for (let i = 0; i < count; i++) {
    for (const kind of KINDS) out[kind].push(await load(browser, pages[kind]));
    if (i === 0 || (i + 1) % 5 === 0) {
      ctx.log(`load ${i + 1} of ${count}: first frame at ${KINDS.map((k) => `${ms(out[k][i]!.frame)} (${k})`).join(', ')}`);
    }
  }
  return out;
}

/*
 * The peer: the same stream in a page that is nothing but hls.js, configured as Parvis's player configures it (muted
 * autoplay for a live, no autoplay for a replay): what the browser, the machine and the stream cost without the app.
 * Served by this process on another loopback port (the ES module build of the same hls.js version, which the
 * client's chunk is made from, brotli as Parvis serves its chunk); the playlists and segments come from Parvis, cross-origin (its media answers CORS).
 */
const PEER_PAGE = `<!doctype html><meta charset="utf-8"><title>peer</title>
<video controls playsinline preload="metadata"></video>
<script type="module">
  import Hls from '/hls.min.mjs';
  const video = document.querySelector('video');
  const params = new URL(location.href).searchParams;
  const live = params.get('live') === '1';
  video.muted = live;
  video.autoplay = live;
  const hls = new Hls({ liveDurationInfinity: live, backBufferLength: 60 });
  hls.on(Hls.Events.MANIFEST_PARSED, () => { if (live) video.play().catch(() => {}); });
  hls.attachMedia(video);
  hls.loadSource(params.get('src'));
</script>`;

async function startPeer(): Promise<{ origin: string; close(): Promise<void> }> {
  const hlsJs = brotliCompressSync(readFileSync(resolve(ROOT, 'node_modules/hls.js/dist/hls.min.mjs')));
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/peer.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
      res.end(PEER_PAGE);
    } else if (path === '/hls.min.mjs') {
      res.writeHead(200, { 'content-type': 'text/javascript', 'content-encoding': 'br', 'cache-control': 'public, max-age=31536000, immutable' });
      res.end(hlsJs);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const unregister = onCleanup(() => new Promise<void>((r) => server.close(() => r())));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      unregister();
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** "1 or 2" */
const distinct = (xs: number[]): string => [...new Set(xs)].sort((a, b) => a - b).join(' or ');
const ms = (x: number): string => (Number.isFinite(x) ? `${Math.round(x)} ms` : '—');
const p50 = (xs: number[]) => percentileOf(xs.filter(Number.isFinite), 50);
const p95 = (xs: number[]) => percentileOf(xs.filter(Number.isFinite), 95);

/** The median of each step, in the order a load goes through them. */
function breakdown(runs: Load[]): string {
  const step = (name: string, pick: (l: Load) => number) => (Number.isFinite(p50(runs.map(pick))) ? `${name} ${ms(p50(runs.map(pick)))}` : '');
  return [
    step('HTML received', (l) => l.htmlEnd),
    step('entry script received', (l) => l.entryScriptEnd),
    step('DOMContentLoaded', (l) => l.domContentLoaded),
    step('event fetched (`/api/events/:id`)', (l) => l.eventApiEnd),
    step('`<video>` in the page', (l) => l.videoAt),
    step('hls.js (chunk or module) requested', (l) => l.hlsChunkStart),
    step('hls.js received', (l) => l.hlsChunkEnd),
    step('master playlist received', (l) => l.masterEnd),
    step('media playlist received', (l) => l.mediaPlaylistEnd),
    step('first segment requested', (l) => l.firstSegmentStart),
    step('first segment received', (l) => l.firstSegmentEnd),
    step('`loadeddata`', (l) => l.loadeddata),
    step('first frame presented', (l) => l.frame),
    step('`playing`', (l) => l.playing),
  ]
    .filter(Boolean)
    .join(' → ');
}

/**
 * The steps of a load, each the time between two marks of the same load (so that their medians are those of real
 * loads, not differences of medians). They follow one another: their sum is the time to the first frame.
 */
const STEPS: Array<[string, (l: Load) => number]> = [
  ['the HTML', (l) => l.htmlEnd],
  ['the app (entry script fetched, run, DOMContentLoaded)', (l) => l.domContentLoaded - l.htmlEnd],
  ['the event (`/api/events/:id`) after DOMContentLoaded', (l) => l.eventApiEnd - l.domContentLoaded],
  ['rendering up to the player\'s `<video>`', (l) => l.videoAt - l.eventApiEnd],
  // The player requests hls.js only once its `<video>` is in; in the experiment it is there before (0 ms).
  ['waiting for the hls.js chunk once the `<video>` is in', (l) => Math.max(0, l.hlsChunkEnd - l.videoAt)],
  ['running hls.js and fetching the master playlist', (l) => l.masterEnd - Math.max(l.hlsChunkEnd, l.videoAt)],
  ['the media playlist', (l) => l.mediaPlaylistEnd - l.masterEnd],
  ['hls.js until it asks for the first segment', (l) => l.firstSegmentStart - l.mediaPlaylistEnd],
  ['the first segment', (l) => l.firstSegmentEnd - l.firstSegmentStart],
  ['demuxing, appending and decoding to the first frame (and any further segment)', (l) => l.frame - l.firstSegmentEnd],
];

function steps(runs: Load[]): Array<{ name: string; ms: number }> {
  return STEPS.map(([name, pick]) => ({ name, ms: p50(runs.map(pick)) }));
}

/** The two longest steps, by their medians: where most of the time goes. */
function slowestSteps(runs: Load[]): string {
  return steps(runs)
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 2)
    .map((s) => `${s.name} ${ms(s.ms)}`)
    .join('; ');
}

/** The hls.js chunk's own timings: queued for a connection, the server's answer, its size. */
function chunkLine(runs: Load[]): string {
  return (
    `the hls.js chunk, medians: ${ms(p50(runs.map((l) => l.hlsChunkQueued)))} queued for a free connection (HTTP/1.1: 6 per host, shared with the API calls and socket.io's polling), ` +
    `${ms(p50(runs.map((l) => l.hlsChunkWait)))} from sent to first byte, ${(p50(runs.map((l) => l.hlsChunkBytes)) / 1024).toFixed(0)} KiB transferred (brotli)`
  );
}

function row(kind: string, runs: Load[], peer: Load[], cpu: CpuReport): Row {
  const frames = runs.map((l) => l.frame);
  const a = p50(frames);
  const b = p95(frames);
  const peerFrames = peer.map((l) => l.frame);
  const ok = b <= TARGET_P95_MS;
  const app = `the app adds ${ms(a - p50(peerFrames))} to the peer's p50`;
  // The machine is shared: how busy it was says how much of a figure is waiting for a core.
  const machine =
    `meanwhile the Parvis server was runnable but waiting for a core ${pct(cpu.procs.parvis?.waitPct ?? NaN)} of the time, ` +
    `and processes other than Parvis, the ingest and the publisher (Chromium among them) used ${pct((100 * cpu.othersMs) / cpu.wallMs)} of a core`;
  return {
    bench: 'firstframe',
    metric: `${kind}: navigation → first video frame presented, Chromium, a first visit (empty cache), p50 / p95`,
    value: `${ms(a)} / ${ms(b)} (${runs.length} loads; peer, a page of hls.js alone: ${ms(p50(peerFrames))} / ${ms(p95(peerFrames))})`,
    target: `p95 ≤ ${ms(TARGET_P95_MS)}`,
    verdict: ok ? 'pass' : 'miss',
    ...(ok
      ? { why: `${app}; longest steps (medians): ${slowestSteps(runs)}; ${machine}` }
      : { missBy: `+${ms(b - TARGET_P95_MS)}`, why: `${app}; longest steps (medians): ${slowestSteps(runs)}; ${machine}; the steps in the details` }),
  };
}

/** What preloading the hls.js chunk would save on the live page, measured in the same run. */
function experimentRow(live: Load[], preloaded: Load[]): Row {
  const frames = preloaded.map((l) => l.frame);
  const saved = p50(live.map((l) => l.frame)) - p50(frames);
  const wait = (runs: Load[]) => ms(p50(runs.map((l) => Math.max(0, l.hlsChunkEnd - l.videoAt))));
  return {
    bench: 'firstframe',
    metric: 'experiment, live: the same page with the hls.js chunk preloaded from the start (`<link rel=modulepreload>`), p50 / p95',
    value: `${ms(p50(frames))} / ${ms(p95(frames))} (${preloaded.length} loads)`,
    target: '',
    verdict: 'report',
    why:
      `${saved >= 0 ? `${ms(saved)} less` : `${ms(-saved)} more`} than the live row at p50: the wait for hls.js once the \`<video>\` is in goes from ${wait(live)} to ${wait(preloaded)} (medians); ` +
      'what listing the chunk in the HTML of `/events/:id` or starting `import(\'hls.js\')` with the route would give',
  };
}

/**
 * Time to first frame: a viewer's first visit to the watch page (`/events/:id`), in Debian's Chromium on loopback,
 * from navigation start to the first video frame the page presents, for a live event (the ingest transcoding ffmpeg's
 * 720p test pattern, published as OBS does) and for a replay (a short talk published, then ended and assembled).
 */
export const firstFrameBench: Bench = {
  id: 'firstframe',
  title: 'Time to first frame of the watch page (live and replay) in Chromium',
  budgetMs: (ctx) => (ctx.quick ? 420_000 : 1_200_000),
  async run(ctx) {
    const count = ctx.quick ? 5 : 20;
    // The page the server serves is the build: made now, so that the figures are those of the code checked out.
    ctx.log('building the client (vite build)');
    execFileSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    const hlsChunk = readdirSync(resolve(ROOT, 'dist/client/assets')).find((f) => /^hls-[^.]*\.js$/.test(f));
    if (!hlsChunk) throw new Error('the build has no hls-*.js chunk: the player no longer loads hls.js lazily? (update this row)');

    let b: BroadcastServer | undefined;
    let browser: Browser | undefined;
    let peer: Awaited<ReturnType<typeof startPeer>> | undefined;
    try {
      b = await startBroadcastServer('firstframe', { events: [LIVE, REPLAY], env: { INGEST_RECONNECT_SECONDS: '2' } });
      const origin = b.server.url;

      // The replay: a short talk published, ended, assembled.
      const replayPublisher = publish(b.rtmpPort!, await b.streamKey(REPLAY));
      try {
        await until('the replay talk live', async () => ((await b!.event(REPLAY)).status === 'live' ? true : undefined), 60_000, 100);
        await new Promise((r) => setTimeout(r, REPLAY_PUBLISH_MS));
      } finally {
        await replayPublisher.stop();
      }
      await b.setStatus(REPLAY, 'ended');
      const replayUrl = await until('the replay', async () => (await b!.event(REPLAY)).replayUrl, 120_000, 200);
      const replayMedia = await until('the replay playable', () => playable(new URL(replayUrl, origin).href), 60_000, 200);
      const replaySegments = uris((await fetchText(replayMedia)) ?? '').length;

      browser = await launchChromium(['--disable-component-update', '--disable-sync']);
      const version = browser.version();
      peer = await startPeer();
      const peerPage = (src: string, live: boolean) => `${peer!.origin}/peer.html?live=${live ? 1 : 0}&src=${encodeURIComponent(new URL(src, origin).href)}`;

      // The live: published for the whole of the loads, each viewer arriving in a live well under way.
      const livePublisher = publish(b.rtmpPort!, await b.streamKey(LIVE));
      let runs: Record<Kind, Load[]>;
      let cpu: CpuReport;
      try {
        const streamUrl = await until('the live event', async () => {
          const event = await b!.event(LIVE);
          return event.status === 'live' ? event.streamUrl : undefined;
        }, 60_000, 100);
        const liveMedia = await until('the live playable', () => playable(new URL(streamUrl, origin).href), 60_000, 200);
        await until('a full live window', async () => (uris((await fetchText(liveMedia)) ?? '').length >= WINDOW ? true : undefined), 60_000, 200);
        const used = new CpuWindow({ parvis: b.server.pid, publisher: livePublisher.child.pid!, ...ingestProcesses(b.server.pid) });
        runs = await loads(
          ctx,
          browser,
          {
            live: { url: `${origin}/events/${LIVE}` },
            replay: { url: `${origin}/events/${REPLAY}` },
            peerLive: { url: peerPage(streamUrl, true) },
            peerReplay: { url: peerPage(replayUrl, false) },
            livePreload: { url: `${origin}/events/${LIVE}`, init: preloadScript(`/assets/${hlsChunk}`) },
          },
          count,
        );
        cpu = used.end();
      } finally {
        await livePublisher.stop();
      }

      const facts = (loaded: Load[]) =>
        `${loaded.filter((l) => l.pausedAtFrame).length} of ${loaded.length} first frames presented paused, ${loaded.filter((l) => l.muted).length} muted; ` +
        `Web Workers started: ${distinct(loaded.map((l) => l.workers))}; ` +
        `segments fetched before the first frame: ${distinct(loaded.map((l) => l.segmentsBeforeFrame))}` +
        (p50(loaded.map((l) => l.bytesBeforeFrame)) > 0 ? ` (median ${(p50(loaded.map((l) => l.bytesBeforeFrame)) / 1024).toFixed(0)} KiB)` : '');
      const all = (loaded: Load[]) => loaded.map((l) => Math.round(l.frame)).join(', ');
      // The peer has no app: only its marks (its module script, hls.js, runs before DOMContentLoaded).
      const section = (title: string, kind: Kind): string[] => [
        `- **${title}**: ${facts(runs[kind])}; each load (ms): ${all(runs[kind])}`,
        `  - marks, medians: ${breakdown(runs[kind])}`,
        ...(kind === 'live' || kind === 'replay' || kind === 'livePreload'
          ? [`  - steps, medians: ${steps(runs[kind]).map((x) => `${x.name} ${ms(x.ms)}`).join('; ')}`, `  - ${chunkLine(runs[kind])}`]
          : []),
      ];
      return {
        rows: [row('live', runs.live, runs.peerLive, cpu), row('replay', runs.replay, runs.peerReplay, cpu), experimentRow(runs.live, runs.livePreload)],
        details: [
          `- Chromium ${version} (Debian's, headless, \`--disable-gpu\`, default autoplay policy: Parvis's live player starts muted, which needs no gesture); each load a new browser context (empty HTTP cache, no cookies or storage: a viewer's first visit), 1280×720, \`page.goto(/events/:id)\`; one load of each page before the ${count} counted, to warm the server, not the browser`,
          '- the clock: the page\'s own `performance.now()` (0 = navigation start); the first frame is the `presentationTime` of the first `requestVideoFrameCallback` on the player\'s `<video>` (hooked by an init script that observes every shadow root), the steps are the Performance API\'s navigation and resource timings of the same load',
          `- live: ffmpeg publishes the 720p30 test pattern (x264 2.5 Mb/s, a keyframe every 2 s) to the ingest throughout the loads, which start once the live playlist lists ${WINDOW} segments; the replay: ${REPLAY_PUBLISH_MS / 1000} s published, then ended and assembled (${replaySegments} segments); the five pages (live, replay, the peer's live, the peer's replay, the experiment) loaded in turn, one after the other`,
          '- a replay does not autoplay (the viewer presses play): its first frame is the still picture the player shows once hls.js buffered the first segment, no click scripted',
          `- the peer: a page that is only hls.js ${HLS_VERSION} (its ES module build \`hls.min.mjs\`, the one the client bundles, brotli), configured as Parvis's player, served by the bench on another loopback port, playing the same playlists from Parvis (cross-origin, which its media answers allow: without Timing-Allow-Origin their resource timings keep only start and end, and no sizes); its own connections, 6 more`,
          `- ${cpuLine(cpu)}; "other processes" are Chromium's and whatever else ran on the machine (the publisher stands for OBS, which would run elsewhere)`,
          ...section('live', 'live'),
          ...section('replay', 'replay'),
          ...section("the peer's live", 'peerLive'),
          ...section("the peer's replay", 'peerReplay'),
          ...section('experiment: the live with the hls.js chunk preloaded from the start', 'livePreload'),
        ],
      };
    } finally {
      await browser?.close();
      await peer?.close();
      await b?.stop();
    }
  },
};
