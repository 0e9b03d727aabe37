import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Invite } from '#shared/domain/account';
import type { Event } from '#shared/domain/event';
import type { JoinResult } from '#shared/protocol/events';
import {
  connectViewer,
  eventually,
  guestToken,
  ok,
  request,
  startTestServer,
  type TestClient,
  type TestServer,
} from '../../test/harness';
import { api, createAccount, login, refreshCookie, testEvent } from '../../test/staff';
import { TokenService } from '../access/token.service';

const SECRET = 'invites-test-secret-0123456789-0123456789';
const PUBLIC_ORIGIN = 'https://parvis.example';
const PRIVATE = 'private-masterclass';
const STREAM = '/media/live/demo/master.m3u8';

let server: TestServer;
let admin: string;
const sockets: TestClient[] = [];

beforeAll(async () => {
  server = await startTestServer({ jwtSecret: SECRET, publicOrigin: PUBLIC_ORIGIN });
  await createAccount(server.store, { email: 'admin@example.org', password: 'admin-password-1', displayName: 'Adèle', isAdmin: true });
  admin = (await login(server.url, 'admin@example.org', 'admin-password-1')).token;
  await server.store.programme.saveProgramme([], [testEvent(PRIVATE, { access: 'invite', status: 'live', streamUrl: STREAM })]);
});
afterEach(() => {
  while (sockets.length) sockets.pop()!.close();
});
afterAll(async () => {
  await server?.stop();
});

const call = (method: string, path: string, options: { token?: string | undefined; body?: unknown } = {}) =>
  api(server.url, method, path, options);

async function socket(token?: string): Promise<TestClient> {
  const s = await connectViewer(server.url, token);
  sockets.push(s);
  return s;
}

/** An invite link made by the admin; answers the token from its fragment. */
async function invite(role: 'moderator' | 'speaker', eventId = PRIVATE): Promise<{ token: string; invite: Invite; url: string }> {
  const res = await call('POST', `/api/events/${eventId}/invites`, { token: admin, body: { role } });
  expect(res.status).toBe(201);
  return { ...res.body, token: res.body.url.split('#')[1] };
}

const accept = (token: string, displayName?: string, bearer?: string) =>
  call('POST', '/api/invites/accept', { token: bearer, body: { token, ...(displayName && { displayName }) } });

/** The invite-only event as this person is served it by its link (the public programme does not list it). */
const eventIn = async (token?: string): Promise<Event> => (await call('GET', `/api/events/${PRIVATE}`, { token })).body.event as Event;

describe('an invitation to moderate', () => {
  it('makes a link to the public origin that carries its token in the fragment, valid for 7 days', async () => {
    const { url, invite: made } = await invite('moderator');
    expect(url).toMatch(new RegExp(`^${PUBLIC_ORIGIN}/invite#[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));
    expect(made).toMatchObject({ eventId: PRIVATE, role: 'moderator', revokedAt: null, usedBy: null });
    const days = (Date.parse(made.expiresAt) - Date.parse(made.createdAt)) / 86_400_000;
    expect(days).toBe(7);
  });

  it('tells what it invites to before anyone accepts it', async () => {
    const { token, invite: made } = await invite('speaker');
    const res = await call('POST', '/api/invites/inspect', { body: { token } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ eventId: PRIVATE, eventTitle: `Test event ${PRIVATE}`, role: 'speaker', expiresAt: made.expiresAt });
  });

  it('works once for someone with no account, who then moderates the invite-only event', async () => {
    const { token } = await invite('moderator');
    const res = await accept(token, 'Mona');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      token: expect.any(String),
      user: { displayName: 'Mona', role: 'staff' },
      account: { email: null, displayName: 'Mona', isAdmin: false },
      eventId: PRIVATE,
      role: 'moderator',
    });
    expect(refreshCookie(res)).toBeDefined();

    const mona = await socket(res.body.token);
    const joined = await ok(request<JoinResult>(mona, 'event:join', { eventId: PRIVATE }));
    expect(joined.role).toBe('moderator');
    expect(joined.event.streamUrl).toBe(STREAM);
    const sent = await ok(request<{ message: { author: { role: string } } }>(mona, 'chat:send', { eventId: PRIVATE, text: 'Bienvenue', clientId: 'm1' }));
    expect(sent.message.author).toMatchObject({ displayName: 'Mona', role: 'moderator' });

    const again = await accept(token, 'Mallory');
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'CONFLICT', message: 'This invitation has already been used' });
    expect((await call('POST', '/api/invites/inspect', { body: { token } })).status).toBe(409);

    const roles = (await call('GET', `/api/events/${PRIVATE}/roles`, { token: admin })).body.roles;
    expect(roles).toContainEqual(expect.objectContaining({ userId: res.body.user.id, displayName: 'Mona', role: 'moderator' }));
  });

  it('gives the role to the signed-in staff member who accepts it, without a new account', async () => {
    const claire = await createAccount(server.store, { email: 'claire@example.org', password: 'claire-password-1', displayName: 'Claire' });
    const { token: bearer } = await login(server.url, 'claire@example.org', 'claire-password-1');
    const { token } = await invite('speaker');
    const res = await accept(token, undefined, bearer);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ account: { id: claire.id, email: 'claire@example.org' }, role: 'speaker' });
    expect(await server.store.accounts.roleIn(PRIVATE, claire.id)).toBe('speaker');
  });

  it('lets exactly one of two people opening the same link at once in', async () => {
    const { token } = await invite('speaker');
    const answers = await Promise.all([accept(token, 'Un'), accept(token, 'Deux')]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
  });

  it('needs a display name from someone without an account', async () => {
    const { token } = await invite('speaker');
    const res = await accept(token);
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({ displayName: 'must not be empty' });
  });
});

describe('an invitation that no longer works', () => {
  it('is refused once revoked', async () => {
    const { token, invite: made } = await invite('moderator');
    expect((await call('DELETE', `/api/invites/${made.id}`, { token: admin })).status).toBe(204);
    const res = await accept(token, 'Late');
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe('This invitation has been revoked');
    const listed = (await call('GET', `/api/events/${PRIVATE}/invites`, { token: admin })).body.invites as Invite[];
    expect(listed.find((i) => i.id === made.id)?.revokedAt).not.toBeNull();
  });

  it('is refused once expired, whether the link or the stored invitation says so', async () => {
    const tokens = new TokenService(SECRET);
    const past = new Date(Date.now() - 60_000);
    const stale: Invite = {
      id: randomUUID(),
      eventId: PRIVATE,
      role: 'moderator',
      createdBy: 'someone',
      createdAt: new Date(Date.now() - 8 * 86_400_000).toISOString(),
      expiresAt: past.toISOString(),
      revokedAt: null,
      usedBy: null,
      usedAt: null,
    };
    await server.store.accounts.createInvite(stale);
    for (const link of [tokens.signInvite(stale.id, past), tokens.signInvite(stale.id, new Date(Date.now() + 60_000))]) {
      const res = await accept(link, 'Late');
      expect(res.status).toBe(409);
      expect(res.body.error.message).toBe('This invitation has expired');
    }
  });

  it('is NOT_FOUND when the link is not one of ours, or is an access token', async () => {
    expect((await accept('garbage', 'X')).status).toBe(404);
    expect((await accept(admin, 'X')).status).toBe(404);
    const forged = new TokenService('another-secret-another-secret-another-secret').signInvite(randomUUID(), new Date(Date.now() + 60_000));
    expect((await call('POST', '/api/invites/inspect', { body: { token: forged } })).status).toBe(404);
  });
});

describe('an invite-only event', () => {
  it('refuses guests and anonymous viewers in its room, with a clear message', async () => {
    for (const token of [await guestToken(server.url, 'Gus'), undefined]) {
      const s = await socket(token);
      expect(await request(s, 'event:join', { eventId: PRIVATE })).toEqual({
        ok: false,
        error: { code: 'FORBIDDEN', message: 'This event is for invited people only' },
      });
    }
  });

  it('shows its stream to its staff and admins only', async () => {
    const { token } = await invite('speaker');
    const speaker = (await accept(token, 'Sam')).body.token;
    const guest = await guestToken(server.url, 'Gus');
    const staffWithoutRole = (await accept((await invite('speaker', 'rencontre-bd-marie-lenoir')).token, 'Other')).body.token;

    expect((await eventIn(speaker)).streamUrl).toBe(STREAM);
    expect((await eventIn(admin)).streamUrl).toBe(STREAM);
    for (const token of [guest, staffWithoutRole, undefined]) {
      const seen = await eventIn(token);
      expect(seen).toMatchObject({ id: PRIVATE, access: 'invite' });
      expect(seen).not.toHaveProperty('streamUrl');
      expect(seen).not.toHaveProperty('replayUrl');
    }
    const listed = (await call('GET', '/api/events?include=unlisted', { token: admin })).body.events as Event[];
    expect(listed.find((e) => e.id === PRIVATE)?.streamUrl).toBe(STREAM);
  });
});

describe('taking a role back', () => {
  it('disconnects the moderator within 5 s and refuses their moderator actions from then on', async () => {
    const { token } = await invite('moderator');
    const accepted = (await accept(token, 'Temporaire')).body;
    const mod = await socket(accepted.token);
    expect((await ok(request<JoinResult>(mod, 'event:join', { eventId: PRIVATE }))).role).toBe('moderator');
    expect((await call('POST', `/api/events/${PRIVATE}/status`, { token: accepted.token, body: { status: 'live' } })).status).toBe(200);
    const told: string[] = [];
    mod.on('auth:revoked', ({ reason }) => told.push(reason));

    const revoked = await call('DELETE', `/api/events/${PRIVATE}/roles/${accepted.user.id}`, { token: admin });
    expect(revoked.status).toBe(204);
    await eventually(() => mod.disconnected, 5000, 'the moderator’s socket to be dropped');
    expect(told).toEqual(['role-revoked']);

    const status = await call('POST', `/api/events/${PRIVATE}/status`, { token: accepted.token, body: { status: 'ended' } });
    expect(status.status).toBe(403);
    const back = await socket(accepted.token);
    expect(await request(back, 'event:join', { eventId: PRIVATE })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await request(back, 'chat:send', { eventId: PRIVATE, text: 'encore ?', clientId: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect((await call('DELETE', `/api/events/${PRIVATE}/roles/${accepted.user.id}`, { token: admin })).status).toBe(404);
    const audit = (await call('GET', '/api/audit?limit=1', { token: admin })).body.entries[0];
    expect(audit).toMatchObject({ action: 'role.revoke', target: `event:${PRIVATE}`, details: { userId: accepted.user.id, displayName: 'Temporaire', role: 'moderator' } });
  });
});
