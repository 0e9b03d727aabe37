import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { i18nContext } from '../../app/contexts';
import { adminAuditHref, adminFiguresHref, adminHelpDesksHref, adminHref, adminOutboxHref } from '../../app/routes';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';

export type AdminSection = 'events' | 'help-desks' | 'outbox' | 'audit' | 'figures' | null;

/** The links between the admin pages, above each of them. */
@customElement('parvis-admin-nav')
export class ParvisAdminNav extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      ul {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-1) var(--space-4);
        margin: 0;
        padding: 0 0 var(--space-2);
        list-style: none;
        border-bottom: 1px solid var(--color-line);
      }
      a {
        display: inline-block;
        padding: var(--space-1) 0;
        font-weight: 600;
        text-decoration: none;
        border-bottom: 3px solid transparent;
      }
      a:hover,
      a[aria-current='page'] {
        border-bottom-color: var(--color-brand);
      }
    `,
  ];

  /** The page this nav sits on. */
  @property() current: AdminSection = null;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  override render() {
    const { t } = this.i18n;
    const link = (section: AdminSection, href: string, label: string) =>
      html`<li><a href=${href} aria-current=${this.current === section ? 'page' : nothing}>${label}</a></li>`;
    return html`
      <nav aria-label=${t('admin.nav.label')}>
        <ul>
          ${link('events', adminHref, t('admin.nav.events'))} ${link('help-desks', adminHelpDesksHref, t('admin.nav.helpDesks'))}
          ${link('outbox', adminOutboxHref, t('admin.nav.outbox'))}
          ${link('audit', adminAuditHref, t('admin.nav.audit'))} ${link('figures', adminFiguresHref, t('figures.nav'))}
        </ul>
      </nav>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-admin-nav': ParvisAdminNav;
  }
}
