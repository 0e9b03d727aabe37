import { z } from 'zod';
import { Role } from './user';

/** How many past messages a join returns when the client holds none. */
export const CHAT_HISTORY_LIMIT = 100;

export const ChatAuthor = z.object({
  id: z.string(),
  displayName: z.string(),
  role: Role,
});
export type ChatAuthor = z.infer<typeof ChatAuthor>;

export const ChatMessage = z.object({
  id: z.string(),
  eventId: z.string(),
  /** Grows strictly within an event; clients rejoin with the last one they hold. */
  offset: z.number().int().positive(),
  author: ChatAuthor,
  text: z.string(),
  sentAt: z.iso.datetime(),
  clientId: z.string(),
  /**
   * Set when a moderator deleted the message: it keeps its offset (offsets have no holes) but its text is emptied,
   * and clients show nothing (or a "deleted" line to moderators).
   */
  deleted: z.literal(true).optional(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;
