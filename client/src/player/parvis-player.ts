import { consume } from '@lit/context';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { i18nContext } from '../app/contexts';
import { baseStyles } from '../app/shared-styles';
import type { Translator } from '../i18n/i18n';
import { HlsController } from './hls-controller';

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

/**
 * An HLS video player: native controls, plus "back to live" and "unmute" for live streams, and a clear message with a
 * retry button when the stream fails.
 * @fires parvis-player-time - as a replay plays and after each seek ({@link PlayerTimeEvent})
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

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @query('video') private video!: HTMLVideoElement | null;

  #metadataLoaded = false;
  #startApplied = false;

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

  #tell(seek: boolean): void {
    const video = this.video;
    if (video && !this.live) this.dispatchEvent(new PlayerTimeEvent(video.currentTime, seek, video.duration));
  }

  override render() {
    const { t } = this.i18n;
    const hls = this.#hls;
    return html`
      <div class="frame">
        <video
          controls
          playsinline
          preload="metadata"
          aria-label=${t('player.video', { title: this.label })}
          @loadedmetadata=${this.#onMetadata}
          @timeupdate=${() => this.#tell(false)}
          @seeked=${() => this.#tell(true)}
        ></video>
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
      : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-player': ParvisPlayer;
  }
}
