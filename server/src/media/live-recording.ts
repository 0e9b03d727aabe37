import { join } from 'node:path';
import { Router, type Request, type Response } from 'express';
import { parse, stringify, types } from 'hls-parser';
import { LIVE_WINDOW_SEGMENTS } from './live-simulator';
import { setPlaylistHeaders } from './origin';
import type { PlaylistCache } from './playlist-cache';
import { isSafeEventId, listSessions, sessionDir } from './recordings';

/*
 * The live playlists of a broadcast from OBS, computed from what ffmpeg wrote into the sessions of the event
 * (recordings.ts), the way the live simulator computes its loop: nothing is kept in memory but a parse cache, so every
 * process that sees the disk, and one that restarted, serves the same playlist.
 *
 *   /media/events/<eventId>/live/master.m3u8        the newest session's master, its variants pointing next to it
 *   /media/events/<eventId>/live/<rendition>.m3u8    the last segments over all sessions
 */

/** One segment of a rendition, as ffmpeg listed it in a session. */
export interface RecordedSegment {
  /** As written in ffmpeg's playlist: the file name inside the session folder. */
  uri: string;
  duration: number;
  programDateTime: Date | undefined;
}

/** A session's segments of one rendition, in order. */
export interface RecordedSession {
  session: number;
  segments: readonly RecordedSegment[];
}

export interface RecordingWindowSegment extends RecordedSegment {
  session: number;
  /** The first segment of a session that follows another: timestamps restart, the player must be told. */
  discontinuity: boolean;
}

export interface RecordingWindow {
  /** The global index (over every session) of the first listed segment: it only grows, across reconnects. */
  mediaSequence: number;
  /** Session boundaries before the first listed segment, itself included when it starts a session. */
  discontinuitySequence: number;
  /** At least the longest segment of the whole recording, so that it stays the same from one refresh to the next. */
  targetDuration: number;
  segments: RecordingWindowSegment[];
}

/**
 * The live window over a recording made of sessions: the last `windowSize` segments of all sessions together.
 * Pure, so the rules are tested without ffmpeg. Sessions without segments count for nothing (a publish that never
 * got as far as a segment leaves no boundary).
 */
export function computeRecordingWindow(sessions: readonly RecordedSession[], windowSize = LIVE_WINDOW_SEGMENTS): RecordingWindow {
  const all: RecordingWindowSegment[] = [];
  for (const { session, segments } of sessions) {
    segments.forEach((segment, i) => all.push({ ...segment, session, discontinuity: i === 0 && all.length > 0 }));
  }
  const first = Math.max(0, all.length - windowSize);
  let discontinuitySequence = 0;
  for (let i = 1; i <= first && i < all.length; i++) if (all[i]!.discontinuity) discontinuitySequence++;
  const listed = all.slice(first).map((segment, i) =>
    // On the first listed segment the tag would be redundant: DISCONTINUITY-SEQUENCE already counts it.
    i === 0 ? { ...segment, discontinuity: false } : segment,
  );
  const targetDuration = Math.max(1, ...all.map((s) => Math.round(s.duration)));
  return { mediaSequence: first, discontinuitySequence, targetDuration, segments: listed };
}

/** The media playlist of `window`, each segment URI pointing from `/live/` back into its session folder. */
export function renderRecordingWindow(window: RecordingWindow, independentSegments: boolean): string {
  const playlist = new types.MediaPlaylist({
    version: 6,
    independentSegments,
    targetDuration: window.targetDuration,
    mediaSequenceBase: window.mediaSequence,
    discontinuitySequenceBase: window.discontinuitySequence,
    segments: window.segments.map(
      (segment, i) =>
        new types.Segment({
          uri: `../sessions/${segment.session}/${segment.uri}`,
          duration: segment.duration,
          programDateTime: segment.programDateTime,
          discontinuity: segment.discontinuity,
          mediaSequenceNumber: window.mediaSequence + i,
          discontinuitySequence: window.discontinuitySequence,
        }),
    ),
  });
  return `${stringify(playlist).trimEnd()}\n`;
}

/** A playlist file name of a rendition: `<name>.m3u8`, the name a plain word. */
const RENDITION_FILE = /^([A-Za-z0-9_-]{1,40})\.m3u8$/;
/** A segment URI as ffmpeg writes it in a session: a plain file name, never a path. */
const SEGMENT_URI = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

function parseMedia(text: string): types.MediaPlaylist {
  const playlist = parse(text);
  if (playlist.isMasterPlaylist) throw new Error('a master playlist where a media playlist was expected');
  return playlist as types.MediaPlaylist;
}

function parseMaster(text: string): types.MasterPlaylist {
  const playlist = parse(text);
  if (!playlist.isMasterPlaylist) throw new Error('a media playlist where a master playlist was expected');
  return playlist as types.MasterPlaylist;
}

export interface LiveRecordingOptions {
  recordingsDir: string;
  cache: PlaylistCache;
}

/**
 * `GET /<eventId>/live/master.m3u8` and `/<eventId>/live/<rendition>.m3u8`, for the router mounted at
 * `/media/events`. Anything that is not a recording being made (no session, no segment yet) is a 404.
 */
export function createLiveRecordingRouter({ recordingsDir, cache }: LiveRecordingOptions): Router {
  const router = Router();
  // The last text rendered per playlist, with the parsed sessions it came from: most refreshes of most viewers
  // fall between two segments, when nothing changed.
  const rendered = new Map<string, { sources: unknown[]; text: string }>();

  async function sessionPlaylists(eventId: string, file: string) {
    const out: { session: number; playlist: types.MediaPlaylist }[] = [];
    for (const session of await listSessions(recordingsDir, eventId)) {
      const playlist = await cache.read(join(sessionDir(recordingsDir, eventId, session), file), parseMedia);
      if (playlist) out.push({ session, playlist });
    }
    return out;
  }

  async function livePlaylist(eventId: string, file: string): Promise<string | undefined> {
    const sessions = await sessionPlaylists(eventId, file);
    const key = `${eventId}/${file}`;
    const sources = sessions.map((s) => s.playlist);
    const hit = rendered.get(key);
    if (hit && hit.sources.length === sources.length && hit.sources.every((s, i) => s === sources[i])) return hit.text;

    const recorded: RecordedSession[] = sessions.map(({ session, playlist }) => ({
      session,
      segments: playlist.segments.map((s) => {
        if (!SEGMENT_URI.test(s.uri)) throw new Error(`unexpected segment URI in session ${session}: ${s.uri}`);
        return { uri: s.uri, duration: s.duration, programDateTime: s.programDateTime };
      }),
    }));
    const window = computeRecordingWindow(recorded);
    if (window.segments.length === 0) return undefined;
    const text = renderRecordingWindow(window, sessions.some((s) => s.playlist.independentSegments));
    if (rendered.size > 1000) rendered.clear();
    rendered.set(key, { sources, text });
    return text;
  }

  async function liveMaster(eventId: string): Promise<string | undefined> {
    const sessions = await listSessions(recordingsDir, eventId);
    // The newest session that has written its master: a reconnect keeps the previous one until its own is ready.
    for (const session of sessions.reverse()) {
      const master = await cache.read(join(sessionDir(recordingsDir, eventId, session), 'master.m3u8'), parseMaster);
      if (!master) continue;
      // Its variants are `<rendition>.m3u8`, relative: from /live/ they are the live rendition playlists.
      if (!master.variants.every((v) => RENDITION_FILE.test(v.uri))) return undefined;
      return `${stringify(master).trimEnd()}\n`;
    }
    return undefined;
  }

  router.get('/:eventId/live/:file', async (req: Request, res: Response) => {
    const eventId = String(req.params.eventId);
    const file = String(req.params.file);
    if (!isSafeEventId(eventId) || !RENDITION_FILE.test(file)) return notFound(res);
    const text = file === 'master.m3u8' ? await liveMaster(eventId) : await livePlaylist(eventId, file);
    if (text === undefined) return notFound(res);
    setPlaylistHeaders(res);
    // A Buffer, so that the type stays exactly the origin's (res.send would add a charset to a string).
    res.send(Buffer.from(text, 'utf8'));
  });

  return router;
}

function notFound(res: Response): void {
  res.status(404).type('text/plain').send('Not found');
}
