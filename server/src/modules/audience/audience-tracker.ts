import { randomUUID } from 'node:crypto';
import type { ViewerHeartbeatPayload } from '#shared/protocol/payloads';
import type { Clock } from '../../core/clock';
import type { AudienceMode, AudienceStore } from '../../store/audience-store';

/** How often a player sends a heartbeat while it is on the page (client/src/features/audience/heartbeat-controller.ts). */
export const HEARTBEAT_INTERVAL_MS = 15_000;
/**
 * A player silent for this long has gone (a closed tab, a lost network, a sleeping laptop): it no longer counts as a
 * viewer, and the time since its last heartbeat is not watch time. Three intervals, so one lost heartbeat is forgiven.
 */
export const HEARTBEAT_STALE_MS = 3 * HEARTBEAT_INTERVAL_MS;
/** The most one gap between two heartbeats adds to watch time: beyond two intervals the player was not watching. */
export const MAX_CREDIT_MS = 2 * HEARTBEAT_INTERVAL_MS;

/** One player on one socket, for one event: what its last heartbeat said. */
interface PlayerState {
  socketId: string;
  eventId: string;
  person: string;
  mode: AudienceMode;
  /** This player's session: a new one when the mode changes or after a silence past HEARTBEAT_STALE_MS. */
  view: string;
  /** The person and the view are counted in the store (at the first heartbeat that played). */
  counted: boolean;
  playing: boolean;
  lastAt: number;
  delayMs: number | null;
}

/**
 * What this process's players are doing, from their heartbeats: who watches the live now (the sampler counts them),
 * how far behind real time they are, and each person's watch time, credited to the store as heartbeats arrive.
 *
 * Watch time is the time between two heartbeats when the first said "playing", capped at MAX_CREDIT_MS; a player that
 * leaves (a last heartbeat with `playing: false`, `event:leave`, or a disconnect) is credited the time since its last
 * heartbeat, up to one interval. A person's players on this process are credited once for the same span (two tabs
 * are one person watching; on two processes they add up, as viewer samples do). Only the process that serves a socket hears its heartbeats, and the store adds the
 * processes up, so no state is shared between processes.
 */
export class AudienceTracker {
  private readonly players = new Map<string, PlayerState>();
  /** Per person, event and mode: the instant up to which their watch time is credited. */
  private readonly creditedUntil = new Map<string, number>();

  constructor(
    private readonly deps: {
      store: AudienceStore;
      clock: Clock;
      /** A new view id; random by default. */
      newView?: () => string;
    },
  ) {}

  private static key(socketId: string, eventId: string): string {
    return `${socketId}\n${eventId}`;
  }

  /**
   * A heartbeat from a player of `person` (`user:<id>`, or `socket:<id>` for an anonymous viewer) on `socketId`.
   * Resolves once its watch time is in the store.
   */
  async beat(socketId: string, person: string, beat: ViewerHeartbeatPayload): Promise<void> {
    const now = this.deps.clock.now().getTime();
    const key = AudienceTracker.key(socketId, beat.eventId);
    const prev = this.players.get(key);
    const fresh = prev !== undefined && now - prev.lastAt <= HEARTBEAT_STALE_MS;
    const credit = fresh && prev.playing ? this.credit(prev, now, MAX_CREDIT_MS) : 0;
    const sameView = fresh && prev.mode === beat.mode && prev.person === person;
    const state: PlayerState = sameView
      ? prev
      : {
          socketId,
          eventId: beat.eventId,
          person,
          mode: beat.mode,
          view: this.deps.newView?.() ?? randomUUID(),
          counted: false,
          playing: false,
          lastAt: now,
          delayMs: null,
        };
    // The state changes before the store is written: a second heartbeat arriving meanwhile reads the new one.
    const writes: Promise<void>[] = [];
    if (credit > 0 && !sameView) {
      writes.push(this.deps.store.addWatch(beat.eventId, { person: prev!.person, mode: prev!.mode, view: prev!.view, ms: credit }));
    }
    const own = sameView ? credit : 0;
    if ((beat.playing && !state.counted) || own > 0) {
      writes.push(this.deps.store.addWatch(beat.eventId, { person, mode: beat.mode, view: state.view, ms: own }));
      state.counted ||= beat.playing;
    }
    state.playing = beat.playing;
    state.lastAt = now;
    state.delayMs = beat.mode === 'live' ? beat.delayMs : null;
    this.players.set(key, state);
    await Promise.all(writes);
  }

  /**
   * The watch time a playing player earned from its last heartbeat until `now`, at most `cap`, and not counting again
   * what another player of the same person on this process already earned (two tabs playing are one person watching).
   */
  private credit(state: PlayerState, now: number, cap: number): number {
    const personKey = `${state.person}\n${state.eventId}\n${state.mode}`;
    const until = this.creditedUntil.get(personKey) ?? -Infinity;
    const from = Math.max(state.lastAt, now - cap, until);
    if (now > until) this.creditedUntil.set(personKey, now);
    return Math.max(0, now - from);
  }

  /** The socket left the event's room, or every room when `eventId` is left out (a disconnect). */
  async leave(socketId: string, eventId?: string): Promise<void> {
    const now = this.deps.clock.now().getTime();
    const writes: Promise<void>[] = [];
    for (const [key, state] of this.players) {
      if (state.socketId !== socketId || (eventId !== undefined && state.eventId !== eventId)) continue;
      this.players.delete(key);
      if (!state.playing || now - state.lastAt > HEARTBEAT_STALE_MS) continue;
      const tail = this.credit(state, now, HEARTBEAT_INTERVAL_MS);
      if (tail > 0) {
        writes.push(this.deps.store.addWatch(state.eventId, { person: state.person, mode: state.mode, view: state.view, ms: tail }));
      }
    }
    await Promise.all(writes);
  }

  /** Forgets the players silent past HEARTBEAT_STALE_MS (their time was credited up to their last heartbeat). */
  sweep(now: number): void {
    for (const [key, state] of this.players) if (now - state.lastAt > HEARTBEAT_STALE_MS) this.players.delete(key);
    for (const [key, until] of this.creditedUntil) if (now - until > HEARTBEAT_STALE_MS) this.creditedUntil.delete(key);
  }

  private watching(eventId: string, now: number): PlayerState[] {
    return [...this.players.values()].filter(
      (s) => s.eventId === eventId && s.mode === 'live' && s.playing && now - s.lastAt <= HEARTBEAT_STALE_MS,
    );
  }

  /** The people watching the event's live on this process: someone with two tabs is one. */
  liveViewers(eventId: string, now: number): number {
    return new Set(this.watching(eventId, now).map((s) => s.person)).size;
  }

  /** The delays the live players of this process last reported (those that could tell). */
  liveDelays(eventId: string, now: number): number[] {
    return this.watching(eventId, now).flatMap((s) => (s.delayMs === null ? [] : [s.delayMs]));
  }

  /** The events whose live a player plays here now. */
  liveEvents(now: number): Set<string> {
    return new Set(
      [...this.players.values()].filter((s) => s.mode === 'live' && s.playing && now - s.lastAt <= HEARTBEAT_STALE_MS).map((s) => s.eventId),
    );
  }
}
