import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * Janus's signed tokens (core `token_auth_secret`): `<expiry>,janus,<descriptor>[,<descriptor>…]:<signature>`, where
 * the expiry is in Unix seconds, `janus` is the realm the core checks, the descriptors name what the token opens
 * (`janus.plugin.videoroom` is checked when a handle attaches to that plugin), and the signature is the base64
 * HMAC-SHA1 of everything before the colon under the shared secret. Janus checks the expiry, the realm and the
 * signature on every request, so a token expires for everything at once.
 */

export const JANUS_REALM = 'janus';
export const VIDEOROOM_PLUGIN = 'janus.plugin.videoroom';

/**
 * A token opening the videoroom plugin until `expiresAt`, with extra descriptors (`room=<id>`, `p=<participant>`)
 * that make it unique per person and room, so that the room's allowed list names exactly who may join. The
 * descriptors must contain neither `,` nor `:`.
 */
export function signJanusToken(secret: string, expiresAt: Date, descriptors: readonly string[] = []): string {
  for (const d of descriptors) if (!d || /[,:]/.test(d)) throw new Error(`a Janus token descriptor cannot hold "," or ":": ${d}`);
  const data = [String(Math.floor(expiresAt.getTime() / 1000)), JANUS_REALM, VIDEOROOM_PLUGIN, ...descriptors].join(',');
  return `${data}:${createHmac('sha1', secret).update(data).digest('base64')}`;
}

/** Checks a token as Janus does (signature, realm, expiry at `now`); for Parvis's own tests and diagnostics. */
export function verifyJanusToken(secret: string, token: string, now: Date): { descriptors: string[]; expiresAt: Date } | undefined {
  const colon = token.indexOf(':');
  if (colon < 0) return undefined;
  const data = token.slice(0, colon);
  const given = Buffer.from(token.slice(colon + 1));
  const expected = Buffer.from(createHmac('sha1', secret).update(data).digest('base64'));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const [expiry, realm, ...descriptors] = data.split(',');
  const expiresAt = new Date(Number(expiry) * 1000);
  if (realm !== JANUS_REALM || !(expiresAt.getTime() >= now.getTime())) return undefined;
  return { descriptors, expiresAt };
}
