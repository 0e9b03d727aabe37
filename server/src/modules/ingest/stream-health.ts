import type { StreamHealth, StreamWarning } from '#shared/domain/broadcast';
import type { SegmentProbe } from './probe';

/** Where the figures of a stream start to hurt viewers (the warnings of `StreamWarning`). */
export const HEALTH_LIMITS = {
  /** Past this, segments get long and the delay grows. */
  maxKeyframeIntervalSeconds: 4,
  minBitrateKbps: 500,
  /** A library's Wi-Fi cannot carry more to many viewers. */
  maxBitrateKbps: 8000,
  minFps: 20,
  minHeight: 480,
} as const;

export type HealthFigures = Omit<StreamHealth, 'warnings' | 'at'>;

/** The warnings of a set of figures; an unknown figure warns of nothing. */
export function warningsOf(f: HealthFigures): StreamWarning[] {
  const warnings: StreamWarning[] = [];
  if (f.keyframeIntervalSeconds !== null && f.keyframeIntervalSeconds > HEALTH_LIMITS.maxKeyframeIntervalSeconds) {
    warnings.push('keyframe-interval');
  }
  if (f.bitrateKbps !== null && f.bitrateKbps < HEALTH_LIMITS.minBitrateKbps) warnings.push('bitrate-low');
  if (f.bitrateKbps !== null && f.bitrateKbps > HEALTH_LIMITS.maxBitrateKbps) warnings.push('bitrate-high');
  if (f.fps !== null && f.fps < HEALTH_LIMITS.minFps) warnings.push('fps-low');
  if (f.height !== null && f.height < HEALTH_LIMITS.minHeight) warnings.push('resolution-low');
  if (f.audio === false) warnings.push('no-audio');
  return warnings;
}

/**
 * Reads ffmpeg's `-progress` output (blocks of `key=value` lines ending with `progress=continue`) and tells the
 * frame rate of the stream as it arrives: frames counted over media time, so the figure is the source's, not the
 * speed at which ffmpeg happens to catch up.
 */
export class ProgressReader {
  private partial = '';
  private block = new Map<string, string>();
  private blocks: { frame: number; outTimeUs: number; atMs: number }[] = [];

  constructor(private readonly now: () => number) {}

  /** Feeds a chunk of ffmpeg's stdout. */
  push(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      const eq = line.indexOf('=');
      if (eq < 0) continue;
      const key = line.slice(0, eq).trim();
      const value = line.slice(eq + 1).trim();
      if (key !== 'progress') {
        this.block.set(key, value);
        continue;
      }
      const frame = Number(this.block.get('frame'));
      const outTimeUs = Number(this.block.get('out_time_us'));
      this.block = new Map();
      if (!Number.isFinite(frame) || !Number.isFinite(outTimeUs)) continue;
      this.blocks.push({ frame, outTimeUs, atMs: this.now() });
      if (this.blocks.length > 10) this.blocks.shift();
    }
  }

  /** When ffmpeg last reported, in ms since 1970; undefined before it has. */
  get lastReportAt(): number | undefined {
    return this.blocks.at(-1)?.atMs;
  }

  /** Frames a second over the last few reports, or null until two reports a second apart of media time exist. */
  fps(): number | null {
    const last = this.blocks.at(-1);
    const first = this.blocks.find((b) => last && last.outTimeUs - b.outTimeUs >= 1_000_000);
    if (!last || !first || first === last) return null;
    const fps = ((last.frame - first.frame) * 1_000_000) / (last.outTimeUs - first.outTimeUs);
    return Number.isFinite(fps) && fps > 0 ? Math.round(fps * 10) / 10 : null;
  }
}

/**
 * The figures of the incoming stream, from the probes of the source rendition's segments (resolution, sound,
 * keyframes, bytes) and ffmpeg's progress (frame rate). One per broadcast; a new session starts it afresh, since
 * a reconnecting OBS may send another stream.
 */
export class HealthMeter {
  private readonly segments: { bytes: number; duration: number }[] = [];
  private lastProbe: SegmentProbe | undefined;
  private keyframes: number[] = [];

  /** A source segment of `bytes` and `duration` s was written and probed. */
  addSegment(bytes: number, duration: number, probe: SegmentProbe | undefined): void {
    this.segments.push({ bytes, duration });
    // About ten seconds: a bitrate that reacts within a few segments without jumping at each one.
    while (this.segments.length > 1 && this.segments.slice(1).reduce((s, x) => s + x.duration, 0) >= 10) this.segments.shift();
    if (!probe) return;
    this.lastProbe = probe;
    this.keyframes = [...this.keyframes, ...probe.keyframes].filter((t, i, all) => i === 0 || t > all[i - 1]!).slice(-8);
  }

  figures(connected: boolean, progressFps: number | null): HealthFigures {
    const seconds = this.segments.reduce((s, x) => s + x.duration, 0);
    const bytes = this.segments.reduce((s, x) => s + x.bytes, 0);
    const gaps = this.keyframes.slice(1).map((t, i) => t - this.keyframes[i]!);
    const video = this.lastProbe?.video ?? null;
    return {
      connected,
      bitrateKbps: seconds > 0 ? Math.round((bytes * 8) / seconds / 1000) : null,
      fps: progressFps ?? video?.fps ?? null,
      width: video?.width ?? null,
      height: video?.height ?? null,
      // The longest of the last gaps: an encoder that sends a keyframe only now and then is what hurts.
      keyframeIntervalSeconds: gaps.length ? Math.round(Math.max(...gaps.slice(-4)) * 100) / 100 : null,
      audio: this.lastProbe ? this.lastProbe.audio !== null : null,
    };
  }
}

export function healthOf(figures: HealthFigures, at: Date): StreamHealth {
  return { ...figures, warnings: warningsOf(figures), at: at.toISOString() };
}
