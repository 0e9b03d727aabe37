/**
 * What time it is, for rules that depend on it (offers and their deadlines, reminders, when a join link shows,
 * retention). Passed in rather than read from `Date`, so that tests move time instead of waiting for it.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * The system clock shifted by an offset that can be moved: the test hook `PARVIS_TEST_CLOCK=1` lets an end-to-end test
 * jump the sign-up module forward in time (see docs/configuration.md). Never enabled in production.
 */
export class ShiftedClock implements Clock {
  offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}
