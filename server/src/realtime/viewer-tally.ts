import { eventRoom } from './rooms';
import type { ParvisServer } from './types';

/** Who a viewer is for counting: a person (`user:<id>`, guests included), or one anonymous socket (`socket:<id>`). */
export type ViewerKey = string;

interface RoomTally {
  eventId: string;
  /** Each socket of the room, with the viewer it counts for. */
  viewerOf: Map<string, ViewerKey>;
  /** Each viewer, with how many of their sockets are in the room. */
  sockets: Map<ViewerKey, number>;
}

/**
 * Who is in each event's room on this process, by person: someone with three tabs open is one viewer. People who
 * chose a name (guests) or signed in count by their user id. An anonymous read-only viewer has no person, so each
 * of their sockets counts once; SOCKETS_PER_ADDRESS bounds how many one address can open.
 *
 * Kept up to date from the adapter's `join-room` and `leave-room` events, so every way a socket leaves a room is seen:
 * `event:leave`, a disconnect, an eviction or a deletion ordered from another process. A room is followed from the
 * first `track` after a socket joined it (which counts who is there already) until it empties.
 */
export class ViewerTally {
  private readonly rooms = new Map<string, RoomTally>();

  /** @param onChange a viewer arrived in an event's room or left it (not called for their second tab). */
  constructor(
    private readonly io: ParvisServer,
    private readonly onChange: (eventId: string, viewer: ViewerKey, present: boolean) => void,
  ) {
    const adapter = io.of('/').adapter;
    adapter.on('join-room', (room: string, socketId: string) => {
      const tally = this.rooms.get(room);
      if (tally) this.add(tally, socketId);
    });
    adapter.on('leave-room', (room: string, socketId: string) => {
      const tally = this.rooms.get(room);
      if (tally) this.remove(tally, socketId);
    });
    adapter.on('delete-room', (room: string) => {
      this.rooms.delete(room);
    });
  }

  /** Starts following an event's room, if anyone is in it. */
  track(eventId: string): void {
    const room = eventRoom(eventId);
    const members = this.io.of('/').adapter.rooms.get(room);
    if (this.rooms.has(room) || !members) return;
    const tally: RoomTally = { eventId, viewerOf: new Map(), sockets: new Map() };
    this.rooms.set(room, tally);
    for (const socketId of members) this.add(tally, socketId);
  }

  /** How many viewers the event has on this process. */
  count(eventId: string): number {
    return this.rooms.get(eventRoom(eventId))?.sockets.size ?? 0;
  }

  viewers(eventId: string): ViewerKey[] {
    return [...(this.rooms.get(eventRoom(eventId))?.sockets.keys() ?? [])];
  }

  private viewerOf(socketId: string): ViewerKey {
    const user = this.io.of('/').sockets.get(socketId)?.data.user;
    return user ? `user:${user.id}` : `socket:${socketId}`;
  }

  private add(tally: RoomTally, socketId: string): void {
    if (tally.viewerOf.has(socketId)) return;
    const viewer = this.viewerOf(socketId);
    tally.viewerOf.set(socketId, viewer);
    const n = tally.sockets.get(viewer) ?? 0;
    tally.sockets.set(viewer, n + 1);
    if (n === 0) this.onChange(tally.eventId, viewer, true);
  }

  private remove(tally: RoomTally, socketId: string): void {
    const viewer = tally.viewerOf.get(socketId);
    if (viewer === undefined) return;
    tally.viewerOf.delete(socketId);
    const n = tally.sockets.get(viewer)! - 1;
    if (n > 0) {
      tally.sockets.set(viewer, n);
      return;
    }
    tally.sockets.delete(viewer);
    this.onChange(tally.eventId, viewer, false);
  }
}
