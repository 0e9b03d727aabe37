import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { i18nContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import { HlsController } from '../../player/hls-controller';

/**
 * A small, muted preview of the live stream for the moderators: what the audience gets, a few seconds late, without a
 * second sound in the room. Made only when asked for (it fetches the stream like a viewer), through the player's
 * controller, which plays a live source muted and at its edge.
 */
@customElement('parvis-stream-preview')
export class ParvisStreamPreview extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .frame {
        position: relative;
        aspect-ratio: 16 / 9;
        max-width: 24rem;
        background: #000;
        border-radius: var(--radius-s);
        overflow: hidden;
      }
      video {
        display: block;
        width: 100%;
        height: 100%;
      }
      p {
        position: absolute;
        inset: auto 0 0 0;
        margin: 0;
        padding: var(--space-1) var(--space-2);
        background: rgb(0 0 0 / 0.7);
        color: #fff;
        font-size: 0.875rem;
      }
    `,
  ];

  /** The live playlist. */
  @property() src = '';
  /** What plays, for the video's accessible name. */
  @property() label = '';

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @query('video') private video!: HTMLVideoElement | null;

  readonly #hls = new HlsController(this, {
    video: () => this.video,
    source: () => (this.src ? { src: this.src, live: true } : null),
  });

  override render() {
    const { t } = this.i18n;
    const status = this.#hls.status;
    return html`<div class="frame">
      <video muted playsinline aria-label=${t('mod.stream.previewLabel', { title: this.label })}></video>
      ${status === 'loading' ? html`<p role="status">${t('player.loading')}</p>` : nothing}
      ${status === 'failed' || status === 'unsupported' ? html`<p role="alert">${t('player.error')}</p>` : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-stream-preview': ParvisStreamPreview;
  }
}
