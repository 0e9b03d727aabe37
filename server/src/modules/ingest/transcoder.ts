import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify, types } from 'hls-parser';
import type { Logger } from 'pino';
import type { StreamHealth } from '#shared/domain/broadcast';
import { listSessions, sessionDir } from '../../media/recordings';
import { encodedBandwidth, ffmpegArguments, type RenditionName } from './ladder';
import { codecsOf, probeSegment, type SegmentProbe } from './probe';
import { HealthMeter, healthOf, ProgressReader } from './stream-health';

/** How often the stream health is told (and the session folder looked at). */
export const HEALTH_INTERVAL_MS = 2000;
/** How often the session folder is looked at for new segments. */
const WATCH_INTERVAL_MS = 500;
/**
 * After an ffmpeg that had recorded something exits, how long to wait for the publisher's goodbye before taking
 * it for a crash of ffmpeg: nginx closes the players when the publisher leaves, and its hook may arrive just after.
 */
const RESTART_GRACE_MS = 1500;
/** Retries while the stream is not there yet (the hook answered, nginx has not opened the stream): 0.25 s → 2 s. */
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 2000;
/** ffmpeg is given this long to finish its files after SIGINT, then killed. */
const STOP_TIMEOUT_MS = 5000;
/** Without a progress report for this long, the stream is taken for stalled. */
const STALL_MS = 5000;

export interface TranscoderListener {
  /**
   * The first segments of every rendition of session `session` are on disk, with its master playlist: the live
   * playlist plays. Told once per session.
   */
  sessionStarted(eventId: string, session: number): void;
  /** The incoming stream's health, every {@link HEALTH_INTERVAL_MS} while someone publishes, and once when they stop. */
  health(eventId: string, health: StreamHealth): void;
}

export interface TranscoderOptions {
  ffmpegPath: string;
  ffprobePath: string;
  /** `rtmp://127.0.0.1:<port>/live`: where ffmpeg pulls the stream from, the local nginx. */
  pullBase: string;
  recordingsDir: string;
  ladder: readonly RenditionName[];
  segmentSeconds: number;
  listener: TranscoderListener;
  /**
   * Asked before ffmpeg is started again (after a crash, or while the stream is not there yet): whether the
   * broadcast still has its publisher. A deleted event or an ended broadcast stops the retries even if no goodbye
   * reached this process.
   */
  stillPublishing(eventId: string): Promise<boolean>;
  log: Logger;
  now?: () => Date;
}

/**
 * Debian's ffmpeg, spawned directly, one per event while someone publishes to it: it pulls the stream from the local
 * nginx and writes the ladder into a new session folder. Supervised: if ffmpeg dies while the publisher is still
 * on, it starts again into the next session folder (the live playlist shows a discontinuity, nothing is lost but the
 * moment of the restart); while the stream is not there yet, it retries.
 */
export class Transcoder {
  private readonly pipelines = new Map<string, Pipeline>();

  constructor(private readonly options: TranscoderOptions) {}

  /** Someone started publishing to this event with this key. */
  start(eventId: string, streamKey: string): void {
    const previous = this.pipelines.get(eventId);
    if (previous?.publishing && previous.streamKey === streamKey) return;
    // An ffmpeg of the previous publish may still be writing its last segment: the new one waits for it.
    const before = previous ? previous.stop(0) : Promise.resolve();
    const pipeline = new Pipeline(eventId, streamKey, this.options);
    this.pipelines.set(eventId, pipeline);
    void pipeline.run(before).finally(() => {
      if (this.pipelines.get(eventId) === pipeline) this.pipelines.delete(eventId);
    });
  }

  /**
   * The publisher left (or the broadcast ended): ffmpeg may finish by itself within `graceMs` (it reads the end of
   * the stream), then is asked to stop. Resolves once it has exited and its files are complete.
   */
  async stop(eventId: string, graceMs = 3000): Promise<void> {
    await this.pipelines.get(eventId)?.stop(graceMs);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.pipelines.values()].map((p) => p.stop(0)));
  }

  /** The pid of the ffmpeg recording this event now, if any (tests kill it to see the supervision at work). */
  ffmpegPid(eventId: string): number | undefined {
    return this.pipelines.get(eventId)?.pid;
  }
}

class Pipeline {
  publishing = true;
  private child: ChildProcess | undefined;
  private wake: (() => void) | undefined;
  private finished: Promise<void> | undefined;
  private readonly now: () => Date;
  private readonly log: Logger;
  private meter = new HealthMeter();
  private progress: ProgressReader;

  constructor(
    readonly eventId: string,
    readonly streamKey: string,
    private readonly o: TranscoderOptions,
  ) {
    this.now = o.now ?? (() => new Date());
    this.log = o.log.child({ eventId });
    this.progress = new ProgressReader(() => this.now().getTime());
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  run(after: Promise<void>): Promise<void> {
    this.finished = this.loop(after).catch((err: unknown) => {
      this.log.error({ err }, 'the transcoder stopped on an error: the broadcast is not being recorded');
    });
    return this.finished;
  }

  private async loop(after: Promise<void>): Promise<void> {
    await after;
    let failures = 0;
    while (this.publishing) {
      const session = ((await listSessions(this.o.recordingsDir, this.eventId)).at(-1) ?? 0) + 1;
      const dir = sessionDir(this.o.recordingsDir, this.eventId, session);
      await mkdir(dir, { recursive: true });
      // Stopped while the folder was being made: no ffmpeg may start after stop() (it would wait for it).
      if (!this.publishing) {
        await rm(dir, { recursive: true, force: true });
        break;
      }
      const exit = await this.runSession(dir, session);
      const recorded = await hasSegments(dir);
      this.log.debug({ exit, session, recorded }, 'ffmpeg exited');
      if (!recorded) {
        // The stream was not there yet (or went at once): the folder is reused by the next attempt.
        await rm(dir, { recursive: true, force: true });
        failures++;
        if (failures === 20) this.log.warn({ exit }, 'ffmpeg still cannot read the stream from nginx; retrying');
      } else {
        failures = 0;
      }
      if (!this.publishing) break;
      await this.pause(recorded ? RESTART_GRACE_MS : Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.min(failures, 4)));
      if (this.publishing && !(await this.o.stillPublishing(this.eventId).catch(() => true))) this.publishing = false;
      if (this.publishing && recorded) {
        this.log.warn({ exit, session }, 'ffmpeg stopped while the publisher is still on: recording into a new session');
      }
    }
    this.o.listener.health(this.eventId, healthOf(this.meter.figures(false, null), this.now()));
  }

  /** Runs ffmpeg into `dir` until it exits; meanwhile watches the folder for segments and tells the health. */
  private async runSession(dir: string, session: number): Promise<string> {
    const args = ffmpegArguments({
      input: `${this.o.pullBase}/${this.streamKey}`,
      dir,
      ladder: this.o.ladder,
      segmentSeconds: this.o.segmentSeconds,
    });
    // Its own process group: a Ctrl-C on the terminal reaches Parvis, which stops ffmpeg itself, in order.
    const child = spawn(this.o.ffmpegPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child = child;
    this.meter = new HealthMeter();
    this.progress = new ProgressReader(() => this.now().getTime());
    const stderr: string[] = [];
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => this.progress.push(chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr.push(...chunk.split('\n').filter(Boolean));
      stderr.splice(0, Math.max(0, stderr.length - 20));
    });
    const watcher = new SessionWatcher(dir, session, this.o, this.meter, this.log, () =>
      this.o.listener.sessionStarted(this.eventId, session),
    );
    const watch = setInterval(() => void watcher.look(), WATCH_INTERVAL_MS);
    const health = setInterval(() => {
      if (watcher.started) this.o.listener.health(this.eventId, this.health());
    }, HEALTH_INTERVAL_MS);
    try {
      const [code, signal] = (await once(child, 'exit').catch((err: unknown) => [err, null])) as [unknown, unknown];
      if (code instanceof Error) return `could not run ffmpeg (${this.o.ffmpegPath}): ${code.message}`;
      // The last segment was written as ffmpeg finished: look once more after any look under way, so that a short
      // session is not lost.
      await watcher.look();
      await watcher.look();
      return `ffmpeg exited with ${signal ? `signal ${String(signal)}` : `code ${String(code)}`}${stderr.length ? `: ${stderr.slice(-3).join(' | ')}` : ''}`;
    } finally {
      clearInterval(watch);
      clearInterval(health);
      this.child = undefined;
    }
  }

  private health(): StreamHealth {
    const last = this.progress.lastReportAt;
    const connected = this.publishing && last !== undefined && this.now().getTime() - last < STALL_MS;
    return healthOf(this.meter.figures(connected, this.progress.fps()), this.now());
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wake = undefined;
        resolve();
      }
      this.wake = done;
    });
  }

  /** Stops the pipeline: no restart; ffmpeg gets `graceMs` to end by itself, then SIGINT, then SIGKILL. */
  async stop(graceMs: number): Promise<void> {
    this.publishing = false;
    this.wake?.();
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit').catch(() => undefined);
      if (!(await within(exited, graceMs))) {
        child.kill('SIGINT');
        if (!(await within(exited, STOP_TIMEOUT_MS))) child.kill('SIGKILL');
      }
      await exited;
    }
    await this.finished;
  }
}

/** Looks at a session folder as ffmpeg fills it: announces the session once it plays, probes new source segments. */
class SessionWatcher {
  started = false;
  private looking: Promise<void> | undefined;
  private readonly probed = new Set<string>();
  private readonly mtimes = new Map<string, number>();

  constructor(
    private readonly dir: string,
    private readonly session: number,
    private readonly o: TranscoderOptions,
    private readonly meter: HealthMeter,
    private readonly log: Logger,
    private readonly onStarted: () => void,
  ) {}

  /** One look at a time: a slow probe under load must not pile up. */
  look(): Promise<void> {
    this.looking ??= this.lookOnce()
      .catch((err: unknown) => this.log.warn({ err, session: this.session }, 'could not read a session being recorded'))
      .finally(() => (this.looking = undefined));
    return this.looking;
  }

  private async lookOnce(): Promise<void> {
    const playlists = new Map<RenditionName, types.MediaPlaylist>();
    for (const name of this.o.ladder) {
      const playlist = await this.read(name);
      if (playlist) playlists.set(name, playlist);
    }
    if (!this.started) {
      if (this.o.ladder.some((name) => !playlists.get(name)?.segments.length)) return;
      await this.writeMaster(playlists);
      this.started = true;
      this.onStarted();
    }
    // The source's new segments feed the health: the stream as OBS sends it.
    const source = playlists.get(this.o.ladder[0]!);
    for (const segment of source?.segments ?? []) {
      if (this.probed.has(segment.uri)) continue;
      this.probed.add(segment.uri);
      const file = join(this.dir, segment.uri);
      const bytes = await stat(file).then((s) => s.size, () => 0);
      // Only the newest is probed: after a pause (a slow disk) there is no point in catching up on old ones.
      const newest = segment === source!.segments.at(-1);
      const probe = newest ? await probeSegment(this.o.ffprobePath, file).catch(() => undefined) : undefined;
      this.meter.addSegment(bytes, segment.duration, probe);
    }
  }

  private readonly cache = new Map<string, types.MediaPlaylist>();

  /** A rendition's playlist, parsed again only when ffmpeg rewrote it since the last look. */
  private async read(name: RenditionName): Promise<types.MediaPlaylist | undefined> {
    const file = join(this.dir, `${name}.m3u8`);
    const info = await stat(file).catch(() => undefined);
    if (!info) return undefined;
    if (this.mtimes.get(file) === info.mtimeMs) return this.cache.get(file);
    const playlist = parse(await readFile(file, 'utf8'));
    if (playlist.isMasterPlaylist) return undefined;
    this.mtimes.set(file, info.mtimeMs);
    this.cache.set(file, playlist as types.MediaPlaylist);
    return playlist as types.MediaPlaylist;
  }

  /**
   * The session's master playlist and `source.json`, from a probe of each rendition's first segment: ffmpeg's own
   * master gives a copied stream no CODECS and a wrong BANDWIDTH, and players choose renditions by them.
   */
  private async writeMaster(playlists: Map<RenditionName, types.MediaPlaylist>): Promise<void> {
    const variants: types.Variant[] = [];
    let sourceProbe: SegmentProbe | undefined;
    for (const name of this.o.ladder) {
      const playlist = playlists.get(name)!;
      const first = playlist.segments[0]!;
      const file = join(this.dir, first.uri);
      const probe = await probeSegment(this.o.ffprobePath, file).catch(() => undefined);
      if (name === this.o.ladder[0]) sourceProbe = probe;
      const bytes = await stat(file).then((s) => s.size, () => 0);
      const measured = Math.round(((bytes * 8) / Math.max(first.duration, 0.5)) * 1.2);
      const codecs = probe ? codecsOf(probe) : undefined;
      variants.push(
        new types.Variant({
          uri: `${name}.m3u8`,
          bandwidth: name === 'source' ? measured : Math.max(measured, encodedBandwidth(name)),
          ...(codecs && { codecs }),
          ...(probe?.video && { resolution: { width: probe.video.width, height: probe.video.height } }),
          ...(probe?.video?.fps && { frameRate: probe.video.fps }),
        }),
      );
    }
    const master = new types.MasterPlaylist({ version: 6, independentSegments: true, variants });
    await writeAtomically(join(this.dir, 'master.m3u8'), `${stringify(master).trimEnd()}\n`);
    const { keyframes: _k, videoFrames: _f, ...streams } = sourceProbe ?? { video: null, audio: null, keyframes: [], videoFrames: 0 };
    await writeAtomically(
      join(this.dir, 'source.json'),
      `${JSON.stringify({ probedAt: (this.o.now ?? (() => new Date()))().toISOString(), ...streams }, null, 2)}\n`,
    );
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.tmp`;
  await writeFile(temp, text);
  await rename(temp, file);
}

/** Whether ffmpeg finished at least one segment in the folder (a `.ts` not left with its temporary name). */
async function hasSegments(dir: string): Promise<boolean> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.some((name) => name.endsWith('.ts'));
}

/** Resolves true when `promise` settles within `ms`, false otherwise. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  if (ms <= 0) return Promise.race([promise.then(() => true), Promise.resolve(false)]);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
