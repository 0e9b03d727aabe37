import { DISPLAY_NAME_MAX_LENGTH } from '#shared/domain/limits';
import { displayNameProblem, normaliseDisplayName, type DisplayNameProblem } from '#shared/domain/display-name';
import type { StringKey, Translator } from '../../i18n/i18n';

/** Why a name was refused: one of the shared rule's problems, or taken by the event's staff (the server says so). */
export type GuestNameRefusal = DisplayNameProblem | 'reserved';

const MESSAGES: Record<GuestNameRefusal, StringKey> = {
  empty: 'guest.name.empty',
  'too-long': 'guest.name.tooLong',
  control: 'guest.name.control',
  invisible: 'guest.name.invisible',
  direction: 'guest.name.direction',
  reserved: 'guest.name.reserved',
};

/**
 * A name typed in a guest form, checked with the rules the server's `DisplayName` applies (display-name.ts): the name
 * to send, normalised, or what is wrong with it.
 */
export function readGuestName(raw: string): { ok: true; name: string } | { ok: false; refusal: GuestNameRefusal } {
  const name = normaliseDisplayName(raw);
  const problem = displayNameProblem(name);
  return problem ? { ok: false, refusal: problem } : { ok: true, name };
}

/** What the form says when a name is refused, in the page's language. */
export function guestNameRefusalText(t: Translator['t'], refusal: GuestNameRefusal): string {
  return t(MESSAGES[refusal], { max: DISPLAY_NAME_MAX_LENGTH });
}
