import type { Event, EventQuery, Series } from '#shared/domain/event';

/**
 * The storage port of the programme, reached as `store.programme`: events and series. SQLite and Redis implement it
 * in `sqlite/sqlite-programme.ts` and `redis/redis-programme.ts`; the contract suite is `programme.contract.ts`.
 */
export interface ProgrammeStore {
  /** Events that overlap [from, to] and match the filters, by start time (ties by id). */
  listEvents(query: EventQuery): Promise<Event[]>;
  getEvent(id: string): Promise<Event | undefined>;
  /** Every series, by title. */
  listSeries(): Promise<Series[]>;
  /** Inserts or replaces these series and events in one transaction: a reader sees all of them or none. */
  saveProgramme(series: Series[], events: Event[]): Promise<void>;
  /**
   * Deletes an event with everything that belongs to it in every sub-store: chat, questions, roles, invites,
   * moderation, polls. False when there was no such event (its data is deleted all the same).
   */
  deleteEvent(id: string): Promise<boolean>;
  /** Deletes a series; its events stay, without a series. False when there was no such series. */
  deleteSeries(id: string): Promise<boolean>;
}
