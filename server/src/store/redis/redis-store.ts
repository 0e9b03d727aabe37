import type { Redis } from 'ioredis';
import type { MetaStore, Store } from '../store';
import { ACCOUNT_KEYS_KEPT_ON_RESET, RedisAccountStore } from './redis-accounts';
import { AUDIT_KEYS_KEPT_ON_RESET, RedisAuditStore } from './redis-audit';
import { RedisAudienceStore } from './redis-audience';
import { RedisCaptionStore } from './redis-captions';
import { RedisChatStore } from './redis-chat';
import { connectStoreClient, io } from './redis-connection';
import { RedisJobStore } from './redis-jobs';
import { RedisIngestStore } from './redis-ingest';
import { RedisModerationStore } from './redis-moderation';
import { OUTBOX_KEYS_KEPT_ON_RESET, RedisOutboxStore } from './redis-outbox';
import { RedisPollStore } from './redis-polls';
import { RedisProgrammeStore } from './redis-programme';
import { RedisQuestionStore } from './redis-questions';
import { REGISTRATION_KEYS_KEPT_ON_RESET, RedisRegistrationStore } from './redis-registrations';
import { RedisReactionStore } from './redis-reactions';
import { RedisReplayStore } from './redis-replays';
import { RedisAppointmentStore } from './redis-appointments';

export interface RedisStoreOptions {
  /** Every key the store writes starts with this. Default `parvis:`. */
  prefix?: string;
  /**
   * Told about connection errors of a client the store opened (each failed reconnect attempt). Callers already get
   * UNAVAILABLE on every request meanwhile; this is for the log. Without it the errors are dropped, not printed.
   */
  onConnectionError?: (err: Error) => void;
}

/*
 * Key layout: every key starts with the prefix P. Each sub-store documents its own keys next to its code:
 * redis-programme.ts (events, series), redis-chat.ts (chat streams), redis-questions.ts (Q&A), redis-moderation.ts
 * (room settings, held messages, sanctions, backstage notes), redis-polls.ts, redis-reactions.ts, redis-accounts.ts
 * (accounts, sessions, revocations, roles, invites), redis-audit.ts, redis-registrations.ts (people, registrations,
 * waiting lists), redis-outbox.ts (emails), redis-jobs.ts (deadlines), redis-ingest.ts (stream keys, broadcasts),
 * redis-replays.ts, redis-audience.ts (audience figures), redis-captions.ts. This file owns one:
 *
 *   P meta                 hash   key → value
 *
 * A demo reset (clearAll) deletes every key under the prefix except meta, the keys about people (accounts,
 * sessions, revocations, audit, the people who signed up) and `jwt-secret`, the generated signing key
 * (modules/access/jwt-secret.ts), which running processes hold and SQLite keeps in a file: see survivesReset. Roles,
 * invites, registrations and deadlines belong to events and go with them. The outbox keeps its sent and failed rows,
 * as SQLite does: it drops its unsent ones itself.
 */
const KEPT_ON_RESET = new Set<string>([
  'meta',
  'jwt-secret',
  ...ACCOUNT_KEYS_KEPT_ON_RESET.names,
  ...AUDIT_KEYS_KEPT_ON_RESET,
  ...REGISTRATION_KEYS_KEPT_ON_RESET,
  ...OUTBOX_KEYS_KEPT_ON_RESET.names,
]);
const FAMILIES_KEPT_ON_RESET = [...ACCOUNT_KEYS_KEPT_ON_RESET.families, ...OUTBOX_KEYS_KEPT_ON_RESET.families];

function survivesReset(name: string): boolean {
  return KEPT_ON_RESET.has(name) || FAMILIES_KEPT_ON_RESET.some((family) => name.startsWith(family));
}

/**
 * Opens the Redis store. Given a URL, it connects (rejecting with UNAVAILABLE when Redis cannot be reached) and
 * `close()` will quit that connection. Given a client, it uses it as it is configured and leaves it open on
 * `close()`; it defines the store's scripts on it.
 */
export async function openRedisStore(target: string | Redis, opts: RedisStoreOptions = {}): Promise<Store> {
  const prefix = opts.prefix ?? 'parvis:';
  if (typeof target !== 'string') return new RedisStore(target, prefix, false);
  return new RedisStore(await connectStoreClient(target, opts.onConnectionError), prefix, true);
}

class RedisMetaStore implements MetaStore {
  private readonly key: string;

  constructor(
    private readonly client: Redis,
    prefix: string,
  ) {
    this.key = `${prefix}meta`;
  }

  async get(key: string): Promise<string | undefined> {
    return (await io(() => this.client.hget(this.key, key))) ?? undefined;
  }

  async set(key: string, value: string): Promise<void> {
    await io(() => this.client.hset(this.key, key, value));
  }
}

/** The sub-stores on one connection and one prefix. */
class RedisStore implements Store {
  readonly kind = 'redis' as const;
  readonly programme: RedisProgrammeStore;
  readonly chat: RedisChatStore;
  readonly questions: RedisQuestionStore;
  readonly moderation: RedisModerationStore;
  readonly polls: RedisPollStore;
  readonly reactions: RedisReactionStore;
  readonly accounts: RedisAccountStore;
  readonly audit: RedisAuditStore;
  readonly registrations: RedisRegistrationStore;
  readonly outbox: RedisOutboxStore;
  readonly jobs: RedisJobStore;
  readonly ingest: RedisIngestStore;
  readonly replays: RedisReplayStore;
  readonly audience: RedisAudienceStore;
  readonly captions: RedisCaptionStore;
  readonly appointments: RedisAppointmentStore;
  readonly meta: RedisMetaStore;

  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
    private readonly ownsClient: boolean,
  ) {
    this.chat = new RedisChatStore(client, prefix);
    this.questions = new RedisQuestionStore(client, prefix);
    this.moderation = new RedisModerationStore(client, prefix);
    this.polls = new RedisPollStore(client, prefix);
    this.reactions = new RedisReactionStore(client, prefix);
    this.accounts = new RedisAccountStore(client, prefix);
    this.registrations = new RedisRegistrationStore(client, prefix);
    this.outbox = new RedisOutboxStore(client, prefix);
    this.jobs = new RedisJobStore(client, prefix);
    this.ingest = new RedisIngestStore(client, prefix);
    this.replays = new RedisReplayStore(client, prefix);
    this.audience = new RedisAudienceStore(client, prefix);
    this.captions = new RedisCaptionStore(client, prefix);
    this.appointments = new RedisAppointmentStore(client, prefix);
    // What belongs to an event, in every sub-store, goes with it.
    this.programme = new RedisProgrammeStore(client, prefix, [
      this.chat,
      this.questions,
      this.moderation,
      this.polls,
      this.reactions,
      this.accounts,
      this.registrations,
      this.ingest,
      this.replays,
      this.audience,
      this.captions,
      this.appointments,
    ]);
    this.audit = new RedisAuditStore(client, prefix);
    this.meta = new RedisMetaStore(client, prefix);
  }

  async clearAll(): Promise<void> {
    // SCAN rather than KEYS so a large database is not blocked. What survives is the same as in SQLite.
    const pattern = `${escapeGlob(this.prefix)}*`;
    let cursor = '0';
    do {
      const [next, found] = await io(() => this.client.scan(cursor, 'MATCH', pattern, 'COUNT', 500));
      cursor = next;
      const doomed = found.filter((key) => !survivesReset(key.slice(this.prefix.length)));
      if (doomed.length) await io(() => this.client.unlink(...doomed));
    } while (cursor !== '0');
    // After the registrations, so that an email written meanwhile about one of them goes too.
    await this.outbox.resetUnsent();
  }

  async ping(): Promise<void> {
    await io(() => this.client.ping());
  }

  async close(): Promise<void> {
    if (!this.ownsClient || this.client.status === 'end') return;
    try {
      await this.client.quit();
    } catch {
      // Down or hung: nothing to say goodbye to, but the reconnect loop must stop.
      this.client.disconnect();
    }
  }
}

/** The prefix is data, not a pattern: `a*` must not clear `ab...`. */
function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}
