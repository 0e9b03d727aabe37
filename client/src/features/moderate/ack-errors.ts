import type { ErrorBody } from '#shared/protocol/errors';
import type { Translator } from '../../i18n/i18n';

/**
 * Why a moderator's request was refused, in the console's words. The codes a moderator can act on get our own
 * sentence (rights, a conflict, a wait, the connection); a refused payload adds the server's per-field detail.
 */
export function ackErrorText(t: Translator['t'], error: ErrorBody): string {
  switch (error.code) {
    case 'FORBIDDEN':
      return t('mod.error.forbidden');
    case 'UNAUTHENTICATED':
      return t('app.sessionExpired');
    case 'NOT_FOUND':
      return t('mod.error.notFound');
    case 'CONFLICT':
      return t('mod.error.conflict');
    case 'RATE_LIMITED':
      return t('app.error.rateLimited', { seconds: Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000)) });
    case 'UNAVAILABLE':
      return t('mod.error.offline');
    case 'INVALID_PAYLOAD': {
      const detail = error.fields
        ? Object.entries(error.fields)
            .map(([field, message]) => `${field} ${message}`)
            .join(' ; ')
        : error.message;
      return t('mod.error.invalid', { detail });
    }
    default:
      return t('app.error.generic');
  }
}

/** "« Approve » failed: …", naming the action the moderator took. */
export function actionFailedText(t: Translator['t'], action: string, error: ErrorBody): string {
  return t('mod.actionFailed', { action, reason: ackErrorText(t, error) });
}
