/*
 * A load-generator process holding many raw websocket viewers. Each viewer speaks just enough Engine.IO / Socket.IO
 * to connect, join a room and receive broadcasts (see wire.ts). The hot path does no JSON parsing and no string
 * decoding: it looks for the run marker in the frame's bytes, reads the send time after it, and records
 * now − send time in a histogram.
 */
import WebSocket from 'ws';
import { monoNow } from './clock';
import { Histogram, type SparseHistogram } from './histogram';
import { serveRpc } from './ipc';
import { C_0, C_2, C_3, C_4, ackErrorCode, ackId, ackOk, parseDecimal, runMarker, wsUrl } from './wire';

interface Viewer {
  ws: WebSocket;
  group: string;
  joined: boolean;
  /** Messages of the armed run received, and the frames that carried them. */
  count: number;
  frames: number;
  dropped: boolean;
}

interface GroupStats {
  hist: Histogram;
  disconnected: number;
}

const viewers: Viewer[] = [];
const groups = new Map<string, GroupStats>();
let marker: Buffer | null = null;
let markerLen = 0;

function group(name: string): GroupStats {
  let g = groups.get(name);
  if (!g) groups.set(name, (g = { hist: new Histogram(), disconnected: 0 }));
  return g;
}

/** A broadcast frame: count and time every message of the armed run in it. */
function onEvent(v: Viewer, data: Buffer): void {
  if (marker === null) return;
  let i = data.indexOf(marker, 2);
  if (i === -1) return;
  const now = monoNow();
  const hist = group(v.group).hist;
  v.frames++;
  while (i !== -1) {
    const j = i + markerLen;
    hist.record(now - parseDecimal(data, j));
    v.count++;
    i = data.indexOf(marker, j);
  }
}

interface ConnectArgs {
  url: string;
  count: number;
  group: string;
  eventId: string;
  token?: string;
  /** Handshakes in flight at once (ignored with `startAt`). */
  concurrency: number;
  /** Join storm: viewer k of this worker starts at startAt + offsets[k] on the shared clock. */
  startAt?: number;
  offsets?: number[];
  timeoutMs: number;
}

interface ConnectResult {
  joined: number;
  failed: Record<string, number>;
  /** Launch → join ack, per viewer. */
  joinHist: { buckets: SparseHistogram; count: number; sum: number; max: number };
  firstStart: number;
  lastAck: number;
}

function connectOne(args: ConnectArgs, joinHist: Histogram, stamps: { first: number; last: number }): Promise<string | null> {
  return new Promise((resolve) => {
    const started = monoNow();
    if (started < stamps.first) stamps.first = started;
    const ws = new WebSocket(wsUrl(args.url), { perMessageDeflate: false, handshakeTimeout: args.timeoutMs });
    const v: Viewer = { ws, group: args.group, joined: false, count: 0, frames: 0, dropped: false };
    const connectPacket = args.token ? `40${JSON.stringify({ token: args.token })}` : '40';
    const joinPacket = `420${JSON.stringify(['event:join', { eventId: args.eventId }])}`;
    let settled = false;
    const settle = (failure: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (failure !== null) {
        v.dropped = true;
        ws.terminate();
      }
      resolve(failure);
    };
    const timer = setTimeout(() => settle('timeout'), args.timeoutMs);

    ws.on('message', (data: Buffer) => {
      const b0 = data[0];
      if (b0 === C_4) {
        const b1 = data[1];
        if (b1 === C_2) return onEvent(v, data);
        if (b1 === C_3) {
          if (v.joined) return;
          const { at } = ackId(data);
          if (ackOk(data, at)) {
            v.joined = true;
            const now = monoNow();
            joinHist.record(now - started);
            if (now > stamps.last) stamps.last = now;
            viewers.push(v);
            settle(null);
          } else settle(`join ${ackErrorCode(data)}`);
          return;
        }
        if (b1 === C_0) return void ws.send(joinPacket);
        if (b1 === C_4) return settle(`connect ${ackErrorCode(data)}`);
        return;
      }
      if (b0 === C_2) return void ws.send('3');
      if (b0 === C_0) return void ws.send(connectPacket);
    });
    ws.on('error', (err: NodeJS.ErrnoException) => settle(err.code ?? err.message));
    ws.on('close', () => {
      if (!settled) return settle('closed');
      if (v.joined && !v.dropped) {
        v.dropped = true;
        group(v.group).disconnected++;
      }
    });
  });
}

async function connect(args: ConnectArgs): Promise<ConnectResult> {
  const joinHist = new Histogram();
  const stamps = { first: Infinity, last: 0 };
  const failed: Record<string, number> = {};
  let joined = 0;
  const tally = (failure: string | null) => {
    if (failure === null) joined++;
    else failed[failure] = (failed[failure] ?? 0) + 1;
  };
  if (args.startAt !== undefined && args.offsets) {
    // Paced: each viewer at its own moment, however long the others take.
    await Promise.all(
      args.offsets.map(
        (offset) =>
          new Promise<void>((done) => {
            setTimeout(() => connectOne(args, joinHist, stamps).then(tally).then(done), Math.max(0, args.startAt! + offset - monoNow()));
          }),
      ),
    );
  } else {
    let next = 0;
    const lane = async () => {
      while (next < args.count) {
        next++;
        tally(await connectOne(args, joinHist, stamps));
      }
    };
    await Promise.all(Array.from({ length: Math.min(args.concurrency, args.count) }, lane));
  }
  return { joined, failed, joinHist: joinHist.toSparse(), firstStart: stamps.first, lastAck: stamps.last };
}

serveRpc({
  connect,
  arm({ runId }: { runId: number }) {
    marker = runMarker(runId);
    markerLen = marker.length;
    for (const v of viewers) {
      v.count = 0;
      v.frames = 0;
    }
    for (const g of groups.values()) {
      g.hist.reset();
      g.disconnected = 0;
    }
    return true;
  },
  progress() {
    let received = 0;
    for (const v of viewers) received += v.count;
    return { received };
  },
  /** Per group: latency histogram, deliveries, and how many viewers got fewer or more messages than `expected`. */
  report({ expected }: { expected: number }) {
    const out: Record<string, { hist: ReturnType<Histogram['toSparse']>; received: number; frames: number; viewers: number; short: number; over: number; missing: number; disconnected: number }> = {};
    for (const v of viewers) {
      const g = (out[v.group] ??= { hist: group(v.group).hist.toSparse(), received: 0, frames: 0, viewers: 0, short: 0, over: 0, missing: 0, disconnected: group(v.group).disconnected });
      g.viewers++;
      g.received += v.count;
      g.frames += v.frames;
      if (v.count < expected) {
        g.short++;
        g.missing += expected - v.count;
      } else if (v.count > expected) g.over++;
    }
    marker = null;
    return out;
  },
  async close({ group: only }: { group?: string }) {
    const closing = viewers.filter((v) => only === undefined || v.group === only);
    await Promise.all(
      closing.map(
        (v) =>
          new Promise<void>((done) => {
            v.dropped = true;
            if (v.ws.readyState === WebSocket.CLOSED) return done();
            const t = setTimeout(() => {
              v.ws.terminate();
              done();
            }, 3000);
            v.ws.once('close', () => {
              clearTimeout(t);
              done();
            });
            v.ws.close();
          }),
      ),
    );
    const closed = new Set(closing);
    const kept = viewers.filter((v) => !closed.has(v));
    viewers.length = 0;
    viewers.push(...kept);
    return viewers.length;
  },
  count() {
    return viewers.filter((v) => !v.dropped).length;
  },
});
