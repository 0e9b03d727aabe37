import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatMessage } from '#shared/domain/chat';
import { ChatFanout, fanoutWindow } from './chat-fanout';

const message = (eventId: string, offset: number): ChatMessage => ({
  id: `${eventId}-${offset}`,
  eventId,
  offset,
  author: { id: 'u', displayName: 'Ana', role: 'guest' },
  text: `m${offset}`,
  sentAt: '2026-11-25T10:00:00.000Z',
  clientId: `c${offset}`,
});

describe('ChatFanout', () => {
  let frames: { eventId: string; offsets: number[] }[];
  const roomSizes = new Map<string, number>();
  let fanout: ChatFanout;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    frames = [];
    fanout = new ChatFanout(
      (eventId, messages) => frames.push({ eventId, offsets: messages.map((m) => m.offset) }),
      (eventId) => roomSizes.get(eventId) ?? 10,
    );
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends a message to a quiet room at once, in its own frame', () => {
    fanout.publish(message('a', 1));
    expect(frames).toEqual([{ eventId: 'a', offsets: [1] }]);
    vi.advanceTimersByTime(100);
    fanout.publish(message('a', 2));
    expect(frames).toEqual([
      { eventId: 'a', offsets: [1] },
      { eventId: 'a', offsets: [2] },
    ]);
  });

  it('puts the messages of a burst into one frame per window, in offset order, losing none', () => {
    fanout.publish(message('a', 1));
    for (const offset of [3, 2, 4, 5]) fanout.publish(message('a', offset));
    expect(frames).toHaveLength(1);
    vi.advanceTimersByTime(20);
    expect(frames).toEqual([
      { eventId: 'a', offsets: [1] },
      { eventId: 'a', offsets: [2, 3, 4, 5] },
    ]);
  });

  it('sends at most one frame per window however high the rate', () => {
    let offset = 0;
    for (let ms = 0; ms < 1000; ms++) {
      for (let i = 0; i < 5; i++) fanout.publish(message('a', ++offset));
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(20);
    const delivered = frames.flatMap((f) => f.offsets);
    expect(delivered).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1));
    expect(frames.length).toBeLessThanOrEqual(1000 / 20 + 1);
  });

  it('batches each room on its own', () => {
    fanout.publish(message('a', 1));
    fanout.publish(message('b', 1));
    fanout.publish(message('a', 2));
    vi.advanceTimersByTime(20);
    expect(frames).toEqual([
      { eventId: 'a', offsets: [1] },
      { eventId: 'b', offsets: [1] },
      { eventId: 'a', offsets: [2] },
    ]);
  });

  it('widens the window of a big room so that its frames stay affordable, never past 100 ms', () => {
    expect(fanoutWindow(10)).toBe(20);
    expect(fanoutWindow(500)).toBe(20);
    expect(fanoutWindow(1250)).toBe(50);
    expect(fanoutWindow(100_000)).toBe(100);
    roomSizes.set('big', 1250);
    let offset = 0;
    for (let ms = 0; ms < 1000; ms++) {
      fanout.publish(message('big', ++offset));
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(100);
    expect(frames.flatMap((f) => f.offsets)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    // One frame per 50 ms window at most, instead of one per 20 ms.
    expect(frames.length).toBeLessThanOrEqual(1000 / 50 + 1);
  });

  it('spaces the frames of a room out when writing them takes the process more than three quarters of its time', () => {
    // A write that takes 90 ms of the process's time (a room too big for the CPU it gets): the clock moves while
    // the frame is written.
    const sent: number[][] = [];
    const slow = new ChatFanout(
      (_eventId, messages) => {
        sent.push(messages.map((m) => m.offset));
        vi.advanceTimersByTime(90);
      },
      () => 10,
    );
    slow.publish(message('a', 1));
    // 10 ms after that write ended (100 ms after it started): a quiet room's window is long over, but at most 75% of
    // the time may go to this room's writes, so the next frame starts 90 / 0.75 = 120 ms after the last one did.
    vi.advanceTimersByTime(10);
    slow.publish(message('a', 2));
    vi.advanceTimersByTime(10);
    slow.publish(message('a', 3));
    vi.advanceTimersByTime(9);
    expect(sent).toEqual([[1]]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([[1], [2, 3]]);
    slow.close();
  });

  it('sends what is queued when it closes', () => {
    fanout.publish(message('a', 1));
    fanout.publish(message('a', 2));
    fanout.close();
    expect(frames.flatMap((f) => f.offsets)).toEqual([1, 2]);
  });
});
