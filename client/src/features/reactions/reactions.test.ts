import { describe, expect, it } from 'vitest';
import { addCounts, MAX_SPRITES_ALIVE, MAX_SPRITES_PER_BURST, spritesForBurst } from './reaction-sprites';

describe('spritesForBurst', () => {
  it('floats a dozen emojis, not 500, for a burst of 500 claps', () => {
    const sprites = spritesForBurst({ '👏': 500 }, 0);
    expect(sprites).toHaveLength(MAX_SPRITES_PER_BURST);
    expect(new Set(sprites)).toEqual(new Set(['👏']));
  });

  it('floats one emoji per click for a small burst', () => {
    expect(spritesForBurst({ '❤️': 2, '😂': 1 }, 0).sort()).toEqual(['❤️', '❤️', '😂'].sort());
  });

  it('shows every reaction that was sent, even a rare one beside a flood', () => {
    const sprites = spritesForBurst({ '👏': 1_000, '🤔': 1 }, 0);
    expect(sprites).toContain('🤔');
    expect(sprites.length).toBeLessThanOrEqual(MAX_SPRITES_PER_BURST);
  });

  it('starts none while the screen already holds the most it may', () => {
    expect(spritesForBurst({ '👏': 10 }, MAX_SPRITES_ALIVE)).toEqual([]);
    expect(spritesForBurst({ '👏': 10 }, MAX_SPRITES_ALIVE - 2)).toHaveLength(2);
  });

  it('ignores zero, negative and unknown counts', () => {
    expect(spritesForBurst({ '👏': 0, '👍': -3 }, 0)).toEqual([]);
  });
});

describe('addCounts', () => {
  it('sums bursts per reaction', () => {
    expect(addCounts({ '👏': 2 }, { '👏': 3, '❤️': 1 })).toEqual({ '👏': 5, '❤️': 1 });
  });
});
