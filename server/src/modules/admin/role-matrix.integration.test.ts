import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Invite } from '#shared/domain/account';
import type { Event, Series } from '#shared/domain/event';
import type { Ack } from '#shared/protocol/ack';
import type { JoinResult } from '#shared/protocol/events';
import { connectViewer, guestToken, request, startTestServer, type TestClient, type TestServer } from '../../test/harness';
import { startRedisServer, type RedisServer } from '../../test/redis-server';
import { api, createAccount, grant, login, testEvent, type ApiAnswer } from '../../test/staff';
import type { AccountRecord } from '../../store/account-store';
import type { Store } from '../../store/store';

/**
 * Who may do what, exhaustively: every role × every mutating HTTP route and socket event × the resources of events
 * A and B. A refused pair answers FORBIDDEN (UNAUTHENTICATED for someone without a token) and leaves the store exactly
 * as it was; an allowed pair works. Both events are invite-only, so joining and chatting are guarded too. The whole
 * matrix runs on SQLite and on a real redis-server.
 */

const ROLES = ['anonymous', 'guest', 'speaker of A', 'moderator of A', 'moderator of B', 'admin'] as const;
type Who = (typeof ROLES)[number];
type Target = 'A' | 'B';
const EVENT: Record<Target, string> = { A: 'matrix-a', B: 'matrix-b' };
const SERIES_ID = 'matrix-series';
const PASSWORD = 'matrix-password-0123';

/** The staff of each event: who may run it (status) and who may enter it and chat. */
const moderatorOf: Partial<Record<Who, Target>> = { 'moderator of A': 'A', 'moderator of B': 'B' };
const staffOf: Partial<Record<Who, Target>> = { ...moderatorOf, 'speaker of A': 'A' };

interface Outcome {
  ok: boolean;
  /** The error code when refused. */
  code?: string;
  /** What the allowed call answered, for a check that it did what it says. */
  answer?: unknown;
}

interface Fixture {
  server: TestServer;
  tokens: Record<Who, string | undefined>;
  accounts: Record<'speakerA' | 'modA' | 'modB' | 'admin', AccountRecord>;
  invites: Record<Target, Invite>;
  /** Per event, put back by every reset: a chat message, a held message and a draft poll to act on. */
  messages: Partial<Record<Target, string>>;
  held: Record<Target, string>;
  polls: Record<Target, string>;
}

interface Action {
  name: string;
  /** Acts on one event's resources, or on the programme as a whole. */
  scoped: boolean;
  allowed(who: Who, target: Target): boolean;
  run(f: Fixture, token: string | undefined, target: Target): Promise<Outcome>;
  /** Checks the effect of an allowed call. */
  check?(f: Fixture, outcome: Outcome, target: Target, who: Who): Promise<void> | void;
}

const adminOnly = (who: Who) => who === 'admin';

const http = async (f: Fixture, token: string | undefined, method: string, path: string, body?: unknown): Promise<Outcome> => {
  const res: ApiAnswer = await api(f.server.url, method, path, { token, body });
  return res.status < 300 ? { ok: true, answer: res.body } : { ok: false, code: res.body?.error?.code };
};

const socketCall = async (f: Fixture, token: string | undefined, event: string, payload: unknown): Promise<Outcome> => {
  const socket: TestClient = await connectViewer(f.server.url, token);
  try {
    const ack: Ack<unknown> = await request(socket, event, payload);
    return ack.ok ? { ok: true, answer: ack.data } : { ok: false, code: ack.error.code };
  } finally {
    socket.close();
  }
};

let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}`;

const ACTIONS: Action[] = [
  {
    name: 'POST /api/events',
    scoped: false,
    allowed: adminOnly,
    run: (f, token) => {
      const { id: _drop, status: _s, ...body } = testEvent(unique('matrix-new'));
      return http(f, token, 'POST', '/api/events', body);
    },
    check: (_f, o) => expect(o.answer).toMatchObject({ event: { status: 'scheduled' } }),
  },
  {
    name: 'PATCH /api/events/:id',
    scoped: true,
    allowed: adminOnly,
    run: (f, token, t) => http(f, token, 'PATCH', `/api/events/${EVENT[t]}`, { title: 'Renamed by the matrix' }),
    check: (_f, o) => expect(o.answer).toMatchObject({ event: { title: 'Renamed by the matrix' } }),
  },
  {
    name: 'PATCH /api/events/:id {status: cancelled}',
    scoped: true,
    allowed: adminOnly,
    run: (f, token, t) => http(f, token, 'PATCH', `/api/events/${EVENT[t]}`, { status: 'cancelled' }),
    check: (_f, o) => expect(o.answer).toMatchObject({ event: { status: 'cancelled' } }),
  },
  {
    name: 'DELETE /api/events/:id',
    scoped: true,
    allowed: adminOnly,
    run: (f, token, t) => http(f, token, 'DELETE', `/api/events/${EVENT[t]}`),
    check: async (f, _o, t) => expect(await f.server.store.programme.getEvent(EVENT[t])).toBeUndefined(),
  },
  {
    name: 'POST /api/events/:id/status',
    scoped: true,
    allowed: (who, t) => who === 'admin' || moderatorOf[who] === t,
    run: (f, token, t) => http(f, token, 'POST', `/api/events/${EVENT[t]}/status`, { status: 'live' }),
    check: (_f, o) => expect(o.answer).toMatchObject({ event: { status: 'live' } }),
  },
  {
    name: 'POST /api/events/:id/invites',
    scoped: true,
    allowed: adminOnly,
    run: (f, token, t) => http(f, token, 'POST', `/api/events/${EVENT[t]}/invites`, { role: 'speaker' }),
    check: (_f, o, t) => expect(o.answer).toMatchObject({ url: expect.stringContaining('/invite#'), invite: { eventId: EVENT[t] } }),
  },
  {
    name: 'DELETE /api/invites/:id',
    scoped: true,
    allowed: adminOnly,
    run: (f, token, t) => http(f, token, 'DELETE', `/api/invites/${f.invites[t].id}`),
    check: async (f, _o, t) => expect((await f.server.store.accounts.getInvite(f.invites[t].id))?.revokedAt).not.toBeNull(),
  },
  {
    name: 'DELETE /api/events/:id/roles/:userId',
    scoped: true,
    allowed: adminOnly,
    run: (f, token, t) => {
      const holder = t === 'A' ? f.accounts.speakerA : f.accounts.modB;
      return http(f, token, 'DELETE', `/api/events/${EVENT[t]}/roles/${holder.id}`);
    },
    check: async (f, _o, t) => {
      const holder = t === 'A' ? f.accounts.speakerA : f.accounts.modB;
      expect(await f.server.store.accounts.roleIn(EVENT[t], holder.id)).toBeUndefined();
    },
  },
  {
    name: 'POST /api/series',
    scoped: false,
    allowed: adminOnly,
    run: (f, token) => http(f, token, 'POST', '/api/series', { id: unique('matrix-series-new'), title: 'Nouvelle série' }),
  },
  {
    name: 'PATCH /api/series/:id',
    scoped: false,
    allowed: adminOnly,
    run: (f, token) => http(f, token, 'PATCH', `/api/series/${SERIES_ID}`, { title: 'Renommée' }),
    check: (_f, o) => expect(o.answer).toMatchObject({ series: { title: 'Renommée' } }),
  },
  {
    name: 'DELETE /api/series/:id',
    scoped: false,
    allowed: adminOnly,
    run: (f, token) => http(f, token, 'DELETE', `/api/series/${SERIES_ID}`),
  },
  {
    name: 'socket chat:send',
    scoped: true,
    allowed: (who, t) => who === 'admin' || staffOf[who] === t,
    run: (f, token, t) => socketCall(f, token, 'chat:send', { eventId: EVENT[t], text: 'bonjour', clientId: unique('c') }),
    check: (_f, o, _t, who) =>
      expect(o.answer).toMatchObject({
        message: { author: { role: who === 'admin' ? 'admin' : who.startsWith('speaker') ? 'speaker' : 'moderator' } },
      }),
  },
  {
    name: 'socket event:join (invite-only)',
    scoped: true,
    allowed: (who, t) => who === 'admin' || staffOf[who] === t,
    run: (f, token, t) => socketCall(f, token, 'event:join', { eventId: EVENT[t] }),
    check: (_f, o, t, who) => {
      const joined = o.answer as JoinResult;
      expect(joined.role).toBe(who === 'admin' ? 'admin' : who.startsWith('speaker') ? 'speaker' : 'moderator');
      expect(joined.event.streamUrl).toBe(testEvent(EVENT[t]).streamUrl);
    },
  },
];

const moderators = (who: Who, t: Target) => who === 'admin' || moderatorOf[who] === t;
/** A person without a role anywhere, whom the moderators sanction. */
const SANCTIONED = 'guest_matrix-target';

ACTIONS.push(
  {
    name: 'socket chat:delete',
    scoped: true,
    allowed: moderators,
    run: (f, token, t) => socketCall(f, token, 'chat:delete', { eventId: EVENT[t], messageId: f.messages[t] }),
    check: async (f, _o, t) => {
      const message = (await f.server.store.chat.tail(EVENT[t], 100)).find((m) => m.id === f.messages[t]);
      expect(message).toMatchObject({ text: '', deleted: true });
    },
  },
  {
    name: 'socket chat:review',
    scoped: true,
    allowed: moderators,
    run: (f, token, t) => socketCall(f, token, 'chat:review', { eventId: EVENT[t], heldId: f.held[t], approve: false }),
    check: async (f, o, t) => {
      expect(o.answer).toEqual({});
      expect(await f.server.store.moderation.listHeld(EVENT[t])).toEqual([]);
    },
  },
  {
    name: 'socket moderation:sanction',
    scoped: true,
    allowed: moderators,
    run: (f, token, t) => socketCall(f, token, 'moderation:sanction', { eventId: EVENT[t], userId: SANCTIONED, action: 'timeout', minutes: 5 }),
    check: (_f, o) => expect(o.answer).toMatchObject({ sanction: { kind: 'timeout', userId: SANCTIONED } }),
  },
  {
    name: 'socket room:configure',
    scoped: true,
    allowed: moderators,
    run: (f, token, t) => socketCall(f, token, 'room:configure', { eventId: EVENT[t], slowModeSeconds: 15, wordFilter: ['zut'] }),
    check: (_f, o) => expect(o.answer).toMatchObject({ settings: { slowModeSeconds: 15 }, wordFilter: ['zut'] }),
  },
  {
    name: 'socket backstage:note',
    scoped: true,
    allowed: moderators,
    run: (f, token, t) => socketCall(f, token, 'backstage:note', { eventId: EVENT[t], text: 'Plus que 5 minutes' }),
    check: (_f, o, t) => expect(o.answer).toMatchObject({ note: { eventId: EVENT[t], text: 'Plus que 5 minutes' } }),
  },
  {
    name: 'socket poll:create',
    scoped: true,
    allowed: moderators,
    run: (f, token, t) => socketCall(f, token, 'poll:create', { eventId: EVENT[t], question: 'Café ou thé ?', options: ['Café', 'Thé'] }),
    check: (_f, o, t) => expect(o.answer).toMatchObject({ poll: { eventId: EVENT[t], state: 'draft' } }),
  },
  {
    name: 'socket poll:control',
    scoped: true,
    allowed: moderators,
    run: (f, token, t) => socketCall(f, token, 'poll:control', { eventId: EVENT[t], pollId: f.polls[t], action: 'open' }),
    check: (f, o, t) => expect(o.answer).toMatchObject({ poll: { id: f.polls[t], state: 'open' } }),
  },
);

/** What an action must never change when it is refused. */
async function snapshot(store: Store) {
  const events = await store.programme.listEvents({});
  const ids = [EVENT.A, EVENT.B];
  return {
    events,
    series: await store.programme.listSeries(),
    roles: await Promise.all(ids.map((id) => store.accounts.listRoles(id))),
    invites: await Promise.all(ids.map((id) => store.accounts.listInvites(id))),
    audit: await store.audit.list({ limit: 10_000 }),
    chat: await Promise.all(ids.map((id) => store.chat.tail(id, 1000))),
    moderation: await Promise.all(
      ids.map(async (id) => ({
        settings: await store.moderation.getSettings(id),
        held: await store.moderation.listHeld(id),
        sanctions: await store.moderation.listSanctions(id, 0),
        backstage: await store.moderation.listBackstageNotes(id, 1000),
      })),
    ),
    polls: await Promise.all(ids.map((id) => store.polls.listPolls(id))),
  };
}

/** Puts events A and B, the series, the roles and the two invites back as they were at the start. */
async function reset(f: Fixture): Promise<void> {
  const { store } = f.server;
  const series: Series = { id: SERIES_ID, title: 'Série de la matrice', summary: '' };
  const events: Event[] = [EVENT.A, EVENT.B].map((id) => testEvent(id, { access: 'invite' }));
  await store.programme.saveProgramme([series], events);
  await grant(store, EVENT.A, f.accounts.speakerA, 'speaker');
  await grant(store, EVENT.A, f.accounts.modA, 'moderator');
  await grant(store, EVENT.B, f.accounts.modB, 'moderator');
  for (const invite of Object.values(f.invites)) await store.accounts.createInvite(invite);
  const now = new Date().toISOString();
  const gus = { id: 'guest_matrix-gus', displayName: 'Gus', role: 'guest' as const };
  for (const t of ['A', 'B'] as const) {
    const eventId = EVENT[t];
    await store.moderation.deleteEventData(eventId);
    // The event may have been deleted (and its chat with it) by the case just run.
    const chat = await store.chat.tail(eventId, 1000);
    if (!chat.some((m) => m.id === f.messages[t])) {
      f.messages[t] = (await store.chat.append({ eventId, author: gus, text: 'à modérer', clientId: unique('chat'), sentAt: now })).message.id;
    }
    const { held } = await store.moderation.holdMessage({
      eventId,
      author: gus,
      text: 'un gros mot',
      clientId: unique('held'),
      sentAt: now,
      matched: ['gros mot'],
    });
    f.held[t] = held.id;
    const poll = await store.polls.createPoll({
      eventId,
      question: 'Une question ?',
      options: [
        { id: 'yes', text: 'Oui' },
        { id: 'no', text: 'Non' },
      ],
      multiple: false,
      results: 'live',
      createdAt: now,
    });
    f.polls[t] = poll.id;
  }
}

function expectedRefusal(who: Who, action: Action): string {
  if (who !== 'anonymous') return 'FORBIDDEN';
  // Joining needs no token for open events: an invite-only one is simply closed to whoever is not invited.
  return action.name.includes('event:join') ? 'FORBIDDEN' : 'UNAUTHENTICATED';
}

const cases = ACTIONS.flatMap((action) =>
  (action.scoped ? (['A', 'B'] as Target[]) : (['A'] as Target[])).flatMap((target) =>
    ROLES.map((who) => ({ action, target, who, allowed: action.allowed(who, target) })),
  ),
);

describe.each(['sqlite', 'redis'] as const)('the role matrix on %s', (storeKind) => {
  let redis: RedisServer | undefined;
  const f = {} as Fixture;

  beforeAll(async () => {
    if (storeKind === 'redis') redis = await startRedisServer();
    f.server = await startTestServer(redis ? { redisUrl: redis.url } : {});
    const { store } = f.server;
    const make = (email: string, isAdmin = false) => createAccount(store, { email, password: PASSWORD, isAdmin });
    f.accounts = {
      speakerA: await make('speaker-a@example.org'),
      modA: await make('mod-a@example.org'),
      modB: await make('mod-b@example.org'),
      admin: await make('admin@example.org', true),
    };
    const now = new Date();
    const invite = (eventId: string): Invite => ({
      id: `matrix-invite-${eventId}`,
      eventId,
      role: 'moderator',
      createdBy: f.accounts.admin.id,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 86_400_000).toISOString(),
      revokedAt: null,
      usedBy: null,
      usedAt: null,
    });
    f.invites = { A: invite(EVENT.A), B: invite(EVENT.B) };
    f.messages = {};
    f.held = { A: '', B: '' };
    f.polls = { A: '', B: '' };
    await reset(f);
    const token = async (email: string) => (await login(f.server.url, email, PASSWORD)).token;
    f.tokens = {
      anonymous: undefined,
      guest: await guestToken(f.server.url, 'Gus'),
      'speaker of A': await token('speaker-a@example.org'),
      'moderator of A': await token('mod-a@example.org'),
      'moderator of B': await token('mod-b@example.org'),
      admin: await token('admin@example.org'),
    };
  });

  afterAll(async () => {
    await f.server?.stop();
    await redis?.stop();
  });

  it.each(cases)('$who × $action.name on $target', async ({ action, target, who, allowed }) => {
    const before = await snapshot(f.server.store);
    const outcome = await action.run(f, f.tokens[who], target);
    if (allowed) {
      expect(outcome, `${who} may ${action.name}`).toMatchObject({ ok: true });
      await action.check?.(f, outcome, target, who);
      await reset(f);
    } else {
      expect(outcome).toEqual({ ok: false, code: expectedRefusal(who, action) });
      expect(await snapshot(f.server.store)).toEqual(before);
    }
  });

  describe('POST /api/auth/password', () => {
    afterEach(async () => {
      await reset(f);
    });

    it.each(ROLES)('%s', async (who) => {
      const before = await snapshot(f.server.store);
      const res = await api(f.server.url, 'POST', '/api/auth/password', {
        token: f.tokens[who],
        body: { currentPassword: PASSWORD, newPassword: PASSWORD },
      });
      if (who === 'anonymous' || who === 'guest') {
        expect(res.body.error.code).toBe(who === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
        expect(await snapshot(f.server.store)).toEqual(before);
      } else {
        // Everyone with a password may change their own; the old token stops working and the new one works.
        expect(res.status).toBe(200);
        expect((await api(f.server.url, 'GET', '/api/auth/me', { token: f.tokens[who] })).status).toBe(401);
        f.tokens[who] = res.body.token;
        expect((await api(f.server.url, 'GET', '/api/auth/me', { token: f.tokens[who] })).status).toBe(200);
      }
    });
  });
});
