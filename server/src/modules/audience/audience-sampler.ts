import { SAMPLE_INTERVAL_MS } from '#shared/protocol/figures';
import type { AudienceDelay } from '#shared/protocol/events';
import type { Clock } from '../../core/clock';
import type { AudienceStore } from '../../store/audience-store';
import type { AudienceTracker } from './audience-tracker';

/** How often the sampler looks: samples are written at the first look in each 30-s span, delays at every look. */
export const SAMPLER_TICK_MS = 5_000;
/** Delays a process wrote longer ago than this are from a process that stopped: left out. */
export const DELAY_FRESH_MS = 3 * SAMPLER_TICK_MS;

/** The median (nearest rank) and the largest of the delays. */
export function summarizeDelays(eventId: string, delays: readonly number[]): AudienceDelay {
  if (delays.length === 0) return { eventId, p50Ms: null, maxMs: null, viewers: 0 };
  const sorted = [...delays].sort((a, b) => a - b);
  return {
    eventId,
    p50Ms: Math.round(sorted[Math.ceil(sorted.length / 2) - 1]!),
    maxMs: Math.round(sorted.at(-1)!),
    viewers: sorted.length,
  };
}

export interface AudienceSamplerDeps {
  tracker: AudienceTracker;
  store: AudienceStore;
  clock: Clock;
  /** This process, among those writing to the store: its counts replace only its own. */
  processId: string;
  /** The events live now (the moderators of those may be waiting for the audience's delay). */
  liveEvents: () => Promise<string[]>;
  /** Whether the event's staff room has sockets on this process: only those are told the delay, by this process. */
  staffHere: (eventId: string) => boolean;
  publishDelay: (delay: AudienceDelay) => void;
  onError: (err: unknown) => void;
}

/**
 * Each process's side of the audience figures, on an injected clock:
 * - at each 30-s instant, its count of live viewers per event (AudienceTracker), written to the store as its own
 *   count for that instant, which the store sums with the other processes'; an event whose viewers all left gets a 0
 *   once, so that the chart comes down;
 * - every 5 s, its live viewers' delays, then the delays of every process read back, summarized for the moderators
 *   connected to this process (`audience:delay` to the local staff room: every process tells its own moderators).
 */
export class AudienceSampler {
  /** The instant each event was last sampled at by this process. */
  private readonly sampledAt = new Map<string, number>();
  /** Events this process wrote a non-zero sample for at the last instant. */
  private readonly sampled = new Set<string>();
  /** Events this process wrote delays for at the last tick. */
  private readonly published = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();

  constructor(private readonly deps: AudienceSamplerDeps) {}

  /** Looks every SAMPLER_TICK_MS of real time, reading the injected clock each time. */
  start(): void {
    this.timer ??= setInterval(() => {
      this.ticking = this.tick().catch(this.deps.onError);
    }, SAMPLER_TICK_MS);
    this.timer.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking;
  }

  /** One look, at the clock's now (tests call it after moving their clock). */
  async tick(): Promise<void> {
    const { tracker, store, processId } = this.deps;
    const now = this.deps.clock.now().getTime();
    tracker.sweep(now);

    // The first look in each 30-s span counts, for each event watched here: an event whose first viewer arrives
    // mid-span gets its sample at the next look rather than at the next span.
    const instant = Math.floor(now / SAMPLE_INTERVAL_MS) * SAMPLE_INTERVAL_MS;
    const at = new Date(instant).toISOString();
    for (const eventId of new Set([...tracker.liveEvents(now), ...this.sampled.keys()])) {
      if (this.sampledAt.get(eventId) === instant) continue;
      const viewers = tracker.liveViewers(eventId, now);
      await store.putSample(eventId, at, processId, viewers);
      this.sampledAt.set(eventId, instant);
      if (viewers > 0) this.sampled.add(eventId);
      else this.sampled.delete(eventId);
    }
    for (const [eventId, sampled] of this.sampledAt) if (sampled !== instant && !this.sampled.has(eventId)) this.sampledAt.delete(eventId);

    const nowIso = new Date(now).toISOString();
    const since = new Date(now - DELAY_FRESH_MS).toISOString();
    for (const eventId of new Set([...(await this.deps.liveEvents()), ...tracker.liveEvents(now), ...this.published])) {
      const mine = tracker.liveDelays(eventId, now);
      if (mine.length > 0 || this.published.has(eventId)) {
        await store.putDelays(eventId, processId, nowIso, mine);
        if (mine.length > 0) this.published.add(eventId);
        else this.published.delete(eventId);
      }
      if (this.deps.staffHere(eventId)) this.deps.publishDelay(summarizeDelays(eventId, await store.delays(eventId, since)));
    }
  }
}
