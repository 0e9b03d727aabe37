import type { FilmRights } from '#shared/domain/broadcast';

/** Where an event's replay stands: `none` until something was recorded (its settings may exist already). */
export type ReplayState = 'none' | 'assembling' | 'ready' | 'failed';

/**
 * An event's replay as stored: what the assembly found, and what admins and moderators decided. The segments
 * themselves are on disk (`RECORDINGS_DIR/<eventId>/replay/`, see modules/replay); this is what the store shares
 * between processes.
 */
export interface ReplayRecord {
  eventId: string;
  state: ReplayState;
  /** The recording's length in seconds, before trims (after the film was cut, for a live-only film). */
  durationSeconds: number;
  /** What the replay's segments take on disk. */
  bytes: number;
  /** Trims, in seconds of the untrimmed replay; null: from the start, to the end. */
  trimIn: number | null;
  trimOut: number | null;
  /** Ciné-conférence: when the film ended and the talk began (ISO 8601), as a moderator marked it. */
  talkStartsAt: string | null;
  filmRights: FilmRights;
  /** Unpublished: the public neither sees nor fetches the replay. */
  published: boolean;
  /** The chosen thumbnail's file in `thumbs/`, e.g. `754.jpg`. */
  thumbnail: string | null;
}

/** A change to a record: fields left out stay, `null` clears a nullable field. */
export type ReplayPatch = Partial<Omit<ReplayRecord, 'eventId'>>;

/** A record before anything was decided or recorded. */
export function newReplayRecord(eventId: string): ReplayRecord {
  return {
    eventId,
    state: 'none',
    durationSeconds: 0,
    bytes: 0,
    trimIn: null,
    trimOut: null,
    talkStartsAt: null,
    filmRights: 'replay',
    published: true,
    thumbnail: null,
  };
}

/**
 * The storage port of replays (issue 11), reached as `store.replays`. SQLite and Redis implement it in
 * `sqlite/sqlite-replays.ts` and `redis/redis-replays.ts`; the contract suite is `replay.contract.ts`. A record goes
 * with its event (deleting the event, the demo reset).
 */
export interface ReplayStore {
  get(eventId: string): Promise<ReplayRecord | undefined>;
  /**
   * Applies a patch in one atomic step, creating the record with {@link newReplayRecord}'s values first when there is
   * none, and answers the record as it is after. Two patches of different fields made at once both hold.
   */
  update(eventId: string, patch: ReplayPatch): Promise<ReplayRecord>;
  /** Every record, by event id. */
  list(): Promise<ReplayRecord[]>;
}
