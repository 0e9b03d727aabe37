import { z } from 'zod';
import {
  BACKSTAGE_NOTE_MAX_LENGTH,
  CHAT_MAX_LENGTH,
  HEARTBEAT_MAX_DELAY_MS,
  PINNED_MAX_LENGTH,
  POLL_MAX_OPTIONS,
  POLL_MIN_OPTIONS,
  POLL_OPTION_MAX_LENGTH,
  POLL_QUESTION_MAX_LENGTH,
  QUESTION_MAX_LENGTH,
  REJECT_REASON_MAX_LENGTH,
  SANCTION_REASON_MAX_LENGTH,
  WORD_FILTER_MAX_ENTRIES,
  WORD_FILTER_MAX_LENGTH,
} from '../domain/limits';
import { Reaction, SLOW_MODE_MAX_SECONDS, TIMEOUT_MAX_MINUTES, TIMEOUT_MIN_MINUTES } from '../domain/moderation';
import { PollResultsVisibility } from '../domain/poll';
import { CaptionLang, CaptionText } from '../domain/caption';

export { HEARTBEAT_MAX_DELAY_MS } from '../domain/limits';

const EventId = z.string().min(1).max(100);
/** An idempotency key chosen by the client, e.g. a UUID. */
const ClientId = z.string().min(1).max(64);

export const JoinPayload = z.object({
  eventId: EventId,
  /** The last chat offset the client holds; the ack then carries exactly the messages after it. */
  since: z.number().int().min(0).optional(),
});
export type JoinPayload = z.infer<typeof JoinPayload>;

export const LeavePayload = z.object({ eventId: EventId });
export type LeavePayload = z.infer<typeof LeavePayload>;

export const ChatSendPayload = z.object({
  eventId: EventId,
  text: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(CHAT_MAX_LENGTH, `must be at most ${CHAT_MAX_LENGTH} characters`),
  clientId: ClientId,
});
export type ChatSendPayload = z.infer<typeof ChatSendPayload>;

const QuestionId = z.string().min(1).max(100);
const QuestionText = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(QUESTION_MAX_LENGTH, `must be at most ${QUESTION_MAX_LENGTH} characters`);

export const QuestionAskPayload = z.object({
  eventId: EventId,
  text: QuestionText,
  /** Hidden from the audience (the moderators still see who asked). Default false. */
  anonymous: z.boolean().optional(),
  clientId: ClientId,
  /** `room`: asked from the auditorium's phone page. Absent: asked online. */
  origin: z.literal('room').optional(),
});
export type QuestionAskPayload = z.infer<typeof QuestionAskPayload>;

export const QuestionVotePayload = z.object({
  eventId: EventId,
  questionId: QuestionId,
  /** true upvotes, false withdraws your vote. Either is idempotent. */
  up: z.boolean(),
});
export type QuestionVotePayload = z.infer<typeof QuestionVotePayload>;

export const QuestionModerateAction = z.enum(['approve', 'reject', 'live', 'answered', 'merge', 'star', 'edit', 'reorder']);
export type QuestionModerateAction = z.infer<typeof QuestionModerateAction>;

export const QuestionModeratePayload = z
  .object({
    eventId: EventId,
    questionId: QuestionId,
    action: QuestionModerateAction,
    /** With `reject`: shown to the asker. */
    reason: z.string().trim().min(1).max(REJECT_REASON_MAX_LENGTH).optional(),
    /** With `merge`: the question that absorbs this one. */
    intoQuestionId: QuestionId.optional(),
    /** With `edit`: the corrected text. */
    text: QuestionText.optional(),
    /** With `star`: default true. */
    starred: z.boolean().optional(),
    /** With `reorder`: the queue position (lowest first), or null to unplace it. */
    position: z.number().int().min(0).max(1_000_000).nullable().optional(),
  })
  .superRefine((p, ctx) => {
    if (p.action === 'merge' && p.intoQuestionId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['intoQuestionId'], message: 'is required to merge' });
    }
    if (p.action === 'edit' && p.text === undefined) {
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'is required to edit' });
    }
    if (p.action === 'reorder' && p.position === undefined) {
      ctx.addIssue({ code: 'custom', path: ['position'], message: 'is required to reorder' });
    }
  });
export type QuestionModeratePayload = z.infer<typeof QuestionModeratePayload>;

// ── Chat moderation, room settings, backstage (issue 5) ────────────────────────────────────────────────────────

const MessageId = z.string().min(1).max(100);
const UserId = z.string().min(1).max(100);

/** `chat:delete`: a moderator deletes a message; everyone's copy disappears (`chat:deleted`). */
export const ChatDeletePayload = z.object({ eventId: EventId, messageId: MessageId });
export type ChatDeletePayload = z.infer<typeof ChatDeletePayload>;

/** `chat:review`: a moderator shows (`approve`) or drops a message held by the word filter. */
export const ChatReviewPayload = z.object({ eventId: EventId, heldId: MessageId, approve: z.boolean() });
export type ChatReviewPayload = z.infer<typeof ChatReviewPayload>;

/**
 * `moderation:sanction`: time a person out (`timeout`, 1–60 `minutes`), ban them from the event (`ban`: their sockets
 * are dropped and they cannot join again), or `lift` either. Moderators and admins cannot be sanctioned.
 */
export const SanctionPayload = z
  .object({
    eventId: EventId,
    userId: UserId,
    action: z.enum(['timeout', 'ban', 'lift']),
    minutes: z.number().int().min(TIMEOUT_MIN_MINUTES).max(TIMEOUT_MAX_MINUTES).optional(),
    reason: z.string().trim().min(1).max(SANCTION_REASON_MAX_LENGTH).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.action === 'timeout' && p.minutes === undefined) {
      ctx.addIssue({ code: 'custom', path: ['minutes'], message: 'is required for a timeout' });
    }
  });
export type SanctionPayload = z.infer<typeof SanctionPayload>;

/**
 * `room:configure`: moderators change the room's settings; only the fields sent change. `pinned: null` unpins.
 * The word filter replaces the whole list: entries are matched case- and accent-insensitively, as whole words.
 */
export const RoomConfigurePayload = z.object({
  eventId: EventId,
  slowModeSeconds: z.number().int().min(0).max(SLOW_MODE_MAX_SECONDS).optional(),
  preModeration: z.boolean().optional(),
  pinned: z.string().trim().min(1).max(PINNED_MAX_LENGTH).nullable().optional(),
  wordFilter: z
    .array(z.string().trim().min(1).max(WORD_FILTER_MAX_LENGTH))
    .max(WORD_FILTER_MAX_ENTRIES, `at most ${WORD_FILTER_MAX_ENTRIES} entries`)
    .optional(),
});
export type RoomConfigurePayload = z.infer<typeof RoomConfigurePayload>;

/** `backstage:note`: a moderator's private note to the speakers' stage view. */
export const BackstageNotePayload = z.object({
  eventId: EventId,
  text: z.string().trim().min(1, 'must not be empty').max(BACKSTAGE_NOTE_MAX_LENGTH),
});
export type BackstageNotePayload = z.infer<typeof BackstageNotePayload>;

// ── Polls and reactions (issue 5) ──────────────────────────────────────────────────────────────────────────────

const PollId = z.string().min(1).max(100);

/** `poll:create`: a moderator prepares a poll (a draft, unseen by the audience until opened). */
export const PollCreatePayload = z.object({
  eventId: EventId,
  question: z.string().trim().min(1, 'must not be empty').max(POLL_QUESTION_MAX_LENGTH),
  options: z
    .array(z.string().trim().min(1, 'must not be empty').max(POLL_OPTION_MAX_LENGTH))
    .min(POLL_MIN_OPTIONS, `at least ${POLL_MIN_OPTIONS} options`)
    .max(POLL_MAX_OPTIONS, `at most ${POLL_MAX_OPTIONS} options`),
  multiple: z.boolean().default(false),
  results: PollResultsVisibility.default('live'),
});
export type PollCreatePayload = z.infer<typeof PollCreatePayload>;
/** What a client sends for `poll:create`: `multiple` and `results` may be left out. */
export type PollCreateInput = z.input<typeof PollCreatePayload>;

/** `poll:control`: open a draft, close an open poll, or delete a draft. */
export const PollControlPayload = z.object({ eventId: EventId, pollId: PollId, action: z.enum(['open', 'close', 'delete']) });
export type PollControlPayload = z.infer<typeof PollControlPayload>;

/** `poll:vote`: one vote per person; one option unless the poll is `multiple`. */
export const PollVotePayload = z.object({
  eventId: EventId,
  pollId: PollId,
  optionIds: z.array(z.string().min(1).max(100)).min(1, 'choose at least one option').max(POLL_MAX_OPTIONS),
});
export type PollVotePayload = z.infer<typeof PollVotePayload>;

/** `reaction:send`: one click on an emoji; aggregated by the server into `reactions:burst`. */
export const ReactionPayload = z.object({ eventId: EventId, reaction: Reaction });
export type ReactionPayload = z.infer<typeof ReactionPayload>;

/**
 * `viewer:heartbeat`: a player on the page says what it is doing, every 15 s and at each play and pause (issue 12),
 * from a socket in the event's room. `delayMs` is how far behind real time the picture is on a live (now minus the
 * frame's EXT-X-PROGRAM-DATE-TIME), null when the player cannot tell; `positionSeconds` is the replay's playhead.
 */
export const ViewerHeartbeatPayload = z.object({
  eventId: EventId,
  mode: z.enum(['live', 'replay']),
  playing: z.boolean(),
  positionSeconds: z.number().finite().min(0).max(7 * 24 * 3600).nullable(),
  delayMs: z.number().finite().min(-HEARTBEAT_MAX_DELAY_MS).max(HEARTBEAT_MAX_DELAY_MS).nullable(),
});
export type ViewerHeartbeatPayload = z.infer<typeof ViewerHeartbeatPayload>;
/**
 * `caption:send` (issue 12): a line of live captions from the desk. With `replaces`, the text of that cue is corrected
 * instead (it keeps its id and times).
 */
export const CaptionSendPayload = z.object({
  eventId: EventId,
  lang: CaptionLang,
  text: CaptionText,
  replaces: z.string().min(1).max(100).optional(),
});
export type CaptionSendPayload = z.input<typeof CaptionSendPayload>;
