import { execFile } from 'node:child_process';

/** What ffprobe tells of one segment: the streams, and where the keyframes are. */
export interface SegmentProbe {
  video: {
    codec: string;
    profile: string | null;
    level: number | null;
    width: number;
    height: number;
    /** From the stream's average frame rate; null when ffprobe cannot tell. */
    fps: number | null;
  } | null;
  audio: {
    codec: string;
    profile: string | null;
    sampleRate: number | null;
    channels: number | null;
  } | null;
  /** Presentation times (s) of the video keyframes, in order. Timestamps run on across the segments of a session. */
  keyframes: number[];
  /** Video frames in the segment. */
  videoFrames: number;
}

interface FfprobeJson {
  streams?: {
    index: number;
    codec_type?: string;
    codec_name?: string;
    profile?: string;
    level?: number;
    width?: number;
    height?: number;
    avg_frame_rate?: string;
    sample_rate?: string;
    channels?: number;
  }[];
  packets?: { stream_index: number; pts_time?: string; flags?: string }[];
}

/** `25/1` → 25; `0/0` and nonsense → null. */
export function rate(fraction: string | undefined): number | null {
  if (!fraction) return null;
  const [num, den] = fraction.split('/').map(Number);
  if (!num || !den || !Number.isFinite(num / den)) return null;
  return Math.round((num / den) * 1000) / 1000;
}

/** ffprobe's JSON (streams and packets) → what the ingest needs of a segment. Pure, for tests. */
export function readProbe(json: FfprobeJson): SegmentProbe {
  const streams = json.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video');
  const audio = streams.find((s) => s.codec_type === 'audio');
  const videoPackets = (json.packets ?? []).filter((p) => video && p.stream_index === video.index);
  return {
    video:
      video && video.width && video.height
        ? {
            codec: video.codec_name ?? 'unknown',
            profile: video.profile ?? null,
            level: video.level ?? null,
            width: video.width,
            height: video.height,
            fps: rate(video.avg_frame_rate),
          }
        : null,
    audio: audio
      ? {
          codec: audio.codec_name ?? 'unknown',
          profile: audio.profile ?? null,
          sampleRate: audio.sample_rate ? Number(audio.sample_rate) : null,
          channels: audio.channels ?? null,
        }
      : null,
    keyframes: videoPackets
      .filter((p) => p.flags?.startsWith('K') && p.pts_time !== undefined)
      .map((p) => Number(p.pts_time))
      .filter(Number.isFinite)
      .sort((a, b) => a - b),
    videoFrames: videoPackets.length,
  };
}

/** Runs Debian's ffprobe on a file (a segment just written). Rejects when it fails or takes more than 15 s. */
export function probeSegment(ffprobePath: string, file: string): Promise<SegmentProbe> {
  const args = [
    '-v',
    'error',
    '-show_entries',
    'stream=index,codec_type,codec_name,profile,level,width,height,avg_frame_rate,sample_rate,channels:packet=stream_index,pts_time,flags',
    '-of',
    'json',
    file,
  ];
  return new Promise((resolve, reject) => {
    execFile(ffprobePath, args, { timeout: 15_000, maxBuffer: 8 * 1024 * 1024 }, (err, stdout) => {
      if (err) return reject(err);
      try {
        resolve(readProbe(JSON.parse(stdout) as FfprobeJson));
      } catch (parseError) {
        reject(parseError);
      }
    });
  });
}

const H264_PROFILES: Readonly<Record<string, string>> = {
  Baseline: '4200',
  // x264 marks constrained baseline with constraint_set0 and constraint_set1, as most encoders do.
  'Constrained Baseline': '42c0',
  Main: '4d40',
  Extended: '5800',
  High: '6400',
  'High 10': '6e00',
  'High 4:2:2': '7a00',
  'High 4:4:4 Predictive': 'f400',
};

const AAC_PROFILES: Readonly<Record<string, string>> = { LC: 'mp4a.40.2', 'HE-AAC': 'mp4a.40.5', 'HE-AACv2': 'mp4a.40.29' };

/**
 * The RFC 6381 `CODECS` value of a segment's streams (`avc1.64001f,mp4a.40.2`), for the master playlist: players
 * use it to skip renditions they cannot decode. Undefined when a codec is one we cannot name exactly, since a wrong
 * value is worse than none.
 */
export function codecsOf(probe: SegmentProbe): string | undefined {
  const parts: string[] = [];
  if (probe.video) {
    const profile = probe.video.codec === 'h264' && probe.video.profile ? H264_PROFILES[probe.video.profile] : undefined;
    if (!profile || probe.video.level === null || probe.video.level <= 0) return undefined;
    parts.push(`avc1.${profile}${probe.video.level.toString(16).padStart(2, '0')}`);
  }
  if (probe.audio) {
    const audio =
      probe.audio.codec === 'aac' ? AAC_PROFILES[probe.audio.profile ?? 'LC'] : probe.audio.codec === 'mp3' ? 'mp4a.40.34' : undefined;
    if (!audio) return undefined;
    parts.push(audio);
  }
  return parts.length ? parts.join(',') : undefined;
}
