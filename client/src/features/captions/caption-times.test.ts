import { describe, expect, it } from 'vitest';
import { atTimeOfDay, timeOfDay } from './caption-times';

describe('a caption’s times in the editor', () => {
  it('shows the time of day to the millisecond and reads it back on the same day', () => {
    const said = new Date(2026, 11, 1, 20, 5, 7, 42).toISOString();
    expect(timeOfDay(said)).toBe('20:05:07.042');
    expect(atTimeOfDay(said, '20:05:07.042')).toBe(said);
    expect(atTimeOfDay(said, '20:05:09.5')).toBe(new Date(2026, 11, 1, 20, 5, 9, 500).toISOString());
    expect(atTimeOfDay(said, '20:06')).toBe(new Date(2026, 11, 1, 20, 6, 0, 0).toISOString());
  });

  it('refuses what is not a time of day', () => {
    const said = new Date(2026, 11, 1, 20, 5, 7).toISOString();
    for (const bad of ['', '20', '25:00', '20:61:00', '8h05', '20:05:07.1234']) expect(atTimeOfDay(said, bad)).toBeNull();
  });
});
