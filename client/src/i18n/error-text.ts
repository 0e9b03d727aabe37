import { CHAT_MAX_LENGTH, DISPLAY_NAME_MAX_LENGTH, QUESTION_MAX_LENGTH } from '#shared/domain/limits';
import type { ErrorBody, ErrorCode, ErrorReason } from '#shared/protocol/errors';
import { ApiError } from '../app/api-client';
import type { Params, StringKey, Translator } from './i18n';

/*
 * Every refusal the person sees, in their language, from one table: an ack's `{code, reason}` or an HTTP `ApiError`
 * becomes a sentence. What a refusal means depends on what the person was doing (a RATE_LIMITED chat message is "you
 * are sending too fast", a CONFLICT vote is "this question no longer takes votes"), so each kind of request has its
 * own entries; what it does not say falls back to the entries every request shares.
 */

/** What the person was doing when the server refused. */
export type ErrorContext =
  /** Any HTTP request of the admin and invitation pages: the server's own message for refusals it explains. */
  | 'request'
  /** Choosing a display name (POST /api/auth/guest). */
  | 'guest'
  | 'chat'
  | 'question'
  /** A vote on a question. */
  | 'vote'
  /** A vote in a poll. */
  | 'poll'
  | 'reaction'
  /** A moderator's action in the console: the sentence completes "“Approve” failed: …". */
  | 'moderation'
  /** A sign-up form (one event, or dates of a series). */
  | 'signup'
  /** An action on the personal page ("my registrations"), with the personal link's token. */
  | 'personal';

type Code = ErrorCode | 'NETWORK';
/** `reason:<reason>` entries win over `code` entries, the context's over the shared ones. */
type Entry = Code | `reason:${ErrorReason}`;
/** `message`: the server's own words (an admin reads them in the form that caused them). */
type Say = StringKey | 'message';

const SHARED: Partial<Record<Entry, StringKey>> = {
  'reason:slow-mode': 'room.chat.slowModeRefused',
  'reason:timed-out': 'room.chat.timedOut',
  'reason:banned': 'room.chat.banned',
  'reason:event-closed': 'error.eventClosed',
  // Sign-up (CONFLICT): whatever the page, these say what happened to the seat.
  'reason:full': 'error.signup.full',
  'reason:closed': 'error.signup.closed',
  'reason:offer-expired': 'error.signup.offerExpired',
  'reason:not-offered': 'error.signup.notOffered',
  NETWORK: 'app.error.network',
  RATE_LIMITED: 'app.error.rateLimited',
  UNAUTHENTICATED: 'app.sessionExpired',
  UNAVAILABLE: 'app.error.generic',
  INTERNAL: 'app.error.generic',
};

const BY_CONTEXT: Record<ErrorContext, { entries: Partial<Record<Entry, Say>>; otherwise: Say }> = {
  request: { entries: {}, otherwise: 'message' },
  guest: {
    // The one CONFLICT of POST /api/auth/guest: the name of one of the event's speakers or moderators.
    entries: { INVALID_PAYLOAD: 'chat.nameInvalid', CONFLICT: 'guest.name.reserved', UNAUTHENTICATED: 'app.error.generic' },
    otherwise: 'app.error.generic',
  },
  chat: {
    entries: {
      RATE_LIMITED: 'chat.rateLimited',
      UNAVAILABLE: 'chat.offline',
      FORBIDDEN: 'chat.forbidden',
      PAYLOAD_TOO_LARGE: 'chat.tooLong',
      // A guest whose name the event's speakers or moderators go by may watch, not write.
      CONFLICT: 'guest.name.reserved',
      // A staff token is renewed on its own, and a guest is asked for a name again: nothing to add.
      UNAUTHENTICATED: 'chat.sendFailed',
    },
    otherwise: 'chat.sendFailed',
  },
  question: {
    entries: {
      RATE_LIMITED: 'qa.rateLimited',
      UNAVAILABLE: 'qa.offline',
      FORBIDDEN: 'qa.forbidden',
      PAYLOAD_TOO_LARGE: 'qa.tooLong',
      CONFLICT: 'guest.name.reserved',
      UNAUTHENTICATED: 'qa.askFailed',
    },
    otherwise: 'qa.askFailed',
  },
  vote: {
    entries: {
      CONFLICT: 'qa.voteClosed',
      NOT_FOUND: 'qa.voteClosed',
      RATE_LIMITED: 'qa.rateLimited',
      UNAVAILABLE: 'qa.offline',
      FORBIDDEN: 'qa.forbidden',
      UNAUTHENTICATED: 'qa.voteFailed',
    },
    otherwise: 'qa.voteFailed',
  },
  poll: {
    entries: {
      UNAUTHENTICATED: 'room.poll.signIn',
      CONFLICT: 'room.poll.voteClosed',
      FORBIDDEN: 'room.poll.forbidden',
      UNAVAILABLE: 'room.poll.offline',
    },
    otherwise: 'room.poll.voteFailed',
  },
  reaction: {
    entries: { UNAUTHENTICATED: 'room.reactions.signIn', RATE_LIMITED: 'room.reactions.slowDown' },
    otherwise: 'room.reactions.failed',
  },
  moderation: {
    entries: {
      'reason:event-closed': 'mod.error.eventClosed',
      FORBIDDEN: 'mod.error.forbidden',
      NOT_FOUND: 'mod.error.notFound',
      CONFLICT: 'mod.error.conflict',
      UNAVAILABLE: 'mod.error.offline',
      INVALID_PAYLOAD: 'mod.error.invalid',
    },
    otherwise: 'app.error.generic',
  },
  signup: {
    entries: {
      'reason:full': 'signup.refused.full',
      'reason:closed': 'signup.refused.closed',
      NOT_FOUND: 'signup.refused.notFound',
      RATE_LIMITED: 'signup.refused.rateLimited',
      INVALID_PAYLOAD: 'signup.refused.invalid',
    },
    otherwise: 'signup.refused.failed',
  },
  personal: {
    entries: {
      // The token was revoked ("this wasn't me", erasure) or replaced: the latest email has a link that works.
      UNAUTHENTICATED: 'me.linkExpired',
      FORBIDDEN: 'me.linkExpired',
      'reason:offer-expired': 'me.offerExpired',
      CONFLICT: 'me.conflict',
      NOT_FOUND: 'me.notFound',
    },
    otherwise: 'me.actionFailed',
  },
};

/** The longest text each context takes, for "longer than {max} characters". */
const MAX_LENGTH: Partial<Record<ErrorContext, number>> = {
  chat: CHAT_MAX_LENGTH,
  question: QUESTION_MAX_LENGTH,
  guest: DISPLAY_NAME_MAX_LENGTH,
};

interface Refusal {
  code: Code | null;
  message: string;
  retryAfterMs?: number | undefined;
  fields?: Readonly<Record<string, string>> | undefined;
  reason?: ErrorReason | undefined;
}

function refusalOf(error: unknown): Refusal {
  if (error instanceof ApiError) return error;
  if (typeof error === 'object' && error !== null && typeof (error as ErrorBody).code === 'string') {
    const body = error as ErrorBody;
    return { ...body, message: typeof body.message === 'string' ? body.message : '' };
  }
  return { code: null, message: '' };
}

/** Which catalogue entry says this refusal, for tests and for callers that pick their own words for one case. */
export function errorKey(error: unknown, context: ErrorContext = 'request'): Say {
  const refusal = refusalOf(error);
  const { entries, otherwise } = BY_CONTEXT[context];
  if (refusal.code === null) return context === 'request' ? 'app.error.generic' : otherwise;
  const reason = refusal.reason ? (`reason:${refusal.reason}` as const) : null;
  return (
    (reason && (entries[reason] ?? SHARED[reason])) ||
    entries[refusal.code] ||
    SHARED[refusal.code] ||
    otherwise
  );
}

/**
 * A refusal (an ack's error, an `ApiError`, anything thrown) as a sentence in the person's language. `now` places a
 * timeout's end ("you can write again at 18:42").
 */
export function errorText(
  i18n: Pick<Translator, 't' | 'time'>,
  error: unknown,
  context: ErrorContext = 'request',
  now: number = Date.now(),
): string {
  const refusal = refusalOf(error);
  const say = errorKey(error, context);
  if (say === 'message') return refusal.message || i18n.t('app.error.generic');
  const wait = refusal.retryAfterMs ?? 1000;
  const params: Params = {
    seconds: Math.max(1, Math.ceil(wait / 1000)),
    time: i18n.time(new Date(now + (refusal.retryAfterMs ?? 0)).toISOString()),
    detail: refusal.fields
      ? Object.entries(refusal.fields)
          .map(([field, message]) => `${field} ${message}`)
          .join(' ; ')
      : refusal.message,
  };
  const max = MAX_LENGTH[context];
  if (max !== undefined) params.max = max;
  return i18n.t(say, params);
}

/** "“Approve” failed: …", naming the action the moderator took. */
export function actionFailedText(i18n: Pick<Translator, 't' | 'time'>, action: string, error: unknown): string {
  return i18n.t('mod.actionFailed', { action, reason: errorText(i18n, error, 'moderation') });
}

/** A wait in words, rounded up: "5 min" or "42 s". */
export function waitText(t: Translator['t'], ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return seconds >= 60 ? t('countdown.minutes', { n: Math.ceil(seconds / 60) }) : t('countdown.seconds', { n: seconds });
}
