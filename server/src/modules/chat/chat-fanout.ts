import type { ChatMessage } from '#shared/domain/chat';

/** The shortest gap between two chat frames to one room. */
export const FANOUT_WINDOW_MS = 20;
/** The longest: a message never waits more than this for its frame. */
export const FANOUT_MAX_WINDOW_MS = 100;
/**
 * Each frame costs one socket write per viewer (about 10–14 µs of server CPU each on the benchmark machine, two thirds
 * of it in the kernel, with the frame built once and written straight to each socket: realtime/local-broadcast.ts),
 * so a big room's window widens until its frames cost at most this many socket writes a second: 20 ms up to 500
 * viewers, then proportionally longer (40 ms for 1,000), up to 100 ms from 2,500 viewers. Measured with 1,000 viewers
 * at 50 msg/s: 1.99 messages per frame and 6.9 µs of server CPU per delivery, 0.43× a bare Socket.IO relay's, with a
 * p99 of 51 ms against its 54 ms (`npm run bench -- --only=fanout1k`).
 */
export const FANOUT_WRITES_PER_SECOND = 25_000;

/** The batching window for a room of this many viewers. */
export function fanoutWindow(viewers: number): number {
  const window = (viewers * 1000) / FANOUT_WRITES_PER_SECOND;
  return Math.min(FANOUT_MAX_WINDOW_MS, Math.max(FANOUT_WINDOW_MS, window));
}

/**
 * An overloaded process (more viewers than its share of the machine can write to at this chat rate) spends at most
 * this share of its time writing one room's frames: a frame that took T ms to write starts the next at least
 * T / share ms after its own start. A frame to a few thousand viewers takes tens of milliseconds and this does not
 * apply; when the process is short of CPU (a frame then takes longer, since it waits for a core too) the room's
 * frames space out and carry more messages each, instead of queueing behind each other without end.
 */
export const FANOUT_MAX_BUSY_SHARE = 0.75;
/** The longest wait the overload guard imposes. */
export const FANOUT_OVERLOAD_MAX_WINDOW_MS = 400;

interface RoomState {
  queue: ChatMessage[];
  timer: NodeJS.Timeout | undefined;
  lastFlush: number;
  /** How long writing the last frame took, in ms. */
  lastCost: number;
}

/**
 * Broadcasts chat messages with at most one frame per room per window. A message to a quiet room goes out at once;
 * at high rates the messages of one window share a frame, so the cost per viewer stops growing with the chat rate.
 * The window is {@link fanoutWindow} of the room's size (its whole audience, over every process: spread over more
 * processes, a room keeps its batching), widened when writing the frames takes the process more than
 * {@link FANOUT_MAX_BUSY_SHARE} of its time.
 */
export class ChatFanout {
  private readonly rooms = new Map<string, RoomState>();

  /**
   * @param roomSize how many viewers the event has; without it, every room uses the shortest window.
   * @param now a monotonic clock in ms (tests inject theirs).
   */
  constructor(
    private readonly emit: (eventId: string, messages: ChatMessage[]) => void,
    private readonly roomSize: (eventId: string) => number = () => 0,
    private readonly now: () => number = () => performance.now(),
  ) {}

  private window(eventId: string, room: RoomState): number {
    const overload = Math.min(FANOUT_OVERLOAD_MAX_WINDOW_MS, room.lastCost / FANOUT_MAX_BUSY_SHARE);
    return Math.max(fanoutWindow(this.roomSize(eventId)), overload);
  }

  /** Writes one frame and remembers when it started and what it cost. */
  private send(eventId: string, room: RoomState, messages: ChatMessage[]): void {
    const started = this.now();
    this.emit(eventId, messages);
    room.lastFlush = started;
    room.lastCost = this.now() - started;
  }

  publish(message: ChatMessage): void {
    let room = this.rooms.get(message.eventId);
    if (!room) {
      room = { queue: [], timer: undefined, lastFlush: -Infinity, lastCost: 0 };
      this.rooms.set(message.eventId, room);
    }
    const now = this.now();
    const windowMs = this.window(message.eventId, room);
    if (room.timer === undefined && now - room.lastFlush >= windowMs) {
      this.send(message.eventId, room, [message]);
      return;
    }
    room.queue.push(message);
    room.timer ??= setTimeout(() => this.flush(message.eventId), Math.max(0, room.lastFlush + windowMs - now));
  }

  private flush(eventId: string): void {
    const room = this.rooms.get(eventId);
    if (!room) return;
    const batch = room.queue.sort((a, b) => a.offset - b.offset);
    room.queue = [];
    room.timer = undefined;
    if (batch.length > 0) this.send(eventId, room, batch);
    else room.lastFlush = this.now();
  }

  /** Sends whatever is queued now; used when the process stops. */
  close(): void {
    for (const [eventId, room] of this.rooms) {
      clearTimeout(room.timer);
      this.flush(eventId);
    }
    this.rooms.clear();
  }
}
