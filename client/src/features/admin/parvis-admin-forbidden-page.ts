import { consume } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { i18nContext, sessionContext, type SessionContextValue } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';

/** Shown on an admin page to someone signed in who is not an admin (a moderator who came by invitation, say). */
@customElement('parvis-admin-forbidden-page')
export class ParvisAdminForbiddenPage extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: grid;
        gap: var(--space-4);
        justify-items: start;
        max-width: 44rem;
      }
      h1 {
        font-size: 2rem;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-3);
        align-items: center;
      }
    `,
  ];

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session!: SessionContextValue;

  override updated(): void {
    document.title = `${this.i18n.t('admin.forbidden.title')} — Parvis`;
  }

  override render() {
    const { t } = this.i18n;
    const name = this.session.session?.user.displayName ?? '';
    return html`
      <h1>${t('admin.forbidden.title')}</h1>
      <p>${t('admin.forbidden.body', { name })}</p>
      <div class="actions">
        <a class="btn" href="/">${t('app.backToProgramme')}</a>
        <button type="button" class="btn btn-secondary" @click=${() => void this.session.signOut()}>
          ${t('admin.forbidden.otherAccount')}
        </button>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-admin-forbidden-page': ParvisAdminForbiddenPage;
  }
}
