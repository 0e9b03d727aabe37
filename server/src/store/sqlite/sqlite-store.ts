import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { AccountStore } from '../account-store';
import type { AudienceStore } from '../audience-store';
import type { AuditStore } from '../audit-store';
import type { CaptionStore } from '../caption-store';
import type { ChatStore } from '../chat-store';
import type { JobStore } from '../job-store';
import type { OutboxStore } from '../outbox-store';
import type { IngestStore } from '../ingest-store';
import type { ModerationStore } from '../moderation-store';
import type { PollStore } from '../poll-store';
import type { ProgrammeStore } from '../programme-store';
import type { QuestionStore } from '../question-store';
import type { RegistrationStore } from '../registration-store';
import type { ReactionStore } from '../reaction-store';
import type { ReplayStore } from '../replay-store';
import type { AppointmentStore } from '../appointment-store';
import type { MetaStore, Store } from '../store';
import { migrations } from './migrations';
import { SqliteAccountStore } from './sqlite-accounts';
import { SqliteAudienceStore } from './sqlite-audience';
import { SqliteAuditStore } from './sqlite-audit';
import { SqliteCaptionStore } from './sqlite-captions';
import { SqliteChatStore } from './sqlite-chat';
import { SqliteJobStore } from './sqlite-jobs';
import { SqliteOutboxStore } from './sqlite-outbox';
import { SqliteRegistrationStore } from './sqlite-registrations';
import { SqliteIngestStore } from './sqlite-ingest';
import { guarded, mapFailure, type SqliteEventData } from './sqlite-connection';
import { SqliteModerationStore } from './sqlite-moderation';
import { SqlitePollStore } from './sqlite-polls';
import { SqliteProgrammeStore } from './sqlite-programme';
import { SqliteQuestionStore } from './sqlite-questions';
import { SqliteReactionStore } from './sqlite-reactions';
import { SqliteReplayStore } from './sqlite-replays';
import { SqliteAppointmentStore } from './sqlite-appointments';

export interface SqliteStoreOptions {
  /**
   * Told about each failure of the storage itself (a full disk, an I/O error, a lock held too long, a read-only file),
   * which callers get as UNAVAILABLE: for the log, since nothing else reports it. Without it they are dropped.
   */
  onUnavailable?: (err: unknown) => void;
}

/**
 * Opens the SQLite store: a file (created if needed), `:memory:`, or a database already open (a test that sets its
 * own limits on the connection first), which the store then owns and closes. WAL mode; the schema is brought up to
 * date before anything else.
 */
export function openSqliteStore(target: string | Database.Database, options: SqliteStoreOptions = {}): Store {
  if (typeof target === 'string' && target !== ':memory:') mkdirSync(dirname(target), { recursive: true });
  const db = typeof target === 'string' ? new Database(target) : target;
  db.pragma('journal_mode = WAL');
  // NORMAL is durable in WAL mode across process crashes; only a power loss can drop the last transactions.
  db.pragma('synchronous = NORMAL');
  // Deleting a series unlinks its events through a foreign key (ON DELETE SET NULL).
  db.pragma('foreign_keys = ON');
  // Another process writing the same file holds the lock briefly; past this a write answers UNAVAILABLE.
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return new SqliteStore(db, options.onUnavailable ?? (() => {}));
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

class SqliteMetaStore implements MetaStore {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      get: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      set: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
    };
  }

  async get(key: string): Promise<string | undefined> {
    return this.q.get.get(key)?.value;
  }

  async set(key: string, value: string): Promise<void> {
    this.q.set.run(key, value);
  }
}

/**
 * The sub-stores on one connection. Each is handed out behind {@link guarded}, so that a full disk or a locked file
 * answers UNAVAILABLE whichever port method met it.
 */
class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly programme: ProgrammeStore;
  readonly chat: ChatStore;
  readonly questions: QuestionStore;
  readonly moderation: ModerationStore;
  readonly polls: PollStore;
  readonly reactions: ReactionStore;
  readonly accounts: AccountStore;
  readonly audit: AuditStore;
  readonly registrations: RegistrationStore;
  readonly outbox: OutboxStore;
  readonly jobs: JobStore;
  readonly ingest: IngestStore;
  readonly replays: ReplayStore;
  readonly audience: AudienceStore;
  readonly captions: CaptionStore;
  readonly appointments: AppointmentStore;
  readonly meta: MetaStore;
  private readonly resetTx: Database.Transaction<() => void>;
  private readonly pingStatement: Database.Statement<[], { one: number }>;

  constructor(
    private readonly db: Database.Database,
    private readonly onUnavailable: (err: unknown) => void,
  ) {
    const chat = new SqliteChatStore(db);
    const questions = new SqliteQuestionStore(db);
    const moderation = new SqliteModerationStore(db);
    const polls = new SqlitePollStore(db);
    const reactions = new SqliteReactionStore(db);
    const accounts = new SqliteAccountStore(db);
    const outbox = new SqliteOutboxStore(db);
    const registrations = new SqliteRegistrationStore(db, outbox);
    const ingest = new SqliteIngestStore(db);
    const replays = new SqliteReplayStore(db);
    const audience = new SqliteAudienceStore(db);
    const captions = new SqliteCaptionStore(db);
    const appointments = new SqliteAppointmentStore(db);
    // What belongs to an event, in every sub-store: deleted with it, and by the demo reset.
    const eventData: SqliteEventData[] = [chat, questions, moderation, polls, reactions, accounts, registrations, ingest, replays, audience, captions, appointments];
    const programme = new SqliteProgrammeStore(db, eventData);

    this.programme = guarded<ProgrammeStore>(programme, db, onUnavailable);
    this.chat = guarded<ChatStore>(chat, db, onUnavailable);
    this.questions = guarded<QuestionStore>(questions, db, onUnavailable);
    this.moderation = guarded<ModerationStore>(moderation, db, onUnavailable);
    this.polls = guarded<PollStore>(polls, db, onUnavailable);
    this.reactions = guarded<ReactionStore>(reactions, db, onUnavailable);
    this.accounts = guarded<AccountStore>(accounts, db, onUnavailable);
    this.audit = guarded<AuditStore>(new SqliteAuditStore(db), db, onUnavailable);
    this.registrations = guarded<RegistrationStore>(registrations, db, onUnavailable);
    this.outbox = guarded<OutboxStore>(outbox, db, onUnavailable);
    this.jobs = guarded<JobStore>(new SqliteJobStore(db), db, onUnavailable);
    this.ingest = guarded<IngestStore>(ingest, db, onUnavailable);
    this.replays = guarded<ReplayStore>(replays, db, onUnavailable);
    this.audience = guarded<AudienceStore>(audience, db, onUnavailable);
    this.captions = guarded<CaptionStore>(captions, db, onUnavailable);
    this.appointments = guarded<AppointmentStore>(appointments, db, onUnavailable);
    this.meta = guarded<MetaStore>(new SqliteMetaStore(db), db, onUnavailable);

    // One transaction: a reset that fails midway leaves the programme as it was.
    this.resetTx = db.transaction(() => {
      for (const part of eventData) part.resetRows();
      programme.resetRows();
    });
    // A read of a table, not `SELECT 1`: it takes a read lock on the file, so a file that went away, cannot be read
    // or stays locked past the busy timeout fails here as it would for any request.
    this.pingStatement = db.prepare('SELECT 1 AS one FROM meta LIMIT 1');
  }

  async clearAll(): Promise<void> {
    try {
      this.resetTx();
    } catch (err) {
      throw mapFailure(err, this.db, this.onUnavailable);
    }
  }

  async ping(): Promise<void> {
    try {
      this.pingStatement.get();
    } catch (err) {
      throw mapFailure(err, this.db, this.onUnavailable);
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
