import { DISPLAY_NAME_MAX_LENGTH } from './limits';

/*
 * The rules a display name follows, without zod: the client checks a name with them before sending (it never loads
 * zod), the server's `DisplayName` schema (user.ts) applies them on arrival.
 */

const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** Marks that change the direction of the text around them: a name must not turn the line it is shown in around. */
const DIRECTION_CHARS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/**
 * Characters that take no room or look like nothing: format characters (zero-width space, word joiner, soft
 * hyphen, BOM…), and letters that render as a blank (Hangul fillers, the blank Braille pattern, Khmer inherent
 * vowels, the combining grapheme joiner). The zero-width joiner and non-joiner are left out: emoji sequences and
 * Persian or Indic names need them. They are only refused where they join nothing (see below).
 */
const INVISIBLE_CHARS = /[\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0]|(?![\u200c\u200d])\p{Cf}/u;
/** A joiner must sit between two visible characters. */
const LOOSE_JOINER = /(?:^|[ \u200c\u200d])[\u200c\u200d]|[\u200c\u200d](?:$| )/u;
/** Something a person can see and read back: a letter, a digit, a symbol or punctuation. */
const VISIBLE = /[\p{L}\p{N}\p{S}\p{P}]/u;

/** Why a display name is refused; each has its own message in the client. */
export type DisplayNameProblem = 'control' | 'direction' | 'invisible' | 'empty' | 'too-long';

/** What the server answers (in `fields.displayName`) for each problem. */
export const DISPLAY_NAME_MESSAGES: Readonly<Record<DisplayNameProblem, string>> = {
  control: 'must not contain control characters',
  direction: 'must not contain characters that change the direction of the text',
  invisible: 'must not contain invisible characters',
  empty: 'must not be empty',
  'too-long': `must be at most ${DISPLAY_NAME_MAX_LENGTH} characters`,
};

/**
 * A name as it is stored and shown: in Unicode NFC (so "é" typed two ways is one name), every run of spaces of any
 * kind (no-break, thin, ideographic…) made one plain space, and trimmed. Tabs and line breaks inside a name are not
 * spaces but control characters, refused below.
 */
export function normaliseDisplayName(raw: string): string {
  return raw.normalize('NFC').replace(/\p{Zs}+/gu, ' ').trim();
}

/**
 * What is wrong with a name once normalised, or null. A name is what other people see next to a message: it must be
 * readable, and must not hide characters that make two names look the same or turn the text around it.
 */
export function displayNameProblem(name: string, opts: { maxLength?: number } = {}): DisplayNameProblem | null {
  if (CONTROL_CHARS.test(name)) return 'control';
  if (DIRECTION_CHARS.test(name)) return 'direction';
  if (INVISIBLE_CHARS.test(name) || LOOSE_JOINER.test(name)) return 'invisible';
  if (!VISIBLE.test(name)) return 'empty';
  if (name.length > (opts.maxLength ?? DISPLAY_NAME_MAX_LENGTH)) return 'too-long';
  return null;
}

/**
 * The form two names are compared in, to tell whether a guest's name is taken by the staff of an event: normalised,
 * compatibility-folded (so "ﬁ" and "fi", full-width and plain letters, are one) and without case.
 */
export function displayNameKey(name: string): string {
  return normaliseDisplayName(name).normalize('NFKC').toLowerCase();
}
