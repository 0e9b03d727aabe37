import { ApiError } from '../../app/api-client';
import type { Translator } from '../../i18n/i18n';

/** A wait in words, rounded up: "5 min" or "42 s". */
export function waitText(t: Translator['t'], ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return seconds >= 60 ? t('countdown.minutes', { n: Math.ceil(seconds / 60) }) : t('countdown.seconds', { n: seconds });
}

/**
 * What to tell an admin when a request failed: our own words for what the person can act on (the network, a wait, an
 * expired session), the server's message for a refusal it explains (a conflict, a forbidden change).
 */
export function errorText(t: Translator['t'], error: unknown): string {
  if (!(error instanceof ApiError)) return t('app.error.generic');
  switch (error.code) {
    case 'NETWORK':
      return t('app.error.network');
    case 'RATE_LIMITED':
      return t('app.error.rateLimited', { seconds: Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000)) });
    case 'UNAUTHENTICATED':
      return t('app.sessionExpired');
    case 'INTERNAL':
    case 'UNAVAILABLE':
      return t('app.error.generic');
    default:
      return error.message || t('app.error.generic');
  }
}
