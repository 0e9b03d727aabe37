import type { TimelineItem } from '#shared/domain/broadcast';
import type { Event } from '#shared/domain/event';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ApiClient } from '../../app/api-client';
import { PageLoad } from '../../app/page-load';
import type { PlayerTimeEvent } from '../../player/parvis-player';
import { momentHref, parseReplayLink, type ReplayLink } from './deep-link';
import { ReplayTimeline } from './replay-timeline';

export interface ReplayControllerOptions {
  api: () => ApiClient;
  /** The event shown; the timeline is loaded when it has ended with a replay. */
  event: () => Event | null;
  /** Where the page was opened (`location.search`): a link to a moment or a question. */
  search?: string;
  /** Copies text to the clipboard; the browser's by default. */
  copy?: (text: string) => Promise<void>;
}

/**
 * The replay side of the event page (issue 11): loads the event's timeline once it has ended with a replay, keeps a
 * {@link ReplayTimeline} in step with the player's time events, knows where a deep link starts the video, and makes
 * the "link to this moment". The host re-renders when the moment changes, not at every tick of the video.
 */
export class ReplayController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: ReplayControllerOptions;
  readonly #link: ReplayLink | null;
  readonly #load: PageLoad<readonly [string | null], TimelineItem[] | null>;
  #timeline: ReplayTimeline | null = null;
  #builtFrom: unknown = undefined;
  #unsubscribe: (() => void) | undefined;
  /** Where the video is, in seconds, as last reported (also when there is no timeline to feed). */
  #position = 0;
  #duration = Number.NaN;
  /** What became of the last "copy a link to this moment". */
  copied: { url: string; ok: boolean } | null = null;

  constructor(host: ReactiveControllerHost, options: ReplayControllerOptions) {
    this.#host = host;
    this.#options = options;
    this.#link = parseReplayLink(options.search ?? '');
    host.addController(this);
    this.#load = new PageLoad(host, {
      args: () => {
        const event = options.event();
        return [event?.status === 'ended' && event.replayUrl ? event.id : null] as const;
      },
      load: async ([eventId], signal) => (eventId ? options.api().getTimeline(eventId, signal) : null),
    });
  }

  hostConnected(): void {}

  hostUpdate(): void {
    // Rebuilt only when a new timeline arrives (or the video's length becomes known), not at every render.
    const items = this.#load.data ?? null;
    const key = [items, Number.isFinite(this.#duration) ? this.#duration : null];
    const same = Array.isArray(this.#builtFrom) && this.#builtFrom[0] === key[0] && this.#builtFrom[1] === key[1];
    if (same) return;
    this.#builtFrom = key;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#timeline = items ? new ReplayTimeline(items, Number.isFinite(this.#duration) ? this.#duration : undefined) : null;
    if (this.#timeline) {
      this.#timeline.seek(this.#position);
      this.#unsubscribe = this.#timeline.subscribe(() => this.#host.requestUpdate());
    }
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#builtFrom = undefined;
  }

  /** The timeline when the live left something inside the replay; null otherwise (nothing to show beside it). */
  get timeline(): ReplayTimeline | null {
    return this.#timeline && !this.#timeline.isEmpty ? this.#timeline : null;
  }

  /**
   * Where the video starts: the link's time, or the moment its question went on air once the timeline says when.
   * Null: from the beginning (no link, or a question the replay does not hold).
   */
  get startAt(): number | null {
    if (!this.#link) return null;
    if (this.#link.kind === 'time') return this.#link.seconds;
    return this.#timeline?.startOf(this.#link) ?? null;
  }

  /** The player's `parvis-player-time`. */
  readonly onTime = (event: PlayerTimeEvent): void => {
    this.#position = event.currentTime;
    const durationKnown = Number.isFinite(event.duration) && event.duration !== this.#duration;
    if (durationKnown) {
      this.#duration = event.duration;
      this.#host.requestUpdate();
    }
    if (event.seek) this.#timeline?.seek(event.currentTime);
    else this.#timeline?.play(event.currentTime);
  };

  /** Copies the address of the moment the video is at, and says how it went. */
  async copyLink(eventId: string): Promise<void> {
    const url = new URL(momentHref(eventId, this.#position), location.href).href;
    const copy = this.#options.copy ?? ((text: string) => navigator.clipboard.writeText(text));
    let ok = true;
    try {
      await copy(url);
    } catch {
      // No clipboard (a plain-HTTP address on the library's network, a refused permission): show the link to copy.
      ok = false;
    }
    this.copied = { url, ok };
    this.#host.requestUpdate();
  }
}
