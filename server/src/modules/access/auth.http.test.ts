import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectViewer, eventually, startTestServer, type TestServer } from '../../test/harness';
import { spawnParvis } from '../../test/process';
import { api, createAccount, grant, login, refreshCookie, testEvent } from '../../test/staff';

const PASSWORD = 'correct horse battery staple';
const servers: TestServer[] = [];

async function server(overrides: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const s = await startTestServer(overrides);
  servers.push(s);
  return s;
}

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

describe('signing in', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await server({ publicOrigin: 'https://parvis.example' });
    await createAccount(s.store, { email: 'claire@example.org', password: PASSWORD, displayName: 'Claire' });
  });

  it('answers a token, the person and the account, and sets an HttpOnly refresh cookie for /api/auth only', async () => {
    const res = await api(s.url, 'POST', '/api/auth/login', { body: { email: 'Claire@Example.org', password: PASSWORD } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      token: expect.any(String),
      user: { displayName: 'Claire', role: 'staff' },
      account: { email: 'claire@example.org', displayName: 'Claire', isAdmin: false },
    });
    expect(res.body.account.passwordHash).toBeUndefined();
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('parvis_refresh='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/api\/auth(;|$)/);
    expect(cookie).toMatch(/Secure/); // PUBLIC_ORIGIN is https
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('issues access tokens that expire in 15 minutes', async () => {
    const { token } = await login(s.url, 'claire@example.org', PASSWORD);
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    expect(claims.exp - claims.iat).toBe(15 * 60);
    expect(claims).toMatchObject({ role: 'staff', iss: 'parvis', aud: 'parvis', jti: expect.any(String) });
  });

  it('refuses a wrong password and an unknown email with the same answer', async () => {
    const wrong = await api(s.url, 'POST', '/api/auth/login', { body: { email: 'claire@example.org', password: 'nope-nope-nope' } });
    const unknown = await api(s.url, 'POST', '/api/auth/login', { body: { email: 'nobody@example.org', password: 'nope-nope-nope' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('lists the roles of the signed-in person in GET /api/auth/me', async () => {
    const account = await createAccount(s.store, { email: 'mod@example.org', password: PASSWORD });
    await s.store.programme.saveProgramme([], [testEvent('me-roles')]);
    await grant(s.store, 'me-roles', account, 'moderator');
    const { token } = await login(s.url, 'mod@example.org', PASSWORD);
    const me = await api(s.url, 'GET', '/api/auth/me', { token });
    expect(me.status).toBe(200);
    expect(me.body.roles).toEqual([expect.objectContaining({ eventId: 'me-roles', role: 'moderator', userId: account.id })]);
  });
});

describe('brute force', () => {
  const attempt = (s: TestServer, password: string, forwardedFor: string) =>
    api(s.url, 'POST', '/api/auth/login', {
      body: { email: 'target@example.org', password },
      headers: { 'x-forwarded-for': forwardedFor },
    });

  it('answers 429 with Retry-After after 5 failures, however X-Forwarded-For is spoofed when no proxy is trusted', async () => {
    const s = await server();
    await createAccount(s.store, { email: 'target@example.org', password: PASSWORD });
    await createAccount(s.store, { email: 'other@example.org', password: PASSWORD });
    for (let i = 1; i <= 5; i++) {
      expect((await attempt(s, 'wrong-password', `198.51.100.${i}`)).status).toBe(401);
    }
    // Even the right password, from yet another claimed address, waits.
    const limited = await attempt(s, PASSWORD, '198.51.100.99');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(limited.body.error.retryAfterMs).toBeGreaterThan(0);
    // Another account from the same address is not locked out.
    expect((await login(s.url, 'other@example.org', PASSWORD)).user.role).toBe('staff');
  });

  it('counts each forwarded address apart when the proxy is trusted', async () => {
    const s = await server({ trustProxy: 'loopback' });
    await createAccount(s.store, { email: 'target@example.org', password: PASSWORD });
    for (let i = 0; i < 5; i++) expect((await attempt(s, 'wrong-password', '203.0.113.7')).status).toBe(401);
    expect((await attempt(s, PASSWORD, '203.0.113.7')).status).toBe(429);
    expect((await attempt(s, PASSWORD, '203.0.113.8')).status).toBe(200);
  });

  it('starts the count again after a successful sign-in', async () => {
    const s = await server();
    await createAccount(s.store, { email: 'target@example.org', password: PASSWORD });
    for (let i = 0; i < 4; i++) expect((await attempt(s, 'wrong-password', 'x')).status).toBe(401);
    expect((await attempt(s, PASSWORD, 'x')).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await attempt(s, 'wrong-password', 'x')).status).toBe(401);
    expect((await attempt(s, PASSWORD, 'x')).status).toBe(200);
  });
});

describe('refresh sessions', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await server();
    await createAccount(s.store, { email: 'rita@example.org', password: PASSWORD, displayName: 'Rita' });
  });

  const refresh = (cookie: string | undefined) => api(s.url, 'POST', '/api/auth/refresh', { cookie });

  it('swaps the refresh cookie for a new token and a new cookie, and refuses the old cookie afterwards', async () => {
    const { cookie: first } = await login(s.url, 'rita@example.org', PASSWORD);
    const renewed = await refresh(first);
    expect(renewed.status).toBe(200);
    expect(renewed.body).toMatchObject({ user: { displayName: 'Rita' }, account: { email: 'rita@example.org' } });
    const second = refreshCookie(renewed)!;
    expect(second).not.toBe(first);
    expect((await api(s.url, 'GET', '/api/auth/me', { token: renewed.body.token })).status).toBe(200);

    const replayed = await refresh(first);
    expect(replayed.status).toBe(401);
    // An old cookie presented again means it was copied: the session ends for its holder too.
    expect((await refresh(second)).status).toBe(401);
  });

  it('refuses a request without a cookie, and a made-up one', async () => {
    expect((await refresh(undefined)).status).toBe(401);
    expect((await refresh(`parvis_refresh=${crypto.randomUUID()}.${'A'.repeat(43)}`)).status).toBe(401);
  });

  it('signs out: the token is refused at once at HTTP and at the handshake, the cookie is cleared and dead', async () => {
    const { token, cookie } = await login(s.url, 'rita@example.org', PASSWORD);
    const socket = await connectViewer(s.url, token);
    const reasons: string[] = [];
    socket.on('auth:revoked', ({ reason }) => reasons.push(reason));
    socket.on('disconnect', (reason) => reasons.push(reason));

    const out = await api(s.url, 'POST', '/api/auth/logout', { token, cookie });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().join()).toMatch(/parvis_refresh=;.*Expires=Thu, 01 Jan 1970/);

    expect((await api(s.url, 'GET', '/api/auth/me', { token })).status).toBe(401);
    await expect(connectViewer(s.url, token)).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
    expect((await refresh(cookie)).status).toBe(401);
    await eventually(() => reasons.includes('io server disconnect'), 5000, 'the socket to be dropped');
    expect(reasons).toEqual(['signed-out', 'io server disconnect']);
  });

  it('signs out even with a token that no longer verifies', async () => {
    const { cookie } = await login(s.url, 'rita@example.org', PASSWORD);
    const out = await api(s.url, 'POST', '/api/auth/logout', { token: 'expired.or.garbage', cookie });
    expect(out.status).toBe(204);
    expect((await refresh(cookie)).status).toBe(401);
  });
});

describe('changing one’s password', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await server();
    await createAccount(s.store, { email: 'paul@example.org', password: PASSWORD, displayName: 'Paul' });
  });

  const change = (token: string | undefined, body: unknown) => api(s.url, 'POST', '/api/auth/password', { token, body });

  it('is refused to anonymous people, to guests, and with a wrong current password (named as the field)', async () => {
    expect((await change(undefined, { currentPassword: PASSWORD, newPassword: 'another-long-one' })).status).toBe(401);
    const guest = (await api(s.url, 'POST', '/api/auth/guest', { body: { displayName: 'Gus' } })).body.token;
    expect((await change(guest, { currentPassword: PASSWORD, newPassword: 'another-long-one' })).status).toBe(403);
    const { token } = await login(s.url, 'paul@example.org', PASSWORD);
    const wrong = await change(token, { currentPassword: 'not-it-at-all', newPassword: 'another-long-one' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'INVALID_PAYLOAD', fields: { currentPassword: 'is not correct' } });
    const short = await change(token, { currentPassword: PASSWORD, newPassword: 'short' });
    expect(short.body.error.fields).toEqual({ newPassword: 'must be at least 10 characters' });
  });

  it('signs out every other session and token, and keeps the caller signed in', async () => {
    const other = await login(s.url, 'paul@example.org', PASSWORD);
    const otherSocket = await connectViewer(s.url, other.token);
    const me = await login(s.url, 'paul@example.org', PASSWORD);

    const res = await change(me.token, { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token: expect.any(String), user: { displayName: 'Paul' } });
    const newCookie = refreshCookie(res)!;

    expect((await api(s.url, 'GET', '/api/auth/me', { token: res.body.token })).status).toBe(200);
    expect((await api(s.url, 'GET', '/api/auth/me', { token: other.token })).status).toBe(401);
    expect((await api(s.url, 'GET', '/api/auth/me', { token: me.token })).status).toBe(401);
    expect((await api(s.url, 'POST', '/api/auth/refresh', { cookie: other.cookie })).status).toBe(401);
    expect((await api(s.url, 'POST', '/api/auth/refresh', { cookie: newCookie })).status).toBe(200);
    await eventually(() => otherSocket.disconnected, 5000, 'the other device’s socket to drop');

    await expect(login(s.url, 'paul@example.org', PASSWORD)).rejects.toThrow(/401/);
    expect((await login(s.url, 'paul@example.org', 'a brand new passphrase')).user.displayName).toBe('Paul');
  });
});

describe('the first admin', () => {
  it('is created once through the setup link the server logs while there is no admin', async () => {
    const s = await server({ publicOrigin: 'https://parvis.example' });
    expect(s.setupUrl).toMatch(/^https:\/\/parvis\.example\/admin\/setup#[A-Za-z0-9_-]{43}$/);
    const token = s.setupUrl!.split('#')[1]!;
    const body = { token, email: 'first@example.org', password: PASSWORD, displayName: 'Première' };
    expect((await api(s.url, 'GET', '/api/auth/setup')).body).toEqual({ open: true });

    const forged = await api(s.url, 'POST', '/api/auth/setup', { body: { ...body, token: 'A'.repeat(43) } });
    expect(forged.status).toBe(401);
    const invalid = await api(s.url, 'POST', '/api/auth/setup', { body: { ...body, email: 'not-an-email' } });
    expect(invalid.body.error.fields).toEqual({ email: 'must be an email address' });

    const done = await api(s.url, 'POST', '/api/auth/setup', { body });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ user: { role: 'admin', displayName: 'Première' }, account: { isAdmin: true } });
    expect(refreshCookie(done)).toBeDefined();

    const again = await api(s.url, 'POST', '/api/auth/setup', { body: { ...body, email: 'second@example.org' } });
    expect(again.status).toBe(409);
    // The setup page asks this first, and says at once that the link has been used.
    expect((await api(s.url, 'GET', '/api/auth/setup')).body).toEqual({ open: false });
    const audit = await api(s.url, 'GET', '/api/audit', { token: done.body.token });
    expect(audit.body.entries[0]).toMatchObject({ action: 'admin.setup', actor: { displayName: 'Première' } });

    // Restarted on the same data, the server has an admin and logs no link.
    const restarted = await server({ dataDir: s.dataDir });
    expect(restarted.setupUrl).toBeUndefined();
  });

  it('prints the setup link as a plain line of its own when `npm start` runs on a fresh install', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parvis-setup-line-'));
    const parvis = await spawnParvis({ DATA_DIR: dataDir, PUBLIC_ORIGIN: 'https://parvis.example' });
    try {
      const link = /^ {2}https:\/\/parvis\.example\/admin\/setup#[A-Za-z0-9_-]{43}$/m;
      await eventually(() => link.test(parvis.output()), 10_000, 'the setup link');
      // Not inside a JSON log line: the line is the link and nothing else, as a person copies it.
      const line = parvis.output().split('\n').find((l) => l.includes('/admin/setup#'))!;
      expect(line.trim().startsWith('http')).toBe(true);
      expect(parvis.output()).toContain('npm run admin:create` with the same DATA_DIR');
    } finally {
      await parvis.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
