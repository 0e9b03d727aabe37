import { randomUUID } from 'node:crypto';
import type { Account, EventRole } from '#shared/domain/account';
import type { Event } from '#shared/domain/event';
import type { User } from '#shared/domain/user';
import type { ErrorBody } from '#shared/protocol/errors';
import { hashPassword } from '../modules/access/password';
import type { AccountRecord } from '../store/account-store';
import type { Store } from '../store/store';

/** What an API call answered: status, parsed JSON body (null when none), headers. */
export interface ApiAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface ApiOptions {
  token?: string | undefined;
  body?: unknown;
  /** Raw Cookie header, e.g. `parvis_refresh=…`. */
  cookie?: string | undefined;
  headers?: Record<string, string>;
}

/** One HTTP call to the API, the way a client makes it: JSON in, JSON out, a Bearer token when given. */
export async function api<T = any>(base: string, method: string, path: string, options: ApiOptions = {}): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.cookie = options.cookie;
  const res = await fetch(base + path, {
    method,
    headers,
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

export type ErrorAnswer = ApiAnswer<{ error: ErrorBody }>;

/** The `parvis_refresh=<value>` pair of a Set-Cookie answer, ready to send back as a Cookie header. */
export function refreshCookie(answer: ApiAnswer): string | undefined {
  const line = answer.headers.getSetCookie().find((c) => c.startsWith('parvis_refresh='));
  const pair = line?.split(';')[0];
  return pair && pair !== 'parvis_refresh=' ? pair : undefined;
}

/** Writes a staff account straight into the store (the way `npm run admin:create` does). */
export async function createAccount(
  store: Store,
  options: { email: string; password: string; displayName?: string; isAdmin?: boolean },
): Promise<AccountRecord> {
  const account: AccountRecord = {
    id: `acct_${randomUUID()}`,
    email: options.email.toLowerCase(),
    displayName: options.displayName ?? options.email.split('@')[0]!,
    passwordHash: await hashPassword(options.password),
    isAdmin: options.isAdmin ?? false,
    createdAt: new Date().toISOString(),
  };
  if (!(await store.accounts.createAccount(account))) throw new Error(`account ${options.email} exists`);
  return account;
}

export interface SignedIn {
  token: string;
  user: User;
  account: Account;
  cookie: string;
}

export async function login(base: string, email: string, password: string): Promise<SignedIn> {
  const res = await api(base, 'POST', '/api/auth/login', { body: { email, password } });
  if (res.status !== 200) throw new Error(`login of ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...res.body, cookie: refreshCookie(res)! };
}

export async function grant(store: Store, eventId: string, account: AccountRecord, role: EventRole): Promise<void> {
  await store.accounts.grantRole({ eventId, userId: account.id, displayName: account.displayName, role, grantedAt: new Date().toISOString() });
}

/** A scheduled event starting in an hour, with a stream and a replay, for tests that need an event of their own. */
export function testEvent(id: string, overrides: Partial<Event> = {}): Event {
  const start = Date.now() + 3_600_000;
  return {
    id,
    kind: 'lecture',
    title: `Test event ${id}`,
    summary: '',
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(start + 3_600_000).toISOString(),
    timezone: 'Europe/Paris',
    status: 'scheduled',
    access: 'open',
    speakers: [],
    language: 'fr',
    streamUrl: `/media/live/${id}/master.m3u8`,
    replayUrl: `/media/${id}/master.m3u8`,
    ...overrides,
  };
}
