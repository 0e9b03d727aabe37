import { DisplayName, displayNameProblem, normaliseDisplayName, type DisplayNameProblem } from '#shared/domain/user';
import { ApiError } from '../../app/api-client';
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
 * A name typed in a guest form, checked with the rule the server applies (`DisplayName`): the name to send, or what is
 * wrong with it.
 */
export function readGuestName(raw: string): { ok: true; name: string } | { ok: false; refusal: GuestNameRefusal } {
  const parsed = DisplayName.safeParse(raw);
  if (parsed.success) return { ok: true, name: parsed.data };
  return { ok: false, refusal: displayNameProblem(normaliseDisplayName(raw)) ?? 'empty' };
}

/** What the form says when a name is refused, in the page's language. */
export function guestNameRefusalText(t: Translator['t'], refusal: GuestNameRefusal): string {
  return t(MESSAGES[refusal]);
}

/** The message for a failed guest sign-in: the name refused (and why), or the request that failed. */
export function guestSignInErrorText(t: Translator['t'], error: unknown): string {
  if (!(error instanceof ApiError)) return t('app.error.generic');
  switch (error.code) {
    case 'NETWORK':
      return t('app.error.network');
    case 'CONFLICT':
      return error.fields?.displayName ? t(MESSAGES.reserved) : t('app.error.generic');
    case 'INVALID_PAYLOAD':
      return t('chat.nameInvalid');
    case 'RATE_LIMITED':
      return t('app.error.rateLimited', { seconds: Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000)) });
    default:
      return t('app.error.generic');
  }
}
