import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Keeps the screen awake while its host is in the document and `active` is set, where the Screen Wake Lock API
 * exists: a speaker's laptop must not dim in the middle of a talk. The browser drops the lock whenever the page is
 * hidden, so it is taken again each time the page comes back. Every failure (no support, low battery, a policy) is
 * silent: the page works without it.
 */
export class WakeLockController implements ReactiveController {
  #sentinel: WakeLockSentinel | null = null;
  #connected = false;
  #active = false;
  #requesting = false;

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Whether the host wants the screen awake now (the stage is shown, not a message). */
  set active(active: boolean) {
    if (active === this.#active) return;
    this.#active = active;
    this.#sync();
  }

  hostConnected(): void {
    this.#connected = true;
    document.addEventListener('visibilitychange', this.#sync);
    this.#sync();
  }

  hostDisconnected(): void {
    this.#connected = false;
    document.removeEventListener('visibilitychange', this.#sync);
    this.#sync();
  }

  readonly #sync = (): void => {
    const wanted = this.#connected && this.#active;
    if (!wanted) {
      const sentinel = this.#sentinel;
      this.#sentinel = null;
      sentinel?.release().catch(() => {});
      return;
    }
    if (document.visibilityState === 'visible') void this.#acquire();
  };

  async #acquire(): Promise<void> {
    if (this.#requesting || (this.#sentinel && !this.#sentinel.released)) return;
    if (!('wakeLock' in navigator)) return;
    this.#requesting = true;
    try {
      const sentinel = await navigator.wakeLock.request('screen');
      // The stage may have gone (or stopped wanting it) while the request was pending.
      if (this.#connected && this.#active) this.#sentinel = sentinel;
      else sentinel.release().catch(() => {});
    } catch {
      // Not allowed here or now: the screen may dim, nothing else changes.
    } finally {
      this.#requesting = false;
    }
  }
}
