import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/*
 * Where an event's recordings are on disk (docs/media.md, "Recordings"):
 *
 *   RECORDINGS_DIR/<eventId>/sessions/<n>/   one folder per publish, written by the transcoder (ffmpeg)
 *   RECORDINGS_DIR/<eventId>/replay/         the assembled replay: the segments, moved in, and replay.json
 *   RECORDINGS_DIR/<eventId>/thumbs/         frames taken by ffmpeg, <seconds since the recording began>.jpg
 */

/** A path segment that stays inside its folder: letters, digits, '.', '_', '-', not starting with a dot. */
export const SAFE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;

export interface RecordingPaths {
  event: string;
  sessions: string;
  replay: string;
  manifest: string;
  thumbs: string;
}

/** The folders of one event's recordings. Throws for an id that could leave RECORDINGS_DIR (callers check first). */
export function recordingPaths(recordingsDir: string, eventId: string): RecordingPaths {
  if (!SAFE_NAME.test(eventId)) throw new RangeError(`not a recording folder name: ${JSON.stringify(eventId)}`);
  const event = join(recordingsDir, eventId);
  const replay = join(event, 'replay');
  return {
    event,
    sessions: join(event, 'sessions'),
    replay,
    manifest: join(replay, 'replay.json'),
    thumbs: join(event, 'thumbs'),
  };
}

export function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Bytes the files under `dir` take (0 when it does not exist). Links are counted as themselves, never followed. */
export async function folderBytes(dir: string): Promise<number> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (isMissing(err)) return 0;
    throw err;
  }
  let total = 0;
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await folderBytes(path);
    else {
      try {
        total += (await lstat(path)).size;
      } catch (err) {
        // Moved or deleted while we counted (the assembly, ffmpeg's temporary files): it no longer takes room here.
        if (!isMissing(err)) throw err;
      }
    }
  }
  return total;
}

/**
 * What one event's recordings take on disk: its sessions, its replay and its thumbnails. The ingest's
 * `IngestInfo.diskBytes` and the admin's disk use both read this.
 */
export function diskUsage(recordingsDir: string, eventId: string): Promise<number> {
  if (!SAFE_NAME.test(eventId)) return Promise.resolve(0);
  return folderBytes(join(recordingsDir, eventId));
}

/** The event ids that have a folder in RECORDINGS_DIR, sorted. */
export async function recordedEventIds(recordingsDir: string): Promise<string[]> {
  try {
    const entries = await readdir(recordingsDir, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory() && SAFE_NAME.test(e.name))
      .map((e) => e.name)
      .sort();
  } catch (err) {
    if (isMissing(err)) return [];
    throw err;
  }
}
