import { Server } from 'socket.io';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalPresence, PRESENCE_MAX_INTERVAL_MS, PRESENCE_WRITES_PER_SECOND, presenceInterval } from './presence';
import { eventRoom } from './rooms';
import type { ParvisServer } from './types';

describe('presenceInterval', () => {
  it('tells a room of up to 500 viewers every 500 ms', () => {
    for (const sockets of [0, 1, 200, 500]) expect(presenceInterval(sockets)).toBe(500);
  });

  it('spaces the counts of a bigger room so that they cost at most 1,000 socket writes a second', () => {
    expect(presenceInterval(2000)).toBe(2000);
    for (const sockets of [501, 1000, 2000, 4999]) {
      expect((sockets * 1000) / presenceInterval(sockets)).toBeLessThanOrEqual(PRESENCE_WRITES_PER_SECOND);
    }
  });

  it('tells even the biggest room every 5 s', () => {
    expect(presenceInterval(100_000)).toBe(PRESENCE_MAX_INTERVAL_MS);
  });
});

/*
 * LocalPresence on a real Socket.IO server without any network: sockets enter the event's room through the
 * adapter (as `socket.join` does), and the counts the room is told are read from the adapter's broadcasts.
 */
describe('LocalPresence during a join storm', () => {
  const EVENT = 'storm';
  let io: ParvisServer;
  let presence: LocalPresence;
  let told: { at: number; viewers: number }[];
  let next = 0;

  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
    io = new Server() as ParvisServer;
    const adapter = io.of('/').adapter;
    told = [];
    // The boundary: what a broadcast would have written to the room's sockets.
    adapter.broadcast = (packet: { data: unknown[] }) => {
      const [name, body] = packet.data as [string, { viewers: number }];
      if (name === 'presence:viewers') told.push({ at: Date.now(), viewers: body.viewers });
    };
    presence = new LocalPresence(io);
  });
  afterEach(async () => {
    await presence.close();
    io.of('/').adapter.close();
    vi.useRealTimers();
  });

  function joinRoom(count: number): void {
    for (let i = 0; i < count; i++) void io.of('/').adapter.addAll(`s${++next}`, new Set([eventRoom(EVENT)]));
    presence.changed(EVENT);
  }

  it('tells a room of 2,000 viewers or more one count every 2 s or more while they keep arriving, the last count included', async () => {
    joinRoom(2000);
    await vi.advanceTimersByTimeAsync(0);
    expect(told).toEqual([{ at: 1_000_000, viewers: 2000 }]);
    // 20 more every 100 ms for 3 s.
    for (let t = 0; t < 30; t++) {
      joinRoom(20);
      await vi.advanceTimersByTimeAsync(100);
    }
    await vi.advanceTimersByTimeAsync(5000);
    // Every 500 ms, as a small room is told, would have been 7 counts of 2,000 writes or more each.
    expect(told).toHaveLength(3);
    for (let i = 1; i < told.length; i++) {
      const gap = told[i]!.at - told[i - 1]!.at;
      expect(gap).toBeGreaterThanOrEqual(presenceInterval(2000));
      expect(gap).toBeLessThanOrEqual(presenceInterval(2600));
    }
    expect(told.at(-1)!.viewers).toBe(2600);
  });

  it('tells a small room every 500 ms', async () => {
    joinRoom(10);
    await vi.advanceTimersByTimeAsync(0);
    for (let t = 0; t < 10; t++) {
      joinRoom(1);
      await vi.advanceTimersByTimeAsync(100);
    }
    await vi.advanceTimersByTimeAsync(1000);
    expect(told.map((c) => c.at - 1_000_000)).toEqual([0, 500, 1000]);
    expect(told.at(-1)!.viewers).toBe(20);
  });
});
