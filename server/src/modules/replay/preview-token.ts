import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a preview link works: an editing session, not a share. */
export const PREVIEW_TTL_MS = 2 * 3600_000;

/**
 * Signed, short-lived tokens that let an admin's player fetch an unpublished replay. A player fetches playlists and
 * segments without the admin's Authorization header, so the proof travels in the URL (`?preview=<token>`), bound to
 * one event and with an expiry. Every process of a deployment shares the signing secret, so any of them accepts it.
 */
export class PreviewTokens {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = PREVIEW_TTL_MS,
  ) {
    // A key of its own, derived from the sign-in secret: a preview token can never pass for anything else.
    this.key = createHmac('sha256', secret).update('parvis replay preview').digest();
  }

  /** `<expiry in seconds>.<signature>` */
  sign(eventId: string): string {
    const expires = Math.floor((this.now() + this.ttlMs) / 1000);
    return `${expires}.${this.signature(eventId, expires)}`;
  }

  verify(eventId: string, token: unknown): boolean {
    if (typeof token !== 'string') return false;
    const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) return false;
    const expires = Number(match[1]);
    if (expires * 1000 <= this.now()) return false;
    const expected = Buffer.from(this.signature(eventId, expires));
    const given = Buffer.from(match[2]!);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private signature(eventId: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${eventId}\n${expires}`).digest('base64url');
  }
}
