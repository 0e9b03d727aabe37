import type { ChatAuthor, ChatMessage } from '#shared/domain/chat';
import type { Event, EventQuery, Series } from '#shared/domain/event';
import type { AuditEntry, EventRole, Invite, RoleGrant } from '#shared/domain/account';
import type { QuestionAuthor, QuestionState } from '#shared/domain/question';
import type { ModerationStore } from './moderation-store';
import type { PollStore } from './poll-store';

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

/** A question as stored: its author always (the service hides anonymous ones from the audience), its clientId. */
export interface QuestionRecord {
  id: string;
  eventId: string;
  text: string;
  anonymous: boolean;
  author: QuestionAuthor;
  clientId: string;
  state: QuestionState;
  /** The number of distinct voters; always equal to the size of the question's voter set. */
  votes: number;
  starred: boolean;
  position: number | null;
  createdAt: string;
  liveAt: string | null;
  answeredAt: string | null;
  rejectedReason: string | null;
  mergedInto: string | null;
}

/** A question as the service hands it to the store; the store assigns `id`. */
export interface NewQuestion {
  eventId: string;
  text: string;
  anonymous: boolean;
  author: QuestionAuthor;
  clientId: string;
  state: 'pending' | 'approved';
  createdAt: string;
}

export type VoteResult =
  | { outcome: 'counted'; question: QuestionRecord; /** False when the vote was already there (or already gone). */ changed: boolean }
  | { outcome: 'not-found' }
  /** The question is in a state that takes no votes; nothing changed. */
  | { outcome: 'closed'; question: QuestionRecord };

export interface StateChange {
  to: 'approved' | 'live' | 'answered' | 'rejected';
  /** The states the question may be in for the change to happen; otherwise it is refused, atomically. */
  from: readonly QuestionState[];
  /** Recorded as `liveAt` or `answeredAt` (also the previous live question's `answeredAt`). */
  at: string;
  /** With `rejected`: the reason shown to the asker. */
  reason?: string | null;
}

export type StateResult =
  | {
      outcome: 'changed';
      question: QuestionRecord;
      /** The state the question was in just before the change. */
      previous: QuestionState;
      /** When a question went live: the question that was live until then, now answered. */
      answered?: QuestionRecord;
    }
  | { outcome: 'not-found' }
  | { outcome: 'refused'; question: QuestionRecord };

export type MergeResult =
  | { outcome: 'merged'; from: QuestionRecord; into: QuestionRecord; /** from's state before the merge */ previous: QuestionState }
  | { outcome: 'not-found' }
  | { outcome: 'refused'; from: QuestionRecord; into: QuestionRecord };

export interface QuestionPatch {
  text?: string;
  starred?: boolean;
  position?: number | null;
}

/** A staff account as stored, with its scrypt hash (`null` for a person who came in by invitation only). */
export interface AccountRecord {
  id: string;
  /** Lower-case; null for invited people who have no password. */
  email: string | null;
  displayName: string;
  passwordHash: string | null;
  isAdmin: boolean;
  createdAt: string;
}

/** A signed-in device: the hash of its refresh token, rotated on every use. */
export interface SessionRecord {
  id: string;
  userId: string;
  tokenHash: string;
  expiresAt: string;
  createdAt: string;
}

/**
 * The storage port. Services talk only to this; SQLite and Redis implement it and pass one contract suite.
 * Every method that enforces a rule (idempotent append, offsets growing strictly) is a single atomic operation.
 */
export interface Store {
  readonly kind: 'sqlite' | 'redis';
  /** Chat moderation, room settings, backstage notes. */
  readonly moderation: ModerationStore;
  readonly polls: PollStore;

  listEvents(query: EventQuery): Promise<Event[]>;
  getEvent(id: string): Promise<Event | undefined>;
  listSeries(): Promise<Series[]>;
  /** Inserts or replaces these series and events in one transaction. */
  saveProgramme(series: Series[], events: Event[]): Promise<void>;
  /**
   * The demo reset: removes every event, series and chat message, with the events' roles and invites. Accounts,
   * sessions, revocations, the audit log and meta survive, so that no admin is locked out by a reset.
   */
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

  /**
   * Stores a question, unless this author already asked with this clientId in this event: the first question is then
   * returned unchanged.
   */
  askQuestion(question: NewQuestion): Promise<{ question: QuestionRecord; created: boolean }>;
  getQuestion(eventId: string, questionId: string): Promise<QuestionRecord | undefined>;
  /** Every question of the event, oldest first (ties by id). */
  listQuestions(eventId: string): Promise<QuestionRecord[]>;
  /**
   * Adds (`up`) or withdraws a person's vote, atomically with the check that the question takes votes (approved or
   * live): one vote per person, `votes` always the number of distinct voters.
   */
  vote(eventId: string, questionId: string, userId: string, up: boolean): Promise<VoteResult>;
  /** Ids of the event's questions this person has a vote on, sorted. */
  votesBy(eventId: string, userId: string): Promise<string[]>;
  /**
   * Moves a question to another state if it is in one of `change.from`, atomically. Setting a question live moves the
   * event's previous live question to answered in the same step, so there is never more than one live question.
   */
  setQuestionState(eventId: string, questionId: string, change: StateChange): Promise<StateResult>;
  /**
   * Merges `fromId` into `intoId` atomically when each is in one of its allowed states: `from` becomes `merged` with
   * `mergedInto`, and `into` gains `from`'s voters (a person who voted for both counts once).
   */
  mergeQuestion(
    eventId: string,
    fromId: string,
    intoId: string,
    allowed: { from: readonly QuestionState[]; into: readonly QuestionState[] },
  ): Promise<MergeResult>;
  /** Changes the text, the star or the queue position; undefined when there is no such question. */
  updateQuestion(eventId: string, questionId: string, patch: QuestionPatch): Promise<QuestionRecord | undefined>;

  /** Deletes an event with its chat, questions, roles and invites. False when there was no such event. */
  deleteEvent(id: string): Promise<boolean>;
  /** Deletes a series; its events stay, without a series. False when there was no such series. */
  deleteSeries(id: string): Promise<boolean>;

  // Accounts. Emails are unique: createAccount answers false when the email is taken, atomically.
  createAccount(account: AccountRecord): Promise<boolean>;
  getAccount(id: string): Promise<AccountRecord | undefined>;
  getAccountByEmail(email: string): Promise<AccountRecord | undefined>;
  setPasswordHash(id: string, passwordHash: string): Promise<void>;
  countAdmins(): Promise<number>;

  // Per-event roles. One role per person per event; granting again replaces it.
  grantRole(grant: RoleGrant): Promise<void>;
  /** False when the person held no role in that event. */
  revokeRole(eventId: string, userId: string): Promise<boolean>;
  roleIn(eventId: string, userId: string): Promise<EventRole | undefined>;
  listRoles(eventId: string): Promise<RoleGrant[]>;

  // Refresh sessions.
  createSession(session: SessionRecord): Promise<void>;
  /**
   * Swaps a session's refresh-token hash, atomically: succeeds only if `currentHash` is still the stored one and the
   * session has not expired, so a stolen refresh token used twice fails the second time. Returns the session after
   * the swap, or undefined.
   */
  rotateSession(id: string, currentHash: string, next: { tokenHash: string; expiresAt: string }, now: string): Promise<SessionRecord | undefined>;
  deleteSession(id: string): Promise<void>;
  deleteSessionsOf(userId: string): Promise<void>;

  // Revocation. Tokens of a person issued at or before `notBefore` (seconds) are refused; a single token by its jti.
  revokeTokensOf(userId: string, notBefore: number): Promise<void>;
  tokensRevokedBefore(userId: string): Promise<number>;
  revokeToken(jti: string, expiresAt: number): Promise<void>;
  isTokenRevoked(jti: string): Promise<boolean>;

  // Invitations, one-time.
  createInvite(invite: Invite): Promise<void>;
  getInvite(id: string): Promise<Invite | undefined>;
  listInvites(eventId: string): Promise<Invite[]>;
  revokeInvite(id: string, at: string): Promise<boolean>;
  /**
   * Marks an invite used by `userId`, atomically: only one caller ever succeeds, and only while the invite is
   * neither revoked nor expired at `now`. Returns the invite as used, or undefined.
   */
  useInvite(id: string, userId: string, now: string): Promise<Invite | undefined>;

  // Audit log, newest first when listed.
  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(options: { limit: number; before?: string }): Promise<AuditEntry[]>;

  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;

  close(): Promise<void>;
}
