import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { onCleanup, trackChild } from '../lib/cleanup';
import type { Bench } from '../lib/context';
import type { Row } from '../lib/report';
import type { RoomsResult, RoomsStep } from '../lib/rooms-result';

const ROOT = resolve(import.meta.dirname, '../..');
/** The issue's note from a first trial on this kind of machine, which the figures are read against (no target). */
const NOTE = 'the issue\'s note: "about 2–3 % of a core per participant" (6 headless Chromium participants)';

/** One decimal: a participant's share is a few % of a core, which whole percents would blur. */
const pct = (x: number) => `${x.toFixed(1)}%`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function row(step: RoomsStep): Row {
  const n = step.participants;
  const perCpu = step.janusPctOfCore / n;
  const perRss = (step.janusRss - step.janusRssIdle) / n;
  return {
    bench: 'rooms',
    metric: `Janus CPU and RSS per participant, ${n} participants (audio + video, each receiving the ${n - 1} others)`,
    value: `${pct(perCpu)} of a core, ${mib(perRss)} RSS`,
    target: 'report',
    verdict: 'report',
    why:
      `totals: Janus ${pct(step.janusPctOfCore)} of a core, RSS ${mib(step.janusRss)} (${mib(step.janusRssIdle)} with the room empty), ` +
      `forwarding ${(step.forwardedKbps / 1000).toFixed(1)} Mb/s to the ${n} pages; ${NOTE}`,
  };
}

/**
 * Janus's CPU and memory per participant of a videoroom, at 3 and 6 participants: e2e/rooms/bench-participants.ts
 * runs inside a network namespace of its own (e2e/rooms/in-netns.sh, as the room specs), with the probe pages in a
 * Chromium under `nice -n 19`, and writes its figures as JSON.
 */
export const roomsBench: Bench = {
  id: 'rooms',
  title: 'Janus CPU and memory per room participant (3 and 6 participants)',
  budgetMs: (ctx) => (ctx.quick ? 240_000 : 420_000),
  async run(ctx) {
    const dir = mkdtempSync(join(tmpdir(), 'parvis-bench-rooms-'));
    const out = join(dir, 'rooms.json');
    const measureMs = ctx.quick ? 8_000 : 30_000;
    const warmupMs = ctx.quick ? 3_000 : 10_000;
    ctx.log(`3 then 6 participants in a Janus videoroom, inside a network namespace; Janus measured for ${measureMs / 1000} s each`);
    const child = spawn(
      join(ROOT, 'e2e/rooms/in-netns.sh'),
      [process.execPath, '--import', 'tsx', 'e2e/rooms/bench-participants.ts', `--out=${out}`, '--sizes=3,6', `--warmup-ms=${warmupMs}`, `--measure-ms=${measureMs}`],
      { cwd: ROOT, stdio: ['ignore', 'inherit', 'pipe'] },
    );
    trackChild(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
    const stopWorker = onCleanup(async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    });
    try {
      const code = await new Promise<number | null>((r) => child.once('exit', r));
      if (code !== 0) throw new Error(`the rooms worker exited with ${code}: ${stderr}`);
      const result = JSON.parse(readFileSync(out, 'utf8')) as RoomsResult;
      return {
        rows: result.steps.map(row),
        details: [
          `- ${result.janus} (Debian's), the videoroom plugin and the WebSocket transport only, one room (VP8 and Opus, publishers' video capped at ${(result.steps[0]?.roomBitrate ?? 0) / 1000} kbit/s by the room's \`bitrate\`); a fresh Janus per size`,
          `- Chromium ${result.chromium} (Debian's, headless) under \`nice -n 19\`, one browser context per participant on the probe page (e2e/rooms/probe: janus.js from npm, publishing the fake camera and microphone, one subscriber connection per other participant), inside a network namespace of the run's own (loopback only: e2e/rooms/in-netns.sh)`,
          `- Janus's CPU: utime + stime of all its threads (/proc/<pid>/stat) over ${measureMs / 1000} s, from ${warmupMs / 1000} s after every page received audio and video from every other; RSS per participant = (RSS at the end − RSS with the room empty) ÷ participants`,
          ...result.steps.map(
            (step) =>
              `- ${step.participants} participants: Janus ${pct(step.janusPctOfCore)} of a core (its main thread waited for a core ${pct(step.janusWaitPct)} of the time), ` +
              `everything else on the machine ${pct(step.othersPctOfCore)} of a core (the browsers, mostly), forwarded ${(step.forwardedKbps / 1000).toFixed(2)} Mb/s, ` +
              `streams flowing per page at the start: ${step.flowing.map((f) => `${f.audio}a/${f.video}v`).join(', ')}`,
          ),
        ],
      };
    } finally {
      stopWorker();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
