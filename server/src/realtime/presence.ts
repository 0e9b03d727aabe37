import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { eventRoom } from './rooms';
import type { ParvisServer } from './types';

/** The longest a viewer count may wait before it goes out, and the shortest gap between two broadcasts. */
export const PRESENCE_INTERVAL_MS = 500;

/** Viewer counts per event: how many sockets are in the event's room, across every process. */
export interface Presence {
  /** Call after a socket joins or leaves the event's room. */
  changed(eventId: string): void;
  count(eventId: string): Promise<number>;
  close(): Promise<void>;
}

const localCount = (io: ParvisServer, eventId: string) => io.of('/').adapter.rooms.get(eventRoom(eventId))?.size ?? 0;

/**
 * One process: the count is the room's size. A join storm changes it thousands of times a second, so broadcasts are
 * throttled per event to one every 500 ms, the last value always going out.
 */
export class LocalPresence implements Presence {
  private readonly lastSent = new Map<string, number>();
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(private readonly io: ParvisServer) {}

  async count(eventId: string): Promise<number> {
    return localCount(this.io, eventId);
  }

  changed(eventId: string): void {
    if (this.pending.has(eventId)) return;
    const wait = Math.max(0, (this.lastSent.get(eventId) ?? 0) + PRESENCE_INTERVAL_MS - Date.now());
    this.pending.set(
      eventId,
      setTimeout(() => this.broadcast(eventId), wait),
    );
  }

  private broadcast(eventId: string): void {
    this.pending.delete(eventId);
    this.lastSent.set(eventId, Date.now());
    const viewers = localCount(this.io, eventId);
    this.io.to(eventRoom(eventId)).emit('presence:viewers', { eventId, viewers });
    if (viewers === 0) this.lastSent.delete(eventId);
  }

  async close(): Promise<void> {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}

/** A process that has not refreshed its heartbeat for this long is taken for dead and its viewers no longer count. */
const NODE_TIMEOUT_MS = 3 * PRESENCE_INTERVAL_MS + 1000;

/**
 * Several processes on Redis. Each process writes its own count per event into a hash (one field per process) and
 * a heartbeat; every 500 ms it sums the fields of live processes for the events it has viewers of and tells its own
 * sockets when the total changed. A killed process stops counting within a few seconds, without anyone cleaning up.
 */
export class ClusterPresence implements Presence {
  private readonly dirty = new Set<string>();
  /** Events this process has viewers of, with the last total its sockets were told. */
  private readonly watched = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  private ticking: Promise<void> = Promise.resolve();

  constructor(
    private readonly io: ParvisServer,
    private readonly redis: Redis,
    private readonly nodeId: string,
    private readonly log: Logger,
    private readonly prefix = 'parvis:',
  ) {
    this.timer = setInterval(() => {
      this.ticking = this.tick().catch((err: unknown) => this.log.warn({ err }, 'presence tick failed'));
    }, PRESENCE_INTERVAL_MS);
    this.timer.unref();
  }

  private key(eventId: string): string {
    return `${this.prefix}presence:${eventId}`;
  }

  private get nodesKey(): string {
    return `${this.prefix}presence-nodes`;
  }

  changed(eventId: string): void {
    this.dirty.add(eventId);
    if (!this.watched.has(eventId)) this.watched.set(eventId, -1);
  }

  async count(eventId: string): Promise<number> {
    await this.publish([eventId]);
    return this.total(eventId, await this.liveNodes());
  }

  private async publish(eventIds: Iterable<string>): Promise<void> {
    const batch = this.redis.multi();
    for (const eventId of eventIds) {
      const n = localCount(this.io, eventId);
      if (n > 0) batch.hset(this.key(eventId), this.nodeId, n);
      else batch.hdel(this.key(eventId), this.nodeId);
    }
    batch.zadd(this.nodesKey, Date.now(), this.nodeId);
    await batch.exec();
  }

  private async liveNodes(): Promise<Set<string>> {
    return new Set(await this.redis.zrangebyscore(this.nodesKey, Date.now() - NODE_TIMEOUT_MS, '+inf'));
  }

  private async total(eventId: string, live: Set<string>): Promise<number> {
    const counts = await this.redis.hgetall(this.key(eventId));
    let sum = 0;
    for (const [node, n] of Object.entries(counts)) if (live.has(node)) sum += Number(n);
    return sum;
  }

  private async tick(): Promise<void> {
    const dirty = [...this.dirty];
    this.dirty.clear();
    // Refresh every watched event, not only the dirty ones: the hash fields are this process's proof of life.
    await this.publish(new Set([...dirty, ...this.watched.keys()]));
    const live = await this.liveNodes();
    for (const [eventId, lastTold] of this.watched) {
      const viewers = await this.total(eventId, live);
      if (viewers !== lastTold) {
        this.io.local.to(eventRoom(eventId)).emit('presence:viewers', { eventId, viewers });
        this.watched.set(eventId, viewers);
      }
      if (localCount(this.io, eventId) === 0) this.watched.delete(eventId);
    }
    // Forget processes that died long ago, so the set stays small.
    await this.redis.zremrangebyscore(this.nodesKey, '-inf', Date.now() - 10 * NODE_TIMEOUT_MS);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
    // Leave cleanly so the others stop counting this process's viewers at once.
    const batch = this.redis.multi();
    for (const eventId of this.watched.keys()) batch.hdel(this.key(eventId), this.nodeId);
    batch.zrem(this.nodesKey, this.nodeId);
    await batch.exec().catch(() => undefined);
  }
}
