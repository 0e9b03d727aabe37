/*
 * The storage port of deadlines, reached as `store.jobs`: things to do at a given time (send the reminders of an
 * event, erase its registrants' data after the retention period), kept as rows with a due time rather than timers,
 * so that they survive a restart and a crash, and run once across processes. SQLite and Redis implement it in
 * `sqlite/sqlite-jobs.ts` and `redis/redis-jobs.ts`; the contract suite is `job.contract.ts`.
 */

export const JobKind = {
  /** Send an event's reminders to its confirmed registrants (payload `{eventId, lead: '24h' | '1h'}`). */
  REMINDER: 'reminder',
  /** Erase the personal data of an event's registrations (payload `{eventId}`). */
  RETENTION: 'retention',
} as const;
export type JobKind = (typeof JobKind)[keyof typeof JobKind];

export interface Job {
  /** One job per key (`reminder:24h:<eventId>`): scheduling it again moves it. */
  key: string;
  kind: JobKind;
  dueAt: string;
  payload: Record<string, unknown>;
}

export interface JobRecord extends Job {
  /** While claimed: until when; past it another process may claim it again (the first one died). */
  leaseUntil: string | null;
  attempts: number;
}

export interface JobStore {
  /** Creates or moves the job with this key (a new `dueAt` and payload, unclaimed). */
  schedule(job: Job): Promise<void>;
  /** Removes the job with this key, if any (an event deleted or no longer on sign-up). */
  cancel(key: string): Promise<void>;
  get(key: string): Promise<JobRecord | undefined>;
  /**
   * Claims up to `limit` jobs due at `now` that nobody holds (or whose lease ran out), atomically across processes:
   * `leaseUntil = now + leaseMs`, `attempts` up. Earliest due first.
   */
  claimDue(now: string, leaseMs: number, limit: number): Promise<JobRecord[]>;
  /**
   * The job is done: removed, unless it was scheduled again since it was claimed (its `dueAt` is no longer
   * `claimedDueAt`), in which case it stays, unclaimed, for its new time.
   */
  complete(key: string, claimedDueAt: string): Promise<void>;
  /** Gives a claimed job back, to be tried again at `retryAt`. */
  release(key: string, retryAt: string): Promise<void>;
}
