import type { TimelineItem } from '#shared/domain/broadcast';
import type { ReplayMap } from '#shared/domain/replay-map';
import type { Event } from '#shared/domain/event';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ApiClient } from '../../app/api-client';
import { PageLoad } from '../../app/page-load';
import type { PlayerTimeEvent } from '../../player/parvis-player';
import { momentHref, parseReplayLink, replayStart, type ReplayLink } from './deep-link';
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
  readonly #load: PageLoad<readonly [string | null], { items: TimelineItem[]; map: ReplayMap } | null>;
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
      load: async ([eventId], signal) => {
        if (!eventId) return null;
        // The map says where the replay's clock starts (a trimmed replay's exact in point), the timeline what to show.
        const [items, replay] = await Promise.all([options.api().getTimeline(eventId, signal), options.api().getReplay(eventId, signal)]);
        return { items, map: replay.map };
      },
    });
  }

  hostConnected(): void {}

  hostUpdate(): void {
    // Rebuilt only when a new timeline arrives (or the video's length becomes known), not at every render.
    const items = this.#load.data?.items ?? null;
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
   * Where the video starts ({@link replayStart}): the link's time, the moment its question went on air, or the start
   * of the replay's map (the exact in point of a trimmed replay), once the map and the timeline are read (or failed to
   * be). Null: not yet, or from 0.
   */
  get startAt(): number | null {
    const view = this.#load.view;
    if (view.status === 'loading') return replayStart(this.#link, null);
    // A replay without a map (pasted by hand), or one whose map could not be read, starts at 0 or at the link's time.
    const data = view.status === 'ready' ? view.data : null;
    const link = this.#link;
    return replayStart(link, {
      firstOffset: data?.map.spans[0]?.offset ?? null,
      questionStart: link?.kind === 'question' ? (this.#timeline?.startOf(link) ?? null) : null,
    });
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
