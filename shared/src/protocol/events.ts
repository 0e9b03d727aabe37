import type { ChatMessage } from '../domain/chat';
import type { Event } from '../domain/event';
import type { User } from '../domain/user';
import type { AckFn } from './ack';
import type { ChatSendPayload, JoinPayload, LeavePayload } from './payloads';

/** Room that carries the broadcasts of one event. */
export const eventRoom = (eventId: string): string => `event:${eventId}`;

export interface ChatSnapshot {
  messages: ChatMessage[];
  /** Offset of the newest message of the event (0 when there is none). */
  lastOffset: number;
  /**
   * True when the client asked with `since` but missed more than the server replays: `messages` is then the latest
   * history and the client should replace what it holds rather than append.
   */
  reset: boolean;
}

export interface JoinResult {
  event: Event;
  chat: ChatSnapshot;
  /** Questions arrive with the Q&A feature; empty until then. */
  questions: unknown[];
  viewers: number;
}

export interface ClientToServerEvents {
  'event:join': (payload: JoinPayload, ack: AckFn<JoinResult>) => void;
  'event:leave': (payload: LeavePayload, ack: AckFn<Record<string, never>>) => void;
  'chat:send': (payload: ChatSendPayload, ack: AckFn<{ message: ChatMessage }>) => void;
}

export interface ServerToClientEvents {
  'chat:messages': (payload: { eventId: string; messages: ChatMessage[] }) => void;
  'questions:updated': (payload: { eventId: string; questions: unknown[] }) => void;
  'event:updated': (payload: { event: Event }) => void;
  'presence:viewers': (payload: { eventId: string; viewers: number }) => void;
}

/** Data the server attaches to a socket after the handshake. */
export interface SocketData {
  user: User | null;
}
