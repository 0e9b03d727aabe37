import { Redis, ReplyError, type ChainableCommander } from 'ioredis';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../../core/errors';

/*
 * What every Redis sub-store shares: how the store's connection behaves when Redis is down or hung, and how its
 * failures reach callers (UNAVAILABLE, as for a full disk in SQLite). The sub-stores are composed in redis-store.ts.
 */

/*
 * A Redis that is down must not hang requests. Once connected, the offline queue is off, so a call made while the
 * connection is down fails at once instead of waiting for a reconnect; commandTimeout bounds a call sent to a
 * server that stopped answering (hung, or a dead peer that sent no FIN). Unfulfilled commands are not resent after a
 * reconnect: their caller was already told UNAVAILABLE. Reconnection never stops, with backoff capped at 1 s, so
 * the process recovers by itself when Redis is back.
 */
const CLIENT_OPTIONS = {
  lazyConnect: true,
  enableOfflineQueue: false,
  commandTimeout: 2000,
  connectTimeout: 2000,
  maxRetriesPerRequest: 1,
  autoResendUnfulfilledCommands: false,
  retryStrategy: (attempt: number) => Math.min(50 * 2 ** attempt, 1000),
} as const;

/**
 * Opens the store's own connection with the options above, rejecting with UNAVAILABLE when Redis cannot be reached.
 * `onError` hears about each failed reconnect attempt (for the log); without it they are dropped, not printed.
 */
export async function connectStoreClient(url: string, onError: (err: Error) => void = () => {}): Promise<Redis> {
  const client = new Redis(url, CLIENT_OPTIONS);
  client.on('error', onError);
  try {
    await client.connect();
  } catch (err) {
    client.disconnect();
    throw unavailable(err);
  }
  return client;
}

/*
 * Server replies that mean "not now" rather than "wrong command": loading the dataset after a restart, a script
 * running too long, a replica without its master, a failed disk write.
 */
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|MISCONF|READONLY|TRYAGAIN|CLUSTERDOWN|NOREPLICAS)\b/;

/** The error to give callers: UNAVAILABLE for a lost, hung or busy server; a reply error of the command itself as it is. */
export function unavailable(err: unknown): unknown {
  if (err instanceof ReplyError && !TRANSIENT_REPLY.test((err as Error).message)) return err;
  const mapped = new DomainError(ErrorCode.UNAVAILABLE, 'The store is unavailable for a moment: try again');
  mapped.cause = err;
  return mapped;
}

/** Runs one round trip, turning a lost or hung connection into UNAVAILABLE. Every call of a sub-store goes through it. */
export async function io<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err) {
    throw unavailable(err);
  }
}

/** Runs a MULTI or a pipeline and answers its replies, failing (as UNAVAILABLE when Redis is at fault) if one failed. */
export async function exec(batch: ChainableCommander): Promise<unknown[]> {
  const results = await io(() => batch.exec());
  const failed = results?.find(([err]) => err);
  if (!results || failed) throw unavailable(failed?.[0] ?? new Error('The transaction was discarded'));
  return results.map(([, value]) => value);
}

/**
 * What a Redis sub-store does when an event is deleted: removes its keys of that event. (The demo reset needs no
 * part: redis-store.ts deletes every key under the prefix but those of people and meta.)
 */
export interface RedisEventData {
  deleteEventData(eventId: string): Promise<void>;
}
