/**
 * The `rooms` bench row's worker: `node --import tsx e2e/rooms/bench-participants.ts --out=file [--sizes=3,6]
 * [--warmup-ms=5000] [--measure-ms=20000]`, run by bench/benchmarks/rooms.ts through in-netns.sh, so that Janus and
 * Chromium are alone on the namespace's loopback as in the room specs.
 *
 * For each size N: a fresh Janus (the harness's, one room), N probe pages in one Chromium run under `nice -n 19` (so
 * that Janus gets a core first when the two cores are short: the browsers stand for N people's own computers), each
 * publishing the fake camera and microphone and receiving the N − 1 others. Once every page receives N − 1 audio and
 * video streams, a warm-up, then Janus's CPU (/proc/<pid>/stat, all threads) and RSS over the measured window.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CpuWindow, rssBytes } from '../../bench/lib/proc';
import type { RoomsResult, RoomsStep } from '../../bench/lib/rooms-result';
import { JANUS_BIN, startJanus } from './janus';
import { assertRoomNamespace, ICE_INTERFACE } from './netns';
import { ROOM_CHROMIUM_ARGS } from './chromium-args';
import { startProbeServer } from './probe/probe-server';
import { inboundMedia, liveInboundReader, recordPeerConnections, type LiveInbound } from './webrtc-stats';

const ROOM = 4_015;
const ROOM_BITRATE = 256_000;

function option(name: string, fallback?: string): string {
  const found = process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=', 2)[1] ?? fallback;
  if (found === undefined) throw new Error(`--${name}= is required`);
  return found;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** What to stop when the bench stops this worker (SIGTERM) in the middle of a step: Janus, the browser. */
const running = new Set<() => Promise<void>>();
process.once('SIGTERM', () => {
  void Promise.allSettled([...running].map((stop) => stop())).finally(() => process.exit(1));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until every page receives `others` audio and video streams with bytes rising; answers the last readings. */
async function allFlowing(pages: Page[], others: number, timeoutMs: number): Promise<LiveInbound[]> {
  const readers = pages.map((page) => liveInboundReader(page));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const readings = await Promise.all(readers.map((read) => read()));
    if (readings.every((r) => r.audio === others && r.video === others)) return readings;
    if (Date.now() > deadline) throw new Error(`not every page receives ${others} audio and video streams: ${JSON.stringify(readings)}`);
    await sleep(1_000);
  }
}

async function receivedBytes(pages: Page[]): Promise<number> {
  const all = await Promise.all(pages.map((page) => inboundMedia(page)));
  return all.flat().reduce((sum, stream) => sum + stream.bytesReceived, 0);
}

async function measure(browser: Browser, probeUrl: string, participants: number, warmupMs: number, measureMs: number): Promise<RoomsStep> {
  const janus = await startJanus({ wsPort: await freePort(), rooms: [{ id: ROOM, publishers: participants, bitrate: ROOM_BITRATE }], iceInterface: ICE_INTERFACE });
  running.add(janus.stop);
  const contexts = [];
  try {
    const janusRssIdle = rssBytes(janus.pid);
    const pages: Page[] = [];
    for (let i = 0; i < participants; i += 1) {
      const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
      contexts.push(context);
      await recordPeerConnections(context);
      const page = await context.newPage();
      await page.goto(probeUrl);
      await page.evaluate((join) => window.probeJoin(join), { server: janus.wsUrl, room: ROOM, display: `P${i + 1}` });
      pages.push(page);
    }
    await allFlowing(pages, participants - 1, 120_000);
    await sleep(warmupMs);
    const flowing = await allFlowing(pages, participants - 1, 30_000);
    const bytes0 = await receivedBytes(pages);
    const used = new CpuWindow({ janus: janus.pid });
    await sleep(measureMs);
    const cpu = used.end();
    const bytes1 = await receivedBytes(pages);
    const janusCpu = cpu.procs['janus']!;
    return {
      participants,
      wallMs: cpu.wallMs,
      janusPctOfCore: janusCpu.pctOfCore,
      janusWaitPct: janusCpu.waitPct,
      othersPctOfCore: (100 * cpu.othersMs) / cpu.wallMs,
      janusRssIdle,
      janusRss: rssBytes(janus.pid),
      forwardedKbps: ((bytes1 - bytes0) * 8) / cpu.wallMs,
      flowing,
      roomBitrate: ROOM_BITRATE,
    };
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
    running.delete(janus.stop);
    await janus.stop();
  }
}

async function main(): Promise<void> {
  assertRoomNamespace();
  const out = option('out');
  const sizes = option('sizes', '3,6').split(',').map(Number);
  const warmupMs = Number(option('warmup-ms', '5000'));
  const measureMs = Number(option('measure-ms', '20000'));
  // Chromium under `nice -n 19`: Playwright starts the wrapper, which becomes Chromium (exec keeps its pipes).
  const dir = mkdtempSync(join(tmpdir(), 'parvis-rooms-bench-'));
  const niced = join(dir, 'chromium-nice');
  writeFileSync(niced, '#!/bin/sh\nexec nice -n 19 /usr/bin/chromium "$@"\n');
  chmodSync(niced, 0o755);
  const probe = await startProbeServer();
  const browser = await chromium.launch({ executablePath: niced, args: ROOM_CHROMIUM_ARGS });
  running.add(() => browser.close());
  try {
    const steps: RoomsStep[] = [];
    for (const size of sizes) steps.push(await measure(browser, probe.url, size, warmupMs, measureMs));
    // Janus prints its version first whatever the option, then refuses `--version` (exit 1).
    const janusVersion = spawnSync(JANUS_BIN, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]!.trim();
    const result: RoomsResult = { chromium: browser.version(), janus: janusVersion, steps };
    writeFileSync(out, JSON.stringify(result));
  } finally {
    await browser.close();
    await probe.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
