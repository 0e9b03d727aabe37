import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/*
 * Where an event's recordings live on disk, under RECORDINGS_DIR (served at /media/events/):
 *
 *   <eventId>/sessions/<n>/   one folder per publish (n = 1, 2, …), written by ffmpeg: <rendition>.m3u8 (every
 *                             segment kept, EXT-X-PROGRAM-DATE-TIME on each), <rendition>_00000.ts…, master.m3u8
 *                             and source.json (what was probed of the incoming stream)
 *   <eventId>/live/           nothing on disk: the live playlists are computed from the sessions (live-recording.ts)
 *   <eventId>/replay/         the assembled replay (modules/replay)
 *   <eventId>/thumbs/         thumbnails
 *
 * The disk is the state: a process that restarts serves the same live playlist, and finds the sessions to assemble.
 */

/** Event ids are slugs; anything else never becomes a path. */
const SAFE_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;

export function isSafeEventId(eventId: string): boolean {
  return SAFE_ID.test(eventId);
}

/** `RECORDINGS_DIR/<eventId>`; throws for an id that is not a plain folder name. */
export function eventRecordingDir(recordingsDir: string, eventId: string): string {
  if (!isSafeEventId(eventId)) throw new RangeError(`not a safe event id for a folder name: ${JSON.stringify(eventId)}`);
  return join(recordingsDir, eventId);
}

export function sessionsDir(recordingsDir: string, eventId: string): string {
  return join(eventRecordingDir(recordingsDir, eventId), 'sessions');
}

export function sessionDir(recordingsDir: string, eventId: string, session: number): string {
  return join(sessionsDir(recordingsDir, eventId), String(session));
}

/** `source_00042.ts`: the name ffmpeg gives a segment of a rendition (`-hls_segment_filename <rendition>_%05d.ts`). */
export function segmentFileName(rendition: string, index: number): string {
  return `${rendition}_${String(index).padStart(5, '0')}.ts`;
}

/** The session numbers found on disk, in order: folders named 1, 2, …; anything else is ignored. */
export async function listSessions(recordingsDir: string, eventId: string): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(sessionsDir(recordingsDir, eventId));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names
    .filter((name) => /^[1-9]\d{0,8}$/.test(name))
    .map(Number)
    .sort((a, b) => a - b);
}

/** Bytes taken by the files under `dir` (0 when it does not exist). */
export async function diskUsage(dir: string): Promise<number> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 0;
    throw err;
  }
  let total = 0;
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await diskUsage(path);
    else if (entry.isFile()) total += await stat(path).then((s) => s.size, () => 0);
  }
  return total;
}
