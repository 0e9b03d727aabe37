import type { ChatMessage } from '../domain/chat';
import type { Event } from '../domain/event';
import type { Question } from '../domain/question';
import type { Role, User } from '../domain/user';
import type { AckFn } from './ack';
import type {
  ChatSendPayload,
  JoinPayload,
  LeavePayload,
  QuestionAskPayload,
  QuestionModeratePayload,
  QuestionVotePayload,
} from './payloads';

/** Room that carries the broadcasts of one event. */
export const eventRoom = (eventId: string): string => `event:${eventId}`;
/** Room of an event's moderators and admins, who see every question whole. */
export const eventStaffRoom = (eventId: string): string => `event:${eventId}:staff`;

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
  /**
   * The questions you may see: for moderators and admins all of them; for anyone else the approved, live, answered
   * and merged ones, plus your own in whatever state. With `voted` set for you.
   */
  questions: Question[];
  viewers: number;
  /** Your effective role in this event: `moderator` and `admin` see the moderator tools. */
  role: Role;
}

export interface ClientToServerEvents {
  'event:join': (payload: JoinPayload, ack: AckFn<JoinResult>) => void;
  'event:leave': (payload: LeavePayload, ack: AckFn<Record<string, never>>) => void;
  'chat:send': (payload: ChatSendPayload, ack: AckFn<{ message: ChatMessage }>) => void;
  'question:ask': (payload: QuestionAskPayload, ack: AckFn<{ question: Question }>) => void;
  'question:vote': (payload: QuestionVotePayload, ack: AckFn<{ question: Question }>) => void;
  'question:moderate': (payload: QuestionModeratePayload, ack: AckFn<{ question: Question }>) => void;
}

/**
 * Questions that changed, as the receiver may see them: merge them into what you hold by `id`. `removed` lists ids
 * of questions you held that you may no longer see (an approved question rejected afterwards).
 */
export interface QuestionsUpdate {
  eventId: string;
  questions: Question[];
  removed?: string[];
}

export interface ServerToClientEvents {
  'chat:messages': (payload: { eventId: string; messages: ChatMessage[] }) => void;
  'questions:updated': (payload: QuestionsUpdate) => void;
  /** Sent to every connected socket when an event changes (cancelled, rescheduled, gone live), so that both the
   * programme and the event's room update at once. */
  'event:updated': (payload: { event: Event }) => void;
  /** Sent to every connected socket when an event is deleted. */
  'event:deleted': (payload: { eventId: string }) => void;
  'presence:viewers': (payload: { eventId: string; viewers: number }) => void;
  /**
   * Sent to one socket just before the server disconnects it because its token expired: renew the token (or drop to
   * a read-only viewer) and connect again.
   */
  'auth:expired': (payload: Record<string, never>) => void;
  /**
   * Sent before the server disconnects a person's sockets because their token or role was taken back (`signed-out`,
   * `password-changed`, `role-revoked`). With several processes the disconnection may arrive first: treat a server
   * disconnect the same way (renew, reconnect, rejoin).
   */
  'auth:revoked': (payload: { reason: AuthRevokedReason }) => void;
}

export type AuthRevokedReason = 'signed-out' | 'password-changed' | 'role-revoked';

/** Data the server attaches to a socket after the handshake. */
export interface SocketData {
  user: User | null;
}
