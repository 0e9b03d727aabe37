import { describe, expect, it } from 'vitest';
import { formatBytes, formatLength, formatPosition, parsePosition } from './replay-time';

describe('positions in a replay, as an admin reads and types them', () => {
  it('shows minutes, seconds and tenths, and hours past the first', () => {
    expect(formatPosition(754.25)).toBe('12:34.3');
    expect(formatPosition(3754)).toBe('1:02:34.0');
    expect(formatPosition(0)).toBe('0:00.0');
    expect(formatPosition(59.96)).toBe('1:00.0');
    expect(formatLength(3754.4)).toBe('1:02:34');
    expect(formatLength(245)).toBe('4:05');
  });

  it('reads back what it shows, plain seconds and a French decimal comma', () => {
    for (const seconds of [0, 3.5, 754.3, 3754]) expect(parsePosition(formatPosition(seconds))).toBeCloseTo(seconds, 5);
    expect(parsePosition('754,5')).toBe(754.5);
    expect(parsePosition(' 90 ')).toBe(90);
    expect(parsePosition('1:02:03')).toBe(3723);
  });

  it('takes an empty field for no trim, and refuses what is not a position', () => {
    expect(parsePosition('')).toBeNull();
    for (const wrong of ['abc', '1:75', '1:61:00', '-3', '1::2', '12:3:4:5']) expect(parsePosition(wrong), wrong).toBeUndefined();
  });

  it('writes sizes in the unit that keeps the number short, in the page’s language', () => {
    expect(formatBytes(5_368_709_120, 'en')).toBe('5.4 GB');
    expect(formatBytes(840_000, 'en')).toBe('840 kB');
    expect(formatBytes(5_368_709_120, 'fr')).toMatch(/^5,4\s?Go$/);
  });
});
