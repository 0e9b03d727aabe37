import type { AccountStore } from './account-store';
import type { AppointmentStore } from './appointment-store';
import type { AudienceStore } from './audience-store';
import type { AuditStore } from './audit-store';
import type { CaptionStore } from './caption-store';
import type { ChatStore } from './chat-store';
import type { JobStore } from './job-store';
import type { OutboxStore } from './outbox-store';
import type { IngestStore } from './ingest-store';
import type { ModerationStore } from './moderation-store';
import type { PollStore } from './poll-store';
import type { ProgrammeStore } from './programme-store';
import type { QuestionStore } from './question-store';
import type { RegistrationStore } from './registration-store';
import type { ReactionStore } from './reaction-store';
import type { ReplayStore } from './replay-store';

/** Small settings the server keeps for itself (where the programme came from, the one-time setup token…). */
export interface MetaStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

/**
 * The storage port. Services talk only to this: one sub-port per kind of data, each declared in its own file with its
 * records, each implemented by SQLite (`sqlite/`) and Redis (`redis/`) and held to its contract suite
 * (`<kind>.contract.ts`, run on both). Every method that enforces a rule (idempotent append, one vote per person, one
 * live question) is a single atomic operation.
 *
 * Every method of every sub-port rejects with a `DomainError` of code UNAVAILABLE when the storage itself fails for
 * a while (Redis down or hung, a full disk, a locked or read-only database file), so that callers answer "try again"
 * rather than INTERNAL.
 */
export interface Store {
  readonly kind: 'sqlite' | 'redis';
  /** Events and series. */
  readonly programme: ProgrammeStore;
  readonly chat: ChatStore;
  readonly questions: QuestionStore;
  /** Chat moderation, room settings, backstage notes. */
  readonly moderation: ModerationStore;
  readonly polls: PollStore;
  /** Reaction bursts of the live, kept for the replay. */
  readonly reactions: ReactionStore;
  /** Accounts, sessions, token revocation, per-event roles, invitations. */
  readonly accounts: AccountStore;
  readonly audit: AuditStore;
  /** Sign-up: people, registrations, waiting lists and offers, registration events' private settings. */
  readonly registrations: RegistrationStore;
  /** Every email, stored before it is acknowledged and sent once across processes. */
  readonly outbox: OutboxStore;
  /** Deadlines (reminders, retention) as rows with a due time. */
  readonly jobs: JobStore;
  /** Stream keys and the state of each event's broadcast from OBS (issue 11). */
  readonly ingest: IngestStore;
  /** Each event's replay: its state and settings (trims, publication, film rights, thumbnail). */
  readonly replays: ReplayStore;
  /** Audience figures: viewer samples, watch time, replay views, the players' delays (issue 12). */
  readonly audience: AudienceStore;
  /** Live captions per language, and each event's caption ingest secret (issue 12). */
  readonly captions: CaptionStore;
  /** Help desks and the partner of each appointment (issue 14). */
  readonly appointments: AppointmentStore;
  readonly meta: MetaStore;

  /**
   * The demo reset: removes every event and series with everything that belongs to events (chat, questions, roles,
   * invites, moderation, polls, reactions, stream keys and broadcasts). Accounts, sessions, revocations, the audit log
   * and meta survive, so that no admin is locked out by a reset.
   */
  clearAll(): Promise<void>;
  /** Resolves when the store answers; rejects with a `DomainError` UNAVAILABLE otherwise (readiness checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
