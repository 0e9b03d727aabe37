/**
 * JSON text of values that are sent many times unchanged, kept with the value itself: the chat history a join storm
 * hands to thousands of joiners is encoded once rather than once per joiner (see realtime/ack-encoder.ts, which
 * writes the kept text in place of the value in socket acks).
 */
const encoded = new WeakMap<object, string>();

/**
 * Encodes `value` now and keeps the text for as long as the value lives. The value must not change afterwards
 * (freeze it): whoever sends it gets the text of the moment it was marked.
 */
export function encodeOnce<T extends object>(value: T): T {
  if (!encoded.has(value)) encoded.set(value, JSON.stringify(value));
  return value;
}

/** The text `encodeOnce` kept for this very object, if any. */
export function encodedJson(value: object): string | undefined {
  return encoded.get(value);
}
