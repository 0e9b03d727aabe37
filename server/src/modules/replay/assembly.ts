import { mkdir, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import HLS from 'hls-parser';
import type { MasterPlaylist, MediaPlaylist } from 'hls-parser/types';
import { readManifest, syncFolder, writeManifest, type ManifestRendition, type ManifestSegment, type ReplayManifest } from './manifest';
import { isMissing, SAFE_NAME, type RecordingPaths } from './recordings';

/**
 * The points of an assembly after which a crash leaves something half done. Tests stop the assembly at each of them
 * (by throwing from the hook) and check that the next assembly finishes the job with the same result.
 */
export type AssemblyStep =
  /** The sessions' playlists were read and the replay folder exists; nothing moved yet. */
  | 'planned'
  /** One more segment was moved into the replay folder. */
  | 'moved'
  /** The new manifest is written to its temporary file, not yet renamed over the old one. */
  | 'manifest-written'
  /** The manifest is in place. */
  | 'manifest'
  /** One session folder was deleted. */
  | 'session-deleted'
  /** A manifest without the film's segments is in place; the files are not deleted yet. */
  | 'film-listed'
  /** One of the film's segments was deleted. */
  | 'film-deleted';

export type StepHook = (step: AssemblyStep) => void | Promise<void>;

export class RecordingError extends Error {
  override name = 'RecordingError';
}

/** A segment of a session's playlist, where it is now and where it goes. */
interface Planned extends ManifestSegment {
  source: string;
}

interface SessionRendition {
  session: number;
  name: string;
  /** What the session's master says of it, when it has one. */
  variant: Partial<Omit<ManifestRendition, 'name' | 'segments'>>;
  segments: Planned[];
}

/**
 * Builds or completes `replay/` from `sessions/`: every segment that ffmpeg's playlists list is moved in (renamed,
 * never rewritten: the origin serves segments as immutable), the manifest is written, atomically, after the last
 * move, then the session folders are deleted.
 *
 * Each step can be run again: a segment already moved is found in `replay/`, a manifest already written is merged
 * with, a folder already deleted is gone. So an assembly cut short by a crash, at any point, is finished by the next
 * one with the same result; and segments that a session's playlist gains after an assembly (a transcoder still
 * flushing) are added to the manifest by the next. Answers undefined when there was never anything recorded.
 */
export async function assembleRecording(paths: RecordingPaths, eventId: string, step: StepHook = () => {}): Promise<ReplayManifest | undefined> {
  const before = await readManifest(paths.manifest);
  const sessions = await readSessions(paths.sessions);
  if (!before && sessions.length === 0) return undefined;

  await mkdir(paths.replay, { recursive: true });
  await step('planned');

  const lost: string[] = [];
  for (const rendition of sessions) {
    const kept: Planned[] = [];
    for (const segment of rendition.segments) {
      if (await moveSegment(segment.source, join(paths.replay, segment.file))) {
        kept.push(segment);
        await step('moved');
      } else lost.push(segment.file);
    }
    rendition.segments = kept;
  }
  if (sessions.length > 0) await syncFolder(paths.replay);

  const manifest = merge(before, sessions, eventId);
  if (manifest.renditions.every((r) => r.segments.length === 0)) {
    throw new RecordingError(`no segment of ${eventId} could be found${lost.length ? ` (${lost.length} listed but missing)` : ''}`);
  }
  for (const rendition of manifest.renditions) {
    if (rendition.bandwidth <= 0) rendition.bandwidth = await peakBandwidth(paths.replay, rendition.segments);
  }
  if (sessions.length > 0 || !before) {
    await writeManifest(paths.manifest, manifest, () => Promise.resolve(step('manifest-written')));
    await step('manifest');
  }
  await deleteSessions(paths.sessions, step);
  return manifest;
}

/**
 * Removes segments from the replay for good (a live-only film): the manifest without them first, listing them as to
 * delete, then the files, then the list. A crash in between leaves them listed, and the next call deletes them.
 */
export async function removeSegments(
  paths: RecordingPaths,
  manifest: ReplayManifest,
  files: ReadonlySet<string>,
  step: StepHook = () => {},
): Promise<ReplayManifest> {
  let current = manifest;
  if (files.size > 0) {
    current = {
      ...manifest,
      renditions: manifest.renditions.map((r) => ({ ...r, segments: r.segments.filter((s) => !files.has(s.file)) })),
      deleted: [...new Set([...manifest.deleted, ...files])],
    };
    await writeManifest(paths.manifest, current);
    await step('film-listed');
  }
  if (current.deleted.length === 0) return current;
  for (const file of current.deleted) {
    if (!SAFE_NAME.test(file)) continue;
    await unlink(join(paths.replay, file)).catch((err: unknown) => {
      if (!isMissing(err)) throw err;
    });
    await step('film-deleted');
  }
  await syncFolder(paths.replay);
  const done: ReplayManifest = { ...current, deleted: [] };
  await writeManifest(paths.manifest, done);
  return done;
}

/** True when the segment is in the replay folder now: moved by this call, or by an earlier one. */
async function moveSegment(source: string, target: string): Promise<boolean> {
  try {
    await rename(source, target);
    return true;
  } catch (err) {
    if (!isMissing(err)) throw err;
  }
  try {
    return (await stat(target)).isFile();
  } catch (err) {
    if (isMissing(err)) return false;
    throw err;
  }
}

/**
 * Without a master playlist to say it, a rendition's BANDWIDTH (which a master must give, as the peak bit rate) is
 * measured on its segments.
 */
async function peakBandwidth(dir: string, segments: readonly ManifestSegment[]): Promise<number> {
  let peak = 0;
  for (const segment of segments) {
    const size = await stat(join(dir, segment.file)).then((info) => info.size, () => 0);
    if (segment.duration > 0) peak = Math.max(peak, (size * 8) / segment.duration);
  }
  return Math.max(1, Math.ceil(peak));
}

/** Every rendition of every session folder (1, 2…, in order) with the segments their playlists list. */
async function readSessions(sessionsDir: string): Promise<SessionRendition[]> {
  let names: string[];
  try {
    names = await readdir(sessionsDir);
  } catch (err) {
    if (isMissing(err)) return [];
    throw err;
  }
  const numbers = names
    .filter((n) => /^[1-9]\d{0,5}$/.test(n))
    .map(Number)
    .sort((a, b) => a - b);
  const out: SessionRendition[] = [];
  for (const session of numbers) out.push(...(await readSession(join(sessionsDir, String(session)), session)));
  return out;
}

async function readSession(dir: string, session: number): Promise<SessionRendition[]> {
  const files = await readdir(dir).catch((err: unknown) => {
    if (isMissing(err)) return [] as string[];
    throw err;
  });
  const variants = new Map<string, SessionRendition['variant']>();
  if (files.includes('master.m3u8')) {
    const master = parse(await readFile(join(dir, 'master.m3u8'), 'utf8'), join(dir, 'master.m3u8'));
    if (!master.isMasterPlaylist) throw new RecordingError(`${dir}/master.m3u8 is not a master playlist`);
    for (const v of (master as MasterPlaylist).variants) {
      if (v.isIFrameOnly || !v.uri.endsWith('.m3u8')) continue;
      variants.set(v.uri.slice(0, -'.m3u8'.length), {
        bandwidth: v.bandwidth,
        ...(v.averageBandwidth !== undefined && { averageBandwidth: v.averageBandwidth }),
        ...(v.resolution && { resolution: { width: v.resolution.width, height: v.resolution.height } }),
        ...(v.codecs && { codecs: v.codecs }),
        ...(v.frameRate !== undefined && { frameRate: v.frameRate }),
      });
    }
  }
  // The master's order first (the ladder as the transcoder made it), then any playlist it does not list.
  const playlists = files.filter((f) => f.endsWith('.m3u8') && f !== 'master.m3u8' && SAFE_NAME.test(f)).map((f) => f.slice(0, -5));
  const order = [...[...variants.keys()].filter((n) => playlists.includes(n)), ...playlists.filter((n) => !variants.has(n)).sort()];
  const out: SessionRendition[] = [];
  for (const name of order) {
    const path = join(dir, `${name}.m3u8`);
    const playlist = parse(await readFile(path, 'utf8'), path);
    if (playlist.isMasterPlaylist) continue;
    out.push({ session, name, variant: variants.get(name) ?? {}, segments: await planSegments(dir, session, playlist as MediaPlaylist) });
  }
  return out;
}

function parse(text: string, path: string): ReturnType<typeof HLS.parse> {
  try {
    return HLS.parse(text);
  } catch (err) {
    throw new RecordingError(`${path} cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function planSegments(dir: string, session: number, playlist: MediaPlaylist): Promise<Planned[]> {
  const planned: Planned[] = [];
  let nextStart: number | undefined;
  for (const segment of playlist.segments) {
    if (!SAFE_NAME.test(segment.uri)) throw new RecordingError(`segment ${segment.uri} in ${dir} is not a plain file name`);
    const source = join(dir, segment.uri);
    // ffmpeg writes EXT-X-PROGRAM-DATE-TIME on every segment (program_date_time); should one lack it, it follows the
    // one before, and the very first falls back on when its file was finished.
    let start = segment.programDateTime?.getTime() ?? nextStart;
    if (start === undefined) {
      const info = await stat(source).catch(() => undefined);
      start = (info?.mtimeMs ?? Date.now()) - segment.duration * 1000;
    }
    planned.push({
      file: `${session}-${segment.uri}`,
      duration: segment.duration,
      programDateTime: new Date(start).toISOString(),
      session,
      source,
    });
    nextStart = start + segment.duration * 1000;
  }
  return planned;
}

/** The manifest so far with what the sessions add: segments keyed by file, in the order they were live. */
function merge(before: ReplayManifest | undefined, sessions: SessionRendition[], eventId: string): ReplayManifest {
  const renditions = new Map<string, ManifestRendition>();
  for (const r of before?.renditions ?? []) renditions.set(r.name, { ...r, segments: [...r.segments] });
  for (const found of sessions) {
    let rendition = renditions.get(found.name);
    if (!rendition) {
      rendition = { name: found.name, bandwidth: 0, segments: [] };
      renditions.set(found.name, rendition);
    }
    // The latest session's master describes the rendition as it is now.
    Object.assign(rendition, found.variant);
    const known = new Set(rendition.segments.map((s) => s.file));
    for (const { source: _source, ...segment } of found.segments) {
      if (!known.has(segment.file)) rendition.segments.push(segment);
    }
  }
  const list = [...renditions.values()];
  for (const r of list) {
    r.segments.sort(
      (a, b) => a.session - b.session || Date.parse(a.programDateTime) - Date.parse(b.programDateTime) || (a.file < b.file ? -1 : 1),
    );
  }
  const starts = list.flatMap((r) => r.segments.map((s) => Date.parse(s.programDateTime)));
  const startedAt = before?.startedAt ?? new Date(starts.length ? Math.min(...starts) : Date.now()).toISOString();
  return { version: 1, eventId, startedAt, renditions: list, deleted: before?.deleted ?? [] };
}

/** Deletes the session folders, one at a time, then `sessions/` itself. */
async function deleteSessions(sessionsDir: string, step: StepHook): Promise<void> {
  let names: string[];
  try {
    names = await readdir(sessionsDir);
  } catch (err) {
    if (isMissing(err)) return;
    throw err;
  }
  for (const name of names.sort()) {
    await rm(join(sessionsDir, name), { recursive: true, force: true });
    await step('session-deleted');
  }
  await rm(sessionsDir, { recursive: true, force: true });
}
