import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Calls `tick` every `ms` while the host is in the document (and the tab is visible, when `whenVisible` is set), then
 * stops: no timer outlives its element.
 */
export class IntervalController implements ReactiveController {
  readonly #ms: number;
  readonly #tick: () => void;
  readonly #whenVisible: boolean;
  #timer: ReturnType<typeof setInterval> | undefined;
  #connected = false;

  constructor(host: ReactiveControllerHost, ms: number, tick: () => void, options: { whenVisible?: boolean } = {}) {
    this.#ms = ms;
    this.#tick = tick;
    this.#whenVisible = options.whenVisible ?? false;
    host.addController(this);
  }

  hostConnected(): void {
    this.#connected = true;
    if (this.#whenVisible) document.addEventListener('visibilitychange', this.#onVisibility);
    this.#sync();
  }

  hostDisconnected(): void {
    this.#connected = false;
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#sync();
  }

  readonly #onVisibility = (): void => {
    // Catch up at once on return, rather than showing stale data until the next tick.
    if (document.visibilityState === 'visible' && this.#timer === undefined && this.#connected) this.#tick();
    this.#sync();
  };

  #sync(): void {
    const shouldRun = this.#connected && (!this.#whenVisible || document.visibilityState === 'visible');
    if (shouldRun && this.#timer === undefined) this.#timer = setInterval(this.#tick, this.#ms);
    if (!shouldRun && this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}
