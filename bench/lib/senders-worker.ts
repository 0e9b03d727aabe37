/*
 * The senders: a few real guests (tokens from POST /api/auth/guest) on raw websockets, each sending `chat:send` with
 * an ack id. A run sends `rate` messages per second for `durationMs`, paced on a 1 ms timer against the shared clock
 * (so a late tick catches up instead of lowering the rate), round-robin over the senders. Every text starts with the
 * run marker and the send time, read by the viewers.
 */
import WebSocket from 'ws';
import { monoNow, sleep } from './clock';
import { Histogram } from './histogram';
import { serveRpc } from './ipc';
import { C_0, C_2, C_3, C_4, ackErrorCode, ackId, ackOk, chatText, wsUrl } from './wire';

interface Sender {
  ws: WebSocket;
  nextAck: number;
  /** ack id → send time */
  pending: Map<number, number>;
}

const senders: Sender[] = [];
/** Set by the orchestrator's safety stop (a server using too much memory): the run ends at the next tick. */
let stopRequested = false;

let onAck: (ok: boolean, sentAt: number, data: Buffer) => void = () => undefined;

function connectSender(url: string, token: string): Promise<Sender> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl(url), { perMessageDeflate: false, handshakeTimeout: 20_000 });
    const s: Sender = { ws, nextAck: 0, pending: new Map() };
    const timer = setTimeout(() => reject(new Error('sender connect timeout')), 20_000);
    ws.on('message', (data: Buffer) => {
      const b0 = data[0];
      if (b0 === C_4) {
        const b1 = data[1];
        if (b1 === C_3) {
          const { id, at } = ackId(data);
          const sentAt = s.pending.get(id);
          if (sentAt === undefined) return;
          s.pending.delete(id);
          onAck(ackOk(data, at), sentAt, data);
        } else if (b1 === C_0) {
          clearTimeout(timer);
          resolve(s);
        } else if (b1 === C_4) {
          clearTimeout(timer);
          reject(new Error(`sender refused: ${data.toString()}`));
        }
        return;
      }
      if (b0 === C_2) return void ws.send('3');
      if (b0 === C_0) return void ws.send(`40${JSON.stringify({ token })}`);
    });
    ws.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

interface RunArgs {
  eventId: string;
  rate: number;
  durationMs: number;
  runId: number;
  /** Stop waiting for outstanding acks after this long past the last send. */
  ackGraceMs?: number;
  /** Send exactly this many messages (then durationMs is only a bound). */
  total?: number;
}

async function run(args: RunArgs) {
  stopRequested = false;
  const total = args.total ?? Math.round((args.rate * args.durationMs) / 1000);
  const ackHist = new Histogram();
  const errors: Record<string, number> = {};
  let ok = 0;
  let sent = 0;
  let answered = 0;
  onAck = (good, sentAt, data) => {
    answered++;
    ackHist.record(monoNow() - sentAt);
    if (good) ok++;
    else {
      const code = ackErrorCode(data);
      errors[code] = (errors[code] ?? 0) + 1;
    }
  };
  const t0 = monoNow();
  let lastSend = t0;
  const eventIdJson = JSON.stringify(args.eventId);
  await new Promise<void>((done) => {
    const tick = () => {
      const now = monoNow();
      const due = Math.min(total, Math.floor(((now - t0) * args.rate) / 1000) + 1);
      while (sent < due) {
        const s = senders[sent % senders.length]!;
        const id = s.nextAck++;
        const at = monoNow();
        const text = JSON.stringify(chatText(args.runId, at, sent));
        s.pending.set(id, at);
        s.ws.send(`42${id}["chat:send",{"eventId":${eventIdJson},"text":${text},"clientId":"b${args.runId}-${sent}"}]`);
        sent++;
        lastSend = at;
      }
      if (sent >= total || stopRequested || now - t0 > args.durationMs + 5000) {
        clearInterval(timer);
        done();
      }
    };
    const timer = setInterval(tick, 1);
    tick();
  });
  const graceEnd = monoNow() + (args.ackGraceMs ?? 10_000);
  while (answered < sent && monoNow() < graceEnd) await sleep(20);
  for (const s of senders) s.pending.clear();
  return { sent, ok, answered, errors, ackHist: ackHist.toSparse(), firstSend: t0, lastSend };
}

serveRpc({
  async connect({ url, tokens }: { url: string; tokens: string[] }) {
    for (const token of tokens) senders.push(await connectSender(url, token));
    return senders.length;
  },
  run,
  stop() {
    stopRequested = true;
    return true;
  },
  close() {
    for (const s of senders) s.ws.terminate();
    senders.length = 0;
    return true;
  },
});
