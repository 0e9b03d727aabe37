import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../../core/errors';
import { JitsiProvider, jitsiOptionsFromEnv, type JitsiClaims, type JitsiOptions } from './jitsi-provider';
import type { RoomMember, RoomProvider, RoomSpec } from './room-provider';

/**
 * The tokens are checked the way prosody's token authentication checks them (lib-jitsi-meet doc/tokens.md): HS256
 * with the app secret, `iss` the app id, `aud`, `sub` the domain or tenant, `room` the room joined, and `exp`.
 */

const SECRET = 'the-library-jitsi-app-secret';
const OPTIONS: JitsiOptions = {
  url: 'https://meet.example.org',
  appId: 'parvis',
  appSecret: SECRET,
  domain: 'meet.example.org',
  audience: 'jitsi',
};
const NOW = new Date('2026-03-10T17:45:00Z');
const clock = { now: () => NOW };
const ENDS = new Date('2026-03-10T19:00:00Z');

function spec(key: string): RoomSpec {
  return { key, title: 'Conversation en français', maxPublishers: 8, opensAt: new Date('2026-03-10T17:45:00Z'), endsAt: ENDS };
}
const reader: RoomMember = { memberKey: 'person-42', display: 'Awa Diallo', host: false };
const moderator: RoomMember = { memberKey: 'staff-7', display: 'Claire (bibliothèque)', host: true };

/** Verifies as prosody would, at the test clock's time. */
function verify(token: string, secret = SECRET, at = NOW): JitsiClaims {
  return jwt.verify(token, secret, {
    algorithms: ['HS256'],
    issuer: OPTIONS.appId,
    audience: OPTIONS.audience,
    subject: OPTIONS.domain,
    clockTimestamp: Math.floor(at.getTime() / 1000),
  }) as JitsiClaims;
}

describe('JitsiProvider', () => {
  // Typed as the seam: the rooms service only ever sees a RoomProvider.
  const provider: RoomProvider = new JitsiProvider(OPTIONS, clock);

  it('grants a token signed with the app secret that carries every claim prosody checks', async () => {
    const grant = await provider.grant(spec('atelier-fr-2026-03-10'), reader, ENDS, 'https://parvis.example');
    expect(jwt.decode(grant.token, { complete: true })?.header.alg).toBe('HS256');
    const claims = verify(grant.token);
    expect(claims.aud).toBe('jitsi');
    expect(claims.iss).toBe('parvis');
    expect(claims.sub).toBe('meet.example.org');
    expect(claims.room).toBe(grant.room);
    expect(claims.exp).toBe(ENDS.getTime() / 1000);
    expect(claims.nbf).toBeLessThanOrEqual(NOW.getTime() / 1000);
    expect(claims.context.user).toEqual({
      id: String(grant.participantId),
      name: 'Awa Diallo',
      moderator: 'false',
      affiliation: 'member',
    });
    expect(grant).toMatchObject({
      provider: 'jitsi',
      server: 'https://meet.example.org',
      expiresAt: ENDS.toISOString(),
    });
  });

  it('makes only the host a moderator', async () => {
    const host = verify((await provider.grant(spec('atelier'), moderator, ENDS, '')).token);
    expect(host.context.user.moderator).toBe('true');
    expect(host.context.user.affiliation).toBe('owner');
    expect(host.context.user.name).toBe('Claire (bibliothèque)');
    const guest = verify((await provider.grant(spec('atelier'), reader, ENDS, '')).token);
    expect(guest.context.user.moderator).toBe('false');
    expect(guest.context.user.affiliation).toBe('member');
  });

  it('names a room in safe characters, a different one for each event', async () => {
    const a = await provider.grant(spec('Atelier FR / mardi'), reader, ENDS, '');
    const b = await provider.grant(spec('atelier-fr-mardi'), reader, ENDS, '');
    const c = await provider.grant(spec('Atelier FR / mardi'), moderator, ENDS, '');
    expect(a.room).toMatch(/^[a-z0-9-]+$/);
    expect(a.room).not.toBe(b.room);
    const accented = await provider.grant(spec('Été à la médiathèque'), reader, ENDS, '');
    expect(accented.room).toMatch(/^parvis-ete-a-la-mediatheque-[0-9a-f]{8}$/);
    expect(verify(a.token).room).not.toBe(verify(b.token).room);
    // Everyone in one event meets in one room.
    expect(c.room).toBe(a.room);
    // Jitsi lower-cases room names: two ids that differ only in case still get two rooms.
    const upper = await provider.grant(spec('Atelier-1'), reader, ENDS, '');
    const lower = await provider.grant(spec('atelier-1'), reader, ENDS, '');
    expect(String(upper.room).toLowerCase()).not.toBe(String(lower.room).toLowerCase());
  });

  it('gives the same person the same participant id on every grant, and others another', async () => {
    const first = await provider.grant(spec('atelier'), reader, ENDS, '');
    const again = await provider.grant(spec('atelier'), { ...reader, display: 'Awa D.' }, ENDS, '');
    const other = await provider.grant(spec('atelier'), moderator, ENDS, '');
    expect(again.participantId).toBe(first.participantId);
    expect(other.participantId).not.toBe(first.participantId);
    expect(Number.isSafeInteger(first.participantId)).toBe(true);
  });

  it('mints a token that a wrong secret does not verify, and that is refused after expiresAt', async () => {
    const { token } = await provider.grant(spec('atelier'), reader, ENDS, '');
    expect(() => verify(token, 'another-secret')).toThrow(jwt.JsonWebTokenError);
    expect(() => verify(token, SECRET, new Date(ENDS.getTime() + 1000))).toThrow(jwt.TokenExpiredError);
  });

  it('refuses remove and mute with a message that sends the host to Jitsi', async () => {
    await expect(provider.remove('atelier', 1)).rejects.toSatisfy(
      (err) => err instanceof DomainError && err.code === ErrorCode.CONFLICT && /Jitsi itself/.test(err.message),
    );
    await expect(provider.mute('atelier', 1)).rejects.toSatisfy(
      (err) => err instanceof DomainError && err.code === ErrorCode.CONFLICT && /Jitsi itself/.test(err.message),
    );
    expect(provider.iceServers()).toEqual([]);
    await expect(provider.open(spec('atelier'))).resolves.toBeUndefined();
    await expect(provider.close('atelier')).resolves.toBeUndefined();
  });
});

describe('jitsiOptionsFromEnv', () => {
  const complete = {
    JITSI_URL: 'https://meet.example.org/',
    JITSI_APP_ID: 'parvis',
    JITSI_APP_SECRET: SECRET,
    JITSI_DOMAIN: 'Meet.Example.org',
  };

  it('reads the four variables, lower-cases the domain and defaults the audience to "jitsi"', () => {
    expect(jitsiOptionsFromEnv(complete)).toEqual({
      url: 'https://meet.example.org',
      appId: 'parvis',
      appSecret: SECRET,
      domain: 'meet.example.org',
      audience: 'jitsi',
    });
    expect(jitsiOptionsFromEnv({ ...complete, JITSI_AUDIENCE: 'parvis' }).audience).toBe('parvis');
  });

  it('names every missing variable in one error', () => {
    expect(() => jitsiOptionsFromEnv({ JITSI_URL: 'https://meet.example.org', JITSI_APP_SECRET: ' ' })).toThrow(
      'ROOMS=jitsi needs JITSI_APP_ID, JITSI_APP_SECRET, JITSI_DOMAIN',
    );
  });

  it('refuses a JITSI_URL that is not an http(s) address, and a domain with a path in it', () => {
    expect(() => jitsiOptionsFromEnv({ ...complete, JITSI_URL: 'meet.example.org' })).toThrow(/JITSI_URL/);
    expect(() => jitsiOptionsFromEnv({ ...complete, JITSI_URL: 'wss://meet.example.org' })).toThrow(/JITSI_URL/);
    expect(() => jitsiOptionsFromEnv({ ...complete, JITSI_DOMAIN: 'meet.example.org/room' })).toThrow(/JITSI_DOMAIN/);
  });
});
