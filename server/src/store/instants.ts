/*
 * Orderings both stores share, so that SQLite and Redis list things in the same order (the contract suites check it).
 */

/** Epoch ms of an ISO instant. Instants are compared as instants, never as text (`…00Z` and `…00.000Z` are equal). */
export function ms(iso: string): number {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new RangeError(`Not an ISO instant: ${iso}`);
  return t;
}

/** Byte order, like SQLite's default collation, rather than a locale's. */
export function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Oldest first by an instant, ties in byte order of a key: the order both stores list roles and invites in. */
export function byInstant<T>(instant: (x: T) => string, key: (x: T) => string): (a: T, b: T) => number {
  return (a, b) => ms(instant(a)) - ms(instant(b)) || compareBytes(key(a), key(b));
}
