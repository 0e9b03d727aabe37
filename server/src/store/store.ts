import type { ChatAuthor, ChatMessage } from '#shared/domain/chat';
import type { Event, EventQuery, Series } from '#shared/domain/event';

/** A chat message as the service hands it to the store; the store assigns `id` and `offset`. */
export interface NewChatMessage {
  eventId: string;
  author: ChatAuthor;
  text: string;
  clientId: string;
  sentAt: string;
}

export interface AppendResult {
  message: ChatMessage;
  /** False when the same author already sent this clientId: `message` is then the one stored the first time. */
  created: boolean;
}

/**
 * The storage port. Services talk only to this; SQLite and Redis implement it and pass one contract suite.
 * Every method that enforces a rule (idempotent append, offsets growing strictly) is a single atomic operation.
 */
export interface Store {
  readonly kind: 'sqlite' | 'redis';

  listEvents(query: EventQuery): Promise<Event[]>;
  getEvent(id: string): Promise<Event | undefined>;
  listSeries(): Promise<Series[]>;
  /** Inserts or replaces these series and events in one transaction. */
  saveProgramme(series: Series[], events: Event[]): Promise<void>;
  /** Removes every event, series and chat message (the demo reset). */
  clearAll(): Promise<void>;

  /**
   * Stores a chat message under the next offset of its event, unless this author already sent this clientId for this
   * event, in which case the first message is returned unchanged.
   */
  appendChat(message: NewChatMessage): Promise<AppendResult>;
  /** Messages with offset > afterOffset, oldest first, at most `max`. */
  chatAfter(eventId: string, afterOffset: number, max: number): Promise<ChatMessage[]>;
  /** The newest `count` messages, oldest first. */
  chatTail(eventId: string, count: number): Promise<ChatMessage[]>;
  /** Offset of the newest message of the event, 0 when there is none. */
  lastChatOffset(eventId: string): Promise<number>;

  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;

  close(): Promise<void>;
}
