import { describe, expect, it } from 'vitest';
import { ApiError } from '../app/api-client';
import { actionFailedText, errorKey, errorText, waitText } from './error-text';
import { testTranslator } from './test-translator';

const en = testTranslator('en');
const fr = testTranslator('fr');
const NOW = Date.parse('2026-11-25T17:00:00Z');

describe('a refusal in words', () => {
  it('says what the room’s rules mean, whatever the person was doing', () => {
    const closed = { code: 'FORBIDDEN', message: 'The chat is closed', reason: 'event-closed' } as const;
    for (const context of ['chat', 'question', 'vote', 'poll', 'reaction'] as const) {
      expect(errorText(en, closed, context)).toBe('This event is over: it takes no more messages, questions or votes.');
      expect(errorText(fr, closed, context)).toBe('Cet événement est terminé : il ne reçoit plus de messages, de questions ni de votes.');
    }
    expect(errorText(en, { code: 'FORBIDDEN', message: 'x', reason: 'banned' }, 'poll')).toBe('You have been removed from this event');
    expect(errorText(en, { code: 'RATE_LIMITED', message: 'x', reason: 'slow-mode', retryAfterMs: 4200 }, 'chat')).toMatch(/5 s/);
  });

  it('says what happened to a seat when a sign-up is refused, in both languages', () => {
    const full = { code: 'CONFLICT', message: 'This event is full and has no waiting list', reason: 'full' } as const;
    expect(errorText(en, full)).toBe('This event is full and has no waiting list.');
    expect(errorText(fr, full)).toBe('Cet événement est complet et n’a pas de liste d’attente.');
    expect(errorText(fr, { code: 'CONFLICT', message: 'x', reason: 'closed' })).toBe('Les inscriptions sont fermées pour cet événement.');
    expect(errorText(en, { code: 'CONFLICT', message: 'x', reason: 'offer-expired' })).toBe(
      'The time to accept this seat has passed: it was offered to the next person.',
    );
    expect(errorKey({ code: 'CONFLICT', message: 'x', reason: 'not-offered' })).toBe('error.signup.notOffered');
  });

  it('tells a timed-out person when they may write again, in their zone', () => {
    const text = errorText(en, { code: 'FORBIDDEN', message: 'x', reason: 'timed-out', retryAfterMs: 10 * 60_000 }, 'question', NOW);
    expect(text).toBe(`A moderator has timed you out: you can write again at ${en.time('2026-11-25T17:10:00.000Z')}.`);
  });

  it('reads a code in the light of what was refused', () => {
    const conflict = { code: 'CONFLICT', message: 'This question takes no votes: it is answered' } as const;
    expect(errorText(en, conflict, 'vote')).toBe('This question no longer takes votes.');
    expect(errorText(en, conflict, 'poll')).toBe('This poll no longer takes votes.');
    expect(errorText(en, { code: 'RATE_LIMITED', message: 'x', retryAfterMs: 2500 }, 'chat')).toBe('You are sending too fast: wait 3 s.');
    expect(errorText(en, { code: 'PAYLOAD_TOO_LARGE', message: 'x' }, 'chat')).toBe('Your message is longer than 500 characters.');
    expect(errorText(en, { code: 'PAYLOAD_TOO_LARGE', message: 'x' }, 'question')).toBe('Your question is longer than 300 characters.');
    expect(errorText(en, { code: 'UNAUTHENTICATED', message: 'x' }, 'reaction')).toBe('To react, choose a name in the chat.');
  });

  it('falls back on what failed when the code says nothing more', () => {
    expect(errorText(en, { code: 'INTERNAL', message: 'x' }, 'chat')).toBe('Something went wrong.');
    expect(errorText(en, { code: 'NOT_FOUND', message: 'x' }, 'chat')).toBe('The message could not be sent. Try again.');
    expect(errorText(fr, { code: 'NOT_FOUND', message: 'x' }, 'question')).toBe("La question n'a pas pu être envoyée. Réessayez.");
    expect(errorKey(new Error('boom'), 'poll')).toBe('room.poll.voteFailed');
  });

  it('turns HTTP errors into words too, with the server’s own message for an admin’s form', () => {
    expect(errorText(en, new ApiError('NETWORK', 'offline'))).toBe('The server cannot be reached. Check your connection.');
    expect(errorText(en, new ApiError('CONFLICT', 'This address is taken', 409))).toBe('This address is taken');
    expect(errorText(en, new ApiError('UNAUTHENTICATED', 'expired', 401))).toBe('Your session has expired: sign in again.');
    expect(errorText(en, new ApiError('UNAVAILABLE', 'store down', 503))).toBe('Something went wrong.');
    expect(errorText(en, new TypeError('x'))).toBe('Something went wrong.');
    expect(errorText(en, new ApiError('INVALID_PAYLOAD', 'displayName: bad', 400), 'guest')).toBe('Enter a name of 1 to 40 characters.');
    expect(errorText(fr, new ApiError('RATE_LIMITED', 'slow', 429, 30_000), 'guest')).toBe('Trop de demandes : réessayez dans 30 s.');
    expect(errorText(en, new ApiError('FORBIDDEN', 'closed', 403, undefined, undefined, 'event-closed'))).toMatch(/This event is over/);
  });

  it('names the moderator’s action, and gives the field detail of a refused payload', () => {
    expect(actionFailedText(en, 'Approve', { code: 'CONFLICT', message: 'Cannot approve a live question' })).toBe(
      '“Approve” failed: it changed in the meantime and the action no longer applies.',
    );
    expect(actionFailedText(en, 'Open', { code: 'FORBIDDEN', message: 'x', reason: 'event-closed' })).toBe(
      '“Open” failed: the event has ended or was cancelled.',
    );
    expect(errorText(en, { code: 'FORBIDDEN', message: 'no' }, 'moderation')).toMatch(/moderator rights/);
    expect(errorText(en, { code: 'INVALID_PAYLOAD', message: 'bad', fields: { text: 'must not be empty' } }, 'moderation')).toBe(
      'refused (text must not be empty).',
    );
    expect(actionFailedText(fr, 'Approuver', { code: 'NOT_FOUND', message: 'gone' })).toMatch(/^« Approuver » a échoué/);
  });

  it('says a wait in minutes or seconds', () => {
    expect(waitText(en.t, 42_000)).toBe('42 s');
    expect(waitText(en.t, 4 * 60_000 + 1)).toBe('5 min');
  });
});

describe('sign-up refusals in words', () => {
  it('tells a sign-up form why it was refused: full, closed, too many tries', () => {
    expect(errorText(en, new ApiError('CONFLICT', 'Full', 409, undefined, undefined, 'full'), 'signup')).toBe(
      'The last seat has just been taken, and this event has no waiting list.',
    );
    expect(errorText(fr, new ApiError('CONFLICT', 'Closed', 409, undefined, undefined, 'closed'), 'signup')).toBe(
      'Les inscriptions à cet événement sont closes.',
    );
    expect(errorText(en, new ApiError('RATE_LIMITED', 'Slow down', 429, 30_000), 'signup')).toBe(
      'Too many sign-ups in a short time: try again in 30 s.',
    );
  });

  it('tells the personal page that its link no longer works, or that an offer ran out', () => {
    expect(errorText(en, new ApiError('UNAUTHENTICATED', 'x', 401), 'personal')).toBe(
      'This personal link no longer works: use the one in the latest email you received from us.',
    );
    expect(errorText(en, new ApiError('CONFLICT', 'x', 409, undefined, undefined, 'offer-expired'), 'personal')).toBe(
      'Too late: the offer ran out, and the seat went to the next person.',
    );
    expect(errorText(en, new ApiError('NETWORK', 'offline'), 'personal')).toBe('The server cannot be reached. Check your connection.');
  });
});
