import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Full screen for one element of its host's shadow root (the stage view, the auditorium display): whether that element
 * is in full screen now, and a toggle. The element lives in the host's shadow root, so the document only ever sees the
 * host itself in full screen: the shadow root's `fullscreenElement` says which element it really is. The host renders
 * again whenever that changes (the button's wording follows).
 */
export class FullscreenController implements ReactiveController {
  #active = false;
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #element: () => HTMLElement | null;

  constructor(host: ReactiveControllerHost & HTMLElement, element: () => HTMLElement | null) {
    this.#host = host;
    this.#element = element;
    host.addController(this);
  }

  /** Whether the element is in full screen now. */
  get active(): boolean {
    return this.#active;
  }

  /** Whether this browser lets a page go full screen at all (no button otherwise). */
  get supported(): boolean {
    return document.fullscreenEnabled;
  }

  hostConnected(): void {
    document.addEventListener('fullscreenchange', this.#onChange);
  }

  hostDisconnected(): void {
    document.removeEventListener('fullscreenchange', this.#onChange);
  }

  /** Enters full screen, or leaves it. A refusal (an iframe without permission, a browser setting) leaves the page as it is. */
  async toggle(): Promise<void> {
    try {
      if (this.#active) await document.exitFullscreen();
      else await this.#element()?.requestFullscreen();
    } catch {
      // Refused: the element stays in the page.
    }
  }

  readonly #onChange = (): void => {
    const element = this.#host.shadowRoot?.fullscreenElement ?? null;
    const active = element !== null && element === this.#element();
    if (active === this.#active) return;
    this.#active = active;
    this.#host.requestUpdate();
  };
}
