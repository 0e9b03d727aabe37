/*
 * The peer of the fan-out rows: what a team would build instead of Parvis's chat, a bare Socket.IO 4 relay. It has the
 * options of Parvis's server (server/src/realtime/io.ts: the same buffer size and ping timing, no client serving; no
 * per-message compression, which is Socket.IO's default and Parvis's too) and takes WebSocket only: the generator
 * never polls, so this changes nothing for it. Every socket that joins goes into one room, and each chat message is
 * broadcast on its own with `io.to(room).emit`: no store, no batching, no validation, no rate limit, no auth.
 *
 * It speaks just enough of Parvis's protocol for the unchanged generator (lib/loadgen.ts) to drive it:
 * - `POST /api/auth/guest` answers a token (never checked), for the senders;
 * - `event:join` acks `{ok: true, data: {}}` (no history, no room state) and joins the room;
 * - `chat:send` acks `{ok: true, data: {message}}` and emits `chat:messages` with that one message, shaped as Parvis's
 *   (id, eventId, offset, author, text, sentAt, clientId), so that a frame weighs what one of Parvis's would with one
 *   message in it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

/** Parvis's MAX_HTTP_BUFFER_SIZE (server/src/realtime/io.ts). */
const MAX_HTTP_BUFFER_SIZE = 16 * 1024;
const ROOM = 'event';

const httpServer = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/api/auth/guest') {
    // The body is read and dropped: the relay has no people, only sockets.
    req.resume();
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ token: 'baseline' }));
    });
    return;
  }
  res.writeHead(404).end();
});

const io = new Server(httpServer, {
  maxHttpBufferSize: MAX_HTTP_BUFFER_SIZE,
  serveClient: false,
  transports: ['websocket'],
  perMessageDeflate: false,
  pingInterval: 20_000,
  pingTimeout: 20_000,
});

type Ack = (res: unknown) => void;
let offset = 0;

io.on('connection', (socket) => {
  const author = { id: socket.id, displayName: 'Bench sender', role: 'guest' };
  socket.on('event:join', (_payload: unknown, ack: Ack) => {
    void socket.join(ROOM);
    if (typeof ack === 'function') ack({ ok: true, data: {} });
  });
  socket.on('chat:send', (payload: { eventId: string; text: string; clientId: string }, ack: Ack) => {
    const message = {
      id: `m${++offset}`,
      eventId: payload.eventId,
      offset,
      author,
      text: payload.text,
      sentAt: new Date().toISOString(),
      clientId: payload.clientId,
    };
    io.to(ROOM).emit('chat:messages', { eventId: payload.eventId, messages: [message] });
    if (typeof ack === 'function') ack({ ok: true, data: { message } });
  });
});

httpServer.listen(0, '127.0.0.1', () => {
  process.send!({ type: 'ready', port: (httpServer.address() as AddressInfo).port });
});
const quit = () => {
  io.close();
  process.exit(0);
};
process.on('disconnect', quit);
process.on('SIGTERM', quit);
