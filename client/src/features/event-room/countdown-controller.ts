import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface CountdownParts {
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

/** Splits a duration into whole days, hours, minutes and seconds (rounded up to the second, never negative). */
export function countdownParts(ms: number): CountdownParts {
  let s = Math.max(0, Math.ceil(ms / 1000));
  const days = Math.floor(s / 86_400);
  s -= days * 86_400;
  const hours = Math.floor(s / 3_600);
  s -= hours * 3_600;
  const minutes = Math.floor(s / 60);
  return { days, hours, minutes, seconds: s - minutes * 60 };
}

/**
 * Re-renders its host every second until `target` is reached, then stops. The timer runs only while the host is in
 * the document.
 */
export class CountdownController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #target: () => string | null | undefined;
  readonly #now: () => number;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(host: ReactiveControllerHost, target: () => string | null | undefined, now: () => number = Date.now) {
    this.#host = host;
    this.#target = target;
    this.#now = now;
    host.addController(this);
  }

  /** Milliseconds left, 0 once the target has passed, null without a valid target. */
  get remainingMs(): number | null {
    const target = this.#target();
    const at = target ? Date.parse(target) : NaN;
    return Number.isNaN(at) ? null : Math.max(0, at - this.#now());
  }

  hostConnected(): void {
    this.#sync();
  }

  hostUpdated(): void {
    this.#sync();
  }

  hostDisconnected(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #sync(): void {
    const running = (this.remainingMs ?? 0) > 0;
    if (running && this.#timer === undefined) {
      this.#timer = setInterval(() => this.#host.requestUpdate(), 1000);
    } else if (!running && this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}
