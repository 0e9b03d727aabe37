import type { Reaction } from '#shared/domain/moderation';
import type { ReactionCounts, ReactionStore } from '../../store/reaction-store';

/** How often the clicks of this process are written to the store. */
const FLUSH_MS = 1000;

export interface ReactionRecorderOptions {
  store: Pick<ReactionStore, 'add'>;
  /** Epoch ms; tests move it by hand. */
  now?: () => number;
  /** One-shot timer; answers its cancel. Tests run it by hand. */
  after?: (ms: number, callback: () => void) => () => void;
  /** A write the store refused (Redis down…): the clicks of that second are lost, which the log should say. */
  onError?: (err: unknown) => void;
}

/**
 * Keeps the live's reactions for the replay (issue 11): the clicks this process's sockets took, summed per event and
 * per second (the instant a click joined is its second, rounded down), written to the store once a second. The store
 * adds what every process writes for the same second, so this process never needs to hear of the others' clicks
 * (unlike the bursts sent to the room). An idle process runs no timer; `close()` writes what is left, so a graceful
 * stop loses nothing.
 */
export class ReactionRecorder {
  /** event id → second (epoch ms) → counts, since the last write. */
  private pending = new Map<string, Map<number, ReactionCounts>>();
  private cancel: (() => void) | undefined;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly now: () => number;
  private readonly after: (ms: number, callback: () => void) => () => void;

  constructor(private readonly options: ReactionRecorderOptions) {
    this.now = options.now ?? Date.now;
    this.after =
      options.after ??
      ((ms, callback) => {
        const timer = setTimeout(callback, ms);
        timer.unref?.();
        return () => clearTimeout(timer);
      });
  }

  /** One click of a socket of this process, now. */
  add(eventId: string, reaction: Reaction): void {
    if (this.closed) return;
    const second = Math.floor(this.now() / 1000) * 1000;
    let seconds = this.pending.get(eventId);
    if (!seconds) this.pending.set(eventId, (seconds = new Map()));
    let counts = seconds.get(second);
    if (!counts) seconds.set(second, (counts = {}));
    counts[reaction] = (counts[reaction] ?? 0) + 1;
    this.cancel ??= this.after(FLUSH_MS, () => {
      this.cancel = undefined;
      void this.flush();
    });
  }

  /**
   * Writes what was taken since the last write. Writes run one after another, so that a slow store never sees a
   * second's counts from one flush overtaken by the next. Resolves once everything taken so far is written (or lost).
   */
  flush(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    this.writing = this.writing.then(async () => {
      for (const [eventId, seconds] of batch) {
        for (const [second, counts] of seconds) {
          try {
            await this.options.store.add(eventId, new Date(second).toISOString(), counts);
          } catch (err) {
            this.options.onError?.(err);
          }
        }
      }
    });
    return this.writing;
  }

  /** Stops the timer and writes what is left. */
  async close(): Promise<void> {
    this.closed = true;
    this.cancel?.();
    this.cancel = undefined;
    await this.flush();
  }
}
