/**
 * Time as client state sees it: the current instant and one-shot timers. Code that waits (a retry, a grace period, a
 * timeout that ends) takes a `Clock`, so its tests move time by hand with a `ManualClock` instead of waiting for it or
 * replacing the page's global timers.
 */
export interface Clock {
  /** Milliseconds since 1970, as `Date.now()`. */
  now(): number;
  /** Calls `callback` once, `ms` from now. The function returned cancels it; calling it later does nothing. */
  after(ms: number, callback: () => void): () => void;
}

/** The browser's clock: `Date.now()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, callback) {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
};
