import { createHash } from 'node:crypto';

/*
 * What the Jitsi and LiveKit providers share: neither runs anything for Parvis, both only sign a JWT that the
 * library's own deployment checks. Names and ids are derived from the event and the person, so that every process
 * mints the same ones without storing anything.
 */

/**
 * How far back `nbf` is set. The token is checked by another machine (prosody, livekit-server) whose clock may be
 * a little behind ours; a token that is "not yet valid" there would refuse a reader who is on time.
 */
export const NOT_BEFORE_LEEWAY_SECONDS = 60;

export function unixSeconds(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}

function digestOf(...parts: string[]): Buffer {
  // A separator no id contains, so that ("ab", "c") and ("a", "bc") do not hash alike.
  return createHash('sha256').update(parts.join('\u0000')).digest();
}

/**
 * The provider's room for an event: `parvis-` and the event id in the characters every provider takes in a room name
 * and a URL path (lower-case letters, digits, `-`), then 8 hex digits of the id's hash. Jitsi lower-cases room names,
 * and the cleaning folds several ids onto one, so the hash keeps two events (`Atelier-1`, `atelier_1`) in two rooms.
 */
export function mintedRoomName(key: string): string {
  const slug = key
    // Accents come off rather than cut words (`été` → `ete`).
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  const hash = digestOf('room', key).toString('hex').slice(0, 8);
  return slug ? `parvis-${slug}-${hash}` : `parvis-${hash}`;
}

/**
 * A person's number in an event's room, stable across grants and processes (the same person gets the same id on
 * every reload, which the host names them by). 48 bits of a hash: a safe integer, and no internal person id shows.
 */
export function mintedParticipantId(key: string, memberKey: string): number {
  return digestOf('member', key, memberKey).readUIntBE(0, 6) + 1;
}

/**
 * Reads the variables a provider needs, or throws one error naming every one that is missing, so that a library
 * fixes its configuration in one go rather than one restart per variable.
 */
export function requiredEnv<K extends string>(
  provider: string,
  env: Record<string, string | undefined>,
  names: readonly K[],
): Record<K, string> {
  const values = {} as Record<K, string>;
  const missing: string[] = [];
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) values[name] = value;
    else missing.push(name);
  }
  if (missing.length > 0) {
    throw new Error(`ROOMS=${provider} needs ${missing.join(', ')} (see docs/rooms-providers.md)`);
  }
  return values;
}

/** A URL of one of `protocols` (`https:`), without a trailing slash, or an error naming the variable. */
export function urlFrom(name: string, raw: string, protocols: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${name} must be a URL such as ${protocols[0]}//meet.example.org, got "${raw}"`);
  }
  if (!protocols.includes(url.protocol) || url.search || url.hash) {
    throw new Error(`${name} must be a ${protocols.join(' or ')} URL without query, got "${raw}"`);
  }
  return url.href.replace(/\/+$/, '');
}
