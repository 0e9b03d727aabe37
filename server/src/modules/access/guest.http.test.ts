import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthResponse } from '#shared/domain/user';
import type { ErrorBody } from '#shared/protocol/errors';
import { connectViewer, guestToken, ok, request, startTestServer, type TestServer } from '../../test/harness';
import { JWT_AUDIENCE, JWT_ISSUER } from './token.service';

type ErrorJson = { error: ErrorBody };

let server: TestServer;
const SECRET = 'a-test-secret-that-is-long-enough-for-hs256-0123456789';
beforeAll(async () => {
  server = await startTestServer({ jwtSecret: SECRET });
});
afterAll(async () => {
  await server.stop();
});

const guest = (body: unknown) =>
  fetch(`${server.url}/api/auth/guest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('POST /api/auth/guest', () => {
  it('returns a signed HS256 token with issuer, audience and expiry for a trimmed name', async () => {
    const res = await guest({ displayName: '  Élodie  ' });
    expect(res.status).toBe(200);
    const { token, user } = (await res.json()) as AuthResponse;
    expect(user).toMatchObject({ displayName: 'Élodie', role: 'guest' });
    const claims = jwt.verify(token, SECRET, { algorithms: ['HS256'], issuer: JWT_ISSUER, audience: JWT_AUDIENCE });
    expect(claims).toMatchObject({ sub: user.id, name: 'Élodie', role: 'guest', jti: expect.any(String) });
    expect((claims as jwt.JwtPayload).exp).toBeGreaterThan(Date.now() / 1000);
    expect(jwt.decode(token, { complete: true })?.header.alg).toBe('HS256');
  });

  it.each([
    ['an empty name', { displayName: '   ' }],
    ['a name over 40 characters', { displayName: 'x'.repeat(41) }],
    ['a control character', { displayName: 'Ana\u0007' }],
    ['a newline', { displayName: 'Ana\nBob' }],
    ['a name made of zero-width spaces', { displayName: '\u200b\u200b\u200b' }],
    ['a right-to-left override', { displayName: '\u202eeinraM' }],
    ['a number', { displayName: 42 }],
    ['no name', {}],
  ])('refuses %s with INVALID_PAYLOAD', async (_what, body) => {
    const res = await guest(body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorJson).error.code).toBe('INVALID_PAYLOAD');
  });

  it('refuses a body that is not JSON, and one too large', async () => {
    const bad = await guest('{"displayName":');
    expect(bad.status).toBe(400);
    const large = await guest({ displayName: 'x'.repeat(20_000) });
    expect(large.status).toBe(413);
    expect(((await large.json()) as ErrorJson).error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('a guest name and the staff of an event', () => {
  // The demo's live event announces Marie Lenoir and Karim Benali as its speakers.
  const EVENT = 'rencontre-bd-marie-lenoir';

  it.each([
    ['the exact name of a speaker', 'Marie Lenoir'],
    ["a speaker's name in other case and spacing", '  marie   LENOIR '],
    ["a speaker's name in full-width letters", 'Ｍａｒｉｅ Ｌｅｎｏｉｒ'],
  ])('refuses %s, saying the name is taken', async (_what, displayName) => {
    const res = await guest({ displayName, eventId: EVENT });
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorJson).error).toMatchObject({
      code: 'CONFLICT',
      fields: { displayName: 'is the name of a speaker or moderator of this event: choose another' },
    });
  });

  it('refuses the name of a person who holds a role in the event', async () => {
    await server.store.accounts.grantRole({ eventId: EVENT, userId: 'acct_mod', displayName: 'Nadia Modère', role: 'moderator', grantedAt: new Date().toISOString() });
    expect((await guest({ displayName: 'Nadia Modère', eventId: EVENT })).status).toBe(409);
    // In another event, the name is free.
    expect((await guest({ displayName: 'Nadia Modère', eventId: 'chercheurs-pandemie' })).status).toBe(200);
  });

  it('gives any other name, normalised, for the same event', async () => {
    const res = await guest({ displayName: 'Marie\u00a0Lenoire', eventId: EVENT });
    expect(res.status).toBe(200);
    expect(((await res.json()) as AuthResponse).user.displayName).toBe('Marie Lenoire');
  });

  it('lets a guest who carried a speaker’s name in from elsewhere watch, but not write, under it', async () => {
    // A token asked for without the event (another event's name, or a script): the live room itself refuses the name.
    const impostor = await connectViewer(server.url, await guestToken(server.url, 'marie lenoir'));
    const other = await connectViewer(server.url, await guestToken(server.url, 'Zoé'));
    try {
      const joined = await ok(request<{ event: { id: string } }>(impostor, 'event:join', { eventId: EVENT }));
      expect(joined.event.id).toBe(EVENT);
      await ok(request(other, 'event:join', { eventId: EVENT }));
      const refused = await request(impostor, 'chat:send', { eventId: EVENT, text: 'Bonsoir, ici Marie', clientId: 'imp-1' });
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT', fields: { displayName: 'is the name of a speaker or moderator of this event: choose another' } },
      });
      const asked = await request(impostor, 'question:ask', { eventId: EVENT, text: 'Une question ?', clientId: 'imp-2' });
      expect(asked).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      expect(await request(other, 'chat:send', { eventId: EVENT, text: 'Bonsoir', clientId: 'zoe-1' })).toMatchObject({ ok: true });
    } finally {
      impostor.disconnect();
      other.disconnect();
    }
  });
});
