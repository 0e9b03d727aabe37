import type { ChatMessage } from '#shared/domain/chat';

/** The shortest gap between two chat frames to one room. */
export const FANOUT_WINDOW_MS = 20;

interface RoomState {
  queue: ChatMessage[];
  timer: NodeJS.Timeout | undefined;
  lastFlush: number;
}

/**
 * Broadcasts chat messages with at most one frame per room per window. A message to a quiet room goes out at once;
 * at high rates the messages of one window share a frame, so the cost per viewer stops growing with the chat rate.
 */
export class ChatFanout {
  private readonly rooms = new Map<string, RoomState>();

  constructor(
    private readonly emit: (eventId: string, messages: ChatMessage[]) => void,
    private readonly windowMs = FANOUT_WINDOW_MS,
  ) {}

  publish(message: ChatMessage): void {
    let room = this.rooms.get(message.eventId);
    if (!room) {
      room = { queue: [], timer: undefined, lastFlush: -Infinity };
      this.rooms.set(message.eventId, room);
    }
    const now = performance.now();
    if (room.timer === undefined && now - room.lastFlush >= this.windowMs) {
      room.lastFlush = now;
      this.emit(message.eventId, [message]);
      return;
    }
    room.queue.push(message);
    room.timer ??= setTimeout(() => this.flush(message.eventId), Math.max(0, room.lastFlush + this.windowMs - now));
  }

  private flush(eventId: string): void {
    const room = this.rooms.get(eventId);
    if (!room) return;
    const batch = room.queue.sort((a, b) => a.offset - b.offset);
    room.queue = [];
    room.timer = undefined;
    room.lastFlush = performance.now();
    if (batch.length > 0) this.emit(eventId, batch);
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
