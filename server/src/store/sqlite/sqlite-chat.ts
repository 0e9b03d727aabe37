import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { ChatMessage } from '#shared/domain/chat';
import type { AppendResult, ChatRevision, ChatStore, NewChatMessage } from '../chat-store';
import { messageFromRow, type ChatRow } from './chat-rows';
import type { SqliteEventData } from './sqlite-connection';

function prepareStatements(db: Database.Database) {
  return {
    byClientId: db.prepare<[string, string, string], ChatRow>(
      'SELECT * FROM chat_messages WHERE event_id = ? AND author_id = ? AND client_id = ?',
    ),
    lastOffset: db.prepare<[string], { last: number | null }>(
      'SELECT MAX(offset) AS last FROM chat_messages WHERE event_id = ?',
    ),
    insert: db.prepare(
      `INSERT INTO chat_messages (event_id, offset, id, author_id, author_name, author_role, text, sent_at, client_id)
       VALUES (@event_id, @offset, @id, @author_id, @author_name, @author_role, @text, @sent_at, @client_id)`,
    ),
    after: db.prepare<[string, number, number], ChatRow>(
      'SELECT * FROM chat_messages WHERE event_id = ? AND offset > ? ORDER BY offset LIMIT ?',
    ),
    tail: db.prepare<[string, number], ChatRow>(
      'SELECT * FROM (SELECT * FROM chat_messages WHERE event_id = ? ORDER BY offset DESC LIMIT ?) ORDER BY offset',
    ),
    // The newest row's offset and id (a chat begun again after its event's removal has new ids), and how many rows
    // are deleted (the partial index of migration 14 keeps this count as cheap as the number of deletions).
    revision: db.prepare<[string, string], { newest: string | null; deleted: number }>(
      `SELECT (SELECT offset || ':' || id FROM chat_messages WHERE event_id = ? ORDER BY offset DESC LIMIT 1) AS newest,
              (SELECT COUNT(*) FROM chat_messages WHERE event_id = ? AND deleted = 1) AS deleted`,
    ),
    deleteEvent: db.prepare<[string]>('DELETE FROM chat_messages WHERE event_id = ?'),
  };
}

/** The chat in SQLite: table `chat_messages` (migration 1, and its `deleted` flag from migration 4). */
export class SqliteChatStore implements ChatStore, SqliteEventData {
  private readonly q: ReturnType<typeof prepareStatements>;
  private readonly appendTx: Database.Transaction<(m: NewChatMessage) => AppendResult>;

  constructor(private readonly db: Database.Database) {
    this.q = prepareStatements(db);

    // One transaction: the idempotency check, the offset and the insert cannot interleave with another append.
    this.appendTx = db.transaction((m: NewChatMessage): AppendResult => {
      const existing = this.q.byClientId.get(m.eventId, m.author.id, m.clientId);
      if (existing) return { message: messageFromRow(existing), created: false };
      const offset = (this.q.lastOffset.get(m.eventId)?.last ?? 0) + 1;
      const row: ChatRow = {
        event_id: m.eventId,
        offset,
        id: randomUUID(),
        author_id: m.author.id,
        author_name: m.author.displayName,
        author_role: m.author.role,
        text: m.text,
        sent_at: m.sentAt,
        client_id: m.clientId,
      };
      this.q.insert.run(row);
      return { message: messageFromRow(row), created: true };
    });
  }

  async append(message: NewChatMessage): Promise<AppendResult> {
    // IMMEDIATE takes the write lock at once, so two processes on one file never both read the same last offset.
    return this.appendTx.immediate(message);
  }

  async after(eventId: string, afterOffset: number, max: number): Promise<ChatMessage[]> {
    // SQLite reads a negative LIMIT as "no limit".
    if (max <= 0) return [];
    return this.q.after.all(eventId, afterOffset, max).map(messageFromRow);
  }

  async tail(eventId: string, count: number): Promise<ChatMessage[]> {
    if (count <= 0) return [];
    return this.q.tail.all(eventId, count).map(messageFromRow);
  }

  async lastOffset(eventId: string): Promise<number> {
    return this.q.lastOffset.get(eventId)?.last ?? 0;
  }

  async revision(eventId: string): Promise<ChatRevision> {
    const { newest, deleted } = this.q.revision.get(eventId, eventId)!;
    // `newest` is "<offset>:<id>".
    return { lastOffset: newest === null ? 0 : Number.parseInt(newest, 10), tag: `${newest ?? '0'}:${deleted}` };
  }

  deleteEventRows(eventId: string): void {
    this.q.deleteEvent.run(eventId);
  }

  resetRows(): void {
    this.db.exec('DELETE FROM chat_messages;');
  }
}
