import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { HEARTBEAT_MAX_DELAY_MS } from '#shared/domain/limits';
import type { ViewerHeartbeatPayload } from '#shared/protocol/payloads';
import { systemClock, type Clock } from '../../app/clock';

/** How often a player on the page tells the server what it does (the server's HEARTBEAT_INTERVAL_MS). */
export const HEARTBEAT_INTERVAL_MS = 15_000;

/** What the controller reads of the player: `ParvisPlayer` has all three. */
export interface HeartbeatPlayer {
  readonly live: boolean;
  readonly media: HTMLVideoElement | null;
  programDate(): Date | null;
}

export interface HeartbeatOptions {
  /** The event the player shows; null sends nothing. */
  eventId: () => string | null;
  /** The player on the page now, if any. */
  player: () => HeartbeatPlayer | null;
  /** Sends one heartbeat (`viewer:heartbeat`); a failure is dropped, the next heartbeat says the same again. */
  send: (payload: ViewerHeartbeatPayload) => unknown;
  clock?: Clock;
}

/** The media events after which the server hears at once, rather than at the next beat. */
const MEDIA_EVENTS = ['play', 'pause', 'ended'] as const;

/**
 * The player's heartbeats for the audience figures and the moderators' view of the audience's delay (issue 12):
 * every 15 s while a player is on the page, and at once when it plays, pauses or ends. A last heartbeat saying
 * "not playing" goes when the host leaves the page, so the watch time stops there. On a live, `delayMs` is how far the
 * picture is behind real time (now minus the frame's EXT-X-PROGRAM-DATE-TIME); on a replay, `positionSeconds` is the
 * playhead. Nothing else: no address, no identifier besides the socket's own session (docs/audience.md).
 */
export class HeartbeatController implements ReactiveController {
  readonly #options: HeartbeatOptions;
  readonly #clock: Clock;
  #cancel: (() => void) | null = null;
  /** The `<video>` whose events are followed. */
  #media: HTMLVideoElement | null = null;
  /** Whether the last heartbeat sent said "playing", for the last one on leaving. */
  #lastPlaying = false;

  constructor(host: ReactiveControllerHost, options: HeartbeatOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    host.addController(this);
  }

  hostConnected(): void {
    this.#schedule();
  }

  hostUpdated(): void {
    this.#follow(this.#options.player()?.media ?? null);
  }

  hostDisconnected(): void {
    this.#cancel?.();
    this.#cancel = null;
    const eventId = this.#options.eventId();
    const player = this.#options.player();
    if (this.#lastPlaying && eventId && player) this.#send({ ...this.#payload(eventId, player), playing: false });
    this.#follow(null);
  }

  /** The heartbeat now, or null without an event or a player. */
  current(): ViewerHeartbeatPayload | null {
    const eventId = this.#options.eventId();
    const player = this.#options.player();
    return eventId && player?.media ? this.#payload(eventId, player) : null;
  }

  readonly #beat = (): void => {
    this.#follow(this.#options.player()?.media ?? null);
    const payload = this.current();
    if (payload) this.#send(payload);
  };

  #schedule(): void {
    this.#cancel = this.#clock.after(HEARTBEAT_INTERVAL_MS, () => {
      this.#beat();
      this.#schedule();
    });
  }

  #send(payload: ViewerHeartbeatPayload): void {
    this.#lastPlaying = payload.playing;
    try {
      void Promise.resolve(this.#options.send(payload)).catch(() => undefined);
    } catch {
      // A heartbeat lost is said again 15 s later.
    }
  }

  #follow(media: HTMLVideoElement | null): void {
    if (media === this.#media) return;
    for (const type of MEDIA_EVENTS) this.#media?.removeEventListener(type, this.#beat);
    this.#media = media;
    for (const type of MEDIA_EVENTS) media?.addEventListener(type, this.#beat);
  }

  #payload(eventId: string, player: HeartbeatPlayer): ViewerHeartbeatPayload {
    const media = player.media;
    const playing = Boolean(media && !media.paused && !media.ended);
    const mode = player.live ? 'live' : 'replay';
    let delayMs: number | null = null;
    if (mode === 'live') {
      const programDate = player.programDate();
      const delay = programDate ? Math.round(this.#clock.now() - programDate.getTime()) : null;
      // A clock far off (the viewer's or the encoder's) tells nothing about the delay: not sent.
      delayMs = delay !== null && Math.abs(delay) <= HEARTBEAT_MAX_DELAY_MS ? delay : null;
    }
    const position = media && mode === 'replay' && Number.isFinite(media.currentTime) ? Math.max(0, media.currentTime) : null;
    return { eventId, mode, playing, positionSeconds: position === null ? null : Math.round(position * 10) / 10, delayMs };
  }
}
