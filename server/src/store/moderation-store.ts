import type { ChatMessage } from '#shared/domain/chat';
import type { BackstageNote, HeldMessage, PinnedAnnouncement, Sanction } from '#shared/domain/moderation';

/** A room's settings as stored: `preModeration` stays null until a moderator sets it (the event's kind decides). */
export interface StoredRoomSettings {
  slowModeSeconds: number;
  preModeration: boolean | null;
  pinned: PinnedAnnouncement | null;
  /** Entries as the moderators typed them (trimmed); matching normalises them. */
  wordFilter: string[];
}

/** The fields to change; the others keep their value. */
export interface RoomSettingsPatch {
  slowModeSeconds?: number;
  preModeration?: boolean;
  pinned?: PinnedAnnouncement | null;
  wordFilter?: string[];
}

export const DEFAULT_ROOM_SETTINGS: StoredRoomSettings = Object.freeze({
  slowModeSeconds: 0,
  preModeration: null,
  pinned: null,
  wordFilter: [],
}) as StoredRoomSettings;

/** A held message as the service hands it to the store; the store assigns `id`. */
export type NewHeldMessage = Omit<HeldMessage, 'id'>;

/** What an author already sent under a clientId: a chat message (maybe a tombstone since), or a held message. */
export type PriorSend = { message: ChatMessage } | { held: HeldMessage };

/**
 * How every store shows a message a moderator deleted: same id, offset, author and time, no text. Offsets keep no
 * holes, so clients that follow offsets never wait for a message that will not come.
 */
export function tombstone(message: ChatMessage): ChatMessage {
  return { ...message, text: '', deleted: true };
}

/**
 * The storage port of chat moderation, room settings and the backstage notes (issue 5). SQLite and Redis implement it
 * in `sqlite/sqlite-moderation.ts` and `redis/redis-moderation.ts`; the contract suite is `moderation.contract.ts`.
 * Each method that enforces a rule (one reviewer per held message, one message per slow-mode window) is atomic.
 */
export interface ModerationStore {
  /**
   * Marks a chat message deleted: from then on `store.chat.after` and `store.chat.tail` return it as a
   * {@link tombstone}. Answers the message as it was (text included, for the audit) and whether this call deleted it
   * (false when it was already deleted); undefined when the event has no such message.
   */
  deleteChatMessage(eventId: string, messageId: string): Promise<{ message: ChatMessage; changed: boolean } | undefined>;
  /** What this author already sent with this clientId in this event, as a chat message or as a held one. */
  findSent(eventId: string, authorId: string, clientId: string): Promise<PriorSend | undefined>;

  getSettings(eventId: string): Promise<StoredRoomSettings>;
  /** Changes the given fields atomically; answers the settings just before and just after. */
  updateSettings(eventId: string, patch: RoomSettingsPatch): Promise<{ before: StoredRoomSettings; after: StoredRoomSettings }>;
  /**
   * Slow mode, atomically across processes: records that `userId` sends `clientId` now, unless they sent another
   * message less than `windowMs` before `nowMs`. Answers 0 when the turn is taken (or already held by this very
   * clientId, a retry), else how many ms are left to wait.
   */
  takeSlowModeTurn(eventId: string, userId: string, clientId: string, windowMs: number, nowMs: number): Promise<number>;

  /**
   * Keeps a message for review, unless this author already had one held with this clientId in this event (reviewed
   * since or not): that one is answered unchanged.
   */
  holdMessage(message: NewHeldMessage): Promise<{ held: HeldMessage; created: boolean }>;
  /** Messages waiting for review, oldest first. */
  listHeld(eventId: string): Promise<HeldMessage[]>;
  /** Takes a message off the review list, atomically: of two callers only one gets it, the other undefined. */
  takeHeld(eventId: string, heldId: string): Promise<HeldMessage | undefined>;

  /** Sets a person's sanction in an event, replacing the one they had. */
  putSanction(sanction: Sanction): Promise<void>;
  /** Removes a person's sanction; answers it when it was still in force at `nowMs`, else undefined. */
  removeSanction(eventId: string, userId: string, nowMs: number): Promise<Sanction | undefined>;
  /** The sanction in force at `nowMs` (a ban, or a timeout not over), or undefined. */
  sanctionOf(eventId: string, userId: string, nowMs: number): Promise<Sanction | undefined>;
  /** The sanctions in force at `nowMs`, oldest first. */
  listSanctions(eventId: string, nowMs: number): Promise<Sanction[]>;

  addBackstageNote(note: BackstageNote): Promise<void>;
  /** The newest `limit` notes, oldest first. */
  listBackstageNotes(eventId: string, limit: number): Promise<BackstageNote[]>;

  /** Removes everything of this event (called when the event is deleted). */
  deleteEventData(eventId: string): Promise<void>;
  /** Removes everything (the demo reset). */
  clearAll(): Promise<void>;
}
