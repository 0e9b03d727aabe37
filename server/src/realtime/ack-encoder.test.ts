import { Server } from 'socket.io';
import { describe, expect, it } from 'vitest';
import { encodeOnce } from '../core/encoded-json';
import { AckEncoder } from './ack-encoder';
import type { ParvisServer } from './types';

const stock = (new Server() as ParvisServer).encoder;
const encoder = new AckEncoder(stock);
type Packet = Parameters<typeof stock.encode>[0];

const history = () =>
  encodeOnce(
    Object.freeze([
      { id: 'm1', offset: 1, text: 'Bonjour à tous ! "guillemets" \\ et \u2028', author: { id: 'u1', displayName: 'Ana' } },
      { id: 'm2', offset: 2, text: '', deleted: true, author: { id: 'u2', displayName: 'Bob' } },
    ]),
  );

describe('AckEncoder', () => {
  it('writes an ack carrying a value encoded once exactly as Socket.IO would', () => {
    const messages = history();
    const packet: Packet = {
      type: 3,
      nsp: '/',
      id: 12,
      data: [{ ok: true, data: { chat: { messages, lastOffset: 2, reset: true }, viewers: 3, at: new Date(0) } }],
    };
    expect(encoder.encode(packet)).toEqual(stock.encode(packet));
  });

  it('writes several marked values, in their places, among texts that look like its placeholder', () => {
    const a = history();
    const b = encodeOnce({ nested: [a] });
    const packet: Packet = {
      type: 3,
      nsp: '/admin',
      data: [{ first: a, text: '\u0000 placeholder? "\u0000"', second: b, last: [a] }],
    };
    expect(encoder.encode(packet)).toEqual(stock.encode(packet));
  });

  it('writes the text of the moment the value was marked', () => {
    const value = encodeOnce({ text: 'avant' });
    value.text = 'après';
    expect(encoder.encode({ type: 3, nsp: '/', id: 1, data: [value] })).toEqual(['31[{"text":"avant"}]']);
  });

  it('leaves events, and acks with binary data, to Socket.IO', () => {
    const event: Packet = { type: 2, nsp: '/', data: ['chat:messages', { messages: history() }] };
    expect(encoder.encode(event)).toEqual(stock.encode(event));
    const binary: Packet = { type: 3, nsp: '/', id: 4, data: [{ file: Buffer.from('abc'), messages: history() }] };
    const encoded = encoder.encode(binary);
    expect(encoded).toEqual(stock.encode(binary));
    // A binary ack: its text announces one attachment, which follows it.
    expect(encoded[0]).toMatch(/^61-4/);
    expect(encoded).toHaveLength(2);
  });
});
