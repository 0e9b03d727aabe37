import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import jwt from 'jsonwebtoken';
import { io as connectClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectViewer, eventually, startTestServer, type TestClient, type TestServer } from '../../test/harness';
import { api, createAccount, login } from '../../test/staff';
import { INVITE_AUDIENCE, JWT_AUDIENCE, JWT_ISSUER } from './token.service';

/**
 * Every way a token can be wrong, tried at HTTP (GET /api/auth/me) and at the socket handshake: each is refused with
 * UNAUTHENTICATED, and a valid token is accepted at both.
 */

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256-0123456789';
const PUBLIC_ORIGIN = 'https://parvis.example';
const OTHER_ORIGIN = 'https://display.example';
let server: TestServer;
let staffToken: string;

beforeAll(async () => {
  server = await startTestServer({ jwtSecret: SECRET, publicOrigin: PUBLIC_ORIGIN, allowedOrigins: [OTHER_ORIGIN] });
  await createAccount(server.store, { email: 'staff@example.org', password: 'a-long-staff-password' });
  staffToken = (await login(server.url, 'staff@example.org', 'a-long-staff-password')).token;
});
afterAll(async () => {
  await server?.stop();
});

const now = () => Math.floor(Date.now() / 1000);
const claims = () => ({ sub: 'guest_matrix', name: 'Ana', role: 'guest', jti: randomUUID() });
const sign = (payload: object, options: jwt.SignOptions = {}, key: jwt.Secret = SECRET) =>
  jwt.sign(payload, key, {
    algorithm: 'HS256',
    issuer: JWT_ISSUER,
    audience: JWT_AUDIENCE,
    ...('exp' in payload ? {} : { expiresIn: 60 }),
    ...options,
  });

/** A real staff token whose payload says admin, with the original signature kept. */
function tamperedRole(): string {
  const [header, payload, signature] = staffToken.split('.') as [string, string, string];
  const edited = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'admin' };
  return [header, Buffer.from(JSON.stringify(edited)).toString('base64url'), signature].join('.');
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

const refused: [string, () => string][] = [
  ['alg none', () => jwt.sign(claims(), '', { algorithm: 'none', issuer: JWT_ISSUER, audience: JWT_AUDIENCE, expiresIn: 60 })],
  ['a wrong key', () => sign(claims(), {}, 'another-secret-another-secret-another-secret')],
  ['a tampered role', tamperedRole],
  ['an expired token', () => sign({ ...claims(), exp: now() - 10 })],
  ['a token not yet valid', () => sign({ ...claims(), nbf: now() + 600 })],
  ['a wrong audience', () => sign(claims(), { audience: 'elsewhere' })],
  ['an invite link token', () => sign(claims(), { audience: INVITE_AUDIENCE })],
  ['a wrong issuer', () => sign(claims(), { issuer: 'elsewhere' })],
  ['HS512', () => sign(claims(), { algorithm: 'HS512' })],
  ['RS256', () => sign(claims(), { algorithm: 'RS256' }, privateKey)],
  ['a token without jti', () => sign({ sub: 'guest_x', name: 'Ana', role: 'guest' })],
  ['a role no token can carry', () => sign({ ...claims(), role: 'moderator' })],
  ['garbage', () => 'garbage'],
  ['three garbage parts', () => 'aaa.bbb.ccc'],
];

describe('tokens at HTTP', () => {
  it('accepts a valid guest token and a valid staff token', async () => {
    const guest = await api(server.url, 'GET', '/api/auth/me', { token: sign(claims()) });
    expect(guest.status).toBe(200);
    expect(guest.body).toMatchObject({ user: { id: 'guest_matrix', role: 'guest' }, account: null, roles: [] });
    const staff = await api(server.url, 'GET', '/api/auth/me', { token: staffToken });
    expect(staff.status).toBe(200);
    expect(staff.body).toMatchObject({ user: { role: 'staff' }, account: { email: 'staff@example.org', isAdmin: false } });
  });

  it.each(refused)('refuses %s with 401 UNAUTHENTICATED', async (_what, token) => {
    const res = await api(server.url, 'GET', '/api/auth/me', { token: token() });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a request without a token, and a malformed Authorization header', async () => {
    expect((await api(server.url, 'GET', '/api/auth/me')).status).toBe(401);
    const basic = await api(server.url, 'GET', '/api/auth/me', { headers: { authorization: 'Basic YTpi' } });
    expect(basic.status).toBe(401);
  });
});

describe('tokens at the socket handshake', () => {
  it('accepts a valid guest token and a valid staff token', async () => {
    for (const token of [sign(claims()), staffToken]) {
      const socket = await connectViewer(server.url, token);
      expect(socket.connected).toBe(true);
      socket.close();
    }
  });

  it.each(refused)('refuses %s', async (_what, token) => {
    await expect(connectViewer(server.url, token())).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
  });

  it('drops a socket when its token expires, telling it why first', async () => {
    const socket: TestClient = await connectViewer(server.url, sign({ ...claims(), exp: now() + 2 }));
    const seen: string[] = [];
    socket.on('auth:expired', () => seen.push('auth:expired'));
    socket.on('disconnect', (reason) => seen.push(reason));
    await eventually(() => seen.length === 2, 6000, 'the expiry disconnect');
    expect(seen).toEqual(['auth:expired', 'io server disconnect']);
  });
});

describe('origin allow-list', () => {
  /** A raw Engine.IO polling handshake, as a browser page would send it. */
  const handshake = (origin?: string, query = '') =>
    new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        `${server.url}/socket.io/?EIO=4&transport=polling${query}`,
        { headers: origin ? { origin } : {} },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.once('error', reject);
      req.end();
    });

  it('refuses a handshake from another site', async () => {
    expect(await handshake('https://evil.example')).toBe(403);
  });

  it('admits the public origin, the allowed ones, and tools that send no Origin', async () => {
    expect(await handshake(PUBLIC_ORIGIN)).toBe(200);
    expect(await handshake(OTHER_ORIGIN)).toBe(200);
    expect(await handshake()).toBe(200);
  });

  it('refuses JSONP polling, which another site could open through a script tag that sends no Origin', async () => {
    expect(await handshake(undefined, '&j=0')).toBe(403);
    expect(await handshake(PUBLIC_ORIGIN, '&j=0')).toBe(403);
    // The same request without `j` is a tool's ordinary polling handshake.
    expect(await handshake(undefined)).toBe(200);
  });

  it('refuses a socket.io client that presents another origin', async () => {
    const socket = connectClient(server.url, {
      transports: ['polling'],
      extraHeaders: { origin: 'https://evil.example' },
      reconnection: false,
      forceNew: true,
    });
    const outcome = await new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', () => resolve('refused'));
    });
    socket.close();
    expect(outcome).toBe('refused');
  });
});
