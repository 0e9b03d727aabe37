import { describe, expect, it } from 'vitest';
import { countdownParts } from './countdown-controller';

describe('countdownParts', () => {
  it('splits a duration into days, hours, minutes and seconds', () => {
    const ms = ((2 * 24 + 3) * 3600 + 4 * 60 + 5) * 1000;
    expect(countdownParts(ms)).toEqual({ days: 2, hours: 3, minutes: 4, seconds: 5 });
  });

  it('rounds a partial second up, so the countdown never shows 0 s before the start', () => {
    expect(countdownParts(200)).toEqual({ days: 0, hours: 0, minutes: 0, seconds: 1 });
  });

  it('never goes below zero once the start has passed', () => {
    expect(countdownParts(-5000)).toEqual({ days: 0, hours: 0, minutes: 0, seconds: 0 });
  });
});
