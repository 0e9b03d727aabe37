import { z } from 'zod';
import { REACTION_BURSTS_PER_SECOND, Reaction } from '#shared/domain/moderation';

export type ReactionCounts = Partial<Record<Reaction, number>>;

/** What one process tells the others at each tick: its own clicks since the last one, per event. */
export const PeerReactions = z
  .array(z.object({ eventId: z.string().min(1).max(100), counts: z.partialRecord(Reaction, z.number().int().min(1).max(1_000_000)) }))
  .max(10_000);
export type PeerReactions = z.infer<typeof PeerReactions>;

export interface ReactionBurstsOptions {
  /** Emits one burst to this process's own sockets in the event's room. */
  toLocalRoom: (eventId: string, counts: ReactionCounts) => void;
  /** Sends this process's clicks to the other processes; left out when Parvis runs as one process. */
  toPeers?: (clicks: PeerReactions) => void;
  /** Time between two bursts of one event. Default: a quarter of a second. */
  intervalMs?: number;
}

/**
 * Reactions aggregated into bursts (issue 5). Each process counts the clicks of its own sockets; at each tick it sends
 * them to its peers and emits, to its own sockets only, everything since the last tick: its clicks and those its peers
 * sent. Every click thus reaches every socket of the room exactly once, in at most two ticks.
 *
 * A tick is scheduled only when something arrived and none is pending, one interval after that, so two ticks (hence
 * two bursts to a socket) are never closer than the interval, and an idle process runs no timer. Timers are global
 * `setTimeout`s, read at each call, so tests drive them with fake timers.
 */
export class ReactionBursts {
  private readonly intervalMs: number;
  /** This process's clicks since the last tick, for the peers. */
  private own = new Map<string, ReactionCounts>();
  /** What the next local burst carries: own clicks and the peers'. */
  private due = new Map<string, ReactionCounts>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(private readonly options: ReactionBurstsOptions) {
    this.intervalMs = options.intervalMs ?? 1000 / REACTION_BURSTS_PER_SECOND;
  }

  /** One click of a socket of this process. */
  add(eventId: string, reaction: Reaction): void {
    if (this.closed) return;
    if (this.options.toPeers) bump(this.own, eventId, reaction, 1);
    bump(this.due, eventId, reaction, 1);
    this.schedule();
  }

  /** Clicks another process took since its last tick. */
  fromPeers(clicks: PeerReactions): void {
    if (this.closed) return;
    for (const { eventId, counts } of clicks) {
      for (const [reaction, n] of Object.entries(counts) as [Reaction, number][]) bump(this.due, eventId, reaction, n);
    }
    if (clicks.length) this.schedule();
  }

  /** Stops the timer; what was not sent yet is dropped. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.own.clear();
    this.due.clear();
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => this.tick(), this.intervalMs);
    this.timer.unref?.();
  }

  private tick(): void {
    this.timer = undefined;
    const [own, due] = [this.own, this.due];
    this.own = new Map();
    this.due = new Map();
    if (own.size && this.options.toPeers) {
      this.options.toPeers([...own].map(([eventId, counts]) => ({ eventId, counts })));
    }
    for (const [eventId, counts] of due) this.options.toLocalRoom(eventId, counts);
  }
}

function bump(map: Map<string, ReactionCounts>, eventId: string, reaction: Reaction, n: number): void {
  let counts = map.get(eventId);
  if (!counts) map.set(eventId, (counts = {}));
  counts[reaction] = (counts[reaction] ?? 0) + n;
}
