import { z } from 'zod';

export { AUDIENCE_STATES, VOTABLE_STATES } from './question-transitions';

/**
 * pending → approved → live ("now answering", at most one per event) → answered; pending or approved → rejected
 * (with a reason the asker sees) or merged into another question (its voters are added to that one).
 */
export const QuestionState = z.enum(['pending', 'approved', 'live', 'answered', 'rejected', 'merged']);
export type QuestionState = z.infer<typeof QuestionState>;

/**
 * Where a question was asked: `room` from the phone page of the people in the auditorium (`/events/:id/ask`, reached
 * by the QR code), `online` from the event page. Questions stored before origins existed read as `online`.
 */
export const QuestionOrigin = z.enum(['online', 'room']);
export type QuestionOrigin = z.infer<typeof QuestionOrigin>;

export const QuestionAuthor = z.object({ id: z.string(), displayName: z.string() });
export type QuestionAuthor = z.infer<typeof QuestionAuthor>;

export const Question = z.object({
  id: z.string(),
  eventId: z.string(),
  text: z.string(),
  anonymous: z.boolean(),
  /** Null for the audience when the question is anonymous; moderators and the asker see who asked. */
  author: QuestionAuthor.nullable(),
  state: QuestionState,
  /** The number of distinct people who upvoted it (for a merged-into question, the union of both voters). */
  votes: z.number().int().min(0),
  /**
   * Whether the person receiving this copy voted for it. Present in acks and in the join ack; omitted in broadcasts,
   * which go to many people at once: keep the value you last had.
   */
  voted: z.boolean().optional(),
  starred: z.boolean(),
  /** The moderators' queue order, lowest first; null when they have not placed it. */
  position: z.number().int().nullable(),
  createdAt: z.iso.datetime(),
  /** When it went live: the moment a replay can link to. */
  liveAt: z.iso.datetime().nullable(),
  answeredAt: z.iso.datetime().nullable(),
  /** Shown to the asker (and the moderators) of a rejected question. */
  rejectedReason: z.string().nullable(),
  /** The question this one was merged into, when its state is `merged`. */
  mergedInto: z.string().nullable(),
  origin: QuestionOrigin,
});
export type Question = z.infer<typeof Question>;
