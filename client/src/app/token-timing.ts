/** The `exp` claim of a JWT in milliseconds, or null when absent or unreadable. The signature is the server's business. */
export function tokenExpiry(token: string): number | null {
  try {
    const payload = token.split('.')[1];
    if (!payload) return null;
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}

/** Renew an access token this long before it expires, so a request or a socket never carries an expired one. */
export const REFRESH_AHEAD_MS = 60_000;

/**
 * How long to wait before renewing a token that expires at `expMs`: until one minute before its expiry (half its
 * remaining life for a very short one), and at once when that moment has passed. Null when the expiry is unknown:
 * nothing to schedule, the first 401 renews it.
 */
export function refreshDelay(expMs: number | null, now: number): number | null {
  if (expMs === null) return null;
  const left = expMs - now;
  const ahead = Math.min(REFRESH_AHEAD_MS, left / 2);
  return Math.max(0, Math.floor(left - ahead));
}

/** True when a token is still good for at least `marginMs` (unknown expiry counts as good). */
export function isFresh(token: string, now: number, marginMs: number): boolean {
  const exp = tokenExpiry(token);
  return exp === null || exp - marginMs > now;
}
