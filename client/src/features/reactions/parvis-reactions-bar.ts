import { consume } from '@lit/context';
import type { Reaction } from '#shared/domain/moderation';
import { REACTIONS } from '#shared/domain/reactions';
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { i18nContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import { errorText } from '../../i18n/error-text';
import type { Translator } from '../../i18n/i18n';
import type { EventRoom } from '../event-room/event-room';
import { REACTION_LABEL_KEYS } from './reaction-labels';

/** How long a hint under the bar ("choose a name", "easy") stays. */
const HINT_MS = 4_000;

/**
 * The six reactions the audience can send, as real buttons named in words ("Applaudir", "J'adore"...). Each click
 * sends `reaction:send` through the room; what everyone sent comes back in bursts, which the overlay shows.
 */
@customElement('parvis-reactions-bar')
export class ParvisReactionsBar extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--space-2);
      }
      .label {
        font-weight: 600;
        margin-right: var(--space-1);
      }
      button {
        display: inline-grid;
        place-items: center;
        min-width: 2.75rem;
        min-height: 2.75rem;
        padding: 0;
        border: 1px solid var(--color-line-strong);
        border-radius: 999px;
        background: var(--color-surface);
        font-size: 1.375rem;
        line-height: 1;
        cursor: pointer;
        transition: transform 0.12s ease-out;
      }
      button:hover {
        background: var(--color-brand-soft);
        border-color: var(--color-brand);
      }
      button:active,
      button.sent {
        transform: scale(1.18);
      }
      @media (prefers-reduced-motion: reduce) {
        button {
          transition: none;
        }
        button:active,
        button.sent {
          transform: none;
          border-color: var(--color-brand);
          background: var(--color-brand-soft);
        }
      }
      .hint {
        min-height: 1.25rem;
        margin-top: var(--space-1);
      }
    `,
  ];

  /** The live room to send through; null until it exists. */
  @property({ attribute: false }) room: EventRoom | null = null;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private hint = '';
  @state() private sent: Reaction | null = null;

  #hintTimer: ReturnType<typeof setTimeout> | undefined;
  #sentTimer: ReturnType<typeof setTimeout> | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#hintTimer);
    clearTimeout(this.#sentTimer);
  }

  async #send(reaction: Reaction): Promise<void> {
    const room = this.room;
    if (!room) return;
    this.sent = reaction;
    clearTimeout(this.#sentTimer);
    this.#sentTimer = setTimeout(() => (this.sent = null), 150);
    const ack = await room.react(reaction);
    if (ack.ok) return;
    this.#showHint(errorText(this.i18n, ack.error, 'reaction'));
  }

  #showHint(text: string): void {
    this.hint = text;
    clearTimeout(this.#hintTimer);
    this.#hintTimer = setTimeout(() => (this.hint = ''), HINT_MS);
  }

  override render() {
    const { t } = this.i18n;
    return html`<div class="bar" role="group" aria-labelledby="reactions-label">
        <span class="label" id="reactions-label">${t('room.reactions.label')}</span>
        ${REACTIONS.map((reaction) => {
          const label = t(REACTION_LABEL_KEYS[reaction]);
          return html`<button
            type="button"
            class=${this.sent === reaction ? 'sent' : ''}
            aria-label=${label}
            title=${label}
            @click=${() => void this.#send(reaction)}
          >
            <span aria-hidden="true">${reaction}</span>
          </button>`;
        })}
      </div>
      <p class="hint" role="status">${this.hint}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-reactions-bar': ParvisReactionsBar;
  }
}
