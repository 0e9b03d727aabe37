import { randomUUID } from 'node:crypto';
import { encodedJson } from '../core/encoded-json';
import type { ParvisServer } from './types';

type Encoder = ParvisServer['encoder'];
type Packet = Parameters<Encoder['encode']>[0];

/** Socket.IO's packet type of an acknowledgement (protocol v5): `3[<nsp>,][<id>]<json>`. */
const ACK = 3;

/**
 * Writes acks the way Socket.IO's own encoder does, except that a value marked with `encodeOnce` is written as the text
 * kept for it instead of being encoded again. Made for the join storm: 2,000 joiners each get the same 100 messages
 * of history, about 20 KB of JSON that Socket.IO would otherwise walk twice per joiner (once looking for binary
 * attachments, once to encode it): together 10% of the server's CPU in `npm run bench -- --only=joinstorm --profile`.
 *
 * Anything else (events, broadcasts, and any ack that carries binary data) goes to Socket.IO's encoder unchanged.
 */
export class AckEncoder {
  /** Stands for a marked value inside the JSON until it is replaced; unguessable, so no user text can mimic it. */
  private readonly placeholder = `\u0000${randomUUID()}`;
  private readonly quoted = JSON.stringify(this.placeholder);

  constructor(private readonly stock: Encoder) {}

  encode(packet: Packet): ReturnType<Encoder['encode']> {
    if (packet.type !== ACK || packet.data == null) return this.stock.encode(packet);
    const kept: string[] = [];
    let binary = false;
    const { placeholder } = this;
    const json = JSON.stringify(packet.data, function (this: Record<string, unknown>, key: string, value: unknown) {
      // The value before any toJSON, as Socket.IO's binary check sees it.
      const raw = this[key];
      if (typeof raw === 'object' && raw !== null) {
        const text = encodedJson(raw);
        if (text !== undefined) {
          kept.push(text);
          return placeholder;
        }
        if (ArrayBuffer.isView(raw) || raw instanceof ArrayBuffer || raw instanceof Blob) binary = true;
      }
      return value;
    });
    if (binary) return this.stock.encode(packet);
    let body = json;
    if (kept.length > 0) {
      // JSON.stringify visits values in the order it writes them, so the pieces come back in the same order.
      const pieces = json.split(this.quoted);
      body = pieces[0]!;
      for (let i = 1; i < pieces.length; i++) body += kept[i - 1]! + pieces[i]!;
    }
    const nsp = packet.nsp && packet.nsp !== '/' ? `${packet.nsp},` : '';
    return [`${ACK}${nsp}${packet.id ?? ''}${body}`];
  }
}

/**
 * Puts the AckEncoder in front of the server's encoder. Socket.IO gives each new connection `io.encoder`, so this
 * must run before the first connection; the adapter keeps the stock encoder for its broadcasts, which are events.
 */
export function encodeAcksOnce(io: ParvisServer): void {
  const encoder = new AckEncoder(io.encoder);
  // `encoder` is read-only in the types only: Socket.IO reads it for each new client (socket.io/dist/client.js).
  (io as { encoder: unknown }).encoder = encoder;
}
