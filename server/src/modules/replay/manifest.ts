import { open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isMissing } from './recordings';

/** One recorded segment, as it sits in `replay/`. */
export interface ManifestSegment {
  /** Its file in `replay/`: `<session>-<name ffmpeg gave it>`. */
  file: string;
  /** Seconds, from ffmpeg's EXTINF. */
  duration: number;
  /** The instant (ISO 8601) its first frame was live, from ffmpeg's EXT-X-PROGRAM-DATE-TIME. */
  programDateTime: string;
  /** The publishing session it came from (1, 2…): timestamps restart at each, so players are told. */
  session: number;
}

/** One rung of the ladder, with what the master playlist says of it. */
export interface ManifestRendition {
  /** `source`, `360p`…: its playlist is `<name>.m3u8`. */
  name: string;
  bandwidth: number;
  averageBandwidth?: number;
  resolution?: { width: number; height: number };
  codecs?: string;
  frameRate?: number;
  /** In the order they were live. */
  segments: ManifestSegment[];
}

/**
 * `replay/replay.json`: everything the replay's playlists are computed from, with the trims and the film's cut that
 * the store holds. Written last and atomically by the assembly: its presence means every segment it lists was moved.
 */
export interface ReplayManifest {
  version: 1;
  eventId: string;
  /** The first instant ever recorded; thumbnails are named by their distance from it, so names never change. */
  startedAt: string;
  /** The first rendition is the reference: the replay's clock (the replay map) follows its segments. */
  renditions: ManifestRendition[];
  /**
   * Files cut away for good (a live-only film), still to delete: listed before they are deleted, so that a crash in
   * between deletes them at the next assembly.
   */
  deleted: string[];
}

/** The manifest, or undefined when the replay was never assembled. */
export async function readManifest(path: string): Promise<ReplayManifest | undefined> {
  let text;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
  const manifest = JSON.parse(text) as ReplayManifest;
  if (manifest.version !== 1 || !Array.isArray(manifest.renditions)) throw new Error(`${path} is not a replay manifest`);
  manifest.deleted ??= [];
  return manifest;
}

/**
 * Replaces the manifest atomically: written to a temporary file, flushed to disk, renamed over the old one, and the
 * folder flushed, so that after a crash (or a power cut) the manifest is the old one or the new one, whole.
 */
export async function writeManifest(path: string, manifest: ReplayManifest, afterTemporary?: () => Promise<void>): Promise<void> {
  const temporary = `${path}.tmp`;
  const file = await open(temporary, 'w');
  try {
    await file.writeFile(`${JSON.stringify(manifest, null, 1)}\n`, 'utf8');
    await file.sync();
  } finally {
    await file.close();
  }
  await afterTemporary?.();
  await rename(temporary, path);
  await syncFolder(dirname(path));
}

/** Makes a rename or an unlink in `dir` durable. */
export async function syncFolder(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a folder; the rename is then as durable as they make it.
  } finally {
    await handle.close();
  }
}

/** The length in seconds of a rendition's segments together. */
export function totalSeconds(segments: readonly ManifestSegment[]): number {
  return segments.reduce((sum, s) => sum + Math.round(s.duration * 1000), 0) / 1000;
}
