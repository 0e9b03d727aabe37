import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { eventRoom } from './rooms';
import { RedisLeases } from './redis-leases';
import type { ParvisServer } from './types';
import { ViewerTally, type ViewerKey } from './viewer-tally';

/** The longest a viewer count may wait before it goes out, and the shortest gap between two broadcasts. */
export const PRESENCE_INTERVAL_MS = 500;
/**
 * Each viewer count sent costs one socket write per viewer of the room on this process. During a join storm the
 * count changes all the time, and 2,000 viewers told every 500 ms cost about 7% of the server's CPU while it has
 * 2,000 join answers to send (`npm run bench -- --only=joinstorm --profile`); so a big room's counts are spaced
 * until they cost at most this many writes a second: 500 ms up to 500 viewers, 2 s for 2,000.
 */
export const PRESENCE_WRITES_PER_SECOND = 1000;
/** The widest gap between two viewer counts, from 5,000 viewers on this process. */
export const PRESENCE_MAX_INTERVAL_MS = 5000;

/** The shortest gap between two viewer counts told to a room of this many sockets on this process. */
export function presenceInterval(sockets: number): number {
  return Math.min(PRESENCE_MAX_INTERVAL_MS, Math.max(PRESENCE_INTERVAL_MS, (sockets * 1000) / PRESENCE_WRITES_PER_SECOND));
}

/** How many sockets of this process are in the event's room. */
function localRoomSize(io: ParvisServer, eventId: string): number {
  return io.of('/').adapter.rooms.get(eventRoom(eventId))?.size ?? 0;
}

/**
 * Viewer counts per event, across every process: people, not sockets (see ViewerTally: someone with three tabs is
 * one viewer; an anonymous viewer counts once per socket).
 */
export interface Presence {
  /** Call after a socket joined the event's room (leaving is seen without being told). */
  changed(eventId: string): void;
  count(eventId: string): Promise<number>;
  /**
   * The event's viewers over every process as last counted, without asking anyone (0 when unknown): cheap enough to
   * read for each chat message.
   */
  latest(eventId: string): number;
  close(): Promise<void>;
}

/**
 * One process: the count is the room's viewers. A join storm changes it thousands of times a second, so broadcasts
 * are throttled per event to one every 500 ms (longer in big rooms: `presenceInterval`), the last value always going
 * out.
 */
export class LocalPresence implements Presence {
  private readonly tally: ViewerTally;
  private readonly lastSent = new Map<string, number>();
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(private readonly io: ParvisServer) {
    this.tally = new ViewerTally(io, (eventId) => this.schedule(eventId));
  }

  async count(eventId: string): Promise<number> {
    this.tally.track(eventId);
    return this.tally.count(eventId);
  }

  changed(eventId: string): void {
    this.tally.track(eventId);
  }

  latest(eventId: string): number {
    return this.tally.count(eventId);
  }

  private schedule(eventId: string): void {
    if (this.pending.has(eventId)) return;
    const gap = presenceInterval(localRoomSize(this.io, eventId));
    const wait = Math.max(0, (this.lastSent.get(eventId) ?? 0) + gap - Date.now());
    this.pending.set(
      eventId,
      setTimeout(() => this.broadcast(eventId), wait),
    );
  }

  private broadcast(eventId: string): void {
    this.pending.delete(eventId);
    this.lastSent.set(eventId, Date.now());
    const viewers = this.tally.count(eventId);
    this.io.to(eventRoom(eventId)).emit('presence:viewers', { eventId, viewers });
    if (viewers === 0) this.lastSent.delete(eventId);
  }

  async close(): Promise<void> {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}

/** A viewer whose process has not renewed them for this long is taken for gone (their process died). */
export const VIEWER_LEASE_MS = 3 * PRESENCE_INTERVAL_MS + 1000;
/**
 * A viewer who left a process stays counted this long: if they still watch on another process, it renews them
 * meanwhile (every 500 ms), and the count does not blink.
 */
export const VIEWER_GRACE_MS = 2 * PRESENCE_INTERVAL_MS;

/**
 * Several processes on Redis. Each event has one sorted set of viewers (`parvis:viewers:{<event>}`), each renewed
 * every 500 ms by the processes that serve them (realtime/redis-leases.ts): a person with tabs on two processes is
 * one member, someone who left is uncounted after VIEWER_GRACE_MS, and a killed process's viewers drop out within
 * VIEWER_LEASE_MS, without anyone cleaning up. Every 500 ms each process reads the totals of the events it has
 * viewers of and tells its own sockets when one changed.
 */
export class ClusterPresence implements Presence {
  private readonly tally: ViewerTally;
  private readonly leases: RedisLeases;
  /** Events this process has viewers of, with the latest total read from Redis (-1 before the first). */
  private readonly watched = new Map<string, number>();
  /** The last total each event's sockets here were told, and when (Date.now()), for `presenceInterval`. */
  private readonly told = new Map<string, { viewers: number; at: number }>();
  /** Viewers who arrived since their event's set was last written, and viewers who left, per event. */
  private readonly arrived = new Map<string, Set<ViewerKey>>();
  private readonly left = new Map<string, Set<ViewerKey>>();
  private readonly timer: NodeJS.Timeout;
  private ticking: Promise<void> = Promise.resolve();

  constructor(
    private readonly io: ParvisServer,
    redis: Redis,
    private readonly log: Logger,
    private readonly prefix = 'parvis:',
  ) {
    this.leases = new RedisLeases(redis, VIEWER_LEASE_MS, VIEWER_GRACE_MS);
    this.tally = new ViewerTally(io, (eventId, viewer, present) => {
      this.watch(eventId);
      const [add, drop] = present ? [this.arrived, this.left] : [this.left, this.arrived];
      drop.get(eventId)?.delete(viewer);
      let set = add.get(eventId);
      if (!set) add.set(eventId, (set = new Set()));
      set.add(viewer);
    });
    this.timer = setInterval(() => {
      this.ticking = this.tick().catch((err: unknown) => this.log.warn({ err }, 'presence tick failed'));
    }, PRESENCE_INTERVAL_MS);
    this.timer.unref();
  }

  private key(eventId: string): string {
    return `${this.prefix}viewers:{${eventId}}`;
  }

  private watch(eventId: string): void {
    if (!this.watched.has(eventId)) this.watched.set(eventId, -1);
  }

  /** What has to go to Redis for an event: who left, and `put` (everyone here, or only who arrived). */
  private change(eventId: string, put: ViewerKey[]) {
    const gone = [...(this.left.get(eventId) ?? [])];
    this.left.delete(eventId);
    this.arrived.delete(eventId);
    return { key: this.key(eventId), leave: gone, put };
  }

  changed(eventId: string): void {
    this.tally.track(eventId);
    this.watch(eventId);
  }

  latest(eventId: string): number {
    return Math.max(0, this.watched.get(eventId) ?? 0);
  }

  async count(eventId: string): Promise<number> {
    this.changed(eventId);
    // Only who arrived since the last tick: writing every viewer on each join would make a join storm quadratic.
    const [total] = await this.leases.apply([this.change(eventId, [...(this.arrived.get(eventId) ?? [])])]);
    return total!;
  }

  private async tick(): Promise<void> {
    const eventIds = [...this.watched.keys()];
    // Every viewer of every watched event, not only the new ones: renewing them is this process's proof of life.
    const totals = await this.leases.apply(eventIds.map((eventId) => this.change(eventId, this.tally.viewers(eventId))));
    eventIds.forEach((eventId, i) => {
      const viewers = totals[i]!;
      this.watched.set(eventId, viewers);
      // A change that comes too soon after the last one told here waits for a later tick (big rooms only: half a tick
      // of slack, so that a timer firing a little early does not hold a small room's count back a whole tick).
      const last = this.told.get(eventId);
      const now = Date.now();
      const due = (last?.at ?? 0) + presenceInterval(localRoomSize(this.io, eventId)) - PRESENCE_INTERVAL_MS / 2;
      if (viewers !== last?.viewers && now >= due) {
        this.io.local.to(eventRoom(eventId)).emit('presence:viewers', { eventId, viewers });
        this.told.set(eventId, { viewers, at: now });
      }
      if (this.tally.count(eventId) === 0 && !this.left.has(eventId)) {
        this.watched.delete(eventId);
        this.told.delete(eventId);
      }
    });
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
    // Leave cleanly so the others stop counting this process's viewers within the grace, not the whole lease.
    const changes = [...this.watched.keys()].map((eventId) => ({
      key: this.key(eventId),
      leave: [...this.tally.viewers(eventId), ...(this.left.get(eventId) ?? [])],
    }));
    await this.leases.apply(changes.filter((c) => c.leave.length > 0)).catch(() => undefined);
  }
}
