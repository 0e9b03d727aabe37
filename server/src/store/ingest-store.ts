import type { BroadcastState, StreamHealth } from '#shared/domain/broadcast';

/**
 * An event's broadcast from OBS, as the ingest keeps it: `idle → live → reconnecting → live … → ended`. The
 * deadline of a reconnect window is a stored instant, not a timer, so that whichever process sweeps next (and one
 * that restarted) finishes the broadcast on time.
 */
export interface BroadcastRecord {
  eventId: string;
  state: BroadcastState;
  /** Publishes accepted so far: the first, then one per reconnect within the window. */
  publishes: number;
  /** The newest session folder the transcoder opened (`sessions/<n>/`), or null before the first. */
  currentSession: number | null;
  /** Who publishes now (the ingest's id for the connection, e.g. `nginx:12`), null when nobody does. */
  publisherId: string | null;
  /** The first publish. */
  startedAt: string | null;
  /** The publisher dropped at this instant, and the window runs until `reconnectDeadline`; null while live. */
  disconnectedAt: string | null;
  reconnectDeadline: string | null;
  endedAt: string | null;
}

/** What {@link IngestStore.startPublish} decided, atomically. */
export type StartPublishResult =
  /** `resumed`: the publisher came back within the reconnect window: the same broadcast goes on. */
  | { outcome: 'started'; broadcast: BroadcastRecord; resumed: boolean }
  /** Someone else publishes on this event now: a second publisher is refused. */
  | { outcome: 'busy'; broadcast: BroadcastRecord }
  /** The broadcast has ended, or its reconnect window has passed (the sweeper will end it): refused. */
  | { outcome: 'ended'; broadcast: BroadcastRecord };

export interface StopPublish {
  /** Only this publisher's leaving counts (a refused second publisher also says goodbye). Absent: whoever it is. */
  publisherId?: string;
  at: string;
  /** The end of the reconnect window. */
  deadline: string;
}

export interface FinishOptions {
  at: string;
  /**
   * Finish only a broadcast whose reconnect window had passed by this instant (the sweeper's case). Absent: finish a
   * live or reconnecting broadcast whatever its deadline (a moderator ended the event).
   */
  dueBy?: string;
}

/**
 * The storage port of the ingest (issue 11), reached as `store.ingest`: each event's stream key and the state of its
 * broadcast. SQLite and Redis implement it in `sqlite/sqlite-ingest.ts` and `redis/redis-ingest.ts`; the contract
 * suite is `ingest.contract.ts`. Everything here belongs to its event: deleted with it, and by the demo reset.
 *
 * Key and state rules that must hold across processes are single operations: creating the key on first read,
 * rotating it, taking the broadcast (one publisher at a time), and ending it (one process wins).
 */
export interface IngestStore {
  /** The event's stream key, `fresh` stored as its key when it had none: of two first readers, both get the same key. */
  keyOf(eventId: string, fresh: string): Promise<string>;
  /** Replaces the event's key with `fresh`; the old one no longer leads anywhere. Answers `fresh`. */
  rotateKey(eventId: string, fresh: string): Promise<string>;
  /** The event whose current key this is, or undefined (unknown, or rotated away). */
  eventOfKey(streamKey: string): Promise<string | undefined>;

  /** The event's broadcast, or undefined while nobody ever published. */
  getBroadcast(eventId: string): Promise<BroadcastRecord | undefined>;
  /** Broadcasts that are `live` or `reconnecting`, in no particular order. */
  activeBroadcasts(): Promise<BroadcastRecord[]>;
  /**
   * A publisher starts: `idle` and `reconnecting` (within its deadline) become `live` with this publisher; `live`
   * with another publisher is `busy`; the same publisher again is `started` (nothing changes); `ended`, or
   * `reconnecting` past its deadline, is `ended`.
   */
  startPublish(eventId: string, publish: { publisherId: string; at: string }): Promise<StartPublishResult>;
  /**
   * The publisher left: `live` (with that publisher, when one is named) becomes `reconnecting` until `deadline`.
   * Answers the broadcast after the change, or undefined when nothing changed.
   */
  stopPublish(eventId: string, stop: StopPublish): Promise<BroadcastRecord | undefined>;
  /** The transcoder opened session folder `session` for this broadcast (after a reconnect, or a restart of ffmpeg). */
  recordSession(eventId: string, session: number): Promise<void>;
  /** Events whose broadcast is `reconnecting` with a deadline at or before `now`, oldest deadline first. */
  dueReconnects(now: string): Promise<string[]>;
  /**
   * Ends a `live` or `reconnecting` broadcast (see {@link FinishOptions.dueBy}). Of several processes finishing the
   * same broadcast, exactly one gets the record; the others, and a broadcast that is not due or not running, get
   * undefined.
   */
  finish(eventId: string, options: FinishOptions): Promise<BroadcastRecord | undefined>;

  /** The latest health of the incoming stream, kept so that every process can answer `GET …/ingest`. */
  saveHealth(eventId: string, health: StreamHealth): Promise<void>;
  getHealth(eventId: string): Promise<StreamHealth | undefined>;
}

/** A broadcast nobody has published to yet. */
export function idleBroadcast(eventId: string): BroadcastRecord {
  return {
    eventId,
    state: 'idle',
    publishes: 0,
    currentSession: null,
    publisherId: null,
    startedAt: null,
    disconnectedAt: null,
    reconnectDeadline: null,
    endedAt: null,
  };
}
