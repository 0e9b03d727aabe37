import type { Event } from '#shared/domain/event';
import type { Config } from '../config';
import { startTestServer, type TestServer } from './harness';
import { ManualClock } from './manual-clock';
import { startRedisServer, type RedisServer } from './redis-server';
import { api, createAccount, login, type ApiAnswer } from './staff';

export type StoreKind = 'sqlite' | 'redis';

/** A real server for sign-up tests: its own clock that the test moves, a scheduler it runs by hand, an admin. */
export interface SignUpWorld {
  server: TestServer;
  clock: ManualClock;
  /** The admin's access token. */
  admin: string;
  /** Another process of the same deployment (same store), for tests of what two processes do at once. */
  startSibling(): Promise<TestServer>;
  stop(): Promise<void>;
}

const ADMIN = { email: 'bibliothecaire@example.org', password: 'admin-password-1', displayName: 'Bibliothécaire' };
export const JWT_SECRET = 'sign-up-tests-secret-0123456789-abcdefghij';

/** Starts the server on SQLite or on a redis-server of its own, with the clock standing at the real time. */
export async function startSignUpWorld(kind: StoreKind, overrides: Partial<Config> = {}): Promise<SignUpWorld> {
  const clock = new ManualClock();
  const redis: RedisServer | undefined = kind === 'redis' ? await startRedisServer() : undefined;
  const config: Partial<Config> = { jwtSecret: JWT_SECRET, ...(redis && { redisUrl: redis.url }), ...overrides };
  const server = await startTestServer(config, undefined, { clock, schedulerTimer: false });
  await createAccount(server.store, { ...ADMIN, isAdmin: true });
  const { token } = await login(server.url, ADMIN.email, ADMIN.password);
  const siblings: TestServer[] = [];
  return {
    server,
    clock,
    admin: token,
    async startSibling() {
      // The same data: the same Redis, or the same SQLite file (a second connection, as a second process has).
      const sibling = await startTestServer({ ...config, ...(kind === 'sqlite' && { dataDir: server.dataDir }) }, undefined, {
        clock,
        schedulerTimer: false,
      });
      siblings.push(sibling);
      return sibling;
    },
    async stop() {
      for (const sibling of siblings) await sibling.stop();
      await server.stop();
      await redis?.stop();
    },
  };
}

export const HOUR = 3_600_000;
export const MINUTE = 60_000;

let events = 0;

/**
 * A registration event made by the admin through the API, starting `startsIn` ms after the test clock's now (3 days
 * by default), one hour long.
 */
export async function createRegistrationEvent(
  world: SignUpWorld,
  fields: Record<string, unknown> & { startsIn?: number } = {},
): Promise<Event> {
  const { startsIn = 72 * HOUR, ...rest } = fields;
  const start = world.clock.now().getTime() + startsIn;
  const res = await api(world.server.url, 'POST', '/api/events', {
    token: world.admin,
    body: {
      id: `atelier-test-${++events}`,
      kind: 'workshop',
      title: 'Atelier de test',
      startsAt: new Date(start).toISOString(),
      endsAt: new Date(start + HOUR).toISOString(),
      access: 'registration',
      capacity: 2,
      ...rest,
    },
  });
  if (res.status !== 201) throw new Error(`could not create the event: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.event as Event;
}

export interface Person {
  name: string;
  email: string;
  language?: 'fr' | 'en';
  answers?: Record<string, string>;
}

let people = 0;
/** A new person, with an address of their own. */
export const person = (name = 'Personne'): Person => ({ name, email: `personne-${++people}-${Date.now()}@example.org` });

export function signUp(url: string, eventId: string, who: Person, headers?: Record<string, string>): Promise<ApiAnswer> {
  return api(url, 'POST', `/api/events/${eventId}/registrations`, {
    body: { language: 'fr', consent: true, ...who },
    ...(headers && { headers }),
  });
}

/** The personal link's token of a person, as their emails carry it. */
export async function tokenOf(server: TestServer, email: string): Promise<string> {
  const found = await server.store.registrations.getPersonByEmail(email.toLowerCase());
  if (!found) throw new Error(`nobody signed up as ${email}`);
  return server.links.token(found);
}

/** A call of the personal page's API, with `Authorization: Person <token>`. */
export function asPerson(url: string, token: string, method: string, path: string, body?: unknown): Promise<ApiAnswer> {
  return api(url, method, path, { headers: { authorization: `Person ${token}` }, ...(body !== undefined && { body }) });
}
