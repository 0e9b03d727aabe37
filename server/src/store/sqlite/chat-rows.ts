import type { ChatMessage } from '#shared/domain/chat';
import type { Role } from '#shared/domain/user';
import { tombstone } from '../moderation-store';

/** A row of `chat_messages`, as the chat and moderation sub-stores both read it. */
export interface ChatRow {
  event_id: string;
  offset: number;
  id: string;
  author_id: string;
  author_name: string;
  author_role: Role;
  text: string;
  sent_at: string;
  client_id: string;
  /** 1 once a moderator deleted it (migration 4); absent on a row built in memory by chat.append. */
  deleted?: number;
}

/** The message a row holds, or its tombstone once deleted. */
export function messageFromRow(r: ChatRow): ChatMessage {
  const message: ChatMessage = {
    id: r.id,
    eventId: r.event_id,
    offset: r.offset,
    author: { id: r.author_id, displayName: r.author_name, role: r.author_role },
    text: r.text,
    sentAt: r.sent_at,
    clientId: r.client_id,
  };
  return r.deleted ? tombstone(message) : message;
}
