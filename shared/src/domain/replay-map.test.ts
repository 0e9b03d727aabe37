import { describe, expect, it } from 'vitest';
import { instantAt, offsetAt, offsetAtOrAfter, replayDuration, type ReplayMap } from './replay-map';

// Two sessions: 19:00:00–19:10:00 live, the publisher dropped for 30 s, then 19:10:30–19:20:30.
const map: ReplayMap = {
  spans: [
    { offset: 0, at: '2027-03-05T18:00:00.000Z', duration: 600 },
    { offset: 600, at: '2027-03-05T18:10:30.000Z', duration: 600 },
  ],
};

describe('the replay map', () => {
  it('places an instant of the first session at its distance from the start', () => {
    expect(offsetAt(map, '2027-03-05T18:02:05.500Z')).toBe(125.5);
  });

  it('places an instant of the second session after the whole first one, the gap left out', () => {
    expect(offsetAt(map, '2027-03-05T18:10:40.000Z')).toBe(610);
  });

  it('holds no instant of the gap, before the start or after the end', () => {
    expect(offsetAt(map, '2027-03-05T18:10:15.000Z')).toBeNull();
    expect(offsetAt(map, '2027-03-05T17:59:59.000Z')).toBeNull();
    expect(offsetAt(map, '2027-03-05T18:21:00.000Z')).toBeNull();
  });

  it('shows what was said during the gap when the picture came back', () => {
    expect(offsetAtOrAfter(map, '2027-03-05T18:10:15.000Z')).toBe(600);
    expect(offsetAtOrAfter(map, '2027-03-05T17:50:00.000Z')).toBe(0);
    expect(offsetAtOrAfter(map, '2027-03-05T18:25:00.000Z')).toBeNull();
  });

  it('turns a replay position back into the live instant, on both sides of the gap', () => {
    expect(instantAt(map, 125.5)).toBe(Date.parse('2027-03-05T18:02:05.500Z'));
    expect(instantAt(map, 610)).toBe(Date.parse('2027-03-05T18:10:40.000Z'));
    expect(instantAt(map, 1300)).toBeNull();
  });

  it('is as long as its spans together', () => {
    expect(replayDuration(map)).toBe(1200);
    expect(replayDuration({ spans: [] })).toBe(0);
  });
});
