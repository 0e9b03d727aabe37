/*
 * The few Engine.IO v4 / Socket.IO v5 frames the raw generator speaks (text frames over a websocket):
 *   server "0{…}" open          → client "40" or "40{"token":…}" (Socket.IO CONNECT to the default namespace)
 *   server "40{"sid":…}"        = connected;  "44{…}" = refused
 *   client "42<id>[event,payload]" (an event with an ack id) → server "43<id>[response]"
 *   server "42[event,payload]"  = a broadcast;  "2" = ping → client "3" = pong
 */

export const C_0 = 0x30;
export const C_2 = 0x32;
export const C_3 = 0x33;
export const C_4 = 0x34;

/** Text prefix a chat message of run `runId` starts with: `~R<runId>T<send time ms>~`. */
export function runMarker(runId: number): Buffer {
  return Buffer.from(`~R${runId}T`);
}

export function chatText(runId: number, sentAtMs: number, seq: number): string {
  return `~R${runId}T${sentAtMs.toFixed(3)}~ message ${seq} from the Parvis load generator`;
}

/** Parses the decimal number that starts at `i` in `buf` (digits, optionally a dot and more digits). */
export function parseDecimal(buf: Buffer, i: number): number {
  let int = 0;
  let c = buf[i]!;
  while (c >= 0x30 && c <= 0x39) {
    int = int * 10 + (c - 0x30);
    c = buf[++i]!;
  }
  if (c !== 0x2e) return int;
  let frac = 0;
  let scale = 1;
  c = buf[++i]!;
  while (c >= 0x30 && c <= 0x39) {
    frac = frac * 10 + (c - 0x30);
    scale *= 10;
    c = buf[++i]!;
  }
  return int + frac / scale;
}

/** For an ack frame "43<id>[…": the ack id, and the index of the "[" that follows it. */
export function ackId(buf: Buffer): { id: number; at: number } {
  let i = 2;
  let id = 0;
  let c = buf[i]!;
  while (c >= 0x30 && c <= 0x39) {
    id = id * 10 + (c - 0x30);
    c = buf[++i]!;
  }
  return { id, at: i };
}

const OK_TRUE = Buffer.from('[{"ok":true');

/** Whether the ack that starts at `at` ("[{…") says ok:true; the server puts `ok` first. */
export function ackOk(buf: Buffer, at: number): boolean {
  return buf.compare(OK_TRUE, 0, OK_TRUE.length, at, at + OK_TRUE.length) === 0;
}

/** The error code of a failed ack, for the report (slow path). */
export function ackErrorCode(buf: Buffer): string {
  return /"code":"([A-Z_]+)"/.exec(buf.toString())?.[1] ?? 'UNKNOWN';
}

export function wsUrl(httpUrl: string): string {
  return `${httpUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
}
