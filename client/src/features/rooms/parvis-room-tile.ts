import { consume } from '@lit/context';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { i18nContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';

/** The host asks to mute or remove the person of a tile. */
export class RoomHostActionEvent extends Event {
  static readonly eventName = 'parvis-room-host-action';
  constructor(
    readonly participantId: number,
    readonly display: string,
    readonly action: 'mute' | 'remove',
  ) {
    super(RoomHostActionEvent.eventName, { bubbles: true, composed: true });
  }
}

/**
 * One person in the room's grid: their video (or their initial when the camera is off), their name, what they say of
 * their microphone, camera and hand, and for the host the buttons to mute or remove them. Remote sound plays from an
 * `<audio>` of its own, so that the video stays muted for autoplay; our own tile plays no sound.
 * @fires parvis-room-host-action - the host mutes or removes this person
 */
@customElement('parvis-room-tile')
export class ParvisRoomTile extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        min-width: 0;
      }
      figure {
        position: relative;
        margin: 0;
        aspect-ratio: 16 / 9;
        background: #1f1a14;
        color: #fff;
        border-radius: var(--radius-l);
        overflow: hidden;
        display: grid;
        place-items: center;
      }
      :host([hand]) figure {
        outline: 4px solid var(--color-warning-ink, #5c3d00);
        outline-offset: -4px;
      }
      video {
        position: absolute;
        inset: 0;
        width: 100%;
        height: 100%;
        object-fit: cover;
      }
      video[hidden] {
        display: none;
      }
      video.self {
        transform: scaleX(-1);
      }
      .initial {
        font-size: clamp(2rem, 8vw, 3.5rem);
        font-weight: 700;
      }
      figcaption {
        position: absolute;
        left: 0;
        right: 0;
        bottom: 0;
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--space-1) var(--space-2);
        padding: var(--space-1) var(--space-2);
        background: rgb(0 0 0 / 0.6);
        font-size: 0.875rem;
      }
      .name {
        font-weight: 700;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
        max-width: 100%;
      }
      .flag {
        border-radius: var(--radius-s);
        padding: 0 var(--space-1);
        background: rgb(255 255 255 / 0.2);
      }
      .flag.hand {
        background: #fff4d6;
        color: #5c3d00;
      }
      .host-actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-1);
        margin-top: var(--space-1);
      }
    `,
  ];

  @property({ type: Number, attribute: 'data-participant-id', reflect: true }) participantId = 0;
  @property() display = '';
  @property({ attribute: false }) audio: MediaStreamTrack | null = null;
  @property({ attribute: false }) video: MediaStreamTrack | null = null;
  @property({ type: Boolean, attribute: 'data-self', reflect: true }) self = false;
  @property({ type: Boolean }) micOn = true;
  @property({ type: Boolean }) cameraOn = true;
  @property({ type: Boolean, reflect: true }) hand = false;
  @property({ type: Boolean }) mutedByHost = false;
  /** They publish a microphone: the host's mute has something to mute. */
  @property({ type: Boolean }) hasMic = true;
  @property({ type: Boolean }) isHost = false;
  /** The viewer may mute and remove this person. */
  @property({ type: Boolean }) canModerate = false;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  override updated(): void {
    const video = this.renderRoot.querySelector('video');
    if (video && (video.srcObject as MediaStream | null)?.getTracks()[0] !== (this.video ?? undefined)) {
      video.srcObject = this.video ? new MediaStream([this.video]) : null;
    }
    const audio = this.renderRoot.querySelector('audio');
    if (audio && (audio.srcObject as MediaStream | null)?.getTracks()[0] !== (this.audio ?? undefined)) {
      audio.srcObject = this.audio ? new MediaStream([this.audio]) : null;
    }
  }

  #ask(action: 'mute' | 'remove'): void {
    this.dispatchEvent(new RoomHostActionEvent(this.participantId, this.display, action));
  }

  override render(): TemplateResult {
    const { t } = this.i18n;
    const name = this.self ? t('rooms.you', { name: this.display }) : this.display;
    const showVideo = this.video !== null && this.cameraOn;
    return html`<figure role="group" aria-label=${name}>
      <span class="initial" aria-hidden="true">${(this.display.trim()[0] ?? '?').toUpperCase()}</span>
      <video class=${this.self ? 'self' : 'remote'} ?data-remote=${!this.self} autoplay playsinline muted ?hidden=${!showVideo}></video>
      ${this.self ? nothing : html`<audio autoplay></audio>`}
      <figcaption>
        <span class="name">${name}</span>
        ${this.isHost ? html`<span class="flag">${t('rooms.host')}</span>` : nothing}
        ${this.hand ? html`<span class="flag hand"><span aria-hidden="true">✋</span> ${t('rooms.tile.hand')}</span>` : nothing}
        ${this.mutedByHost
          ? html`<span class="flag">${t('rooms.tile.mutedByHost')}</span>`
          : !this.micOn
            ? html`<span class="flag">${t('rooms.tile.micOff')}</span>`
            : nothing}
        ${!this.cameraOn || !this.video ? html`<span class="flag">${t('rooms.tile.cameraOff')}</span>` : nothing}
      </figcaption>
    </figure>
      ${this.canModerate && !this.self
        ? html`<div class="host-actions">
            <button
              type="button"
              class="btn btn-secondary btn-small"
              data-action="mute"
              aria-label=${t('rooms.host.muteLabel', { name: this.display })}
              ?disabled=${this.mutedByHost || !this.hasMic}
              @click=${() => this.#ask('mute')}
            >
              ${t('rooms.host.mute')}
            </button>
            <button
              type="button"
              class="btn btn-danger btn-small"
              data-action="remove"
              aria-label=${t('rooms.host.removeLabel', { name: this.display })}
              @click=${() => this.#ask('remove')}
            >
              ${t('rooms.host.remove')}
            </button>
          </div>`
        : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-room-tile': ParvisRoomTile;
  }
  interface HTMLElementEventMap {
    'parvis-room-host-action': RoomHostActionEvent;
  }
}
