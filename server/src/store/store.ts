import type { ChatAuthor, ChatMessage } from '#shared/domain/chat';
import type { Event, EventQuery, Series } from '#shared/domain/event';
import type { AuditEntry, EventRole, Invite, RoleGrant } from '#shared/domain/account';

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

  /** Deletes an event with its chat, roles and invites. False when there was no such event. */
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
