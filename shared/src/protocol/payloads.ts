import { z } from 'zod';
import { CHAT_MAX_LENGTH } from '../domain/chat';
import { QUESTION_MAX_LENGTH } from '../domain/question';

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
    reason: z.string().trim().min(1).max(300).optional(),
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
