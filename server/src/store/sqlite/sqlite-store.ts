import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { ChatMessage } from '#shared/domain/chat';
import type { Event, EventQuery, Series } from '#shared/domain/event';
import type { AuditEntry, EventRole, Invite, RoleGrant } from '#shared/domain/account';
import type { QuestionState } from '#shared/domain/question';
import type {
  AccountRecord,
  AppendResult,
  MergeResult,
  NewChatMessage,
  NewQuestion,
  QuestionPatch,
  QuestionRecord,
  SessionRecord,
  StateChange,
  StateResult,
  Store,
  VoteResult,
} from '../store';
import { migrations } from './migrations';
import { messageFromRow, type ChatRow } from './chat-rows';
import { SqliteModerationStore } from './sqlite-moderation';
import { SqlitePollStore } from './sqlite-polls';

interface EventRow {
  id: string;
  kind: Event['kind'];
  title: string;
  summary: string;
  starts_at: string;
  ends_at: string;
  timezone: string;
  status: Event['status'];
  access: Event['access'];
  capacity: number | null;
  series_id: string | null;
  speakers: string;
  language: string;
  stream_url: string | null;
  replay_url: string | null;
  unlisted: 0 | 1;
}

interface AccountRow {
  id: string;
  email: string | null;
  display_name: string;
  password_hash: string | null;
  is_admin: 0 | 1;
  created_at: string;
}

interface RoleRow {
  event_id: string;
  user_id: string;
  display_name: string;
  role: EventRole;
  granted_at: string;
}

interface SessionRow {
  id: string;
  user_id: string;
  token_hash: string;
  expires_at: string;
  expires_ms: number;
  created_at: string;
}

interface InviteRow {
  id: string;
  event_id: string;
  role: EventRole;
  created_by: string;
  created_at: string;
  expires_at: string;
  expires_ms: number;
  revoked_at: string | null;
  used_by: string | null;
  used_at: string | null;
}

interface AuditRow {
  seq: number;
  id: string;
  at: string;
  at_ms: number;
  actor_id: string;
  actor_name: string;
  action: string;
  target: string;
  details: string;
}

interface QuestionRow {
  event_id: string;
  id: string;
  text: string;
  anonymous: 0 | 1;
  author_id: string;
  author_name: string;
  client_id: string;
  state: QuestionState;
  votes: number;
  starred: 0 | 1;
  position: number | null;
  created_at: string;
  created_ms: number;
  live_at: string | null;
  answered_at: string | null;
  rejected_reason: string | null;
  merged_into: string | null;
}

function questionFromRow(r: QuestionRow): QuestionRecord {
  return {
    id: r.id,
    eventId: r.event_id,
    text: r.text,
    anonymous: r.anonymous === 1,
    author: { id: r.author_id, displayName: r.author_name },
    clientId: r.client_id,
    state: r.state,
    votes: r.votes,
    starred: r.starred === 1,
    position: r.position,
    createdAt: r.created_at,
    liveAt: r.live_at,
    answeredAt: r.answered_at,
    rejectedReason: r.rejected_reason,
    mergedInto: r.merged_into,
  };
}

function eventFromRow(r: EventRow): Event {
  const event: Event = {
    id: r.id,
    kind: r.kind,
    title: r.title,
    summary: r.summary,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    timezone: r.timezone,
    status: r.status,
    access: r.access,
    speakers: JSON.parse(r.speakers),
    language: r.language,
  };
  if (r.capacity !== null) event.capacity = r.capacity;
  if (r.series_id !== null) event.seriesId = r.series_id;
  if (r.stream_url !== null) event.streamUrl = r.stream_url;
  if (r.replay_url !== null) event.replayUrl = r.replay_url;
  if (r.unlisted === 1) event.unlisted = true;
  return event;
}

function accountFromRow(r: AccountRow): AccountRecord {
  return {
    id: r.id,
    email: r.email,
    displayName: r.display_name,
    passwordHash: r.password_hash,
    isAdmin: r.is_admin === 1,
    createdAt: r.created_at,
  };
}

function roleFromRow(r: RoleRow): RoleGrant {
  return { eventId: r.event_id, userId: r.user_id, displayName: r.display_name, role: r.role, grantedAt: r.granted_at };
}

function sessionFromRow(r: SessionRow): SessionRecord {
  return { id: r.id, userId: r.user_id, tokenHash: r.token_hash, expiresAt: r.expires_at, createdAt: r.created_at };
}

function inviteFromRow(r: InviteRow): Invite {
  return {
    id: r.id,
    eventId: r.event_id,
    role: r.role,
    createdBy: r.created_by,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    usedBy: r.used_by,
    usedAt: r.used_at,
  };
}

function auditFromRow(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    at: r.at,
    actor: { id: r.actor_id, displayName: r.actor_name },
    action: r.action,
    target: r.target,
    details: JSON.parse(r.details),
  };
}

/** Epoch ms of an ISO instant. Instants are compared as instants, never as text (`…00Z` and `…00.000Z` are equal). */
function ms(iso: string): number {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new RangeError(`Not an ISO instant: ${iso}`);
  return t;
}

/** Oldest first by an instant, ties in byte order of a key: the order both stores list roles and invites in. */
function byInstant<T>(instant: (x: T) => string, key: (x: T) => string): (a: T, b: T) => number {
  return (a, b) => ms(instant(a)) - ms(instant(b)) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

/** Opens (creating if needed) a SQLite database in WAL mode and brings its schema up to date. */
export function openSqliteStore(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable in WAL mode across process crashes; only a power loss can drop the last transactions.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return new SqliteStore(db);
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(`Database schema version ${current} is newer than this Parvis (${migrations.length})`);
  }
  for (let v = current; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

function prepareStatements(db: Database.Database) {
  return {
    event: db.prepare<[string], EventRow>('SELECT * FROM events WHERE id = ?'),
    series: db.prepare<[], Series>('SELECT id, title, summary FROM series ORDER BY title'),
    upsertSeries: db.prepare(
      `INSERT INTO series (id, title, summary) VALUES (@id, @title, @summary)
       ON CONFLICT(id) DO UPDATE SET title = excluded.title, summary = excluded.summary`,
    ),
    upsertEvent: db.prepare(
      `INSERT INTO events (id, kind, title, summary, starts_at, ends_at, timezone, status, access, capacity,
                           series_id, speakers, language, stream_url, replay_url, unlisted)
       VALUES (@id, @kind, @title, @summary, @startsAt, @endsAt, @timezone, @status, @access, @capacity,
               @seriesId, @speakers, @language, @streamUrl, @replayUrl, @unlisted)
       ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, title = excluded.title, summary = excluded.summary,
         starts_at = excluded.starts_at, ends_at = excluded.ends_at, timezone = excluded.timezone,
         status = excluded.status, access = excluded.access, capacity = excluded.capacity,
         series_id = excluded.series_id, speakers = excluded.speakers, language = excluded.language,
         stream_url = excluded.stream_url, replay_url = excluded.replay_url, unlisted = excluded.unlisted`,
    ),
    chatByClientId: db.prepare<[string, string, string], ChatRow>(
      'SELECT * FROM chat_messages WHERE event_id = ? AND author_id = ? AND client_id = ?',
    ),
    lastOffset: db.prepare<[string], { last: number | null }>(
      'SELECT MAX(offset) AS last FROM chat_messages WHERE event_id = ?',
    ),
    insertChat: db.prepare(
      `INSERT INTO chat_messages (event_id, offset, id, author_id, author_name, author_role, text, sent_at, client_id)
       VALUES (@event_id, @offset, @id, @author_id, @author_name, @author_role, @text, @sent_at, @client_id)`,
    ),
    chatAfter: db.prepare<[string, number, number], ChatRow>(
      'SELECT * FROM chat_messages WHERE event_id = ? AND offset > ? ORDER BY offset LIMIT ?',
    ),
    chatTail: db.prepare<[string, number], ChatRow>(
      'SELECT * FROM (SELECT * FROM chat_messages WHERE event_id = ? ORDER BY offset DESC LIMIT ?) ORDER BY offset',
    ),
    deleteEvent: db.prepare<[string]>('DELETE FROM events WHERE id = ?'),
    deleteEventChat: db.prepare<[string]>('DELETE FROM chat_messages WHERE event_id = ?'),
    deleteEventRoles: db.prepare<[string]>('DELETE FROM event_roles WHERE event_id = ?'),
    deleteEventInvites: db.prepare<[string]>('DELETE FROM invites WHERE event_id = ?'),
    // The foreign key (ON DELETE SET NULL, foreign_keys = ON) unlinks the series' events.
    deleteSeries: db.prepare<[string]>('DELETE FROM series WHERE id = ?'),

    // Neither the id nor the email may be taken: an account is never overwritten.
    insertAccount: db.prepare(
      `INSERT INTO accounts (id, email, display_name, password_hash, is_admin, created_at)
       VALUES (@id, @email, @displayName, @passwordHash, @isAdmin, @createdAt) ON CONFLICT DO NOTHING`,
    ),
    account: db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE id = ?'),
    accountByEmail: db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE email = ?'),
    setPasswordHash: db.prepare<[string, string]>('UPDATE accounts SET password_hash = ? WHERE id = ?'),
    countAdmins: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM accounts WHERE is_admin = 1'),

    upsertRole: db.prepare(
      `INSERT INTO event_roles (event_id, user_id, display_name, role, granted_at)
       VALUES (@eventId, @userId, @displayName, @role, @grantedAt)
       ON CONFLICT(event_id, user_id) DO UPDATE SET display_name = excluded.display_name, role = excluded.role,
         granted_at = excluded.granted_at`,
    ),
    deleteRole: db.prepare<[string, string]>('DELETE FROM event_roles WHERE event_id = ? AND user_id = ?'),
    role: db.prepare<[string, string], { role: EventRole }>(
      'SELECT role FROM event_roles WHERE event_id = ? AND user_id = ?',
    ),
    roles: db.prepare<[string], RoleRow>('SELECT * FROM event_roles WHERE event_id = ?'),

    upsertSession: db.prepare(
      `INSERT OR REPLACE INTO sessions (id, user_id, token_hash, expires_at, expires_ms, created_at)
       VALUES (@id, @userId, @tokenHash, @expiresAt, @expiresMs, @createdAt)`,
    ),
    pruneSessions: db.prepare<[number]>('DELETE FROM sessions WHERE expires_ms <= ?'),
    // Compare-and-swap in one statement: only the holder of the current hash, before expiry, gets a row back.
    rotateSession: db.prepare<[{ id: string; currentHash: string; tokenHash: string; expiresAt: string; expiresMs: number; nowMs: number }], SessionRow>(
      `UPDATE sessions SET token_hash = @tokenHash, expires_at = @expiresAt, expires_ms = @expiresMs
       WHERE id = @id AND token_hash = @currentHash AND expires_ms > @nowMs RETURNING *`,
    ),
    deleteSession: db.prepare<[string]>('DELETE FROM sessions WHERE id = ?'),
    deleteSessionsOf: db.prepare<[string]>('DELETE FROM sessions WHERE user_id = ?'),

    // The cutoff only moves forward: a late or repeated call cannot make revoked tokens valid again.
    raiseCutoff: db.prepare<[string, number]>(
      `INSERT INTO token_cutoffs (user_id, not_before) VALUES (?, ?)
       ON CONFLICT(user_id) DO UPDATE SET not_before = max(not_before, excluded.not_before)`,
    ),
    cutoff: db.prepare<[string], { not_before: number }>('SELECT not_before FROM token_cutoffs WHERE user_id = ?'),
    revokeToken: db.prepare<[string, number]>(
      `INSERT INTO revoked_tokens (jti, expires_at) VALUES (?, ?)
       ON CONFLICT(jti) DO UPDATE SET expires_at = excluded.expires_at`,
    ),
    pruneRevoked: db.prepare<[number]>('DELETE FROM revoked_tokens WHERE expires_at <= ?'),
    isRevoked: db.prepare<[string, number], { one: 1 }>(
      'SELECT 1 AS one FROM revoked_tokens WHERE jti = ? AND expires_at > ?',
    ),

    upsertInvite: db.prepare(
      `INSERT OR REPLACE INTO invites (id, event_id, role, created_by, created_at, expires_at, expires_ms, revoked_at,
                                       used_by, used_at)
       VALUES (@id, @eventId, @role, @createdBy, @createdAt, @expiresAt, @expiresMs, @revokedAt, @usedBy, @usedAt)`,
    ),
    invite: db.prepare<[string], InviteRow>('SELECT * FROM invites WHERE id = ?'),
    invites: db.prepare<[string], InviteRow>('SELECT * FROM invites WHERE event_id = ?'),
    revokeInvite: db.prepare<[string, string]>(
      'UPDATE invites SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL AND used_by IS NULL',
    ),
    // One statement, so exactly one caller can flip used_by from NULL.
    useInvite: db.prepare<[{ id: string; userId: string; now: string; nowMs: number }], InviteRow>(
      `UPDATE invites SET used_by = @userId, used_at = @now
       WHERE id = @id AND used_by IS NULL AND revoked_at IS NULL AND expires_ms > @nowMs RETURNING *`,
    ),

    // An entry appended again under the same id is kept once, as first written.
    insertAudit: db.prepare(
      `INSERT INTO audit_log (id, at, at_ms, actor_id, actor_name, action, target, details)
       VALUES (@id, @at, @atMs, @actorId, @actorName, @action, @target, @details) ON CONFLICT(id) DO NOTHING`,
    ),
    // Newest first; entries of the same millisecond, the last appended first.
    audit: db.prepare<[number], AuditRow>('SELECT * FROM audit_log ORDER BY at_ms DESC, seq DESC LIMIT ?'),
    auditBefore: db.prepare<[number, number], AuditRow>(
      'SELECT * FROM audit_log WHERE at_ms < ? ORDER BY at_ms DESC, seq DESC LIMIT ?',
    ),

    question: db.prepare<[string, string], QuestionRow>('SELECT * FROM questions WHERE event_id = ? AND id = ?'),
    questionByClientId: db.prepare<[string, string, string], QuestionRow>(
      'SELECT * FROM questions WHERE event_id = ? AND author_id = ? AND client_id = ?',
    ),
    questions: db.prepare<[string], QuestionRow>('SELECT * FROM questions WHERE event_id = ? ORDER BY created_ms, id'),
    insertQuestion: db.prepare(
      `INSERT INTO questions (event_id, id, text, anonymous, author_id, author_name, client_id, state, votes, starred,
                             position, created_at, created_ms, live_at, answered_at, rejected_reason, merged_into)
       VALUES (@event_id, @id, @text, @anonymous, @author_id, @author_name, @client_id, @state, 0, 0,
               NULL, @created_at, @created_ms, NULL, NULL, NULL, NULL)`,
    ),
    liveQuestion: db.prepare<[string], QuestionRow>("SELECT * FROM questions WHERE event_id = ? AND state = 'live'"),
    setState: db.prepare(
      `UPDATE questions SET state = @state, live_at = @live_at, answered_at = @answered_at,
         rejected_reason = @rejected_reason, merged_into = @merged_into WHERE event_id = @event_id AND id = @id`,
    ),
    addVote: db.prepare<[string, string, string]>(
      'INSERT INTO question_votes (event_id, question_id, user_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    removeVote: db.prepare<[string, string, string]>(
      'DELETE FROM question_votes WHERE event_id = ? AND question_id = ? AND user_id = ?',
    ),
    // Copies from's voters to into, each person at most once.
    copyVotes: db.prepare<[string, string, string]>(
      `INSERT INTO question_votes (event_id, question_id, user_id)
       SELECT event_id, ?, user_id FROM question_votes WHERE event_id = ? AND question_id = ? ON CONFLICT DO NOTHING`,
    ),
    recount: db.prepare<[string, string]>(
      `UPDATE questions SET votes = (SELECT COUNT(*) FROM question_votes v WHERE v.event_id = questions.event_id
         AND v.question_id = questions.id) WHERE event_id = ? AND id = ?`,
    ),
    votesBy: db.prepare<[string, string], { question_id: string }>(
      'SELECT question_id FROM question_votes WHERE event_id = ? AND user_id = ? ORDER BY question_id',
    ),
    updateQuestion: db.prepare<[string, number, number | null, string, string]>(
      'UPDATE questions SET text = ?, starred = ?, position = ? WHERE event_id = ? AND id = ?',
    ),
    deleteEventQuestions: db.prepare<[string]>('DELETE FROM questions WHERE event_id = ?'),
    deleteEventVotes: db.prepare<[string]>('DELETE FROM question_votes WHERE event_id = ?'),

    getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
    setMeta: db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    ),
  };
}

class SqliteStore implements Store {
  readonly moderation: SqliteModerationStore;
  readonly polls: SqlitePollStore;
  readonly kind = 'sqlite' as const;
  private readonly q: ReturnType<typeof prepareStatements>;
  private readonly appendTx: Database.Transaction<(m: NewChatMessage) => AppendResult>;
  private readonly saveTx: Database.Transaction<(series: Series[], events: Event[]) => void>;
  private readonly clearTx: Database.Transaction<() => void>;
  private readonly deleteEventTx: Database.Transaction<(id: string) => boolean>;
  private readonly askTx: Database.Transaction<(q: NewQuestion) => { question: QuestionRecord; created: boolean }>;
  private readonly voteTx: Database.Transaction<(eventId: string, questionId: string, userId: string, up: boolean) => VoteResult>;
  private readonly stateTx: Database.Transaction<(eventId: string, questionId: string, change: StateChange) => StateResult>;
  private readonly mergeTx: Database.Transaction<
    (eventId: string, fromId: string, intoId: string, allowed: { from: readonly QuestionState[]; into: readonly QuestionState[] }) => MergeResult
  >;
  private readonly updateTx: Database.Transaction<(eventId: string, questionId: string, patch: QuestionPatch) => QuestionRecord | undefined>;

  constructor(private readonly db: Database.Database) {
    this.moderation = new SqliteModerationStore(db);
    this.polls = new SqlitePollStore(db);
    this.q = prepareStatements(db);

    // One transaction: the idempotency check, the offset and the insert cannot interleave with another append.
    this.appendTx = db.transaction((m: NewChatMessage): AppendResult => {
      const existing = this.q.chatByClientId.get(m.eventId, m.author.id, m.clientId);
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
      this.q.insertChat.run(row);
      return { message: messageFromRow(row), created: true };
    });

    this.saveTx = db.transaction((series: Series[], events: Event[]) => {
      for (const s of series) this.q.upsertSeries.run(s);
      for (const e of events) {
        this.q.upsertEvent.run({
          ...e,
          capacity: e.capacity ?? null,
          seriesId: e.seriesId ?? null,
          speakers: JSON.stringify(e.speakers),
          streamUrl: e.streamUrl ?? null,
          replayUrl: e.replayUrl ?? null,
          unlisted: e.unlisted ? 1 : 0,
        });
      }
    });

    // The demo reset wipes the programme and what belongs to its events. Accounts, sessions, revocations and the
    // audit log survive it, so that an admin is not locked out by `npm run demo:reset`.
    this.clearTx = db.transaction(() => {
      db.exec(`DELETE FROM chat_messages; DELETE FROM event_roles; DELETE FROM invites;
               DELETE FROM question_votes; DELETE FROM questions; DELETE FROM events; DELETE FROM series;`);
    });

    this.deleteEventTx = db.transaction((id: string): boolean => {
      this.q.deleteEventChat.run(id);
      this.q.deleteEventRoles.run(id);
      this.q.deleteEventInvites.run(id);
      this.q.deleteEventVotes.run(id);
      this.q.deleteEventQuestions.run(id);
      return this.q.deleteEvent.run(id).changes > 0;
    });

    // Each rule on questions is one transaction: the check and the write cannot interleave with another writer.
    this.askTx = db.transaction((q: NewQuestion) => {
      const existing = this.q.questionByClientId.get(q.eventId, q.author.id, q.clientId);
      if (existing) return { question: questionFromRow(existing), created: false };
      const id = randomUUID();
      this.q.insertQuestion.run({
        event_id: q.eventId,
        id,
        text: q.text,
        anonymous: q.anonymous ? 1 : 0,
        author_id: q.author.id,
        author_name: q.author.displayName,
        client_id: q.clientId,
        state: q.state,
        created_at: q.createdAt,
        created_ms: ms(q.createdAt),
      });
      return { question: questionFromRow(this.q.question.get(q.eventId, id)!), created: true };
    });

    this.voteTx = db.transaction((eventId: string, questionId: string, userId: string, up: boolean): VoteResult => {
      const row = this.q.question.get(eventId, questionId);
      if (!row) return { outcome: 'not-found' };
      if (row.state !== 'approved' && row.state !== 'live') return { outcome: 'closed', question: questionFromRow(row) };
      const changed = (up ? this.q.addVote : this.q.removeVote).run(eventId, questionId, userId).changes > 0;
      if (changed) this.q.recount.run(eventId, questionId);
      return { outcome: 'counted', question: questionFromRow(this.q.question.get(eventId, questionId)!), changed };
    });

    this.stateTx = db.transaction((eventId: string, questionId: string, change: StateChange): StateResult => {
      const row = this.q.question.get(eventId, questionId);
      if (!row) return { outcome: 'not-found' };
      if (!change.from.includes(row.state)) return { outcome: 'refused', question: questionFromRow(row) };
      let answered: QuestionRecord | undefined;
      if (change.to === 'live') {
        const previous = this.q.liveQuestion.get(eventId);
        if (previous && previous.id !== questionId) {
          this.q.setState.run({ ...previous, state: 'answered', answered_at: change.at });
          answered = questionFromRow(this.q.question.get(eventId, previous.id)!);
        }
      }
      this.q.setState.run({
        ...row,
        state: change.to,
        live_at: change.to === 'live' ? change.at : row.live_at,
        answered_at: change.to === 'answered' ? change.at : row.answered_at,
        rejected_reason: change.to === 'rejected' ? (change.reason ?? null) : row.rejected_reason,
      });
      const question = questionFromRow(this.q.question.get(eventId, questionId)!);
      return answered
        ? { outcome: 'changed', question, previous: row.state, answered }
        : { outcome: 'changed', question, previous: row.state };
    });

    this.mergeTx = db.transaction((eventId, fromId, intoId, allowed): MergeResult => {
      const from = this.q.question.get(eventId, fromId);
      const into = this.q.question.get(eventId, intoId);
      if (!from || !into) return { outcome: 'not-found' };
      if (fromId === intoId || !allowed.from.includes(from.state) || !allowed.into.includes(into.state)) {
        return { outcome: 'refused', from: questionFromRow(from), into: questionFromRow(into) };
      }
      this.q.copyVotes.run(intoId, eventId, fromId);
      this.q.recount.run(eventId, intoId);
      this.q.setState.run({ ...from, state: 'merged', merged_into: intoId });
      return {
        outcome: 'merged',
        previous: from.state,
        from: questionFromRow(this.q.question.get(eventId, fromId)!),
        into: questionFromRow(this.q.question.get(eventId, intoId)!),
      };
    });

    this.updateTx = db.transaction((eventId: string, questionId: string, patch: QuestionPatch) => {
      const row = this.q.question.get(eventId, questionId);
      if (!row) return undefined;
      this.q.updateQuestion.run(
        patch.text ?? row.text,
        patch.starred === undefined ? row.starred : patch.starred ? 1 : 0,
        patch.position === undefined ? row.position : patch.position,
        eventId,
        questionId,
      );
      return questionFromRow(this.q.question.get(eventId, questionId)!);
    });
  }

  async listEvents(query: EventQuery): Promise<Event[]> {
    const where: string[] = [];
    const params: Record<string, string> = {};
    // An event belongs to [from, to] when it overlaps it.
    if (query.from) {
      where.push('ends_at >= @from');
      params.from = query.from;
    }
    if (query.to) {
      where.push('starts_at <= @to');
      params.to = query.to;
    }
    if (query.kind) {
      where.push('kind = @kind');
      params.kind = query.kind;
    }
    if (query.series) {
      where.push('series_id = @series');
      params.series = query.series;
    }
    const sql = `SELECT * FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY starts_at, id`;
    return (this.db.prepare(sql).all(params) as EventRow[]).map(eventFromRow);
  }

  async getEvent(id: string): Promise<Event | undefined> {
    const row = this.q.event.get(id);
    return row && eventFromRow(row);
  }

  async listSeries(): Promise<Series[]> {
    return this.q.series.all();
  }

  async saveProgramme(series: Series[], events: Event[]): Promise<void> {
    this.saveTx(series, events);
  }

  async clearAll(): Promise<void> {
    this.clearTx();
    await this.moderation.clearAll();
    await this.polls.clearAll();
  }

  async appendChat(message: NewChatMessage): Promise<AppendResult> {
    // IMMEDIATE takes the write lock at once, so two processes on one file never both read the same last offset.
    return this.appendTx.immediate(message);
  }

  async chatAfter(eventId: string, afterOffset: number, max: number): Promise<ChatMessage[]> {
    // SQLite reads a negative LIMIT as "no limit".
    if (max <= 0) return [];
    return this.q.chatAfter.all(eventId, afterOffset, max).map(messageFromRow);
  }

  async chatTail(eventId: string, count: number): Promise<ChatMessage[]> {
    if (count <= 0) return [];
    return this.q.chatTail.all(eventId, count).map(messageFromRow);
  }

  async lastChatOffset(eventId: string): Promise<number> {
    return this.q.lastOffset.get(eventId)?.last ?? 0;
  }

  async askQuestion(question: NewQuestion): Promise<{ question: QuestionRecord; created: boolean }> {
    return this.askTx.immediate(question);
  }

  async getQuestion(eventId: string, questionId: string): Promise<QuestionRecord | undefined> {
    const row = this.q.question.get(eventId, questionId);
    return row && questionFromRow(row);
  }

  async listQuestions(eventId: string): Promise<QuestionRecord[]> {
    return this.q.questions.all(eventId).map(questionFromRow);
  }

  async vote(eventId: string, questionId: string, userId: string, up: boolean): Promise<VoteResult> {
    return this.voteTx.immediate(eventId, questionId, userId, up);
  }

  async votesBy(eventId: string, userId: string): Promise<string[]> {
    return this.q.votesBy.all(eventId, userId).map((r) => r.question_id);
  }

  async setQuestionState(eventId: string, questionId: string, change: StateChange): Promise<StateResult> {
    return this.stateTx.immediate(eventId, questionId, change);
  }

  async mergeQuestion(
    eventId: string,
    fromId: string,
    intoId: string,
    allowed: { from: readonly QuestionState[]; into: readonly QuestionState[] },
  ): Promise<MergeResult> {
    return this.mergeTx.immediate(eventId, fromId, intoId, allowed);
  }

  async updateQuestion(eventId: string, questionId: string, patch: QuestionPatch): Promise<QuestionRecord | undefined> {
    return this.updateTx.immediate(eventId, questionId, patch);
  }

  async deleteEvent(id: string): Promise<boolean> {
    const existed = this.deleteEventTx(id);
    await this.moderation.deleteEventData(id);
    await this.polls.deleteEventData(id);
    return existed;
  }

  async deleteSeries(id: string): Promise<boolean> {
    return this.q.deleteSeries.run(id).changes > 0;
  }

  async createAccount(account: AccountRecord): Promise<boolean> {
    const changes = this.q.insertAccount.run({
      ...account,
      email: account.email === null ? null : account.email.toLowerCase(),
      isAdmin: account.isAdmin ? 1 : 0,
    }).changes;
    return changes > 0;
  }

  async getAccount(id: string): Promise<AccountRecord | undefined> {
    const row = this.q.account.get(id);
    return row && accountFromRow(row);
  }

  async getAccountByEmail(email: string): Promise<AccountRecord | undefined> {
    const row = this.q.accountByEmail.get(email.toLowerCase());
    return row && accountFromRow(row);
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    this.q.setPasswordHash.run(passwordHash, id);
  }

  async countAdmins(): Promise<number> {
    return this.q.countAdmins.get()!.n;
  }

  async grantRole(grant: RoleGrant): Promise<void> {
    this.q.upsertRole.run(grant);
  }

  async revokeRole(eventId: string, userId: string): Promise<boolean> {
    return this.q.deleteRole.run(eventId, userId).changes > 0;
  }

  async roleIn(eventId: string, userId: string): Promise<EventRole | undefined> {
    return this.q.role.get(eventId, userId)?.role;
  }

  async listRoles(eventId: string): Promise<RoleGrant[]> {
    return this.q.roles
      .all(eventId)
      .map(roleFromRow)
      .sort(byInstant((g) => g.grantedAt, (g) => g.userId));
  }

  async createSession(session: SessionRecord): Promise<void> {
    // Sessions expired by the caller's clock are useless: dropping them here keeps the table small.
    this.q.pruneSessions.run(ms(session.createdAt));
    this.q.upsertSession.run({ ...session, expiresMs: ms(session.expiresAt) });
  }

  async rotateSession(
    id: string,
    currentHash: string,
    next: { tokenHash: string; expiresAt: string },
    now: string,
  ): Promise<SessionRecord | undefined> {
    const row = this.q.rotateSession.get({
      id,
      currentHash,
      tokenHash: next.tokenHash,
      expiresAt: next.expiresAt,
      expiresMs: ms(next.expiresAt),
      nowMs: ms(now),
    });
    return row && sessionFromRow(row);
  }

  async deleteSession(id: string): Promise<void> {
    this.q.deleteSession.run(id);
  }

  async deleteSessionsOf(userId: string): Promise<void> {
    this.q.deleteSessionsOf.run(userId);
  }

  async revokeTokensOf(userId: string, notBefore: number): Promise<void> {
    // Whole seconds, like a JWT's iat: a fraction would only ever be rounded away by the comparison.
    this.q.raiseCutoff.run(userId, Math.floor(notBefore));
  }

  async tokensRevokedBefore(userId: string): Promise<number> {
    return this.q.cutoff.get(userId)?.not_before ?? 0;
  }

  async revokeToken(jti: string, expiresAt: number): Promise<void> {
    // A revocation matters only until the token expires (the wall clock decides, as Redis' key expiry does there).
    const nowSec = Date.now() / 1000;
    this.q.pruneRevoked.run(nowSec);
    if (expiresAt > nowSec) this.q.revokeToken.run(jti, Math.ceil(expiresAt));
  }

  async isTokenRevoked(jti: string): Promise<boolean> {
    return this.q.isRevoked.get(jti, Date.now() / 1000) !== undefined;
  }

  async createInvite(invite: Invite): Promise<void> {
    this.q.upsertInvite.run({ ...invite, expiresMs: ms(invite.expiresAt) });
  }

  async getInvite(id: string): Promise<Invite | undefined> {
    const row = this.q.invite.get(id);
    return row && inviteFromRow(row);
  }

  async listInvites(eventId: string): Promise<Invite[]> {
    return this.q.invites
      .all(eventId)
      .map(inviteFromRow)
      .sort(byInstant((i) => i.createdAt, (i) => i.id));
  }

  async revokeInvite(id: string, at: string): Promise<boolean> {
    return this.q.revokeInvite.run(at, id).changes > 0;
  }

  async useInvite(id: string, userId: string, now: string): Promise<Invite | undefined> {
    const row = this.q.useInvite.get({ id, userId, now, nowMs: ms(now) });
    return row && inviteFromRow(row);
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    this.q.insertAudit.run({
      id: entry.id,
      at: entry.at,
      atMs: ms(entry.at),
      actorId: entry.actor.id,
      actorName: entry.actor.displayName,
      action: entry.action,
      target: entry.target,
      details: JSON.stringify(entry.details),
    });
  }

  async listAudit(options: { limit: number; before?: string }): Promise<AuditEntry[]> {
    // NaN and numbers ≤ 0 read nothing; Infinity reads everything.
    const limit = Math.min(Math.floor(options.limit), Number.MAX_SAFE_INTEGER);
    if (!(limit > 0)) return [];
    const rows =
      options.before === undefined
        ? this.q.audit.all(limit)
        : this.q.auditBefore.all(ms(options.before), limit);
    return rows.map(auditFromRow);
  }

  async getMeta(key: string): Promise<string | undefined> {
    return this.q.getMeta.get(key)?.value;
  }

  async setMeta(key: string, value: string): Promise<void> {
    this.q.setMeta.run(key, value);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
