import { describe, expect, it } from 'vitest';
import { isFresh, refreshDelay, tokenExpiry } from './token-timing';

const base64url = (value: object): string =>
  btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const jwt = (payload: object): string => `${base64url({ alg: 'HS256' })}.${base64url(payload)}.signature`;

const NOW = Date.parse('2026-11-25T12:00:00.000Z');
const MINUTE = 60_000;

describe('tokenExpiry', () => {
  it('reads exp from the payload, in milliseconds', () => {
    expect(tokenExpiry(jwt({ sub: 'u1', exp: NOW / 1000 + 900 }))).toBe(NOW + 15 * MINUTE);
  });

  it('answers null for a token without exp or that is not a JWT', () => {
    expect(tokenExpiry(jwt({ sub: 'u1' }))).toBeNull();
    expect(tokenExpiry('not a token')).toBeNull();
    expect(tokenExpiry('a.%%%.c')).toBeNull();
  });
});

describe('refreshDelay', () => {
  it('renews a 15-minute token one minute before it expires', () => {
    expect(refreshDelay(NOW + 15 * MINUTE, NOW)).toBe(14 * MINUTE);
  });

  it('renews a token with little life left halfway through it', () => {
    expect(refreshDelay(NOW + 40_000, NOW)).toBe(20_000);
  });

  it('renews at once a token that has expired', () => {
    expect(refreshDelay(NOW - 5 * MINUTE, NOW)).toBe(0);
  });

  it('plans nothing when the expiry is unknown', () => {
    expect(refreshDelay(null, NOW)).toBeNull();
  });
});

describe('isFresh', () => {
  it('is true only while more than the margin is left', () => {
    const token = jwt({ exp: (NOW + MINUTE) / 1000 });
    expect(isFresh(token, NOW, 30_000)).toBe(true);
    expect(isFresh(token, NOW + 31_000, 30_000)).toBe(false);
  });
});
