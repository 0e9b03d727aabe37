import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { i18nContext } from '../../app/contexts';
import { displayHref, qrCodeHref } from '../../app/routes';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';

/** Where the choice to hide the code is kept: once per browser, the stage's laptop. */
const HIDDEN_KEY = 'parvis.stage.roomQr';

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/**
 * The QR code of the phone page, small, for a corner of the stage view (which is often what the room's screen
 * shows): the people in the room scan it to ask. It can be hidden, and stays hidden on this browser; a link opens
 * the auditorium's display page, with the code in large.
 */
@customElement('parvis-room-qr')
export class ParvisRoomQr extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      /* The code on the right, what to do with it on its left: compact enough for a corner. */
      .corner {
        display: flex;
        flex-direction: row-reverse;
        flex-wrap: wrap;
        align-items: center;
        justify-content: flex-start;
        gap: var(--space-3);
      }
      .controls {
        display: grid;
        gap: var(--space-2);
        justify-items: end;
        text-align: right;
      }
      img {
        display: block;
        width: clamp(6rem, 11vw, 9rem);
        aspect-ratio: 1;
        border-radius: var(--radius-s);
        background: #fff;
      }
      .title {
        font-size: clamp(0.875rem, 1.1vw, 1rem);
        font-weight: 600;
      }
      .toggle {
        min-height: 2.75rem;
        padding: var(--space-1) var(--space-3);
        border: 2px solid currentColor;
        border-radius: var(--radius-s);
        background: transparent;
        color: inherit;
        font: inherit;
        font-size: 0.9375rem;
        font-weight: 600;
        cursor: pointer;
      }
      a {
        font-size: 0.9375rem;
      }
    `,
  ];

  @property() eventId = '';

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private hidden_ = storage()?.getItem(HIDDEN_KEY) === 'hidden';

  #toggle(): void {
    this.hidden_ = !this.hidden_;
    try {
      if (this.hidden_) storage()?.setItem(HIDDEN_KEY, 'hidden');
      else storage()?.removeItem(HIDDEN_KEY);
    } catch {
      // Storage full or refused: the choice lasts as long as the page.
    }
  }

  override render() {
    const { t } = this.i18n;
    return html`<div class="corner">
      ${this.hidden_
        ? nothing
        : html`<img src=${qrCodeHref(this.eventId)} alt=${t('hall.stage.qrAlt')} />`}
      <div class="controls">
        ${this.hidden_ ? nothing : html`<p class="title">${t('hall.stage.qrTitle')}</p>`}
        <button type="button" class="toggle" @click=${() => this.#toggle()}>
          ${this.hidden_ ? t('hall.stage.showQr') : t('hall.stage.hideQr')}
        </button>
        <a href=${displayHref(this.eventId)}>${t('hall.stage.display')}</a>
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-room-qr': ParvisRoomQr;
  }
}
