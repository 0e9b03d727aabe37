import { consume } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { Translator } from '../i18n/i18n';
import { i18nContext } from './contexts';
import { baseStyles } from './shared-styles';

/** Shown for any address that is not a page of the app. */
@customElement('parvis-not-found-page')
export class ParvisNotFoundPage extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: grid;
        gap: var(--space-4);
        justify-items: start;
      }
      h1 {
        font-size: 2rem;
      }
    `,
  ];

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  override updated(): void {
    document.title = `${this.i18n.t('app.notFound.title')} — Parvis`;
  }

  override render() {
    const { t } = this.i18n;
    return html`
      <h1>${t('app.notFound.title')}</h1>
      <p>${t('app.notFound.body')}</p>
      <a href="/">${t('app.backToProgramme')}</a>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-not-found-page': ParvisNotFoundPage;
  }
}
