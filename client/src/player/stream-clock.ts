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
}

interface Waiter {
  instant: number;
  callback: () => void;
}

const DEFAULT_CHECK_MS = 250;

/**
 * Time as one viewer's video shows it. With HLS a viewer sees the room 6–20 s after it happens, more after a pause;
 * what happens in the room at an instant (a question going on air, a poll opening, a caption) is released to this
 * viewer when their picture reaches that instant, so that it does not arrive before the speaker says it.
 *
 * When the picture's instant is unknown there is no delay to honour, and real time applies: nothing is held back
 * for a viewer who has no video (a chat-only page, a stream without program dates).
 */
export class ViewerClock {
  readonly #programDate: ProgramDateSource;
  readonly #clock: Clock;
  readonly #checkEveryMs: number;
  #waiters: Waiter[] = [];
  #cancelCheck: (() => void) | undefined;

  constructor(programDate: ProgramDateSource, clock: Clock, options: ViewerClockOptions = {}) {
    this.#programDate = programDate;
    this.#clock = clock;
    this.#checkEveryMs = options.checkEveryMs ?? DEFAULT_CHECK_MS;
  }

  /** The instant (ms since 1970) the viewer's picture shows now: the program date, else real time. */
  now(): number {
    const date = this.#programDate();
    const ms = date?.getTime();
    return ms !== undefined && Number.isFinite(ms) ? ms : this.#clock.now();
  }

  /** How far behind real time the picture is, in ms (0 when unknown). */
  delay(): number {
    return Math.max(0, this.#clock.now() - this.now());
  }

  /** Whether the viewer's picture has reached `instant` (ms since 1970). */
  reached(instant: number): boolean {
    return this.now() >= instant;
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
    const now = this.now();
    const due = this.#waiters.filter((w) => w.instant <= now).sort((a, b) => a.instant - b.instant);
    this.#waiters = this.#waiters.filter((w) => w.instant > now);
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
    const wait = Math.min(this.#checkEveryMs, Math.max(0, earliest - this.now()));
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
