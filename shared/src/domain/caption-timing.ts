import type { CaptionCue } from './caption';

/* How long a cue shows, without zod: the live player uses it (the client never loads zod), the replay's WebVTT too. */

/**
 * A cue stays on screen until the next one of its language, or this long at most, so that the last line before a
 * pause does not stay up for minutes. Also the least it shows when the next one comes at once.
 */
export const CAPTION_MAX_SECONDS = 8;
export const CAPTION_MIN_SECONDS = 1;

/**
 * Where a cue stops showing, in epoch ms: its end, kept between {@link CAPTION_MIN_SECONDS} and
 * {@link CAPTION_MAX_SECONDS} after its start. The replay's WebVTT and the live player place cues with it alike.
 */
export function captionShownUntil(cue: Pick<CaptionCue, 'startAt' | 'endAt'>): number {
  const start = Date.parse(cue.startAt);
  const end = cue.endAt === null ? Number.POSITIVE_INFINITY : Date.parse(cue.endAt);
  return Math.max(start + CAPTION_MIN_SECONDS * 1000, Math.min(end, start + CAPTION_MAX_SECONDS * 1000));
}
