import { z } from 'zod';
import type { Role } from './user';

export { CAPTION_MAX_SECONDS, CAPTION_MIN_SECONDS, captionShownUntil } from './caption-timing';

/*
 * Live captions (issue 12): lines of text a captioner types at the desk, or captioning software posts to the event's
 * caption URL, each with the instant the words were said. Viewers get them over the socket (`captions:cue`) and the
 * replay as a WebVTT file per language. The rules both sides apply live here: what a line may hold, how a language is
 * written, who may caption, and how long a cue stays on screen.
 */

/** A line of captions: at most this many characters (one or two lines on screen). */
export const CAPTION_MAX_LENGTH = 500;
/** A cue shows at most two lines, as broadcast captions do. */
export const CAPTION_MAX_LINES = 2;
/** How many of the newest cues per language the join ack carries, for a viewer who arrives mid-sentence. */
export const CAPTION_JOIN_CUES = 10;

export const CaptionSource = z.enum(['desk', 'ingest']);
export type CaptionSource = z.infer<typeof CaptionSource>;

/**
 * A language as Parvis keys captions by it: the primary subtag of a BCP-47 tag, lower-cased (`fr-FR` → `fr`,
 * `en-US` → `en`, `EN` → `en`), 2 to 8 letters. Zoom sends `lang=en-US`; a file name `fr.vtt` uses the same key.
 */
export function captionLanguage(tag: string): string | null {
  const primary = tag.trim().split(/[-_]/)[0]!.toLowerCase();
  return /^[a-z]{2,8}$/.test(primary) ? primary : null;
}

export const CaptionLang = z
  .string()
  .max(35)
  .transform((tag, ctx) => {
    const lang = captionLanguage(tag);
    if (lang === null) {
      ctx.addIssue({ code: 'custom', message: 'must be a language tag such as fr or en-US' });
      return z.NEVER;
    }
    return lang;
  });

/**
 * A caption line as stored and shown: line breaks made `\n`, spaces inside a line collapsed, empty lines dropped, and
 * anything past the second line joined to it (a cue shows two lines at most).
 */
export function normaliseCaptionText(raw: string): string {
  const lines = raw
    .replace(/<br\s*\/?>/gi, '\n')
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim())
    .filter((line) => line.length > 0);
  if (lines.length <= CAPTION_MAX_LINES) return lines.join('\n');
  return [...lines.slice(0, CAPTION_MAX_LINES - 1), lines.slice(CAPTION_MAX_LINES - 1).join(' ')].join('\n');
}

export const CaptionText = z
  .string()
  .max(CAPTION_MAX_LENGTH * 2)
  .transform(normaliseCaptionText)
  .pipe(
    z
      .string()
      .min(1, 'must not be empty')
      .max(CAPTION_MAX_LENGTH, `must be at most ${CAPTION_MAX_LENGTH} characters`),
  );

export const CaptionCue = z.object({
  id: z.string(),
  eventId: z.string(),
  lang: z.string(),
  /** Per event, language and source: the desk's are numbered by the server, the software's are its `seq`. */
  seq: z.number().int(),
  /** When the words were said: the captioner's timestamp, or when the line arrived. */
  startAt: z.iso.datetime(),
  /** Null until the next cue of that language (or a correction) ends it. */
  endAt: z.iso.datetime().nullable(),
  text: z.string(),
  source: CaptionSource,
  editedAt: z.iso.datetime().nullable(),
});
export type CaptionCue = z.infer<typeof CaptionCue>;

/**
 * Who may send and correct captions for an event: its captioners, its moderators and the programme's admins (the
 * effective role in the event, as `roleIn` answers it).
 */
export function mayCaption(role: Role | null | undefined): boolean {
  return role === 'captioner' || role === 'moderator' || role === 'admin';
}

/** `PUT /api/admin/events/:id/captions/:cueId`: only the fields sent change. */
export const CaptionEditRequest = z
  .object({
    text: CaptionText.optional(),
    startAt: z.iso.datetime().optional(),
    endAt: z.iso.datetime().nullable().optional(),
  })
  .strict()
  .refine((edit) => edit.text !== undefined || edit.startAt !== undefined || edit.endAt !== undefined, 'nothing to change')
  .refine(
    (edit) => !edit.startAt || !edit.endAt || Date.parse(edit.endAt) > Date.parse(edit.startAt),
    { message: 'must end after it starts', path: ['endAt'] },
  );
export type CaptionEditRequest = z.infer<typeof CaptionEditRequest>;
