/** Asks the root to show another page, e.g. after a filter changed. Fired for user actions only. */
export class NavigateRequestEvent extends Event {
  static readonly eventName = 'parvis-navigate';
  constructor(
    readonly href: string,
    readonly replace = false,
  ) {
    super(NavigateRequestEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    [NavigateRequestEvent.eventName]: NavigateRequestEvent;
  }
}
