import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Server } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { broadcastLocal, textFrame } from './local-broadcast';
import type { ParvisServer } from './types';

/**
 * The direct frame writes against real Socket.IO clients: what a viewer receives must be exactly what
 * `io.to(room).emit` would have sent, in the same order as everything else the socket was sent.
 */

describe('textFrame', () => {
  it('puts the payload length in 7, 16 or 64 bits as RFC 6455 says, counting bytes, not characters', () => {
    expect([...textFrame('hé').subarray(0, 2)]).toEqual([0x81, 3]);
    const medium = textFrame('é'.repeat(100)); // 200 bytes
    expect([medium[1], medium.readUInt16BE(2)]).toEqual([126, 200]);
    const large = textFrame('x'.repeat(70_000));
    expect([large[1], large.readUInt32BE(2), large.readUInt32BE(6), large.length]).toEqual([127, 0, 70_000, 70_010]);
  });
});

describe('broadcastLocal', () => {
  let http: HttpServer;
  let io: Server;
  let url: string;
  const clients: ClientSocket[] = [];

  beforeEach(async () => {
    http = createServer();
    io = new Server(http);
    io.on('connection', (socket) => {
      void socket.join('room');
      socket.emit('joined');
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.disconnect();
    await new Promise<void>((resolve) => io.close(() => resolve()));
  });

  async function viewer(transport: 'websocket' | 'polling'): Promise<{ socket: ClientSocket; received: unknown[] }> {
    const socket = connect(url, { transports: [transport], forceNew: true });
    clients.push(socket);
    const received: unknown[] = [];
    socket.onAny((event: string, payload: unknown) => received.push([event, payload]));
    await new Promise<void>((resolve) => socket.once('joined', () => resolve()));
    return { socket, received };
  }

  const until = (received: unknown[], n: number) =>
    new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const check = () => {
        if (received.length >= n) return resolve();
        if (Date.now() - started > 10_000) return reject(new Error(`received ${received.length} of ${n}`));
        setTimeout(check, 5);
      };
      check();
    });

  it('gives WebSocket and polling viewers the same event and payload, accents, emoji and long texts included', async () => {
    const ws = await viewer('websocket');
    const polling = await viewer('polling');
    const payload = { eventId: 'e', messages: [{ text: 'Bonjour à tous 👋 — « ciné-conférence »' }, { text: 'é'.repeat(40_000) }] };

    const result = broadcastLocal(io as unknown as ParvisServer, 'room', 'chat:messages', payload);

    expect(result).toEqual({ sockets: 2, fallbacks: 1 });
    await Promise.all([until(ws.received, 2), until(polling.received, 2)]);
    expect(ws.received.slice(1)).toEqual([['chat:messages', payload]]);
    expect(polling.received.slice(1)).toEqual([['chat:messages', payload]]);
  });

  it('keeps the order of what each socket was sent before, even when that is still waiting to be written', async () => {
    const { socket, received } = await viewer('websocket');
    const server = io.of('/').sockets.get(socket.id!)!;
    // Three packets through Socket.IO in one go: the transport is busy until the kernel took the first, so the others
    // wait in Engine.IO's buffer, and the broadcast must queue behind them rather than overtake them.
    for (let i = 1; i <= 3; i++) server.emit('before', i);
    broadcastLocal(io as unknown as ParvisServer, 'room', 'chat:messages', { n: 4 });
    server.emit('after', 5);
    broadcastLocal(io as unknown as ParvisServer, 'room', 'chat:messages', { n: 6 });

    await until(received, 7);
    expect(received.slice(1)).toEqual([
      ['before', 1],
      ['before', 2],
      ['before', 3],
      ['chat:messages', { n: 4 }],
      ['after', 5],
      ['chat:messages', { n: 6 }],
    ]);
  });

  it('writes to nobody outside the room, and to nobody when the room is empty', async () => {
    const inside = await viewer('websocket');
    const outside = await viewer('websocket');
    io.of('/').sockets.get(outside.socket.id!)!.leave('room');

    expect(broadcastLocal(io as unknown as ParvisServer, 'nobody-here', 'chat:messages', { n: 0 })).toEqual({ sockets: 0, fallbacks: 0 });
    expect(broadcastLocal(io as unknown as ParvisServer, 'room', 'chat:messages', { n: 1 }).sockets).toBe(1);
    // The marker: `outside` gets it after anything sent to it before, so by then a stray broadcast would be there.
    io.of('/').sockets.get(outside.socket.id!)!.emit('marker');
    await Promise.all([until(inside.received, 2), until(outside.received, 2)]);
    expect(inside.received.slice(1)).toEqual([['chat:messages', { n: 1 }]]);
    expect(outside.received.slice(1)).toEqual([['marker', undefined]]);
  });
});
