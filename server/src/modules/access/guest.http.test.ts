import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthResponse } from '#shared/domain/user';
import type { ErrorBody } from '#shared/protocol/errors';
import { connectViewer, startTestServer, type TestServer } from '../../test/harness';
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
    expect(claims).toMatchObject({ sub: user.id, name: 'Élodie', role: 'guest' });
    expect((claims as jwt.JwtPayload).exp).toBeGreaterThan(Date.now() / 1000);
    expect(jwt.decode(token, { complete: true })?.header.alg).toBe('HS256');
  });

  it.each([
    ['an empty name', { displayName: '   ' }],
    ['a name over 40 characters', { displayName: 'x'.repeat(41) }],
    ['a control character', { displayName: 'Ana\u0007' }],
    ['a newline', { displayName: 'Ana\nBob' }],
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

describe('socket handshake tokens', () => {
  const claims = { sub: 'guest_x', name: 'Ana', role: 'guest' };

  it('accepts a valid token', async () => {
    const token = jwt.sign(claims, SECRET, { algorithm: 'HS256', issuer: JWT_ISSUER, audience: JWT_AUDIENCE, expiresIn: 60 });
    const socket = await connectViewer(server.url, token);
    expect(socket.connected).toBe(true);
    socket.close();
  });

  it.each([
    ['alg none', jwt.sign(claims, '', { algorithm: 'none', issuer: JWT_ISSUER, audience: JWT_AUDIENCE })],
    ['a wrong key', jwt.sign(claims, 'another-secret-another-secret-another', { issuer: JWT_ISSUER, audience: JWT_AUDIENCE })],
    ['an expired token', jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }, SECRET, { issuer: JWT_ISSUER, audience: JWT_AUDIENCE })],
    ['a wrong audience', jwt.sign(claims, SECRET, { issuer: JWT_ISSUER, audience: 'elsewhere' })],
    ['a wrong issuer', jwt.sign(claims, SECRET, { issuer: 'elsewhere', audience: JWT_AUDIENCE })],
    ['HS512', jwt.sign(claims, SECRET, { algorithm: 'HS512', issuer: JWT_ISSUER, audience: JWT_AUDIENCE })],
    ['garbage', 'garbage'],
  ])('refuses %s', async (_what, token) => {
    await expect(connectViewer(server.url, token)).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
  });
});
