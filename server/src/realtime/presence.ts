import type { Server } from 'socket.io';
import { eventRoom } from '#shared/protocol/events';

/** The longest a viewer count may wait before it goes out, and the shortest gap between two broadcasts. */
const BROADCAST_INTERVAL_MS = 500;

/**
 * Viewer counts per event: the sockets in the event's room. A join storm changes the count thousands of times a
 * second, so broadcasts are throttled per event to at most one every 500 ms, the last value always going out.
 */
export class Presence {
  private readonly lastSent = new Map<string, number>();
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(private readonly io: Server) {}

  count(eventId: string): number {
    return this.io.sockets.adapter.rooms.get(eventRoom(eventId))?.size ?? 0;
  }

  /** Call after a socket joins or leaves the event's room. */
  changed(eventId: string): void {
    if (this.pending.has(eventId)) return;
    const wait = Math.max(0, (this.lastSent.get(eventId) ?? 0) + BROADCAST_INTERVAL_MS - Date.now());
    this.pending.set(
      eventId,
      setTimeout(() => this.broadcast(eventId), wait),
    );
  }

  private broadcast(eventId: string): void {
    this.pending.delete(eventId);
    this.lastSent.set(eventId, Date.now());
    const viewers = this.count(eventId);
    this.io.to(eventRoom(eventId)).emit('presence:viewers', { eventId, viewers });
    if (viewers === 0) this.lastSent.delete(eventId);
  }

  close(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
