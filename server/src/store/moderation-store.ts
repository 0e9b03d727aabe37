/**
 * The storage port of chat moderation, room settings and the backstage notes (issue 5). SQLite and Redis implement it
 * in `sqlite/sqlite-moderation.ts` and `redis/redis-moderation.ts`; the contract suite is `moderation.contract.ts`.
 */
export interface ModerationStore {
  /** Removes everything of this event (called when the event is deleted). */
  deleteEventData(eventId: string): Promise<void>;
  /** Removes everything (the demo reset). */
  clearAll(): Promise<void>;
}
