import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { diskUsage as bytesUnder } from '../../media/recordings';

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

/** Bytes the files under `dir` take (0 when it does not exist): the recordings origin's count. */
export const folderBytes = bytesUnder;

/**
 * What one event's recordings take on disk: its sessions, its replay and its thumbnails, as the admin's disk use
 * shows it (the ingest's `IngestInfo.diskBytes` counts the same folder).
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
