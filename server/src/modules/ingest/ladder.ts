import { join } from 'node:path';

/*
 * The HLS ladder the transcoder makes from the incoming stream (INGEST_LADDER): `source`, the stream as OBS sends
 * it, copied without re-encoding (no CPU, no quality lost, cut at OBS's keyframes), and lower renditions encoded
 * with libx264, for viewers on a small connection.
 */

interface EncodedRendition {
  /** Lines of picture; the width follows the source's aspect ratio. */
  height: number;
  videoKbps: number;
  audioKbps: number;
}

/** Every rendition INGEST_LADDER may name. Bitrates follow the usual H.264 ladders for talks (little motion). */
export const RENDITIONS = {
  source: 'copy',
  '1080p': { height: 1080, videoKbps: 4500, audioKbps: 128 },
  '720p': { height: 720, videoKbps: 2500, audioKbps: 128 },
  '480p': { height: 480, videoKbps: 1200, audioKbps: 96 },
  '360p': { height: 360, videoKbps: 700, audioKbps: 96 },
  '240p': { height: 240, videoKbps: 350, audioKbps: 64 },
} as const satisfies Record<string, 'copy' | EncodedRendition>;

export type RenditionName = keyof typeof RENDITIONS;
export const RENDITION_NAMES = Object.keys(RENDITIONS) as RenditionName[];

export const DEFAULT_LADDER: readonly RenditionName[] = ['source', '360p'];

/** `source,360p` → the renditions, or an error that names what is wrong (read by config.ts). */
export function parseLadder(raw: string): RenditionName[] {
  const names = raw
    .split(/[\s,]+/)
    .filter(Boolean);
  if (names.length === 0) throw new Error('INGEST_LADDER must name at least one rendition');
  for (const name of names) {
    if (!(RENDITION_NAMES as string[]).includes(name)) {
      throw new Error(`INGEST_LADDER: unknown rendition "${name}"; choose among ${RENDITION_NAMES.join(', ')}`);
    }
  }
  if (new Set(names).size !== names.length) throw new Error('INGEST_LADDER names a rendition twice');
  return names as RenditionName[];
}

/** The peak bandwidth the master playlist announces for an encoded rendition, in bits per second. */
export function encodedBandwidth(name: Exclude<RenditionName, 'source'>): number {
  const r = RENDITIONS[name];
  // maxrate is 110 % of the target (below), plus audio and the MPEG-TS overhead.
  return Math.round((r.videoKbps * 1.1 + r.audioKbps) * 1000 * 1.05);
}

export interface FfmpegPlan {
  /** `rtmp://127.0.0.1:<port>/live/<key>`: the local nginx, never the public address. */
  input: string;
  /** The session folder ffmpeg writes into. */
  dir: string;
  ladder: readonly RenditionName[];
  segmentSeconds: number;
}

/**
 * ffmpeg's arguments for one session: one HLS output per rendition (each its own muxer, so that a stream without
 * sound maps no audio instead of failing), every segment kept, `EXT-X-PROGRAM-DATE-TIME` on each (the replay and
 * its timeline place what happened live by it), playlist and segments written to a temporary name and renamed, so a
 * reader never sees half a file. `-progress pipe:1` reports on stdout for the stream health. CEA-608/708 captions in
 * the incoming video stay in every rendition (captions-passthrough.test.ts).
 */
export function ffmpegArguments(plan: FfmpegPlan): string[] {
  const seconds = String(plan.segmentSeconds);
  const args = [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'warning',
    '-nostats',
    '-progress',
    'pipe:1',
    '-stats_period',
    '1',
    // A publisher that stalls without leaving: nginx drops it after drop_idle_publisher; this bounds the rest.
    '-rw_timeout',
    '15000000',
    '-i',
    plan.input,
  ];
  for (const name of plan.ladder) {
    const spec = RENDITIONS[name];
    args.push('-map', '0:v:0', '-map', '0:a:0?');
    if (spec === 'copy') {
      args.push('-c', 'copy');
    } else {
      args.push(
        '-c:v',
        'libx264',
        '-preset',
        'veryfast',
        '-profile:v',
        'main',
        '-pix_fmt',
        'yuv420p',
        '-vf',
        `scale=-2:${spec.height}`,
        '-b:v',
        `${spec.videoKbps}k`,
        '-maxrate',
        `${Math.round(spec.videoKbps * 1.1)}k`,
        '-bufsize',
        `${spec.videoKbps * 2}k`,
        // A keyframe exactly every segment, and none elsewhere: segments of equal length that start with a keyframe.
        '-force_key_frames',
        `expr:gte(t,n_forced*${seconds})`,
        '-sc_threshold',
        '0',
        // Captions inside the video (CEA-608/708 from OBS or a caption inserter) carried over into the encoded picture;
        // the copied source keeps them as they are. ffmpeg's default today, said here so that it stays (issue 12).
        '-a53cc',
        '1',
        '-c:a',
        'aac',
        '-b:a',
        `${spec.audioKbps}k`,
        '-ac',
        '2',
        '-ar',
        '48000',
      );
    }
    args.push(
      '-f',
      'hls',
      '-hls_time',
      seconds,
      '-hls_list_size',
      '0',
      '-hls_playlist_type',
      'event',
      '-hls_flags',
      'program_date_time+independent_segments+temp_file',
      '-hls_segment_filename',
      join(plan.dir, `${name}_%05d.ts`),
      join(plan.dir, `${name}.m3u8`),
    );
  }
  return args;
}
