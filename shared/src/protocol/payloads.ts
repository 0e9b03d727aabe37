import { z } from 'zod';
import { CHAT_MAX_LENGTH } from '../domain/chat';

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
