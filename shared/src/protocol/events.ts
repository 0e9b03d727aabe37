import type { StreamHealth } from '../domain/broadcast';
import type { CaptionCue } from '../domain/caption';
import type { ChatMessage } from '../domain/chat';
import type { Event } from '../domain/event';
import type { Question } from '../domain/question';
import type { BackstageNote, HeldMessage, Reaction, RoomSettings, Sanction, StaffRoomState } from '../domain/moderation';
import type { Poll } from '../domain/poll';
import type { Role, User } from '../domain/user';
import type { AckFn } from './ack';
import type {
  BackstageNotePayload,
  ChatDeletePayload,
  ChatReviewPayload,
  PollControlPayload,
  PollCreateInput,
  PollVotePayload,
  ReactionPayload,
  RoomConfigurePayload,
  SanctionPayload,
  ChatSendPayload,
  JoinPayload,
  LeavePayload,
  QuestionAskPayload,
  QuestionModeratePayload,
  QuestionVotePayload,
} from './payloads';

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
  /** Slow mode, pre-moderation and the pinned announcement. */
  settings: RoomSettings;
  /**
   * The polls you may see: for moderators and admins every poll, drafts included; for anyone else the open and closed
   * ones, with `counts` null while hidden, and `myChoice` set.
   */
  polls: Poll[];
  /** Your own timeout while it lasts, else null. (A banned person cannot join at all.) */
  sanction: Sanction | null;
  /** Speakers, moderators and admins: the moderators' notes, oldest first. Absent for everyone else. */
  backstage?: BackstageNote[];
  /** Moderators and admins only: the word filter, the held messages and the sanctions. */
  staff?: StaffRoomState;
  /** A live event's newest caption cues, the last 10 of each language, oldest first (issue 12). */
  captions?: CaptionCue[];
}

/** What a `chat:send` ack carries: the stored message, or, when the word filter held it, the held message. */
export type ChatSendResult = { message: ChatMessage } | { held: HeldMessage };

export interface ClientToServerEvents {
  'event:join': (payload: JoinPayload, ack: AckFn<JoinResult>) => void;
  'event:leave': (payload: LeavePayload, ack: AckFn<Record<string, never>>) => void;
  'chat:send': (payload: ChatSendPayload, ack: AckFn<ChatSendResult>) => void;
  'chat:delete': (payload: ChatDeletePayload, ack: AckFn<Record<string, never>>) => void;
  /** Approving answers the message as stored (and broadcast); dropping answers `{}`. */
  'chat:review': (payload: ChatReviewPayload, ack: AckFn<{ message?: ChatMessage }>) => void;
  /** Answers the sanction as stored, or null after `lift`. */
  'moderation:sanction': (payload: SanctionPayload, ack: AckFn<{ sanction: Sanction | null }>) => void;
  'room:configure': (payload: RoomConfigurePayload, ack: AckFn<{ settings: RoomSettings; wordFilter: string[] }>) => void;
  'backstage:note': (payload: BackstageNotePayload, ack: AckFn<{ note: BackstageNote }>) => void;
  'poll:create': (payload: PollCreateInput, ack: AckFn<{ poll: Poll }>) => void;
  'poll:control': (payload: PollControlPayload, ack: AckFn<{ poll: Poll | null }>) => void;
  'poll:vote': (payload: PollVotePayload, ack: AckFn<{ poll: Poll }>) => void;
  'reaction:send': (payload: ReactionPayload, ack: AckFn<Record<string, never>>) => void;
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
  /** Messages a moderator deleted: drop them (they come again as tombstones, `deleted: true`, in a later history). */
  'chat:deleted': (payload: { eventId: string; messageIds: string[] }) => void;
  /** To the event's room when a moderator changes slow mode, pre-moderation or the pinned announcement. */
  'room:settings': (payload: { eventId: string; settings: RoomSettings }) => void;
  /** To the staff room: the word filter, held messages and sanctions after any change to them. */
  'moderation:state': (payload: { eventId: string; staff: StaffRoomState }) => void;
  /**
   * To the sanctioned person's sockets: a timeout (with `until`) or a ban, just before their sockets are dropped;
   * `sanction: null` when it was lifted.
   */
  'moderation:sanctioned': (payload: { eventId: string; sanction: Sanction | null }) => void;
  /** To the backstage room (speakers, moderators, admins). */
  'backstage:note': (payload: { note: BackstageNote }) => void;
  /**
   * Polls that changed, as the receiver may see them: merge by id. `removed`: a draft deleted. Results of a live poll
   * arrive at most 4 times a second while votes come in.
   */
  'polls:updated': (payload: { eventId: string; polls: Poll[]; removed?: string[] }) => void;
  /** Reactions since the last burst, summed over the whole room; at most 4 bursts a second. */
  'reactions:burst': (payload: { eventId: string; counts: Partial<Record<Reaction, number>> }) => void;
  /**
   * To the event's room: a caption cue, new or changed (corrected, or ended by the next one: `endAt` set). Replace what
   * you hold by `id`.
   */
  'captions:cue': (payload: { eventId: string; cue: CaptionCue }) => void;
  /**
   * To the staff room while someone publishes from OBS: the incoming stream's health, every 2 s or so, and once with
   * `connected: false` when the publisher leaves.
   */
  'ingest:health': (payload: { eventId: string; health: StreamHealth }) => void;
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
  /**
   * This server process is stopping (a deploy, a restart). Call `ack` once you will send nothing more on this
   * connection: every request sent before it is then answered (ok, or `UNAVAILABLE`: send it again after reconnecting,
   * with the same `clientId`), and the server closes the connection. Socket.IO reconnects by itself (`transport
   * close`), through the load balancer to another process; rejoin with `since`.
   */
  'server:shutdown': (payload: Record<string, never>, ack: () => void) => void;
}

export type AuthRevokedReason = 'signed-out' | 'password-changed' | 'role-revoked';

/** Data the server attaches to a socket after the handshake. */
export interface SocketData {
  user: User | null;
}
