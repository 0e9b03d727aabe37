import { consume } from '@lit/context';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { i18nContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import type { LocalMedia } from './room-call';

/** The person is ready: the tracks to publish (either may be missing) and whether each starts on. */
export class RoomCheckDoneEvent extends Event {
  static readonly eventName = 'parvis-room-check-done';
  constructor(readonly media: LocalMedia) {
    super(RoomCheckDoneEvent.eventName, { bubbles: true, composed: true });
  }
}

type Access = 'asking' | 'granted' | 'denied' | 'none' | 'failed';

/**
 * The camera and microphone check before entering: the browser's permission asked, a preview of the camera, a level
 * meter of the microphone, a choice of devices, and whether to go in with each on. Refused access says how to allow
 * it, and the person may go in without (to see, hear and write). The tracks it opened go with the done event, or are
 * stopped when the element leaves the page.
 * @fires parvis-room-check-done - the person enters the room
 */
@customElement('parvis-room-check')
export class ParvisRoomCheck extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: grid;
        gap: var(--space-4);
      }
      .layout {
        display: grid;
        gap: var(--space-4);
        grid-template-columns: minmax(0, 3fr) minmax(14rem, 2fr);
        align-items: start;
      }
      @media (max-width: 48rem) {
        .layout {
          grid-template-columns: 1fr;
        }
      }
      figure {
        margin: 0;
        display: grid;
        gap: var(--space-2);
      }
      .preview {
        aspect-ratio: 16 / 9;
        width: 100%;
        background: #1f1a14;
        color: #fff;
        border-radius: var(--radius-l);
        display: grid;
        place-items: center;
        overflow: hidden;
      }
      video {
        width: 100%;
        height: 100%;
        object-fit: cover;
        /* A mirror, as people expect of their own picture; the others see it the right way round. */
        transform: scaleX(-1);
      }
      .settings {
        display: grid;
        gap: var(--space-3);
      }
      meter {
        width: 100%;
        height: 1.25rem;
      }
      .check {
        display: flex;
        gap: var(--space-2);
        align-items: center;
      }
      .check input {
        width: 1.25rem;
        height: 1.25rem;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-2);
      }
    `,
  ];

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private access: Access = 'asking';
  @state() private cameras: MediaDeviceInfo[] = [];
  @state() private microphones: MediaDeviceInfo[] = [];
  @state() private audio: MediaStreamTrack | null = null;
  @state() private video: MediaStreamTrack | null = null;
  @state() private cameraOn = true;
  @state() private micOn = true;
  @state() private level = 0;

  /** The tracks went to the room: not ours to stop any more. */
  #handedOver = false;
  #audioContext: AudioContext | null = null;
  #meterTimer: ReturnType<typeof setInterval> | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#open();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopMeter();
    if (!this.#handedOver) {
      this.audio?.stop();
      this.video?.stop();
    }
  }

  /** Asks for both; when one kind is missing, for the other alone; says why when neither comes. */
  async #open(audioId?: string, videoId?: string): Promise<void> {
    this.access = 'asking';
    const media = navigator.mediaDevices;
    if (!media?.getUserMedia) {
      this.access = 'none';
      return;
    }
    const audio: MediaTrackConstraints | boolean = audioId ? { deviceId: { exact: audioId } } : true;
    const video: MediaTrackConstraints | boolean = videoId
      ? { deviceId: { exact: videoId }, width: { ideal: 640 }, height: { ideal: 360 } }
      : { width: { ideal: 640 }, height: { ideal: 360 } };
    let stream: MediaStream | null = null;
    let refusal: unknown = null;
    for (const constraints of [{ audio, video }, { audio }, { video }]) {
      try {
        stream = await media.getUserMedia(constraints);
        break;
      } catch (error) {
        refusal = error;
        // Refused: asking again for less would only ask the person again.
        if (error instanceof DOMException && error.name === 'NotAllowedError') break;
      }
    }
    if (!this.isConnected) {
      for (const t of stream?.getTracks() ?? []) t.stop();
      return;
    }
    if (!stream) {
      const name = refusal instanceof DOMException ? refusal.name : '';
      this.access = name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : name === 'NotFoundError' ? 'none' : 'failed';
      return;
    }
    this.#replace(stream.getAudioTracks()[0] ?? null, stream.getVideoTracks()[0] ?? null);
    this.access = 'granted';
    // Device names are only given once access is granted.
    const devices = await media.enumerateDevices().catch(() => [] as MediaDeviceInfo[]);
    this.cameras = devices.filter((d) => d.kind === 'videoinput');
    this.microphones = devices.filter((d) => d.kind === 'audioinput');
  }

  #replace(audio: MediaStreamTrack | null, video: MediaStreamTrack | null): void {
    if (this.audio && this.audio !== audio) this.audio.stop();
    if (this.video && this.video !== video) this.video.stop();
    this.audio = audio;
    this.video = video;
    this.#startMeter();
  }

  async #choose(kind: 'audio' | 'video', deviceId: string): Promise<void> {
    try {
      const stream = await navigator.mediaDevices.getUserMedia(
        kind === 'audio' ? { audio: { deviceId: { exact: deviceId } } } : { video: { deviceId: { exact: deviceId }, width: { ideal: 640 }, height: { ideal: 360 } } },
      );
      const track = (kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks())[0] ?? null;
      if (kind === 'audio') this.#replace(track, this.video);
      else this.#replace(this.audio, track);
    } catch {
      this.access = 'failed';
    }
  }

  /** The microphone's level, from an analyser, a few times a second: enough for the eye, cheap for the page. */
  #startMeter(): void {
    this.#stopMeter();
    if (!this.audio || typeof AudioContext === 'undefined') return;
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    context.createMediaStreamSource(new MediaStream([this.audio])).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    this.#audioContext = context;
    this.#meterTimer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      // RMS on a rough log scale, so that speech moves the bar well.
      const rms = Math.sqrt(sum / samples.length);
      this.level = Math.min(1, Math.max(0, 1 + Math.log10(rms + 1e-4) / 3));
    }, 120);
  }

  #stopMeter(): void {
    if (this.#meterTimer !== null) clearInterval(this.#meterTimer);
    this.#meterTimer = null;
    void this.#audioContext?.close().catch(() => {});
    this.#audioContext = null;
  }

  #enter(): void {
    this.#stopMeter();
    this.#handedOver = true;
    this.dispatchEvent(new RoomCheckDoneEvent({ audio: this.audio, video: this.video, micOn: this.micOn, cameraOn: this.cameraOn }));
  }

  override updated(): void {
    const preview = this.renderRoot.querySelector('video');
    if (preview && this.video && (preview.srcObject as MediaStream | null)?.getVideoTracks()[0] !== this.video) {
      preview.srcObject = new MediaStream([this.video]);
    }
  }

  override render(): TemplateResult {
    const { t } = this.i18n;
    const notice = {
      asking: t('rooms.check.asking'),
      denied: t('rooms.check.denied'),
      none: t('rooms.check.none'),
      failed: t('rooms.check.failed'),
      granted: '',
    }[this.access];
    const hasMedia = this.audio !== null || this.video !== null;
    return html`<p>${t('rooms.check.intro')}</p>
      ${notice
        ? html`<div class="notice ${this.access === 'asking' ? '' : 'notice-warning'}" role=${this.access === 'asking' ? 'status' : 'alert'}>
            <p>${notice}</p>
            ${this.access !== 'asking'
              ? html`<button type="button" class="btn btn-secondary btn-small" @click=${() => void this.#open()}>${t('rooms.check.askAgain')}</button>`
              : nothing}
          </div>`
        : nothing}
      <div class="layout">
        <figure>
          <div class="preview">
            ${this.video ? html`<video autoplay playsinline muted aria-label=${t('rooms.check.preview')}></video>` : html`<span>${t('rooms.check.noPreview')}</span>`}
          </div>
          <figcaption class="hint">${t('rooms.check.preview')}</figcaption>
        </figure>
        <div class="settings">
          ${this.audio
            ? html`<div class="field">
                <label for="level">${t('rooms.check.level')}</label>
                <meter id="level" min="0" max="1" low="0.2" .value=${this.level} aria-describedby="level-hint"></meter>
                <span id="level-hint" class="hint">${t('rooms.check.levelHint')}</span>
              </div>`
            : nothing}
          ${this.#picker('audio', 'microphone', this.microphones, this.audio)} ${this.#picker('video', 'camera', this.cameras, this.video)}
          ${this.audio
            ? html`<label class="check"
                ><input type="checkbox" .checked=${this.micOn} @change=${(e: Event) => (this.micOn = (e.target as HTMLInputElement).checked)} />
                ${t('rooms.check.micOn')}</label
              >`
            : nothing}
          ${this.video
            ? html`<label class="check"
                ><input type="checkbox" .checked=${this.cameraOn} @change=${(e: Event) => (this.cameraOn = (e.target as HTMLInputElement).checked)} />
                ${t('rooms.check.cameraOn')}</label
              >`
            : nothing}
          <div class="actions">
            <button
              type="button"
              class="btn"
              data-action="enter"
              aria-disabled=${this.access === 'asking' ? 'true' : 'false'}
              @click=${() => this.access !== 'asking' && this.#enter()}
            >
              ${hasMedia || this.access === 'asking' ? t('rooms.check.enter') : t('rooms.check.enterWithout')}
            </button>
          </div>
        </div>
      </div>`;
  }

  #picker(kind: 'audio' | 'video', name: 'microphone' | 'camera', devices: MediaDeviceInfo[], current: MediaStreamTrack | null): TemplateResult | typeof nothing {
    if (devices.length < 2) return nothing;
    const { t } = this.i18n;
    const selected = current?.getSettings().deviceId;
    return html`<div class="field">
      <label for=${`pick-${name}`}>${t(`rooms.check.${name}`)}</label>
      <select id=${`pick-${name}`} @change=${(e: Event) => void this.#choose(kind, (e.target as HTMLSelectElement).value)}>
        ${devices.map(
          (d, i) => html`<option value=${d.deviceId} ?selected=${d.deviceId === selected}>${d.label || t('rooms.check.device', { n: i + 1 })}</option>`,
        )}
      </select>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-room-check': ParvisRoomCheck;
  }
  interface HTMLElementEventMap {
    'parvis-room-check-done': RoomCheckDoneEvent;
  }
}
