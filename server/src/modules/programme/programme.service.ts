import type { Event, EventQuery, Series } from '#shared/domain/event';
import { ErrorCode } from '#shared/protocol/errors';
import type { Store } from '../../store/store';
import { DomainError } from '../errors';

/** Reads the programme: events and series. Writing it arrives with the admin pages. */
export class ProgrammeService {
  constructor(private readonly store: Store) {}

  listEvents(query: EventQuery): Promise<Event[]> {
    return this.store.listEvents(query);
  }

  async getEvent(id: string): Promise<Event> {
    const event = await this.store.getEvent(id);
    if (!event) throw new DomainError(ErrorCode.NOT_FOUND, `No event with id "${id}"`);
    return event;
  }

  listSeries(): Promise<Series[]> {
    return this.store.listSeries();
  }
}
