/*
 * The storage port of audience figures (issue 12), reached as `store.audience`. SQLite and Redis implement it in
 * `sqlite/sqlite-audience.ts` and `redis/redis-audience.ts`; the contract suite is `audience.contract.ts`.
 *
 * Every process of a deployment writes what its own sockets saw (modules/audience): its count of live viewers at each
 * sample instant, the watch time of the people it serves, the delays its players report. The store adds the processes
 * up, so that the figures hold across processes and restarts. Nothing here names an address: a person is an account
 * or guest id, or a socket id for an anonymous viewer (docs/audience.md).
 */

export type AudienceMode = 'live' | 'replay';

export interface AudienceSampleRecord {
  /** ISO 8601 in milliseconds: a sample instant (a multiple of 30 s). */
  at: string;
  /** Summed over the processes that wrote a count for this instant. */
  viewers: number;
}

/** Watch time of one person, in one mode, heard from one player. */
export interface WatchCredit {
  /** `user:<id>` (accounts and guests alike) or `socket:<id>` (an anonymous viewer). */
  person: string;
  mode: AudienceMode;
  /** One player's session on the page: a replay "view" is one of these. */
  view: string;
  /** Milliseconds watched since the last credit; 0 only counts the person and the view. */
  ms: number;
}

export interface AudienceTotals {
  /** Distinct people credited in the mode. */
  viewers: number;
  watchMs: number;
  /** Distinct views. */
  views: number;
}

export interface AudienceStore {
  /**
   * This process's count of live viewers at `at`. Writing again for the same process and instant replaces its count
   * (a repeated tick does not double it); other processes' counts for the instant add up in `samples`.
   */
  putSample(eventId: string, at: string, processId: string, viewers: number): Promise<void>;
  /** The event's samples, oldest first, each summed over processes. */
  samples(eventId: string): Promise<AudienceSampleRecord[]>;
  /** Adds watch time to a person, and counts them and the view, in one step. Negative or fractional ms are floored at 0. */
  addWatch(eventId: string, credit: WatchCredit): Promise<void>;
  totals(eventId: string): Promise<Record<AudienceMode, AudienceTotals>>;
  /** This process's live viewers' delays at `at`, replacing what it wrote before for the event. */
  putDelays(eventId: string, processId: string, at: string, delaysMs: readonly number[]): Promise<void>;
  /** Every process's latest delays written at or after `since`, together. */
  delays(eventId: string, since: string): Promise<number[]>;
  /** Removes everything of this event (called when the event is deleted). */
  deleteEventData(eventId: string): Promise<void>;
  clearAll(): Promise<void>;
}

/** Whole, non-negative milliseconds: what `addWatch` adds. */
export const wholeMs = (ms: number): number => (Number.isFinite(ms) && ms > 0 ? Math.floor(ms) : 0);

export const emptyTotals = (): AudienceTotals => ({ viewers: 0, watchMs: 0, views: 0 });
