import { describe, expect, it } from 'vitest';
import { systemClock } from './clock';
import { ManualClock } from './manual-clock';

describe('ManualClock', () => {
  it('runs each timer once, when time reaches it, in the order they fall due, with now() at that instant', () => {
    const clock = new ManualClock(1_000);
    const seen: string[] = [];
    clock.after(20, () => seen.push(`b@${clock.now()}`));
    clock.after(10, () => {
      seen.push(`a@${clock.now()}`);
      // A timer set by a callback runs in the same advance when it falls inside it.
      clock.after(5, () => seen.push(`c@${clock.now()}`));
    });
    clock.after(20, () => seen.push(`d@${clock.now()}`));
    clock.advance(9);
    expect(seen).toEqual([]);
    clock.advance(11);
    expect(seen).toEqual(['a@1010', 'c@1015', 'b@1020', 'd@1020']);
    expect(clock.now()).toBe(1_020);
    clock.advance(1_000);
    expect(seen).toHaveLength(4);
    expect(clock.pending).toBe(0);
  });

  it('never runs a cancelled timer', () => {
    const clock = new ManualClock(0);
    const seen: string[] = [];
    const cancel = clock.after(10, () => seen.push('cancelled'));
    clock.after(10, () => seen.push('kept'));
    cancel();
    clock.advance(10);
    expect(seen).toEqual(['kept']);
  });
});

describe('systemClock', () => {
  it('reads the system time and cancels a timer before it runs', async () => {
    const before = Date.now();
    expect(systemClock.now()).toBeGreaterThanOrEqual(before);
    const seen: string[] = [];
    systemClock.after(0, () => seen.push('cancelled'))();
    await new Promise<void>((resolve) => systemClock.after(0, resolve));
    expect(seen).toEqual([]);
  });
});
