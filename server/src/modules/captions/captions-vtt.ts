import { captionShownUntil, type CaptionCue } from '#shared/domain/caption';
import type { ReplayMap } from '#shared/domain/replay-map';
import { vttTimestamp } from '../timeline/chapters-vtt';

/**
 * Where a cue falls on the replay's clock, in seconds, or null when none of the time it shows was kept: said before
 * the replay starts (or trimmed away), after it ends, or while the publisher was away (nothing was heard then, so there
 * is nothing to caption). A cue cut by a trim or a break keeps the part that was kept, in the first span it overlaps.
 */
export function placeCue(map: ReplayMap, cue: Pick<CaptionCue, 'startAt' | 'endAt'>): { start: number; end: number } | null {
  const from = Date.parse(cue.startAt);
  const until = captionShownUntil(cue);
  for (const span of map.spans) {
    const spanStart = Date.parse(span.at);
    const spanEnd = spanStart + span.duration * 1000;
    if (until <= spanStart || from >= spanEnd) continue;
    const start = span.offset + (Math.max(from, spanStart) - spanStart) / 1000;
    const end = span.offset + (Math.min(until, spanEnd) - spanStart) / 1000;
    return end > start ? { start, end } : null;
  }
  return null;
}

/** Cue text: `&`, `<` and `>` escaped (nothing typed becomes a tag), its one or two lines kept, no blank line. */
function cueText(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * One language's captions as a WebVTT file for `<track kind="captions">`, on the clock of `map`: one cue per line,
 * identified by its id (an editor or a transcript can point at it), in order of time. `note` is written as a NOTE
 * block (the file says which clock it is on while the live goes on).
 */
export function captionsVtt(cues: readonly CaptionCue[], map: ReplayMap, note?: string): string {
  const placed = cues
    .flatMap((cue) => {
      const at = placeCue(map, cue);
      return at ? [{ cue, ...at }] : [];
    })
    .sort((a, b) => a.start - b.start);
  const blocks = placed.map(
    ({ cue, start, end }) => `${cue.id.replace(/[\r\n]/g, ' ').replace(/-->/g, '--')}\n${vttTimestamp(start)} --> ${vttTimestamp(end)}\n${cueText(cue.text)}\n`,
  );
  const head = note ? [`WEBVTT\n`, `NOTE ${note.replace(/-->/g, '--').replace(/\n+/g, ' ')}\n`] : ['WEBVTT\n'];
  return [...head, ...blocks].join('\n');
}
