import { consume } from '@lit/context';
import type { RoleGrant } from '#shared/domain/account';
import { LitElement, html, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ApiClient } from '../../app/api-client';
import { apiContext, i18nContext } from '../../app/contexts';
import { PageLoad, standardViews } from '../../app/page-load';
import '../../app/parvis-confirm-dialog';
import type { ParvisConfirmDialog } from '../../app/parvis-confirm-dialog';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import { adminStyles } from './admin-styles';
import { errorText } from '../../i18n/error-text';

/** "Rôles" on the edit page of an event: who moderates or speaks, since when, and removing a role (after asking). */
@customElement('parvis-roles-panel')
export class ParvisRolesPanel extends LitElement {
  static override styles = [baseStyles, adminStyles];

  @property() eventId = '';

  @consume({ context: apiContext })
  private api!: ApiClient;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private status = '';

  @query('parvis-confirm-dialog') private confirm!: ParvisConfirmDialog;

  readonly #roles = new PageLoad(this, {
    args: () => [this.eventId] as const,
    load: ([eventId], signal) => this.api.listRoles(eventId, signal),
  });

  async #revoke(grant: RoleGrant): Promise<void> {
    const { t } = this.i18n;
    const confirmed = await this.confirm.ask({
      heading: t('roles.revokeTitle', { name: grant.displayName }),
      body: t('roles.revokeBody'),
      confirmLabel: t('roles.revoke'),
      cancelLabel: t('roles.keep'),
      danger: true,
    });
    if (!confirmed) return;
    try {
      await this.api.revokeRole(this.eventId, grant.userId);
      this.#roles.update((roles) => roles.filter((r) => r.userId !== grant.userId));
      this.status = t('roles.revoked', { name: grant.displayName });
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#roles-heading')?.focus();
    } catch (error) {
      this.status = errorText(this.i18n, error);
    }
  }

  override render(): TemplateResult {
    const { t } = this.i18n;
    return html`
      <section aria-labelledby="roles-heading">
        <h2 id="roles-heading" tabindex="-1">${t('roles.title')}</h2>
        <p class="muted">${t('roles.intro')}</p>
        <p role="status" class="muted">${this.status}</p>
        ${this.#renderList()}
      </section>
      <parvis-confirm-dialog></parvis-confirm-dialog>
    `;
  }

  #renderList(): unknown {
    const { t } = this.i18n;
    return this.#roles.render({
      ...standardViews(this.i18n, { failed: t('roles.loadError') }),
      ready: (roles) => this.#renderRoles(roles),
    });
  }

  #renderRoles(roles: RoleGrant[]): TemplateResult {
    const { t } = this.i18n;
    if (roles.length === 0) return html`<p class="empty">${t('roles.empty')}</p>`;
    return html`<div class="table-wrap">
      <table>
        <caption>
          ${t('roles.caption')}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t('roles.col.name')}</th>
            <th scope="col">${t('roles.col.role')}</th>
            <th scope="col">${t('roles.col.since')}</th>
            <th scope="col"><span class="visually-hidden">${t('roles.revoke')}</span></th>
          </tr>
        </thead>
        <tbody>
          ${repeat(
            roles,
            (r) => r.userId,
            (r) => html`<tr>
              <th scope="row">${r.displayName}</th>
              <td>${t(`eventRole.${r.role}`)}</td>
              <td class="nowrap"><time datetime=${r.grantedAt}>${this.i18n.shortDateTime(r.grantedAt)}</time></td>
              <td>
                <button
                  type="button"
                  class="btn btn-secondary btn-small"
                  aria-label=${t('roles.revokeLabel', { name: r.displayName })}
                  @click=${() => void this.#revoke(r)}
                >
                  ${t('roles.revoke')}
                </button>
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-roles-panel': ParvisRolesPanel;
  }
}
