import { describe, expect, it } from 'vitest';
import { ManualClock } from '../app/manual-clock';
import { ViewerClock } from './stream-clock';

const START = Date.UTC(2026, 11, 6, 18, 0, 0);

/**
 * A video as the clock sees it: its picture runs `delayMs` behind real time while playing, stands still while
 * paused, and has no program date until `start()` (no first frame yet).
 */
class FakeVideo {
  #clock: ManualClock;
  #picture: number | null = null;
  #playing = false;
  #since = 0;

  constructor(clock: ManualClock) {
    this.#clock = clock;
  }

  start(delayMs: number): void {
    this.#picture = this.#clock.now() - delayMs;
    this.#since = this.#clock.now();
    this.#playing = true;
  }

  pause(): void {
    this.#picture = this.picture();
    this.#playing = false;
  }

  play(): void {
    this.#since = this.#clock.now();
    this.#playing = true;
  }

  picture(): number {
    if (this.#picture === null) return Number.NaN;
    return this.#playing ? this.#picture + (this.#clock.now() - this.#since) : this.#picture;
  }

  readonly programDate = (): Date | null => (this.#picture === null ? null : new Date(this.picture()));
}

function setup() {
  const clock = new ManualClock(START);
  const video = new FakeVideo(clock);
  const viewer = new ViewerClock(video.programDate, clock, { checkEveryMs: 100 });
  return { clock, video, viewer };
}

describe('ViewerClock', () => {
  it('releases a moment when the viewer’s picture reaches it, not when the room lives it', () => {
    const { clock, video, viewer } = setup();
    video.start(8_000);
    const released: number[] = [];
    // The question goes on air in the room now; this viewer's picture is 8 s behind.
    viewer.at(START, () => released.push(clock.now()));
    clock.advance(7_900);
    expect(released).toEqual([]);
    clock.advance(100);
    expect(released).toEqual([START + 8_000]);
    expect(viewer.delay()).toBe(8_000);
  });

  it('gives a paused viewer the moment later, by as long as the pause lasted', () => {
    const { clock, video, viewer } = setup();
    video.start(8_000);
    const released: number[] = [];
    viewer.at(START + 2_000, () => released.push(clock.now()));
    clock.advance(1_000);
    video.pause();
    clock.advance(10_000);
    expect(released).toEqual([]);
    video.play();
    // 1 s played, 10 s paused: 8 + 2 - 1 = 9 s more of picture to go.
    clock.advance(8_900);
    expect(released).toEqual([]);
    clock.advance(100);
    expect(released).toEqual([START + 20_000]);
    expect(viewer.delay()).toBe(18_000);
  });

  it('keeps two viewers at different delays apart', () => {
    const clock = new ManualClock(START);
    const near = new FakeVideo(clock);
    const far = new FakeVideo(clock);
    near.start(4_000);
    far.start(15_000);
    const order: string[] = [];
    new ViewerClock(near.programDate, clock).at(START, () => order.push(`near ${clock.now() - START}`));
    new ViewerClock(far.programDate, clock).at(START, () => order.push(`far ${clock.now() - START}`));
    clock.advance(20_000);
    expect(order).toEqual(['near 4000', 'far 15000']);
  });

  it('releases everything at once while the picture’s instant is unknown, so nothing waits for a video that never comes', () => {
    const { clock, video, viewer } = setup();
    const released: string[] = [];
    viewer.at(START + 60_000, () => released.push('on air'));
    expect(released).toEqual(['on air']);
    expect(viewer.delay()).toBe(0);
    // Nor for a program date hours off (an outside encoder's wrong clock): that is no viewer's delay.
    video.start(3 * 3600_000);
    viewer.at(START, () => released.push('poll'));
    expect(released).toEqual(['on air', 'poll']);
    expect(clock.pending).toBe(0);
  });

  it('releases at once what the picture already shows, and after a seek on check()', () => {
    const { video, viewer } = setup();
    video.start(10_000);
    const released: string[] = [];
    viewer.at(START - 20_000, () => released.push('past'));
    expect(released).toEqual(['past']);
    viewer.at(START - 1_000, () => released.push('soon'));
    expect(released).toEqual(['past']);
    // Back to live: the picture jumps forward.
    video.start(500);
    viewer.check();
    expect(released).toEqual(['past', 'soon']);
  });

  it('cancels a wait, and leaves no timer behind once nothing waits', () => {
    const { clock, video, viewer } = setup();
    video.start(5_000);
    const released: string[] = [];
    const cancel = viewer.at(START, () => released.push('x'));
    expect(clock.pending).toBe(1);
    cancel();
    expect(clock.pending).toBe(0);
    clock.advance(10_000);
    expect(released).toEqual([]);
    viewer.at(START + 20_000, () => released.push('y'));
    viewer.dispose();
    clock.advance(30_000);
    expect(released).toEqual([]);
    expect(clock.pending).toBe(0);
  });
});
