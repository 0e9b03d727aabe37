import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type Hls from 'hls.js';
import type { ErrorData } from 'hls.js';
import { loadHls } from './hls-loader';

export interface HlsSource {
  src: string;
  /** A live (sliding-window) playlist: starts muted at the live edge and offers "back to live". */
  live: boolean;
}

/**
 * - `idle`: nothing to play.
 * - `loading`: fetching the player or the playlist.
 * - `ready`: playing or ready to play.
 * - `failed`: the stream failed and the recoveries were used up; `retry()` starts over.
 * - `unsupported`: this browser has neither Media Source Extensions nor native HLS.
 */
export type PlayerStatus = 'idle' | 'loading' | 'ready' | 'failed' | 'unsupported';

/** Recoveries allowed between two successful fragment loads, before the player gives up and says so. */
const MAX_NETWORK_RETRIES = 4;
const MAX_MEDIA_RECOVERIES = 2;
/** How far behind the live sync position the playhead may drift before "back to live" is highlighted. */
const BEHIND_LIVE_SECONDS = 8;
const HLS_MIME = 'application/vnd.apple.mpegurl';

type HlsConstructor = typeof Hls;

export interface HlsControllerOptions {
  /** The `<video>` element, once rendered. */
  video: () => HTMLVideoElement | null | undefined;
  /** What to play now; read after every update of the host. */
  source: () => HlsSource | null;
}

/**
 * Plays an HLS source in a `<video>` for its host: hls.js where Media Source Extensions exist (loaded with a dynamic
 * import, so pages without video never download it), native HLS otherwise (Safari on iOS), with bounded recovery from
 * network and media errors. Everything is torn down when the host leaves the document.
 */
export class HlsController implements ReactiveController {
  status: PlayerStatus = 'idle';
  /** True while a live stream plays muted (autoplay is only allowed muted): the host offers "unmute". */
  muted = false;
  /** True when a live stream's playhead is well behind the live edge. */
  behindLive = false;

  readonly #host: ReactiveControllerHost;
  readonly #options: HlsControllerOptions;
  #hls: Hls | null = null;
  #Hls: HlsConstructor | null = null;
  #video: HTMLVideoElement | null = null;
  #current: HlsSource | null = null;
  /** Bumped on every attach and teardown, so async work from an older attach knows it is stale. */
  #generation = 0;
  #networkRetries = 0;
  #mediaRecoveries = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #mediaCleanup: Array<() => void> = [];

  constructor(host: ReactiveControllerHost, options: HlsControllerOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostConnected(): void {
    // Coming back into the document (moved by a parent): an update re-attaches the source in hostUpdated.
    if (this.#current === null) this.#host.requestUpdate();
  }

  hostUpdated(): void {
    const video = this.#options.video() ?? null;
    const source = this.#options.source();
    const same =
      video === this.#video && source?.src === this.#current?.src && source?.live === this.#current?.live;
    if (same) return;
    if (!video || !source) {
      this.#teardown();
      this.#set({ status: 'idle' });
      return;
    }
    void this.#attach(video, source);
  }

  hostDisconnected(): void {
    this.#teardown();
  }

  /** Starts the current source over after a failure. */
  /**
   * The wall-clock instant of the frame on screen, from the stream's `EXT-X-PROGRAM-DATE-TIME` (hls.js's
   * `playingDate`; Safari's native HLS gives the playlist's start date through `getStartDate()`). Null before the
   * first frame, and for a stream without program dates. What the viewer's own clock is built on: captions, the
   * question on air and poll openings are shown when the viewer's picture reaches their instant (issue 12).
   */
  programDate(): Date | null {
    const hlsDate = this.#hls?.playingDate;
    if (hlsDate && !Number.isNaN(hlsDate.getTime())) return hlsDate;
    const video = this.#video as (HTMLVideoElement & { getStartDate?: () => Date }) | null;
    const start = video?.getStartDate?.();
    if (!this.#hls && video && start && !Number.isNaN(start.getTime())) return new Date(start.getTime() + video.currentTime * 1000);
    return null;
  }

  retry(): void {
    const video = this.#video;
    const source = this.#current;
    if (video && source) void this.#attach(video, source);
  }

  /** Jumps to the live edge and plays. */
  backToLive(): void {
    const video = this.#video;
    if (!video || !this.#current?.live) return;
    const edge = this.#liveEdge(video);
    if (edge !== null) video.currentTime = edge;
    void video.play().catch(() => undefined);
    this.#updateBehindLive();
  }

  unmute(): void {
    const video = this.#video;
    if (!video) return;
    video.muted = false;
    if (video.volume === 0) video.volume = 1;
    void video.play().catch(() => undefined);
  }

  #liveEdge(video: HTMLVideoElement): number | null {
    if (this.#hls) return this.#hls.liveSyncPosition ?? null;
    if (video.seekable.length > 0) return video.seekable.end(video.seekable.length - 1);
    return null;
  }

  async #attach(video: HTMLVideoElement, source: HlsSource): Promise<void> {
    this.#teardown();
    const generation = this.#generation;
    this.#video = video;
    this.#current = source;
    this.#networkRetries = 0;
    this.#mediaRecoveries = 0;
    this.#set({ status: 'loading', muted: source.live, behindLive: false });
    // Browsers only autoplay muted video; a live stream should be playing when the page opens.
    video.muted = source.live;
    video.autoplay = source.live;
    this.#listenToMedia(video);

    const hasMse = 'MediaSource' in window || 'ManagedMediaSource' in window;
    let HlsClass: HlsConstructor | null = this.#Hls;
    if (!HlsClass && hasMse) {
      try {
        HlsClass = await loadHls();
        this.#Hls = HlsClass;
      } catch {
        // The chunk could not be fetched (offline, redeploy): fall through to native HLS, or report a failure.
        HlsClass = null;
      }
      if (generation !== this.#generation) return;
    }

    if (HlsClass?.isSupported()) {
      this.#startHls(HlsClass, video, source);
    } else if (video.canPlayType(HLS_MIME)) {
      video.src = source.src;
      if (source.live) void video.play().catch(() => undefined);
    } else {
      this.#set({ status: hasMse ? 'failed' : 'unsupported' });
    }
  }

  #startHls(HlsClass: HlsConstructor, video: HTMLVideoElement, source: HlsSource): void {
    const hls = new HlsClass({
      // The ES module build of hls.js starts no worker without a `workerPath`, so the demuxer runs on the page's
      // thread (`npm run bench -- --only=firstframe` counts 0 workers); a worker file would be one more download
      // before the first frame.
      // Native controls then show a live stream as live rather than as a short, growing video.
      liveDurationInfinity: source.live,
      backBufferLength: 60,
    });
    this.#hls = hls;
    const { Events, ErrorTypes } = HlsClass;
    hls.on(Events.MANIFEST_PARSED, () => {
      this.#set({ status: 'ready' });
      if (source.live) void video.play().catch(() => undefined);
    });
    hls.on(Events.FRAG_BUFFERED, () => {
      // Playback is progressing: later hiccups get a fresh set of recoveries.
      this.#networkRetries = 0;
      this.#mediaRecoveries = 0;
      if (this.status !== 'ready') this.#set({ status: 'ready' });
    });
    hls.on(Events.LEVEL_UPDATED, () => this.#updateBehindLive());
    hls.on(Events.ERROR, (_event, data: ErrorData) => {
      // Non-fatal errors are retried by hls.js itself, following its load policies.
      if (!data.fatal) return;
      if (data.type === ErrorTypes.NETWORK_ERROR && this.#networkRetries < MAX_NETWORK_RETRIES) {
        this.#networkRetries++;
        const delay = 1000 * 2 ** (this.#networkRetries - 1);
        const manifestFailed = /^manifest/i.test(String(data.details));
        clearTimeout(this.#retryTimer);
        this.#retryTimer = setTimeout(() => {
          if (this.#hls !== hls) return;
          // Without a manifest there is nothing to resume: ask for it again.
          if (manifestFailed) hls.loadSource(source.src);
          else hls.startLoad();
        }, delay);
        return;
      }
      if (data.type === ErrorTypes.MEDIA_ERROR && this.#mediaRecoveries < MAX_MEDIA_RECOVERIES) {
        this.#mediaRecoveries++;
        // The second time, also try the other audio codec: the usual cause of repeated decode errors.
        if (this.#mediaRecoveries > 1) hls.swapAudioCodec();
        hls.recoverMediaError();
        return;
      }
      this.#fail();
    });
    hls.attachMedia(video);
    hls.loadSource(source.src);
  }

  #listenToMedia(video: HTMLVideoElement): void {
    const on = (type: string, handler: () => void): void => {
      video.addEventListener(type, handler);
      this.#mediaCleanup.push(() => video.removeEventListener(type, handler));
    };
    const onVolume = (): void => {
      if (video.muted !== this.muted) this.#set({ muted: video.muted });
    };
    on('volumechange', onVolume);
    on('timeupdate', () => this.#updateBehindLive());
    on('pause', () => this.#updateBehindLive());
    on('playing', () => {
      if (this.status !== 'ready') this.#set({ status: 'ready' });
    });
    on('loadedmetadata', () => {
      if (this.status === 'loading') this.#set({ status: 'ready' });
    });
    on('error', () => {
      // With hls.js attached, its own ERROR event drives recovery; this catches native playback failures.
      if (!this.#hls) this.#fail();
    });
  }

  #updateBehindLive(): void {
    const video = this.#video;
    if (!video || !this.#current?.live) return;
    const edge = this.#liveEdge(video);
    const behind = edge !== null && edge - video.currentTime > BEHIND_LIVE_SECONDS;
    if (behind !== this.behindLive) this.#set({ behindLive: behind });
  }

  #fail(): void {
    const video = this.#video;
    const source = this.#current;
    this.#teardown();
    // Keep what is needed for retry().
    this.#video = video;
    this.#current = source;
    this.#set({ status: 'failed', behindLive: false });
  }

  #teardown(): void {
    this.#generation++;
    clearTimeout(this.#retryTimer);
    for (const cleanup of this.#mediaCleanup) cleanup();
    this.#mediaCleanup = [];
    if (this.#hls) {
      this.#hls.destroy();
      this.#hls = null;
    } else if (this.#video?.getAttribute('src')) {
      this.#video.removeAttribute('src');
      this.#video.load();
    }
    this.#video = null;
    this.#current = null;
  }

  #set(patch: Partial<Pick<HlsController, 'status' | 'muted' | 'behindLive'>>): void {
    Object.assign(this, patch);
    this.#host.requestUpdate();
  }
}
