import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { ChatMessage } from '#shared/domain/chat';
import type { BackstageNote, HeldMessage, PinnedAnnouncement, Sanction } from '#shared/domain/moderation';
import type { Role } from '#shared/domain/user';
import {
  DEFAULT_ROOM_SETTINGS,
  type ModerationStore,
  type NewHeldMessage,
  type PriorSend,
  type RoomSettingsPatch,
  type StoredRoomSettings,
} from '../moderation-store';
import { messageFromRow, type ChatRow } from './chat-rows';
import type { SqliteEventData } from './sqlite-connection';

/**
 * Migration 4: the tables of chat moderation, room settings and backstage notes, and the tombstone flag of chat
 * messages (a deleted message keeps its row and offset; the store reads it back without its text).
 * Held messages stay as rows once reviewed (`reviewed` 1), so that a retried send with the same clientId still finds
 * what it was answered the first time.
 */
export const MODERATION_MIGRATION = `
  ALTER TABLE chat_messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;

  CREATE TABLE room_settings (
    event_id          TEXT PRIMARY KEY,
    slow_mode_seconds INTEGER NOT NULL DEFAULT 0,
    pre_moderation    INTEGER CHECK (pre_moderation IN (0, 1)),
    pinned            TEXT,
    word_filter       TEXT NOT NULL DEFAULT '[]'
  ) STRICT;

  CREATE TABLE slow_mode_turns (
    event_id  TEXT NOT NULL,
    user_id   TEXT NOT NULL,
    sent_ms   INTEGER NOT NULL,
    client_id TEXT NOT NULL,
    PRIMARY KEY (event_id, user_id)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE held_messages (
    seq         INTEGER PRIMARY KEY,
    event_id    TEXT NOT NULL,
    id          TEXT NOT NULL UNIQUE,
    author_id   TEXT NOT NULL,
    author_name TEXT NOT NULL,
    author_role TEXT NOT NULL,
    text        TEXT NOT NULL,
    client_id   TEXT NOT NULL,
    sent_at     TEXT NOT NULL,
    sent_ms     INTEGER NOT NULL,
    matched     TEXT NOT NULL,
    reviewed    INTEGER NOT NULL DEFAULT 0 CHECK (reviewed IN (0, 1)),
    UNIQUE (event_id, author_id, client_id)
  ) STRICT;
  CREATE INDEX held_messages_waiting ON held_messages(event_id, reviewed, sent_ms);

  CREATE TABLE sanctions (
    event_id     TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    display_name TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('timeout', 'ban')),
    until        TEXT,
    until_ms     INTEGER,
    reason       TEXT,
    by_name      TEXT NOT NULL,
    at           TEXT NOT NULL,
    at_ms        INTEGER NOT NULL,
    PRIMARY KEY (event_id, user_id)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE backstage_notes (
    seq      INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL,
    id       TEXT NOT NULL UNIQUE,
    text     TEXT NOT NULL,
    by_name  TEXT NOT NULL,
    at       TEXT NOT NULL
  ) STRICT;
  CREATE INDEX backstage_notes_by_event ON backstage_notes(event_id, seq);
`;

interface SettingsRow {
  slow_mode_seconds: number;
  pre_moderation: 0 | 1 | null;
  pinned: string | null;
  word_filter: string;
}

interface HeldRow {
  event_id: string;
  id: string;
  author_id: string;
  author_name: string;
  author_role: Role;
  text: string;
  client_id: string;
  sent_at: string;
  matched: string;
  reviewed: 0 | 1;
}

interface SanctionRow {
  event_id: string;
  user_id: string;
  display_name: string;
  kind: Sanction['kind'];
  until: string | null;
  until_ms: number | null;
  reason: string | null;
  by_name: string;
  at: string;
  at_ms: number;
}

interface NoteRow {
  event_id: string;
  id: string;
  text: string;
  by_name: string;
  at: string;
}

function settingsFromRow(r: SettingsRow | undefined): StoredRoomSettings {
  if (!r) return { ...DEFAULT_ROOM_SETTINGS, wordFilter: [] };
  return {
    slowModeSeconds: r.slow_mode_seconds,
    preModeration: r.pre_moderation === null ? null : r.pre_moderation === 1,
    pinned: r.pinned === null ? null : (JSON.parse(r.pinned) as PinnedAnnouncement),
    wordFilter: JSON.parse(r.word_filter) as string[],
  };
}

function heldFromRow(r: HeldRow): HeldMessage {
  return {
    id: r.id,
    eventId: r.event_id,
    author: { id: r.author_id, displayName: r.author_name, role: r.author_role },
    text: r.text,
    clientId: r.client_id,
    sentAt: r.sent_at,
    matched: JSON.parse(r.matched) as string[],
  };
}

function sanctionFromRow(r: SanctionRow): Sanction {
  return {
    eventId: r.event_id,
    userId: r.user_id,
    displayName: r.display_name,
    kind: r.kind,
    until: r.until,
    reason: r.reason,
    by: r.by_name,
    at: r.at,
  };
}

function noteFromRow(r: NoteRow): BackstageNote {
  return { id: r.id, eventId: r.event_id, text: r.text, by: r.by_name, at: r.at };
}

/** A ban, or a timeout whose end is still ahead. */
const ACTIVE = '(kind = \'ban\' OR until_ms > @nowMs)';

export class SqliteModerationStore implements ModerationStore, SqliteEventData {
  private readonly q;
  private readonly deleteChatTx;
  private readonly updateSettingsTx;
  private readonly slowModeTx;
  private readonly holdTx;
  private readonly deleteEventTx;
  private readonly clearTx;

  constructor(db: Database.Database) {
    this.q = {
      chatById: db.prepare<[string, string], ChatRow>('SELECT * FROM chat_messages WHERE event_id = ? AND id = ?'),
      chatByClientId: db.prepare<[string, string, string], ChatRow>(
        'SELECT * FROM chat_messages WHERE event_id = ? AND author_id = ? AND client_id = ?',
      ),
      markDeleted: db.prepare<[string, string]>('UPDATE chat_messages SET deleted = 1 WHERE event_id = ? AND id = ?'),
      settings: db.prepare<[string], SettingsRow>('SELECT * FROM room_settings WHERE event_id = ?'),
      upsertSettings: db.prepare(
        `INSERT INTO room_settings (event_id, slow_mode_seconds, pre_moderation, pinned, word_filter)
         VALUES (@eventId, @slowModeSeconds, @preModeration, @pinned, @wordFilter)
         ON CONFLICT(event_id) DO UPDATE SET slow_mode_seconds = excluded.slow_mode_seconds,
           pre_moderation = excluded.pre_moderation, pinned = excluded.pinned, word_filter = excluded.word_filter`,
      ),
      turn: db.prepare<[string, string], { sent_ms: number; client_id: string }>(
        'SELECT sent_ms, client_id FROM slow_mode_turns WHERE event_id = ? AND user_id = ?',
      ),
      upsertTurn: db.prepare<[string, string, number, string]>(
        `INSERT INTO slow_mode_turns (event_id, user_id, sent_ms, client_id) VALUES (?, ?, ?, ?)
         ON CONFLICT(event_id, user_id) DO UPDATE SET sent_ms = excluded.sent_ms, client_id = excluded.client_id`,
      ),
      heldByClientId: db.prepare<[string, string, string], HeldRow>(
        'SELECT * FROM held_messages WHERE event_id = ? AND author_id = ? AND client_id = ?',
      ),
      insertHeld: db.prepare(
        `INSERT INTO held_messages (event_id, id, author_id, author_name, author_role, text, client_id, sent_at, sent_ms,
                                    matched)
         VALUES (@event_id, @id, @author_id, @author_name, @author_role, @text, @client_id, @sent_at, @sent_ms, @matched)`,
      ),
      waitingHeld: db.prepare<[string], HeldRow>('SELECT * FROM held_messages WHERE event_id = ? AND reviewed = 0 ORDER BY sent_ms, id'),
      // One statement: of two reviewers only one flips `reviewed`, and only that one gets the row back.
      takeHeld: db.prepare<[string, string], HeldRow>(
        'UPDATE held_messages SET reviewed = 1 WHERE event_id = ? AND id = ? AND reviewed = 0 RETURNING *',
      ),
      upsertSanction: db.prepare(
        `INSERT OR REPLACE INTO sanctions (event_id, user_id, display_name, kind, until, until_ms, reason, by_name, at, at_ms)
         VALUES (@eventId, @userId, @displayName, @kind, @until, @untilMs, @reason, @by, @at, @atMs)`,
      ),
      deleteSanction: db.prepare<[{ eventId: string; userId: string; nowMs: number }], SanctionRow>(
        `DELETE FROM sanctions WHERE event_id = @eventId AND user_id = @userId AND ${ACTIVE} RETURNING *`,
      ),
      deleteExpired: db.prepare<[{ eventId: string; userId: string; nowMs: number }]>(
        `DELETE FROM sanctions WHERE event_id = @eventId AND user_id = @userId AND NOT ${ACTIVE}`,
      ),
      sanction: db.prepare<[{ eventId: string; userId: string; nowMs: number }], SanctionRow>(
        `SELECT * FROM sanctions WHERE event_id = @eventId AND user_id = @userId AND ${ACTIVE}`,
      ),
      sanctions: db.prepare<[{ eventId: string; nowMs: number }], SanctionRow>(
        `SELECT * FROM sanctions WHERE event_id = @eventId AND ${ACTIVE} ORDER BY at_ms, user_id`,
      ),
      insertNote: db.prepare(
        `INSERT INTO backstage_notes (event_id, id, text, by_name, at) VALUES (@eventId, @id, @text, @by, @at)
         ON CONFLICT(id) DO NOTHING`,
      ),
      notes: db.prepare<[string, number], NoteRow>(
        'SELECT * FROM (SELECT * FROM backstage_notes WHERE event_id = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq',
      ),
    };

    this.deleteChatTx = db.transaction((eventId: string, messageId: string) => {
      const row = this.q.chatById.get(eventId, messageId);
      if (!row) return undefined;
      if (row.deleted) return { message: messageFromRow(row), changed: false };
      this.q.markDeleted.run(eventId, messageId);
      return { message: messageFromRow(row), changed: true };
    });

    this.updateSettingsTx = db.transaction((eventId: string, patch: RoomSettingsPatch) => {
      const before = settingsFromRow(this.q.settings.get(eventId));
      const after: StoredRoomSettings = {
        slowModeSeconds: patch.slowModeSeconds ?? before.slowModeSeconds,
        preModeration: patch.preModeration ?? before.preModeration,
        pinned: patch.pinned === undefined ? before.pinned : patch.pinned,
        wordFilter: patch.wordFilter ?? before.wordFilter,
      };
      this.q.upsertSettings.run({
        eventId,
        slowModeSeconds: after.slowModeSeconds,
        preModeration: after.preModeration === null ? null : after.preModeration ? 1 : 0,
        pinned: after.pinned === null ? null : JSON.stringify(after.pinned),
        wordFilter: JSON.stringify(after.wordFilter),
      });
      return { before, after };
    });

    this.slowModeTx = db.transaction((eventId: string, userId: string, clientId: string, windowMs: number, nowMs: number) => {
      const last = this.q.turn.get(eventId, userId);
      if (last && last.client_id === clientId) return 0;
      const wait = last ? last.sent_ms + windowMs - nowMs : 0;
      if (wait > 0) return wait;
      this.q.upsertTurn.run(eventId, userId, nowMs, clientId);
      return 0;
    });

    this.holdTx = db.transaction((m: NewHeldMessage) => {
      const existing = this.q.heldByClientId.get(m.eventId, m.author.id, m.clientId);
      if (existing) return { held: heldFromRow(existing), created: false };
      const held: HeldMessage = { id: randomUUID(), ...m };
      this.q.insertHeld.run({
        event_id: m.eventId,
        id: held.id,
        author_id: m.author.id,
        author_name: m.author.displayName,
        author_role: m.author.role,
        text: m.text,
        client_id: m.clientId,
        sent_at: m.sentAt,
        sent_ms: Date.parse(m.sentAt),
        matched: JSON.stringify(m.matched),
      });
      return { held, created: true };
    });

    const tables = ['room_settings', 'slow_mode_turns', 'held_messages', 'sanctions', 'backstage_notes'];
    const perEvent = tables.map((t) => db.prepare<[string]>(`DELETE FROM ${t} WHERE event_id = ?`));
    this.deleteEventTx = db.transaction((eventId: string) => {
      for (const statement of perEvent) statement.run(eventId);
    });
    this.clearTx = db.transaction(() => {
      for (const t of tables) db.exec(`DELETE FROM ${t}`);
    });
  }

  async deleteChatMessage(eventId: string, messageId: string): Promise<{ message: ChatMessage; changed: boolean } | undefined> {
    return this.deleteChatTx.immediate(eventId, messageId);
  }

  async findSent(eventId: string, authorId: string, clientId: string): Promise<PriorSend | undefined> {
    const message = this.q.chatByClientId.get(eventId, authorId, clientId);
    if (message) return { message: messageFromRow(message) };
    const held = this.q.heldByClientId.get(eventId, authorId, clientId);
    return held && { held: heldFromRow(held) };
  }

  async getSettings(eventId: string): Promise<StoredRoomSettings> {
    return settingsFromRow(this.q.settings.get(eventId));
  }

  async updateSettings(eventId: string, patch: RoomSettingsPatch): Promise<{ before: StoredRoomSettings; after: StoredRoomSettings }> {
    return this.updateSettingsTx.immediate(eventId, patch);
  }

  async takeSlowModeTurn(eventId: string, userId: string, clientId: string, windowMs: number, nowMs: number): Promise<number> {
    return this.slowModeTx.immediate(eventId, userId, clientId, windowMs, nowMs);
  }

  async holdMessage(message: NewHeldMessage): Promise<{ held: HeldMessage; created: boolean }> {
    return this.holdTx.immediate(message);
  }

  async listHeld(eventId: string): Promise<HeldMessage[]> {
    return this.q.waitingHeld.all(eventId).map(heldFromRow);
  }

  async takeHeld(eventId: string, heldId: string): Promise<HeldMessage | undefined> {
    const row = this.q.takeHeld.get(eventId, heldId);
    return row && heldFromRow(row);
  }

  async putSanction(s: Sanction): Promise<void> {
    this.q.upsertSanction.run({
      ...s,
      untilMs: s.until === null ? null : Date.parse(s.until),
      atMs: Date.parse(s.at),
    });
  }

  async removeSanction(eventId: string, userId: string, nowMs: number): Promise<Sanction | undefined> {
    const row = this.q.deleteSanction.get({ eventId, userId, nowMs });
    this.q.deleteExpired.run({ eventId, userId, nowMs });
    return row && sanctionFromRow(row);
  }

  async sanctionOf(eventId: string, userId: string, nowMs: number): Promise<Sanction | undefined> {
    const row = this.q.sanction.get({ eventId, userId, nowMs });
    return row && sanctionFromRow(row);
  }

  async listSanctions(eventId: string, nowMs: number): Promise<Sanction[]> {
    return this.q.sanctions.all({ eventId, nowMs }).map(sanctionFromRow);
  }

  async addBackstageNote(note: BackstageNote): Promise<void> {
    this.q.insertNote.run(note);
  }

  async listBackstageNotes(eventId: string, limit: number): Promise<BackstageNote[]> {
    if (limit <= 0) return [];
    return this.q.notes.all(eventId, limit).map(noteFromRow);
  }

  async deleteEventData(eventId: string): Promise<void> {
    this.deleteEventRows(eventId);
  }

  async clearAll(): Promise<void> {
    this.resetRows();
  }

  deleteEventRows(eventId: string): void {
    this.deleteEventTx(eventId);
  }

  resetRows(): void {
    this.clearTx();
  }
}
