import { join, posix } from 'node:path';
import { Router } from 'express';
import type { Request, Response } from 'express';
import { parseMasterPlaylist, parseMediaPlaylist, PlaylistError } from './hls-playlist';
import type { MediaPlaylist, Segment } from './hls-playlist';
import type { PlaylistCache } from './playlist-cache';
import { setPlaylistHeaders } from './origin';

/**
 * The loop of every recording started at this instant. Fixed, not the process start time, so that every process
 * behind a load balancer (and every restart) serves the same playlist at the same instant and a player's media
 * sequence never jumps back.
 */
export const LIVE_EPOCH_MS = Date.UTC(2020, 0, 1);

/** Segments in the sliding window: 6 x 2 s keeps well above the 3 target durations players start behind the edge. */
export const LIVE_WINDOW_SEGMENTS = 6;

export interface WindowSegment {
  /** Index of the segment in the recording. */
  index: number;
  /** Media sequence number: segments elapsed since the epoch before this one. */
  sequence: number;
  /** Wall-clock start, ms since 1970 (what EXT-X-PROGRAM-DATE-TIME says). */
  startMs: number;
  durationMs: number;
  /** First segment of a new loop: timestamps restart, so the player must be told. */
  discontinuity: boolean;
}

export interface LiveWindow {
  mediaSequence: number;
  /** Loops started before the first segment of the window, i.e. discontinuities no longer listed. */
  discontinuitySequence: number;
  segments: WindowSegment[];
}

export interface WindowOptions {
  epochMs?: number;
  windowSize?: number;
}

/**
 * Which segments of a looped recording a live playlist lists at `nowMs`: the last `windowSize` segments that have
 * fully played out, counting from the epoch. Pure, so the timing can be tested without waiting for it.
 */
export function computeLiveWindow(
  durationsSec: readonly number[],
  nowMs: number,
  { epochMs = LIVE_EPOCH_MS, windowSize = LIVE_WINDOW_SEGMENTS }: WindowOptions = {},
): LiveWindow {
  // Whole milliseconds, so that the loop length is exact and start times never drift over millions of loops.
  const durations = durationsSec.map((d) => Math.round(d * 1000));
  const starts: number[] = [];
  let loopMs = 0;
  for (const d of durations) {
    starts.push(loopMs);
    loopMs += d;
  }
  const count = durations.length;
  if (count === 0 || loopMs <= 0) throw new RangeError('a recording needs segments with a duration');

  const elapsed = nowMs - epochMs;
  const loop = Math.floor(elapsed / loopMs);
  const intoLoop = elapsed - loop * loopMs;
  let doneInLoop = 0;
  while (doneInLoop < count && starts[doneInLoop]! + durations[doneInLoop]! <= intoLoop) doneInLoop++;
  const completed = Math.max(0, loop * count + doneInLoop);
  const first = Math.max(0, completed - windowSize);

  const segments: WindowSegment[] = [];
  for (let sequence = first; sequence < completed; sequence++) {
    const segmentLoop = Math.floor(sequence / count);
    const index = sequence - segmentLoop * count;
    segments.push({
      index,
      sequence,
      startMs: epochMs + segmentLoop * loopMs + starts[index]!,
      durationMs: durations[index]!,
      // On the window's first segment the tag would be redundant: DISCONTINUITY-SEQUENCE already accounts for it.
      discontinuity: index === 0 && sequence > first,
    });
  }
  return { mediaSequence: first, discontinuitySequence: Math.floor(first / count), segments };
}

/**
 * The live media playlist for `window`. `uriOf` maps a recording segment to the URI to write, relative to where the
 * live playlist is served.
 */
export function renderLivePlaylist(
  source: MediaPlaylist,
  window: LiveWindow,
  uriOf: (segment: Segment) => string,
  mapUri?: string,
): string {
  const maxDuration = Math.max(...source.segments.map((s) => s.duration));
  const lines = [
    '#EXTM3U',
    // Version 3 at least for decimal EXTINF durations.
    `#EXT-X-VERSION:${Math.max(3, source.version)}`,
    `#EXT-X-TARGETDURATION:${Math.max(source.targetDuration, Math.round(maxDuration))}`,
    `#EXT-X-MEDIA-SEQUENCE:${window.mediaSequence}`,
    `#EXT-X-DISCONTINUITY-SEQUENCE:${window.discontinuitySequence}`,
  ];
  if (source.independentSegments) lines.push('#EXT-X-INDEPENDENT-SEGMENTS');
  if (mapUri !== undefined) lines.push(`#EXT-X-MAP:URI="${mapUri}"`);
  for (const segment of window.segments) {
    if (segment.discontinuity) lines.push('#EXT-X-DISCONTINUITY');
    lines.push(
      `#EXT-X-PROGRAM-DATE-TIME:${new Date(segment.startMs).toISOString()}`,
      `#EXTINF:${(segment.durationMs / 1000).toFixed(3)},`,
      uriOf(source.segments[segment.index]!),
    );
  }
  return `${lines.join('\n')}\n`;
}

// One path segment: letters, digits, '.', '_', '-', not starting with a dot. Keeps names inside mediaDir.
const SAFE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

function isSafeRelativeUri(uri: string): boolean {
  return uri.split('/').every((part) => SAFE_NAME.test(part));
}

/** Absolute URIs (a CDN, another path on this host) already work from anywhere; relative ones need re-rooting. */
function isAbsoluteUri(uri: string): boolean {
  return uri.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(uri);
}

export interface LiveSimulatorOptions {
  mediaDir: string;
  now: () => number;
  cache: PlaylistCache;
}

/**
 * `GET /live/<name>/master.m3u8` and `/live/<name>/<media playlist>`: the recording in `<mediaDir>/<name>/` played
 * as a never-ending live stream. Segment URIs are relative (`../../<name>/…`) so the stream keeps working behind a
 * reverse proxy that mounts Parvis under a prefix.
 */
export function createLiveSimulator({ mediaDir, now, cache }: LiveSimulatorOptions): Router {
  const router = Router();

  async function loadRecording(name: string) {
    const master = await cache.read(join(mediaDir, name, 'master.m3u8'), parseMasterPlaylist);
    if (!master) return undefined;
    const media = new Map<string, MediaPlaylist>();
    for (const uri of master.mediaUris) {
      if (!isSafeRelativeUri(uri)) throw new PlaylistError(`media playlist URI ${uri} is not a plain relative path`);
      const playlist = await cache.read(join(mediaDir, name, ...uri.split('/')), parseMediaPlaylist);
      if (!playlist) throw new PlaylistError(`media playlist ${uri} is missing`);
      if (!playlist.ended) throw new PlaylistError(`media playlist ${uri} is not a finished recording (no ENDLIST)`);
      media.set(uri, playlist);
    }
    return { master, media };
  }

  router.get('/live/:name/*path', async (req: Request, res: Response) => {
    const name = String(req.params.name);
    // Express 5 hands a `*path` wildcard over as the list of its path segments.
    const path = ([] as string[]).concat(req.params.path ?? []).join('/');
    if (!SAFE_NAME.test(name)) return notFound(res, 'Not found');

    let recording;
    try {
      recording = await loadRecording(name);
    } catch (err) {
      // A folder that is not a loopable recording is, for a player, simply not a live stream.
      if (err instanceof PlaylistError) return notFound(res, `Not a loopable HLS recording: ${err.message}`);
      throw err;
    }
    if (!recording) return notFound(res, 'Not found');

    if (path === 'master.m3u8') {
      // Media playlist URIs are relative, so the unchanged master already points at the live media playlists
      // served next to it. I-frame playlists are byte-range VOD playlists with no live counterpart.
      const lines = recording.master.lines.filter((line) => !line.startsWith('#EXT-X-I-FRAME-STREAM-INF'));
      sendPlaylist(res, `${lines.join('\n').trimEnd()}\n`);
      return;
    }

    const source = recording.media.get(path);
    if (!source) return notFound(res, 'Not found');
    // From /live/<name>/<dir>/ back to /<name>/<dir>/, where the recording's files are.
    const liveDir = posix.dirname(posix.join('/live', name, path));
    const recordingDir = posix.dirname(posix.join('/', name, path));
    const reroot = (uri: string) => (isAbsoluteUri(uri) ? uri : posix.relative(liveDir, posix.join(recordingDir, uri)));
    const window = computeLiveWindow(source.segments.map((s) => s.duration), now());
    const mapUri = source.mapUri === undefined ? undefined : reroot(source.mapUri);
    sendPlaylist(res, renderLivePlaylist(source, window, (segment) => reroot(segment.uri), mapUri));
  });

  return router;
}

function sendPlaylist(res: Response, text: string): void {
  setPlaylistHeaders(res);
  // A Buffer, because res.send appends "; charset=utf-8" to a string's type, and the files served by the origin
  // say plain "application/vnd.apple.mpegurl": one type for the same kind of document.
  res.send(Buffer.from(text, 'utf8'));
}

function notFound(res: Response, message: string): void {
  res.status(404).type('text/plain').send(message);
}
