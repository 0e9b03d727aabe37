import type { Clock } from '../app/clock';

/**
 * Where the viewer's picture is in real time: the wall-clock instant of the frame on screen (a live stream's
 * `EXT-X-PROGRAM-DATE-TIME`, as `ParvisPlayer.programDate()` gives it), or null when it is not known (no player, no
 * first frame yet, a stream without program dates).
 */
export type ProgramDateSource = () => Date | null;

export interface ViewerClockOptions {
  /**
   * How often, at most, the picture is looked at again while something waits for it (ms). The picture does not move
   * with the clock (the viewer pauses, seeks, the player stalls), so waits are checked rather than timed exactly.
   */
  checkEveryMs?: number;
  /**
   * A picture further behind real time than this is taken as a wrong program date (an outside encoder with a clock
   * off by hours), not as a viewer that far behind: nothing is held back for it.
   */
  maxDelayMs?: number;
}

interface Waiter {
  instant: number;
  callback: () => void;
}

const DEFAULT_CHECK_MS = 250;
const DEFAULT_MAX_DELAY_MS = 10 * 60_000;

/**
 * Time as one viewer's video shows it. With HLS a viewer sees the room 6–20 s after it happens, more after a pause;
 * what happens in the room at an instant (a question going on air, a poll opening, a caption) is released to this
 * viewer when their picture reaches that instant, so that it does not arrive before the speaker says it.
 *
 * When the picture's instant is unknown there is no delay to honour, and everything is released at once: nothing is
 * held back for a viewer who has no video (a chat-only page, a stream without program dates, before the first frame).
 * The instants compared are the server's (the program dates and `liveAt` both come from it), so a viewer's computer
 * clock being off does not matter.
 */
export class ViewerClock {
  readonly #programDate: ProgramDateSource;
  readonly #clock: Clock;
  readonly #checkEveryMs: number;
  readonly #maxDelayMs: number;
  #waiters: Waiter[] = [];
  #cancelCheck: (() => void) | undefined;

  constructor(programDate: ProgramDateSource, clock: Clock, options: ViewerClockOptions = {}) {
    this.#programDate = programDate;
    this.#clock = clock;
    this.#checkEveryMs = options.checkEveryMs ?? DEFAULT_CHECK_MS;
    this.#maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  }

  /** The instant (ms since 1970) the viewer's picture shows now, or null when it is not known. */
  now(): number | null {
    const ms = this.#programDate()?.getTime();
    if (ms === undefined || !Number.isFinite(ms) || this.#clock.now() - ms > this.#maxDelayMs) return null;
    return ms;
  }

  /** How far behind real time the picture is, in ms (0 when unknown). */
  delay(): number {
    const now = this.now();
    return now === null ? 0 : Math.max(0, this.#clock.now() - now);
  }

  /** Whether the viewer's picture has reached `instant` (ms since 1970); always, when the picture's instant is unknown. */
  reached(instant: number): boolean {
    const now = this.now();
    return now === null || now >= instant;
  }

  /**
   * Calls `callback` once the viewer's picture reaches `instant` (at once, synchronously, if it already has). The
   * function returned cancels it.
   */
  at(instant: number, callback: () => void): () => void {
    if (this.reached(instant)) {
      callback();
      return () => undefined;
    }
    const waiter: Waiter = { instant, callback };
    this.#waiters.push(waiter);
    this.#schedule();
    return () => {
      this.#waiters = this.#waiters.filter((w) => w !== waiter);
      if (this.#waiters.length === 0) this.#stop();
    };
  }

  /** Releases at once what the picture has reached: after a seek, or when the video starts playing again. */
  check(): void {
    this.#stop();
    const due = this.#waiters.filter((w) => this.reached(w.instant)).sort((a, b) => a.instant - b.instant);
    this.#waiters = this.#waiters.filter((w) => !due.includes(w));
    for (const waiter of due) waiter.callback();
    this.#schedule();
  }

  /** Forgets every wait (the page is leaving). */
  dispose(): void {
    this.#waiters = [];
    this.#stop();
  }

  #schedule(): void {
    if (this.#cancelCheck || this.#waiters.length === 0) return;
    // While playing, the earliest wait falls due in about (instant - picture) ms; a paused picture is looked at again
    // soon, since it may resume at any time.
    const earliest = Math.min(...this.#waiters.map((w) => w.instant));
    const wait = Math.min(this.#checkEveryMs, Math.max(0, earliest - (this.now() ?? earliest)));
    this.#cancelCheck = this.#clock.after(wait, () => {
      this.#cancelCheck = undefined;
      this.check();
    });
  }

  #stop(): void {
    this.#cancelCheck?.();
    this.#cancelCheck = undefined;
  }
}
