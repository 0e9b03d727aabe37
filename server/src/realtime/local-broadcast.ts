import type { ParvisServer, ParvisSocket } from './types';

/**
 * The parts of an Engine.IO connection the broadcast reads. Engine.IO and ws do not type them (they are internal), so
 * they are named here, and every one is checked before it is used: when a future version moves them, the broadcast
 * falls back to Socket.IO's own path, slower but correct.
 */
interface EngineConnection {
  readyState?: string;
  writeBuffer?: unknown[];
  transport?: {
    name?: string;
    writable?: boolean;
    socket?: { readyState?: number; _sender?: { sendFrame?: (list: Buffer[], cb?: () => void) => void } };
  };
}

const WS_OPEN = 1;

/**
 * A WebSocket text frame (RFC 6455 §5.2) carrying `payload`, unmasked as every frame from a server is, built once for
 * all the sockets it goes to.
 */
export function textFrame(payload: string): Buffer {
  const body = Buffer.from(payload, 'utf8');
  const n = body.length;
  const headerLength = n < 126 ? 2 : n < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + n);
  frame[0] = 0x81; // FIN, text
  if (n < 126) {
    frame[1] = n;
  } else if (n < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(n / 2 ** 32), 2);
    frame.writeUInt32BE(n >>> 0, 6);
  }
  body.copy(frame, headerLength);
  return frame;
}

/**
 * The Socket.IO packet an `emit(event, payload)` to the main namespace sends, as Engine.IO puts it on the wire:
 * `4` (Engine.IO message) `2` (Socket.IO event) and the JSON array. No binary payloads here, so no attachments.
 */
export function eventPacket(event: string, payload: unknown): string {
  return `42${JSON.stringify([event, payload])}`;
}

/**
 * Writes the frame straight to the connection's WebSocket when nothing else of it is waiting, which keeps the order
 * of everything this socket was sent. Returns false when the frame must take Socket.IO's path instead.
 */
function writeDirect(conn: EngineConnection, frame: Buffer): boolean {
  const transport = conn.transport;
  const ws = transport?.socket;
  const sendFrame = ws?._sender?.sendFrame;
  if (
    conn.readyState !== 'open' ||
    transport?.name !== 'websocket' ||
    transport.writable !== true ||
    (conn.writeBuffer?.length ?? 1) !== 0 ||
    ws?.readyState !== WS_OPEN ||
    typeof sendFrame !== 'function'
  ) {
    return false;
  }
  sendFrame.call(ws!._sender, [frame]);
  return true;
}

export interface LocalBroadcastResult {
  /** Sockets written to. */
  sockets: number;
  /** Of those, the ones that took Socket.IO's own path (polling, or packets of theirs still waiting). */
  fallbacks: number;
}

/**
 * Sends `event` to the sockets of `room` on this process only (never over the Redis adapter), encoding the packet and
 * its WebSocket frame once and writing that frame to each socket directly.
 *
 * Why not `io.local.to(room).emit`: it also encodes once (Socket.IO precomputes the frame), but then walks Engine.IO's
 * per-socket machinery for every viewer (a packet object, a write buffer, flush and drain events, a write callback
 * and its bookkeeping when the kernel took the bytes), which measured about half of the server's CPU per frame in a
 * 5,000-viewer room (`npm run bench -- --only=fanout5k`). A chat frame needs none of it: it has no ack, no binary,
 * and no compression (Parvis's sockets never compress).
 *
 * Order is kept: a socket whose Engine.IO connection still holds packets (its transport has not drained yet), or
 * which is not on WebSocket, gets the packet through Socket.IO, behind what it already holds.
 */
export function broadcastLocal(io: ParvisServer, room: string, event: string, payload: unknown): LocalBroadcastResult {
  const namespace = io.of('/');
  const ids = namespace.adapter.rooms.get(room);
  if (!ids || ids.size === 0) return { sockets: 0, fallbacks: 0 };
  const packet = eventPacket(event, payload);
  const frame = textFrame(packet);
  let sockets = 0;
  let fallbacks = 0;
  for (const id of ids) {
    const socket: ParvisSocket | undefined = namespace.sockets.get(id);
    if (!socket?.connected) continue;
    sockets++;
    if (writeDirect(socket.conn as unknown as EngineConnection, frame)) continue;
    fallbacks++;
    // Socket.IO's own path for this one socket, with the same payload.
    (socket.emit as (ev: string, data: unknown) => boolean)(event, payload);
  }
  return { sockets, fallbacks };
}
