import { describe, expect, it } from 'vitest';
import { EventStatus } from './event';
import { closedBecause, isClosedToWriting } from './writing';

describe('when an event is closed to writing', () => {
  it('stays open before and during the event', () => {
    expect(isClosedToWriting('scheduled')).toBe(false);
    expect(isClosedToWriting('live')).toBe(false);
  });

  it('closes once the event has ended or was cancelled, saying which', () => {
    expect(closedBecause('ended')).toBe('ended');
    expect(closedBecause('cancelled')).toBe('cancelled');
    expect(EventStatus.options.filter(isClosedToWriting)).toEqual(['ended', 'cancelled']);
  });
});
