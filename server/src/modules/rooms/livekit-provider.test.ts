import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../../core/errors';
import { LiveKitProvider, liveKitOptionsFromEnv, type LiveKitClaims, type LiveKitOptions } from './livekit-provider';
import type { RoomMember, RoomProvider, RoomSpec } from './room-provider';

/**
 * The tokens are checked the way livekit-server checks an access token ("Tokens & grants"): HS256 with the API key's
 * secret, `iss` the API key, `sub` the identity, `exp`, and a `video` grant that joins one room.
 */

const SECRET = 'the-library-livekit-api-secret-0123456789';
const OPTIONS: LiveKitOptions = { url: 'wss://livekit.example.org', apiKey: 'APIparvis', apiSecret: SECRET };
const NOW = new Date('2026-03-10T17:45:00Z');
const clock = { now: () => NOW };
const ENDS = new Date('2026-03-10T19:00:00Z');

function spec(key: string): RoomSpec {
  return { key, title: 'Conversation en français', maxPublishers: 8, opensAt: NOW, endsAt: ENDS };
}
const reader: RoomMember = { memberKey: 'person-42', display: 'Awa Diallo', host: false };
const moderator: RoomMember = { memberKey: 'staff-7', display: 'Claire (bibliothèque)', host: true };

function verify(token: string, secret = SECRET, at = NOW): LiveKitClaims {
  return jwt.verify(token, secret, {
    algorithms: ['HS256'],
    issuer: OPTIONS.apiKey,
    clockTimestamp: Math.floor(at.getTime() / 1000),
  }) as LiveKitClaims;
}

describe('LiveKitProvider', () => {
  const provider: RoomProvider = new LiveKitProvider(OPTIONS, clock);

  it('grants an access token signed with the API secret, with the identity, name and a join grant for one room', async () => {
    const grant = await provider.grant(spec('atelier-fr-2026-03-10'), reader, ENDS, 'https://parvis.example');
    expect(jwt.decode(grant.token, { complete: true })?.header.alg).toBe('HS256');
    const claims = verify(grant.token);
    expect(claims.iss).toBe('APIparvis');
    expect(claims.sub).toBe(String(grant.participantId));
    expect(claims.name).toBe('Awa Diallo');
    expect(claims.exp).toBe(ENDS.getTime() / 1000);
    expect(claims.nbf).toBeLessThanOrEqual(NOW.getTime() / 1000);
    expect(claims.video).toEqual({
      room: grant.room,
      roomJoin: true,
      canPublish: true,
      canSubscribe: true,
      canPublishData: true,
    });
    expect(grant).toMatchObject({
      provider: 'livekit',
      server: 'wss://livekit.example.org',
      expiresAt: ENDS.toISOString(),
    });
  });

  it('makes only the host a room admin', async () => {
    const host = verify((await provider.grant(spec('atelier'), moderator, ENDS, '')).token);
    expect(host.video.roomAdmin).toBe(true);
    expect(host.name).toBe('Claire (bibliothèque)');
    const guest = verify((await provider.grant(spec('atelier'), reader, ENDS, '')).token);
    expect(guest.video.roomAdmin).toBeUndefined();
  });

  it('names a different room for each event, one room for everyone in an event', async () => {
    const a = await provider.grant(spec('Atelier FR / mardi'), reader, ENDS, '');
    const b = await provider.grant(spec('atelier-fr-mardi'), reader, ENDS, '');
    const c = await provider.grant(spec('Atelier FR / mardi'), moderator, ENDS, '');
    expect(verify(a.token).video.room).toBe(a.room);
    expect(a.room).toMatch(/^[a-z0-9-]+$/);
    expect(verify(b.token).video.room).not.toBe(a.room);
    expect(verify(c.token).video.room).toBe(a.room);
    expect(verify(c.token).sub).not.toBe(verify(a.token).sub);
  });

  it('mints a token that a wrong secret does not verify, and that is refused after expiresAt', async () => {
    const { token } = await provider.grant(spec('atelier'), reader, ENDS, '');
    expect(() => verify(token, 'another-secret-another-secret-0123')).toThrow(jwt.JsonWebTokenError);
    expect(() => verify(token, SECRET, new Date(ENDS.getTime() + 1000))).toThrow(jwt.TokenExpiredError);
  });

  it('refuses remove and mute with a message that sends the host to LiveKit', async () => {
    await expect(provider.remove('atelier', 1)).rejects.toSatisfy(
      (err) => err instanceof DomainError && err.code === ErrorCode.CONFLICT && /LiveKit itself/.test(err.message),
    );
    await expect(provider.mute('atelier', 1)).rejects.toSatisfy(
      (err) => err instanceof DomainError && err.code === ErrorCode.CONFLICT && /LiveKit itself/.test(err.message),
    );
    expect(provider.iceServers()).toEqual([]);
  });
});

describe('liveKitOptionsFromEnv', () => {
  const complete = { LIVEKIT_URL: 'wss://livekit.example.org', LIVEKIT_API_KEY: 'APIparvis', LIVEKIT_API_SECRET: SECRET };

  it('reads the three variables', () => {
    expect(liveKitOptionsFromEnv(complete)).toEqual(OPTIONS);
  });

  it('names every missing variable in one error', () => {
    expect(() => liveKitOptionsFromEnv({ LIVEKIT_URL: 'wss://livekit.example.org' })).toThrow(
      'ROOMS=livekit needs LIVEKIT_API_KEY, LIVEKIT_API_SECRET',
    );
  });

  it('refuses a LIVEKIT_URL that is not a WebSocket address', () => {
    expect(() => liveKitOptionsFromEnv({ ...complete, LIVEKIT_URL: 'https://livekit.example.org' })).toThrow(
      /LIVEKIT_URL must be a wss: or ws: URL/,
    );
  });
});
