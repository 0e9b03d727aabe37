import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { describe, expect, it } from 'vitest';
import type { ViewerHeartbeatPayload } from '#shared/protocol/payloads';
import { ManualClock } from '../../app/manual-clock';
import { HEARTBEAT_INTERVAL_MS, HeartbeatController, type HeartbeatPlayer } from './heartbeat-controller';

const T0 = Date.parse('2026-11-25T18:00:00.000Z');

/** A `<video>` as far as the controller reads it: playback state and its play/pause events. */
class FakeMedia extends EventTarget {
  paused = true;
  ended = false;
  currentTime = 0;
  play(): void {
    this.paused = false;
    this.dispatchEvent(new Event('play'));
  }
  pause(): void {
    this.paused = true;
    this.dispatchEvent(new Event('pause'));
  }
}

function setup(live: boolean) {
  const clock = new ManualClock(T0);
  const media = new FakeMedia();
  let programDate: Date | null = null;
  const player: HeartbeatPlayer = {
    live,
    media: media as unknown as HTMLVideoElement,
    programDate: () => programDate,
  };
  const controllers: ReactiveController[] = [];
  const host = { addController: (c: ReactiveController) => controllers.push(c) } as unknown as ReactiveControllerHost;
  const sent: ViewerHeartbeatPayload[] = [];
  const controller = new HeartbeatController(host, { eventId: () => 'e1', player: () => player, send: (p) => sent.push(p), clock });
  return {
    clock,
    media,
    sent,
    controller,
    setProgramDate: (d: Date | null) => (programDate = d),
    connect: () => controllers.forEach((c) => (c.hostConnected?.(), c.hostUpdated?.())),
    disconnect: () => controllers.forEach((c) => c.hostDisconnected?.()),
  };
}

describe('HeartbeatController', () => {
  it('beats every 15 s on a live, with the delay of the picture behind real time, and at once on play and pause', () => {
    const t = setup(true);
    t.connect();
    t.media.play();
    expect(t.sent).toEqual([{ eventId: 'e1', mode: 'live', playing: true, positionSeconds: null, delayMs: null }]);
    // The frame on screen was filmed 12 s before now.
    t.setProgramDate(new Date(T0 + HEARTBEAT_INTERVAL_MS - 12_000));
    t.clock.advance(HEARTBEAT_INTERVAL_MS);
    expect(t.sent.at(-1)).toEqual({ eventId: 'e1', mode: 'live', playing: true, positionSeconds: null, delayMs: 12_000 });
    t.clock.advance(HEARTBEAT_INTERVAL_MS);
    expect(t.sent).toHaveLength(3);
    t.media.pause();
    expect(t.sent.at(-1)).toMatchObject({ playing: false });
  });

  it('gives a replay’s position, and a last “not playing” heartbeat when the page goes, then nothing', () => {
    const t = setup(false);
    t.connect();
    t.media.currentTime = 42.37;
    t.media.play();
    expect(t.sent.at(-1)).toEqual({ eventId: 'e1', mode: 'replay', playing: true, positionSeconds: 42.4, delayMs: null });
    t.disconnect();
    expect(t.sent.at(-1)).toMatchObject({ mode: 'replay', playing: false });
    const count = t.sent.length;
    t.clock.advance(10 * HEARTBEAT_INTERVAL_MS);
    t.media.play();
    expect(t.sent).toHaveLength(count);
  });

  it('leaves out a delay no live could have (a clock far off)', () => {
    const t = setup(true);
    t.connect();
    t.setProgramDate(new Date(T0 - 5 * 3600_000));
    t.media.play();
    expect(t.sent.at(-1)).toMatchObject({ delayMs: null });
  });
});
