import { consume } from '@lit/context';
import { EventRole, type Invite } from '#shared/domain/account';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ApiClient } from '../../app/api-client';
import { apiContext, i18nContext } from '../../app/contexts';
import { PageLoad, standardViews } from '../../app/page-load';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import { adminStyles } from './admin-styles';
import { errorText } from '../../i18n/error-text';
import { byNewest, inviteState } from './invites';

/** The invitation just made: its link is shown once, since the server keeps only a hash of its token. */
interface Created {
  url: string;
  role: EventRole;
}

/**
 * "Invitations" on the edit page of an event: make a moderator or speaker invitation (its link in a read-only field,
 * with a copy button), and the list of the event's invitations with their state, the pending ones revocable.
 */
@customElement('parvis-invites-panel')
export class ParvisInvitesPanel extends LitElement {
  static override styles = [
    baseStyles,
    adminStyles,
    css`
      .created {
        display: grid;
        gap: var(--space-2);
        background: var(--color-brand-soft);
      }
      .link-row {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-2);
      }
      .link-row input {
        flex: 1 1 20rem;
        width: auto;
        font-family: ui-monospace, 'DejaVu Sans Mono', monospace;
        font-size: 0.875rem;
      }
      .choices {
        grid-auto-flow: column;
        justify-content: start;
        gap: var(--space-4);
      }
    `,
  ];

  @property() eventId = '';

  @consume({ context: apiContext })
  private api!: ApiClient;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private inviteRole: EventRole = 'moderator';
  @state() private busy = false;
  @state() private created: Created | null = null;
  @state() private error = '';
  @state() private status = '';

  @query('#invite-url') private urlField!: HTMLInputElement | null;

  readonly #invites = new PageLoad(this, {
    args: () => [this.eventId] as const,
    load: async ([eventId], signal) => (await this.api.listInvites(eventId, signal)).sort(byNewest),
  });

  async #create(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    this.busy = true;
    this.error = '';
    this.status = '';
    try {
      const { url, invite } = await this.api.createInvite(this.eventId, this.inviteRole);
      this.created = { url, role: invite.role };
      this.#invites.update((invites) => [invite, ...invites.filter((i) => i.id !== invite.id)]);
      await this.updateComplete;
      // Focus the link, selected, so it can be copied at once (and screen readers read it out).
      this.urlField?.focus();
      this.urlField?.select();
    } catch (error) {
      this.error = errorText(this.i18n, error);
    } finally {
      this.busy = false;
    }
  }

  async #copy(): Promise<void> {
    const { t } = this.i18n;
    const url = this.created?.url;
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      this.status = t('invites.copied');
    } catch {
      // No clipboard API (a plain-HTTP install on a LAN is not a secure context): the older way still works there.
      this.urlField?.focus();
      this.urlField?.select();
      const copied = document.execCommand?.('copy') ?? false;
      this.status = copied ? t('invites.copied') : t('invites.copyFailed');
    }
  }

  async #revoke(invite: Invite): Promise<void> {
    const { t } = this.i18n;
    this.status = '';
    try {
      await this.api.revokeInvite(invite.id);
      const now = new Date().toISOString();
      this.#invites.update((invites) => invites.map((i) => (i.id === invite.id ? { ...i, revokedAt: now } : i)));
      this.status = t('invites.revoked');
    } catch (error) {
      this.status = errorText(this.i18n, error);
    }
  }

  override render(): TemplateResult {
    const { t } = this.i18n;
    return html`
      <section aria-labelledby="invites-heading">
        <h2 id="invites-heading">${t('invites.title')}</h2>
        <p class="muted">${t('invites.intro')}</p>
        <form class="panel" novalidate @submit=${this.#create}>
          <fieldset>
            <legend>${t('invites.role')}</legend>
            <div class="choices">
              ${EventRole.options.map(
                (role) => html`<div class="choice">
                  <input
                    type="radio"
                    id="invite-role-${role}"
                    name="role"
                    value=${role}
                    .checked=${this.inviteRole === role}
                    @change=${() => (this.inviteRole = role)}
                  />
                  <label for="invite-role-${role}">${t(`eventRole.${role}`)}</label>
                </div>`,
              )}
            </div>
          </fieldset>
          ${this.error ? html`<p class="notice notice-error" role="alert">${this.error}</p>` : nothing}
          <div class="actions">
            <button type="submit" class="btn" aria-disabled=${this.busy ? 'true' : 'false'}>${t('invites.create')}</button>
          </div>
        </form>
        ${this.created ? this.#renderCreated(this.created) : nothing}
        <p role="status" class="muted">${this.status}</p>
        ${this.#renderList()}
      </section>
    `;
  }

  #renderCreated(created: Created): TemplateResult {
    const { t } = this.i18n;
    return html`<div class="panel created">
      <label for="invite-url">${t('invites.link', { role: t(`eventRole.${created.role}`) })}</label>
      <p id="invite-url-hint" class="hint">${t('invites.linkHint')}</p>
      <div class="link-row">
        <input id="invite-url" type="text" readonly .value=${created.url} aria-describedby="invite-url-hint" />
        <button type="button" class="btn btn-secondary" @click=${() => void this.#copy()}>${t('invites.copy')}</button>
      </div>
    </div>`;
  }

  #renderList(): unknown {
    const { t } = this.i18n;
    return this.#invites.render({
      ...standardViews(this.i18n, { failed: t('invites.loadError') }),
      ready: (invites) => this.#renderInvites(invites),
    });
  }

  #renderInvites(invites: Invite[]): TemplateResult {
    const { t } = this.i18n;
    if (invites.length === 0) return html`<p class="empty">${t('invites.empty')}</p>`;
    const now = Date.now();
    return html`<div class="table-wrap">
      <table>
        <caption>
          ${t('invites.caption')}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t('invites.col.role')}</th>
            <th scope="col">${t('invites.col.created')}</th>
            <th scope="col">${t('invites.col.expires')}</th>
            <th scope="col">${t('invites.col.state')}</th>
            <th scope="col"><span class="visually-hidden">${t('invites.revoke')}</span></th>
          </tr>
        </thead>
        <tbody>
          ${repeat(
            invites,
            (i) => i.id,
            (i) => {
              const state = inviteState(i, now);
              const created = this.i18n.shortDateTime(i.createdAt);
              return html`<tr>
                <td>${t(`eventRole.${i.role}`)}</td>
                <td class="nowrap"><time datetime=${i.createdAt}>${created}</time></td>
                <td class="nowrap"><time datetime=${i.expiresAt}>${this.i18n.shortDateTime(i.expiresAt)}</time></td>
                <td>${t(`invites.state.${state}`)}</td>
                <td>
                  ${state === 'pending'
                    ? html`<button
                        type="button"
                        class="btn btn-secondary btn-small"
                        aria-label=${t('invites.revokeLabel', { role: t(`eventRole.${i.role}`), date: created })}
                        @click=${() => void this.#revoke(i)}
                      >
                        ${t('invites.revoke')}
                      </button>`
                    : nothing}
                </td>
              </tr>`;
            },
          )}
        </tbody>
      </table>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-invites-panel': ParvisInvitesPanel;
  }
}
