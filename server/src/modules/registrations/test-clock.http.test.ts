import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MyRegistrations } from '#shared/domain/registration';
import { loadConfig } from '../../config';
import { startTestServer, type TestServer } from '../../test/harness';
import { asPerson, HOUR, MINUTE, person, signUp, tokenOf } from '../../test/sign-up';
import { api, createAccount, login } from '../../test/staff';

describe('the test clock (PARVIS_TEST_CLOCK=1)', () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer({ testClock: true, jwtSecret: 'test-clock-secret-0123456789-abcdefghijklm' });
    await createAccount(server.store, { email: 'admin@example.org', password: 'admin-password-1', isAdmin: true });
    admin = (await login(server.url, 'admin@example.org', 'admin-password-1')).token;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('moves the sign-up module’s time for an end-to-end test: the join link shows 15 minutes before the start', async () => {
    const start = Date.now() + 2 * HOUR;
    const created = await api(server.url, 'POST', '/api/events', {
      token: admin,
      body: {
        kind: 'workshop',
        title: 'Atelier en visio',
        startsAt: new Date(start).toISOString(),
        endsAt: new Date(start + HOUR).toISOString(),
        access: 'registration',
        capacity: 5,
      },
    });
    const eventId = created.body.event.id as string;
    await api(server.url, 'PUT', `/api/admin/events/${eventId}/registration-settings`, {
      token: admin,
      body: { joinUrl: 'https://visio.example.org/atelier' },
    });
    const who = person('Ana');
    await signUp(server.url, eventId, who);
    const token = await tokenOf(server, who.email);
    const link = async () =>
      ((await asPerson(server.url, token, 'GET', '/api/me/registrations')).body as MyRegistrations).registrations[0]!.joinUrl;
    expect(await link()).toBeUndefined();

    const moved = await api(server.url, 'POST', '/api/test/clock', { body: { offsetMs: 2 * HOUR - 14 * MINUTE } });
    expect(moved.status).toBe(200);
    expect(Date.parse(moved.body.now)).toBeGreaterThanOrEqual(start - 14 * MINUTE);
    expect(await link()).toBe('https://visio.example.org/atelier');
  });

  it('answers only requests made straight from this machine, never through a proxy', async () => {
    const proxied = await api(server.url, 'POST', '/api/test/clock', {
      body: { offsetMs: 0 },
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    expect(proxied.status).toBe(403);
  });

  it('is refused when NODE_ENV is production', () => {
    expect(() => loadConfig({ PARVIS_TEST_CLOCK: '1', NODE_ENV: 'production' })).toThrow(/PARVIS_TEST_CLOCK/);
    expect(loadConfig({ PARVIS_TEST_CLOCK: '1' }).testClock).toBe(true);
    expect(loadConfig({}).testClock).toBe(false);
  });
});
