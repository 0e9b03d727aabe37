/**
 * The storage port of polls (issue 5). SQLite and Redis implement it in `sqlite/sqlite-polls.ts` and
 * `redis/redis-polls.ts`; the contract suite is `poll.contract.ts`.
 */
export interface PollStore {
  /** Removes everything of this event (called when the event is deleted). */
  deleteEventData(eventId: string): Promise<void>;
  /** Removes everything (the demo reset). */
  clearAll(): Promise<void>;
}
