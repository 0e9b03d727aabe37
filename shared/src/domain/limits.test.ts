import { describe, expect, it } from 'vitest';
import { EventCreateRequest } from '../protocol/admin';
import {
  BackstageNotePayload,
  ChatSendPayload,
  PollCreatePayload,
  QuestionAskPayload,
  QuestionModeratePayload,
  RoomConfigurePayload,
  SanctionPayload,
} from '../protocol/payloads';
import { Password } from './account';
import {
  BACKSTAGE_NOTE_MAX_LENGTH,
  CHAT_MAX_LENGTH,
  DISPLAY_NAME_MAX_LENGTH,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PINNED_MAX_LENGTH,
  POLL_MAX_OPTIONS,
  POLL_OPTION_MAX_LENGTH,
  POLL_QUESTION_MAX_LENGTH,
  QUESTION_MAX_LENGTH,
  REJECT_REASON_MAX_LENGTH,
  SANCTION_REASON_MAX_LENGTH,
  SPEAKER_NAME_MAX_LENGTH,
  TITLE_MAX_LENGTH,
} from './limits';
import { DisplayName } from './user';

/** Whether `parse` takes a text of exactly `max` characters and refuses one more. */
function holdsAt(max: number, parse: (text: string) => boolean): boolean {
  return parse('x'.repeat(max)) && !parse('x'.repeat(max + 1));
}

const base = { eventId: 'e', clientId: 'c' };
const event = { kind: 'lecture', title: 'T', startsAt: '2026-11-25T17:00:00Z', endsAt: '2026-11-25T18:00:00Z' };

describe('the text limits the server applies', () => {
  it('are the ones the client counts down from', () => {
    expect(holdsAt(CHAT_MAX_LENGTH, (text) => ChatSendPayload.safeParse({ ...base, text }).success)).toBe(true);
    expect(holdsAt(QUESTION_MAX_LENGTH, (text) => QuestionAskPayload.safeParse({ ...base, text }).success)).toBe(true);
    expect(holdsAt(DISPLAY_NAME_MAX_LENGTH, (text) => DisplayName.safeParse(text).success)).toBe(true);
    expect(holdsAt(BACKSTAGE_NOTE_MAX_LENGTH, (text) => BackstageNotePayload.safeParse({ eventId: 'e', text }).success)).toBe(true);
    expect(holdsAt(PINNED_MAX_LENGTH, (pinned) => RoomConfigurePayload.safeParse({ eventId: 'e', pinned }).success)).toBe(true);
  });

  it('bound a rejection reason, which the asker reads, and a sanction reason', () => {
    const reject = (reason: string) =>
      QuestionModeratePayload.safeParse({ eventId: 'e', questionId: 'q', action: 'reject', reason }).success;
    expect(holdsAt(REJECT_REASON_MAX_LENGTH, reject)).toBe(true);
    const ban = (reason: string) => SanctionPayload.safeParse({ eventId: 'e', userId: 'u', action: 'ban', reason }).success;
    expect(holdsAt(SANCTION_REASON_MAX_LENGTH, ban)).toBe(true);
  });

  it('bound a poll and its options', () => {
    const poll = (question: string, options: string[]) => PollCreatePayload.safeParse({ eventId: 'e', question, options }).success;
    expect(holdsAt(POLL_QUESTION_MAX_LENGTH, (q) => poll(q, ['a', 'b']))).toBe(true);
    expect(holdsAt(POLL_OPTION_MAX_LENGTH, (o) => poll('Q', [o, 'b']))).toBe(true);
    expect(poll('Q', Array.from({ length: POLL_MAX_OPTIONS }, (_, i) => `${i}`))).toBe(true);
    expect(poll('Q', Array.from({ length: POLL_MAX_OPTIONS + 1 }, (_, i) => `${i}`))).toBe(false);
  });

  it('bound the programme admin forms and passwords', () => {
    expect(holdsAt(TITLE_MAX_LENGTH, (title) => EventCreateRequest.safeParse({ ...event, title }).success)).toBe(true);
    const speaker = (name: string) => EventCreateRequest.safeParse({ ...event, speakers: [{ name }] }).success;
    expect(holdsAt(SPEAKER_NAME_MAX_LENGTH, speaker)).toBe(true);
    expect(holdsAt(PASSWORD_MAX_LENGTH, (p) => Password.safeParse(p).success)).toBe(true);
    expect(Password.safeParse('x'.repeat(PASSWORD_MIN_LENGTH - 1)).success).toBe(false);
  });
});
