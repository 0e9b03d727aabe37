import type { FilmRights } from '#shared/domain/broadcast';
import type { ReplayMap, ReplaySpan } from '#shared/domain/replay-map';
import type { ManifestRendition, ManifestSegment, ReplayManifest } from './manifest';

/** What admins and moderators decided about a replay: the trims and the ciné-conférence's film. */
export interface ReplaySettings {
  /** Seconds of the untrimmed replay (the film cut away, nothing trimmed); null: from the start, to the end. */
  trimIn: number | null;
  trimOut: number | null;
  /** When the film ended and the talk began. */
  talkStartsAt: string | null;
  filmRights: FilmRights;
}

/** The segments of one rendition that a replay's playlist lists. */
export interface CutRendition {
  rendition: ManifestRendition;
  segments: ManifestSegment[];
}

/**
 * A replay as it plays, computed from the manifest and the settings. Trims and the film's cut keep whole segments
 * (the in point rounds down to the start of its segment, the out point up to the end of its one), and `map` holds the
 * exact cut: its offsets are the video's own clock (the playlist's time), so its first span may start a little after
 * 0 and its last end a little before the video does. A player starts at `map.spans[0].offset`.
 */
export interface CutReplay {
  renditions: CutRendition[];
  map: ReplayMap;
  /** The untrimmed replay's length in seconds: every segment from the one where the talk starts. */
  fullDuration: number;
  /** Where the talk starts in the untrimmed replay, in seconds (within its first segment); 0 without a cut. */
  talkOffset: number;
  /** Where the listed segments begin in the untrimmed replay, in seconds. */
  base: number;
}

const NO_TRIMS = { trimIn: null, trimOut: null } as const;

/**
 * The replay of `manifest` under `settings`: which segments each rendition's playlist lists, and the replay map.
 * Pure, so that trims are instant and undoable (nothing on disk changes) and testable without video.
 *
 * The first rendition is the reference: its segments set the clock. The others list the segments whose middle falls
 * within the reference's listed stretch, so that a ladder cut at the same instants (keyframes forced every segment)
 * lists the same moments in every rendition.
 */
export function cutReplay(manifest: ReplayManifest, settings: ReplaySettings): CutReplay {
  const reference = manifest.renditions[0];
  const empty: CutReplay = { renditions: [], map: { spans: [] }, fullDuration: 0, talkOffset: 0, base: 0 };
  if (!reference || reference.segments.length === 0) return empty;

  // Whole milliseconds throughout, so that sums of many segments never drift.
  const timed = reference.segments.map((segment) => ({
    segment,
    start: Date.parse(segment.programDateTime),
    length: Math.round(segment.duration * 1000),
  }));
  const cutAt = settings.filmRights === 'live-only' && settings.talkStartsAt ? Date.parse(settings.talkStartsAt) : null;
  const kept = cutAt === null ? timed : timed.filter((t) => t.start + t.length > cutAt);
  if (kept.length === 0) return empty;

  const offsets: number[] = [];
  let fullMs = 0;
  for (const t of kept) {
    offsets.push(fullMs);
    fullMs += t.length;
  }
  const talkMs = cutAt === null ? 0 : Math.min(Math.max(cutAt - kept[0]!.start, 0), kept[0]!.length);
  const inMs = Math.max(talkMs, settings.trimIn === null ? 0 : Math.round(settings.trimIn * 1000));
  const outMs = Math.min(fullMs, settings.trimOut === null ? fullMs : Math.round(settings.trimOut * 1000));
  const whole = { fullDuration: fullMs / 1000, talkOffset: talkMs / 1000 };
  if (outMs <= inMs) return { ...empty, ...whole };

  // In rounds down, out rounds up: a segment is listed when any of it lies within [in, out).
  const listed = kept.flatMap((t, i) => (offsets[i]! + t.length > inMs && offsets[i]! < outMs ? [i] : []));
  const baseMs = offsets[listed[0]!]!;

  const spans: ReplaySpan[] = [];
  let runStart = 0;
  for (let n = 0; n < listed.length; n++) {
    const i = listed[n]!;
    const next = listed[n + 1];
    // A span is a stretch that was live without a break: one session's segments.
    if (next !== undefined && kept[next]!.segment.session === kept[i]!.segment.session) continue;
    const first = listed[runStart]!;
    const fromMs = Math.max(inMs, offsets[first]!);
    const toMs = Math.min(outMs, offsets[i]! + kept[i]!.length);
    spans.push({
      offset: (fromMs - baseMs) / 1000,
      at: new Date(kept[first]!.start + (fromMs - offsets[first]!)).toISOString(),
      duration: (toMs - fromMs) / 1000,
    });
    runStart = n + 1;
  }

  const firstListed = kept[listed[0]!]!;
  const lastListed = kept[listed.at(-1)!]!;
  const from = firstListed.start;
  const to = lastListed.start + lastListed.length;
  const renditions = manifest.renditions.map((rendition, index) => ({
    rendition,
    segments:
      index === 0
        ? listed.map((i) => kept[i]!.segment)
        : rendition.segments.filter((s) => {
            const middle = Date.parse(s.programDateTime) + (s.duration * 1000) / 2;
            return middle >= from && middle <= to;
          }),
  }));
  return { renditions, map: { spans }, base: baseMs / 1000, ...whole };
}

/** The replay with the film cut but nothing trimmed: what the admin's preview plays, and the trims' own clock. */
export function untrimmed(manifest: ReplayManifest, settings: ReplaySettings): CutReplay {
  return cutReplay(manifest, { ...settings, ...NO_TRIMS });
}

/**
 * The segments of a live-only film, per rendition: everything before the segment where the talk starts. Empty when
 * there is no film to cut, or when the cut would leave nothing (a mark set after the end is a mistake, not a reason to
 * delete the whole recording).
 */
export function filmSegments(manifest: ReplayManifest, settings: ReplaySettings): Set<string> {
  if (settings.filmRights !== 'live-only' || !settings.talkStartsAt) return new Set();
  const keep = untrimmed(manifest, settings);
  if (keep.renditions.every((r) => r.segments.length === 0)) return new Set();
  const kept = new Set(keep.renditions.flatMap((r) => r.segments.map((s) => s.file)));
  const firstKept = Math.min(...keep.renditions.flatMap((r) => r.segments.map((s) => Date.parse(s.programDateTime))));
  return new Set(
    manifest.renditions.flatMap((r) =>
      r.segments.filter((s) => !kept.has(s.file) && Date.parse(s.programDateTime) < firstKept).map((s) => s.file),
    ),
  );
}
