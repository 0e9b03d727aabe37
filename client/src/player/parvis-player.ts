import { consume } from '@lit/context';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { CaptionCue } from '#shared/domain/caption';
import { i18nContext } from '../app/contexts';
import { baseStyles } from '../app/shared-styles';
import type { Translator } from '../i18n/i18n';
import {
  CAPTION_CONTRASTS,
  CAPTION_SIZES,
  loadCaptionSettings,
  pickCaptionLanguage,
  saveCaptionSettings,
  type CaptionSettings,
} from './caption-settings';
import { HlsController } from './hls-controller';
import { LiveCaptionTracks, type TimelineAnchor } from './live-captions';

/** A replay's captions in one language: a WebVTT file, given to the video as a `<track>`. */
export interface CaptionFile {
  lang: string;
  src: string;
}

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/**
 * Where a replay's video is, for what plays along with it (the replay's chat and chapters): sent as it plays
 * (`timeupdate`), and once a seek lands (`seek`: the viewer moved the playhead, or {@link ParvisPlayer.seek} did).
 */
export class PlayerTimeEvent extends Event {
  static readonly eventName = 'parvis-player-time';
  constructor(
    /** Seconds into the video. */
    readonly currentTime: number,
    readonly seek: boolean,
    /** The video's length in seconds, NaN until known. */
    readonly duration: number,
  ) {
    super(PlayerTimeEvent.eventName, { bubbles: true, composed: true });
  }
}

/** The player has its first picture (the video's `loadeddata`), or gave up on the stream: the page may do the rest. */
export const PLAYER_SETTLED = 'parvis-player-settled';

/**
 * An HLS video player: native controls, plus "back to live" and "unmute" for live streams, and a clear message with a
 * retry button when the stream fails.
 * @fires parvis-player-time - as a replay plays and after each seek ({@link PlayerTimeEvent})
 * @fires parvis-player-settled - once its first picture is there, or the stream failed
 */
@customElement('parvis-player')
export class ParvisPlayer extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: grid;
        gap: var(--space-3);
      }
      .frame {
        position: relative;
        aspect-ratio: 16 / 9;
        background: #000;
        border-radius: var(--radius-m);
        overflow: hidden;
      }
      video {
        display: block;
        width: 100%;
        height: 100%;
        background: #000;
      }
      .overlay {
        position: absolute;
        inset: 0;
        display: grid;
        place-content: center;
        justify-items: center;
        gap: var(--space-3);
        padding: var(--space-4);
        text-align: center;
        color: #fff;
        background: rgb(0 0 0 / 0.78);
      }
      .overlay.loading {
        background: transparent;
        pointer-events: none;
      }
      .overlay.loading p {
        padding: var(--space-1) var(--space-3);
        border-radius: var(--radius-s);
        background: rgb(0 0 0 / 0.7);
      }
      .overlay .btn {
        background: #fff;
        color: var(--color-brand);
        border-color: #fff;
      }
      .overlay :focus-visible {
        outline-color: #fff;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--space-2);
      }
      .actions:empty {
        display: none;
      }
      .behind {
        color: var(--color-ink-muted);
        font-size: 0.9375rem;
      }
      /* Captions drawn by the browser: the viewer's size and contrast. */
      video::cue {
        background: rgb(0 0 0 / 0.78);
        color: #fff;
        line-height: 1.3;
      }
      .frame[data-cc-size='small'] video::cue {
        font-size: 80%;
      }
      .frame[data-cc-size='large'] video::cue {
        font-size: 150%;
      }
      .frame[data-cc-contrast='high'] video::cue {
        background: #000;
        color: #ffeb3b;
        font-weight: 700;
      }
      .cc[aria-pressed='true'] {
        background: var(--color-brand);
        color: var(--color-brand-ink);
      }
      .cc-settings {
        display: grid;
        gap: var(--space-3);
        flex-basis: 100%;
        padding: var(--space-3);
        border: 1px solid var(--color-line);
        border-radius: var(--radius-s);
        background: var(--color-surface);
      }
      .cc-settings fieldset {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-1) var(--space-3);
        margin: 0;
        padding: 0;
        border: 0;
      }
      .cc-settings legend {
        font-weight: 600;
        margin-bottom: var(--space-1);
      }
      .cc-settings label {
        display: inline-flex;
        align-items: center;
        gap: var(--space-1);
      }
      .cc-settings input {
        width: auto;
      }
      .cc-settings select {
        width: auto;
        margin-left: var(--space-2);
      }
    `,
  ];

  /** URL of the HLS playlist. */
  @property() src = '';
  /** A live stream rather than a replay. */
  @property({ type: Boolean }) live = false;
  /** What is playing, for the video's accessible name. */
  @property() label = '';
  /**
   * A replay only: where to start, in seconds (a deep link). Applied once per source, as soon as both the video's
   * metadata and this value are there, whichever comes last.
   */
  @property({ type: Number }) startAt: number | null = null;
  /** A live stream: the caption cues the room holds, placed on this viewer's own clock as a text track per language. */
  @property({ attribute: false }) liveCaptions: readonly CaptionCue[] = [];
  /** A replay: its captions, one WebVTT file per language. */
  @property({ attribute: false }) captionFiles: readonly CaptionFile[] = [];

  /** The viewer's caption settings, as saved. */
  @state() private cc: CaptionSettings = loadCaptionSettings(storage());
  @state() private ccMenu = false;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @query('video') private video!: HTMLVideoElement | null;

  #metadataLoaded = false;
  #startApplied = false;
  /** The live captions' text tracks, made on the video element once it exists. */
  #liveTracks: LiveCaptionTracks | null = null;
  #liveTracksVideo: HTMLVideoElement | null = null;

  readonly #hls = new HlsController(this, {
    video: () => this.video,
    source: () => (this.src ? { src: this.src, live: this.live } : null),
  });

  /** The wall-clock instant of the frame on screen (EXT-X-PROGRAM-DATE-TIME), or null: see HlsController.programDate. */
  programDate(): Date | null {
    return this.#hls.programDate();
  }

  /** The `<video>` element, once rendered: for text tracks and playback state (captions, heartbeats). */
  get media(): HTMLVideoElement | null {
    return this.video;
  }

  /** Moves a replay's playhead to `seconds` and plays from there (a chapter, a link to a moment). */
  seek(seconds: number): void {
    const video = this.video;
    if (!video || this.live) return;
    video.currentTime = Math.max(0, seconds);
    void video.play().catch(() => undefined);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('src')) {
      this.#metadataLoaded = false;
      this.#startApplied = false;
    }
  }

  override updated(changed: PropertyValues<this>): void {
    if (changed.has('startAt')) this.#applyStart();
    if (changed.has('liveCaptions')) this.#syncLiveCaptions();
    this.#applyCaptionModes();
  }

  /** The caption languages this video has: the replay's files, or the live cues' languages as they come. */
  get captionLanguages(): string[] {
    const langs = this.live ? this.liveCaptions.map((c) => c.lang) : this.captionFiles.map((f) => f.lang);
    return [...new Set(langs)];
  }

  /** The language shown now, or null when captions are off or there are none. */
  get captionLanguage(): string | null {
    if (!this.cc.on) return null;
    return pickCaptionLanguage(this.captionLanguages, this.cc.lang, this.i18n.lang);
  }

  #anchor(): TimelineAnchor | null {
    const video = this.video;
    const date = this.programDate();
    if (!video || !date) return null;
    return { currentTime: video.currentTime, programDateMs: date.getTime() };
  }

  #syncLiveCaptions(): void {
    const video = this.video;
    if (!video || !this.live || this.liveCaptions.length === 0) return;
    if (this.#liveTracksVideo !== video) {
      this.#liveTracksVideo = video;
      this.#liveTracks = new LiveCaptionTracks({
        createTrack: (lang) => video.addTextTrack('captions', this.i18n.languageName(lang), lang),
        createCue: (start, end, text) => new VTTCue(start, end, text),
      });
    }
    this.#liveTracks!.sync(this.liveCaptions, this.#anchor());
    this.#liveTracks!.show(this.captionLanguage);
  }

  /** Shows the chosen language's track; the others are `hidden` (still loaded, and readable). */
  #applyCaptionModes(): void {
    const lang = this.captionLanguage;
    this.#liveTracks?.show(lang);
    for (const el of this.renderRoot.querySelectorAll('track')) {
      const mode: TextTrackMode = el.srclang === lang ? 'showing' : 'hidden';
      if (el.track.mode !== mode) el.track.mode = mode;
    }
  }

  #setCc(patch: Partial<CaptionSettings>): void {
    this.cc = { ...this.cc, ...patch };
    saveCaptionSettings(storage(), this.cc);
  }

  /** `c` on the focused video turns captions on or off, as in most players. */
  readonly #onFrameKey = (event: KeyboardEvent): void => {
    if (event.key !== 'c' || event.ctrlKey || event.metaKey || event.altKey || this.captionLanguages.length === 0) return;
    event.preventDefault();
    this.#setCc({ on: !this.cc.on });
  };

  #onCcKey(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || !this.ccMenu) return;
    event.preventDefault();
    this.ccMenu = false;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('#cc-settings-button')?.focus());
  }

  #applyStart(): void {
    const video = this.video;
    if (this.#startApplied || this.live || this.startAt === null || !this.#metadataLoaded || !video) return;
    this.#startApplied = true;
    video.currentTime = Math.max(0, this.startAt);
  }

  readonly #onMetadata = (): void => {
    this.#metadataLoaded = true;
    this.#applyStart();
  };

  #onTime(): void {
    // Cues that came before the first frame wait for the picture's instant: placed on the next tick once it is known.
    if (this.live) this.#syncLiveCaptions();
    this.#tell(false);
  }

  #tell(seek: boolean): void {
    const video = this.video;
    if (video && !this.live) this.dispatchEvent(new PlayerTimeEvent(video.currentTime, seek, video.duration));
  }

  #settled = false;
  readonly #settle = (): void => {
    if (this.#settled) return;
    this.#settled = true;
    this.dispatchEvent(new Event(PLAYER_SETTLED, { bubbles: true, composed: true }));
  };

  override render() {
    const { t } = this.i18n;
    const hls = this.#hls;
    return html`
      <div class="frame" data-cc-size=${this.cc.size} data-cc-contrast=${this.cc.contrast} @keydown=${this.#onFrameKey}>
        <video
          controls
          playsinline
          preload="metadata"
          aria-label=${t('player.video', { title: this.label })}
          @loadedmetadata=${this.#onMetadata}
          @loadeddata=${this.#settle}
          @error=${this.#settle}
          @timeupdate=${() => this.#onTime()}
          @seeked=${() => this.#tell(true)}
        >
          ${this.live
            ? nothing
            : repeat(
                this.captionFiles,
                (f) => f.src,
                (f) => html`<track kind="captions" srclang=${f.lang} label=${this.i18n.languageName(f.lang)} src=${f.src} />`,
              )}
        </video>
        ${hls.status === 'loading'
          ? html`<div class="overlay loading"><p role="status">${t('player.loading')}</p></div>`
          : nothing}
        ${hls.status === 'failed' || hls.status === 'unsupported'
          ? html`<div class="overlay" role="alert">
              <p>${hls.status === 'failed' ? t('player.error') : t('player.unsupported')}</p>
              ${hls.status === 'failed'
                ? html`<button type="button" class="btn" @click=${() => hls.retry()}>${t('player.retry')}</button>`
                : nothing}
            </div>`
          : nothing}
      </div>
      <div class="actions">${this.#renderActions()}</div>
    `;
  }

  #renderActions() {
    const { t } = this.i18n;
    const hls = this.#hls;
    if (hls.status === 'failed' || hls.status === 'unsupported') return nothing;
    return html`${this.live
      ? html`<button
            type="button"
            class="btn btn-small ${hls.behindLive ? '' : 'btn-secondary'}"
            @click=${() => hls.backToLive()}
          >
            ${t('player.backToLive')}
          </button>
          ${hls.behindLive ? html`<span class="behind">${t('player.behindLive')}</span>` : nothing}`
      : nothing}${hls.muted
      ? html`<button type="button" class="btn btn-small btn-secondary" @click=${() => hls.unmute()}>
          ${t('player.unmute')}
        </button>`
      : nothing}${this.#renderCaptionControls()}`;
  }

  /** The CC button (captions on or off) and the settings: language, size, contrast. Only when the video has captions. */
  #renderCaptionControls() {
    const { t } = this.i18n;
    const langs = this.captionLanguages;
    if (langs.length === 0) return nothing;
    const shown = pickCaptionLanguage(langs, this.cc.lang, this.i18n.lang);
    return html`<button
        type="button"
        class="btn btn-small btn-secondary cc"
        aria-pressed=${this.cc.on ? 'true' : 'false'}
        @click=${() => this.#setCc({ on: !this.cc.on })}
      >
        <span aria-hidden="true">CC</span> ${t('viewerClock.cc.toggle')}
      </button>
      <button
        type="button"
        id="cc-settings-button"
        class="btn btn-small btn-secondary"
        aria-expanded=${this.ccMenu ? 'true' : 'false'}
        aria-controls="cc-settings"
        @click=${() => (this.ccMenu = !this.ccMenu)}
      >
        ${t('viewerClock.cc.settings')}
      </button>
      ${this.ccMenu
        ? html`<div id="cc-settings" class="cc-settings" role="group" aria-label=${t('viewerClock.cc.settings')} @keydown=${this.#onCcKey}>
            <div>
              <label for="cc-lang">${t('viewerClock.cc.language')}</label>
              <select id="cc-lang" @change=${(e: Event) => this.#setCc({ lang: (e.target as HTMLSelectElement).value, on: true })}>
                ${langs.map((l) => html`<option value=${l} ?selected=${l === shown}>${this.i18n.languageName(l)}</option>`)}
              </select>
            </div>
            <fieldset>
              <legend>${t('viewerClock.cc.size')}</legend>
              ${CAPTION_SIZES.map(
                (size) => html`<label
                  ><input
                    type="radio"
                    name="cc-size"
                    .checked=${this.cc.size === size}
                    @change=${() => this.#setCc({ size })}
                  />${t(`viewerClock.cc.size.${size}`)}</label
                >`,
              )}
            </fieldset>
            <fieldset>
              <legend>${t('viewerClock.cc.contrast')}</legend>
              ${CAPTION_CONTRASTS.map(
                (contrast) => html`<label
                  ><input
                    type="radio"
                    name="cc-contrast"
                    .checked=${this.cc.contrast === contrast}
                    @change=${() => this.#setCc({ contrast })}
                  />${t(`viewerClock.cc.contrast.${contrast}`)}</label
                >`,
              )}
            </fieldset>
          </div>`
        : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-player': ParvisPlayer;
  }
}
