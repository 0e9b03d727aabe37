import type { Clock } from './clock';

interface Due {
  at: number;
  /** Order of scheduling: timers due at the same instant run in the order they were set, as with `setTimeout`. */
  seq: number;
  callback: () => void;
}

/**
 * Test support: a clock that moves only when the test says so. `advance(ms)` runs every timer that falls due, in
 * order, with `now()` at the instant each was due; timers set by those callbacks run too when they fall in the span.
 */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  #due: Due[] = [];

  /** `start`: what `now()` reads until the clock is moved, in ms since 1970. */
  constructor(start: number) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  after(ms: number, callback: () => void): () => void {
    const due: Due = { at: this.#now + Math.max(0, ms), seq: this.#seq++, callback };
    this.#due.push(due);
    return () => {
      this.#due = this.#due.filter((d) => d !== due);
    };
  }

  /** How many timers are set and not yet run or cancelled. */
  get pending(): number {
    return this.#due.length;
  }

  advance(ms: number): void {
    const until = this.#now + ms;
    for (;;) {
      const next = this.#due.filter((d) => d.at <= until).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.#due = this.#due.filter((d) => d !== next);
      this.#now = next.at;
      next.callback();
    }
    this.#now = until;
  }
}
