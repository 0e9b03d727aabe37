import { consume } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { i18nContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';

/** How many people are in the room ("12 spectateurs"), as a polite status. Empty until the count is known. */
@customElement('parvis-viewer-count')
export class ParvisViewerCount extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: inline-block;
      }
      p {
        display: inline-flex;
        align-items: center;
        gap: var(--space-2);
        font-weight: 600;
        color: var(--color-ink-muted);
      }
      p:empty {
        display: none;
      }
      svg {
        width: 1.1em;
        height: 1.1em;
        fill: currentColor;
      }
    `,
  ];

  @property({ attribute: false }) viewers: number | null = null;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  override render() {
    // The status element is always there, so assistive technologies already watch it when the first count arrives.
    return html`<p role="status">${this.viewers === null
      ? ''
      : html`<svg viewBox="0 0 24 24" aria-hidden="true">
            <path d="M12 5c5 0 9 4.5 10 7-1 2.5-5 7-10 7S3 14.5 2 12c1-2.5 5-7 10-7Zm0 3a4 4 0 1 0 0 8 4 4 0 0 0 0-8Z" />
          </svg>
          <span>${this.i18n.plural('viewers', this.viewers)}</span>`}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-viewer-count': ParvisViewerCount;
  }
}
