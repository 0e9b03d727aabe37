import { z } from 'zod';
import { ChatAuthor } from './chat';
import { REACTIONS } from './reactions';

export { REACTIONS } from './reactions';

/** Slow mode: at most one chat message per this many seconds per person (0: off). */
export const SLOW_MODE_MAX_SECONDS = 300;
export const TIMEOUT_MIN_MINUTES = 1;
export const TIMEOUT_MAX_MINUTES = 60;

export const PinnedAnnouncement = z.object({
  text: z.string(),
  /** Display name of the moderator who pinned it. */
  by: z.string(),
  at: z.iso.datetime(),
});
export type PinnedAnnouncement = z.infer<typeof PinnedAnnouncement>;

/** The settings of an event's live room that everyone in the room sees. */
export const RoomSettings = z.object({
  /** One message per this many seconds per person; 0 when slow mode is off. Moderators are exempt. */
  slowModeSeconds: z.number().int().min(0).max(SLOW_MODE_MAX_SECONDS),
  /**
   * Whether new questions wait for a moderator (pending) before the audience sees them. Defaults by kind: on for
   * lectures and ciné-conférences, off otherwise, until a moderator sets it.
   */
  preModeration: z.boolean(),
  pinned: PinnedAnnouncement.nullable(),
});
export type RoomSettings = z.infer<typeof RoomSettings>;

/** A chat message that matched the word filter: kept for the moderators' review instead of being shown. */
export const HeldMessage = z.object({
  id: z.string(),
  eventId: z.string(),
  author: ChatAuthor,
  text: z.string(),
  clientId: z.string(),
  sentAt: z.iso.datetime(),
  /** The filter entries the text matched. */
  matched: z.array(z.string()),
});
export type HeldMessage = z.infer<typeof HeldMessage>;

export const SanctionKind = z.enum(['timeout', 'ban']);
export type SanctionKind = z.infer<typeof SanctionKind>;

/** A timeout (chat and questions refused until `until`) or a ban (out of the event for good, until lifted). */
export const Sanction = z.object({
  eventId: z.string(),
  userId: z.string(),
  /** The person's display name when sanctioned, for the moderators' list. */
  displayName: z.string(),
  kind: SanctionKind,
  /** End of a timeout; null for a ban. */
  until: z.iso.datetime().nullable(),
  reason: z.string().nullable(),
  /** Display name of the moderator. */
  by: z.string(),
  at: z.iso.datetime(),
});
export type Sanction = z.infer<typeof Sanction>;

/** A private note from the moderators to the speakers (the backstage channel), shown on the stage view. */
export const BackstageNote = z.object({
  id: z.string(),
  eventId: z.string(),
  text: z.string(),
  /** Display name of the moderator. */
  by: z.string(),
  at: z.iso.datetime(),
});
export type BackstageNote = z.infer<typeof BackstageNote>;

/** What only the event's moderators (and admins) receive at join and in `moderation:state`. */
export const StaffRoomState = z.object({
  wordFilter: z.array(z.string()),
  held: z.array(HeldMessage),
  /** Current timeouts (not yet over) and bans. */
  sanctions: z.array(Sanction),
});
export type StaffRoomState = z.infer<typeof StaffRoomState>;

export const Reaction = z.enum(REACTIONS);
export type Reaction = z.infer<typeof Reaction>;
/** Bursts of reactions reach each client at most this often. */
export const REACTION_BURSTS_PER_SECOND = 4;
