import type { Clock } from '../core/clock';

/** A clock that stands still until the test moves it: "the offer runs out 24 h later" without waiting 24 h. */
export class ManualClock implements Clock {
  private at: number;

  constructor(start: Date | number = Date.now()) {
    this.at = typeof start === 'number' ? start : start.getTime();
  }

  now(): Date {
    return new Date(this.at);
  }

  set(to: Date | number): void {
    this.at = typeof to === 'number' ? to : to.getTime();
  }

  advance(ms: number): Date {
    this.at += ms;
    return this.now();
  }
}
