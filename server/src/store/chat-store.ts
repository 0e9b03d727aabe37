import type { ChatAuthor, ChatMessage } from '#shared/domain/chat';

/** A chat message as the service hands it to the store; the store assigns `id` and `offset`. */
export interface NewChatMessage {
  eventId: string;
  author: ChatAuthor;
  text: string;
  clientId: string;
  sentAt: string;
}

/**
 * Where an event's chat stands: its newest offset, and a tag that changes whenever anything a reader of the chat
 * would see changes (a message appended, a message deleted, the event's chat removed and begun again). Equal tags
 * mean equal history, so a process may keep the history it read under its tag and answer later readers from it.
 */
export interface ChatRevision {
  lastOffset: number;
  tag: string;
}

export interface AppendResult {
  message: ChatMessage;
  /** False when the same author already sent this clientId: `message` is then the one stored the first time. */
  created: boolean;
}

/**
 * The storage port of the live chat, reached as `store.chat`. SQLite and Redis implement it in
 * `sqlite/sqlite-chat.ts` and `redis/redis-chat.ts`; the contract suite is `chat.contract.ts`. A message a moderator
 * deleted (`store.moderation.deleteChatMessage`) is read back as its tombstone by every read here.
 */
export interface ChatStore {
  /**
   * Stores a chat message under the next offset of its event, unless this author already sent this clientId for this
   * event, in which case the first message is returned unchanged. One atomic step: offsets grow strictly, without
   * gaps, whatever the number of processes.
   */
  append(message: NewChatMessage): Promise<AppendResult>;
  /** Messages with offset > afterOffset, oldest first, at most `max`. */
  after(eventId: string, afterOffset: number, max: number): Promise<ChatMessage[]>;
  /** The newest `count` messages, oldest first. */
  tail(eventId: string, count: number): Promise<ChatMessage[]>;
  /** Offset of the newest message of the event, 0 when there is none. */
  lastOffset(eventId: string): Promise<number>;
  /** The newest offset with the history's tag (see ChatRevision): one cheap read, whatever the chat's length. */
  revision(eventId: string): Promise<ChatRevision>;
}
