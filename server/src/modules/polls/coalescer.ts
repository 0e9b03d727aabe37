/**
 * Runs `run(key)` at most once per `intervalMs` for each key, however often `touch(key)` is called: the first touch
 * after a quiet interval runs at once, and touches during the interval run once more at its end (the trailing edge),
 * so the last change is never lost. `run` should read the latest state itself rather than take it from the touch.
 *
 * Timers use the global `setTimeout` and `Date.now`, read at each call, so tests drive them with fake timers.
 */
export class Coalescer<K> {
  private readonly lastRun = new Map<K, number>();
  private readonly timers = new Map<K, ReturnType<typeof setTimeout>>();
  private closed = false;

  constructor(
    private readonly intervalMs: number,
    private readonly run: (key: K) => void,
  ) {}

  touch(key: K): void {
    if (this.closed || this.timers.has(key)) return;
    const now = Date.now();
    const wait = (this.lastRun.get(key) ?? -Infinity) + this.intervalMs - now;
    if (wait <= 0) {
      this.fire(key, now);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.fire(key, Date.now());
    }, wait);
    timer.unref?.();
    this.timers.set(key, timer);
  }

  /** Cancels the pending runs; later touches do nothing. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private fire(key: K, now: number): void {
    this.lastRun.set(key, now);
    // Keys quiet for a whole interval need no memory: their next touch runs at once anyway.
    if (this.lastRun.size > 1000) {
      for (const [k, at] of this.lastRun) if (now - at >= this.intervalMs && !this.timers.has(k)) this.lastRun.delete(k);
    }
    this.run(key);
  }
}
