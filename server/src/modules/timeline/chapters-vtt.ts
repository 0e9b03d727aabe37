import type { Chapter } from '#shared/domain/chapters';

/** `hh:mm:ss.ttt`, as WebVTT writes a cue's timings (hours always, so any length reads the same). */
export function vttTimestamp(seconds: number): string {
  const totalMs = Math.round(seconds * 1000);
  const ms = totalMs % 1000;
  const s = Math.floor(totalMs / 1000) % 60;
  const m = Math.floor(totalMs / 60_000) % 60;
  const h = Math.floor(totalMs / 3_600_000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms, 3)}`;
}

/**
 * A question as cue text: one line (a blank line would end the cue, and "-->" on a line of its own could read as
 * timings), with `&`, `<` and `>` escaped so that nothing an asker typed becomes a tag or an entity.
 */
export function vttText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * The chapters of a replay as a WebVTT file for `<track kind="chapters">`: one cue per chapter, identified by its
 * question's id (so a player can link to it), in order and without overlaps, as the format asks of chapters.
 */
export function chaptersVtt(chapters: readonly Chapter[]): string {
  const cues = chapters.map(
    (c) => `${vttIdentifier(c.questionId)}\n${vttTimestamp(c.start)} --> ${vttTimestamp(c.end)}\n${vttText(c.title) || '…'}\n`,
  );
  return ['WEBVTT\n', ...cues].join('\n');
}

/** A cue identifier may not hold a line break or "-->"; question ids are UUIDs, but the rule is the format's. */
function vttIdentifier(id: string): string {
  return id.replace(/[\r\n]/g, ' ').replace(/-->/g, '--');
}
