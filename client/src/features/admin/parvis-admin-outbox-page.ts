import { consume } from '@lit/context';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ApiClient, OutboxEntry } from '../../app/api-client';
import { apiContext, i18nContext } from '../../app/contexts';
import { PageLoad, standardViews } from '../../app/page-load';
import { adminRegistrationsHref } from '../../app/routes';
import { baseStyles } from '../../app/shared-styles';
import { errorText } from '../../i18n/error-text';
import type { Translator } from '../../i18n/i18n';
import { movedCursors, pagerNav } from './pager';
import { adminStyles } from './admin-styles';
import './parvis-admin-nav';

const PAGE_SIZE = 50;

/**
 * `/admin/outbox`: the emails Parvis sent or is sending, newest first: what each was (a confirmation, a reminder…), to
 * whom, whether it left, after how many attempts, and why the last one failed. Without an SMTP server the emails are
 * written as `.eml` files, which the page opens to read. Pages go back with the id of the last email shown.
 */
@customElement('parvis-admin-outbox-page')
export class ParvisAdminOutboxPage extends LitElement {
  static override styles = [
    baseStyles,
    adminStyles,
    css`
      .error-text {
        overflow-wrap: anywhere;
        max-width: 24rem;
        font-size: 0.875rem;
      }
      .to {
        overflow-wrap: anywhere;
      }
      .state-failed {
        color: var(--color-error-ink);
        font-weight: 700;
      }
      .state-sent {
        color: var(--color-ok);
      }
      nav .actions {
        justify-content: space-between;
      }
      dialog {
        width: min(60rem, calc(100vw - 2rem));
        max-height: calc(100vh - 2rem);
        padding: var(--space-5);
        border: 1px solid var(--color-line);
        border-radius: var(--radius-l);
        background: var(--color-surface);
        color: var(--color-ink);
      }
      dialog::backdrop {
        background: rgb(31 26 20 / 0.45);
      }
      dialog form {
        display: grid;
        gap: var(--space-3);
      }
      pre {
        margin: 0;
        padding: var(--space-3);
        max-height: 60vh;
        overflow: auto;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        background: var(--color-surface-alt);
        border-radius: var(--radius-s);
        font-size: 0.875rem;
      }
    `,
  ];

  @consume({ context: apiContext })
  private api!: ApiClient;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  /** `before` of each page seen: [undefined] on the first page. */
  @state() private cursors: Array<string | undefined> = [undefined];
  /** The email being read: its row, and its source once loaded (or why it could not be). */
  @state() private reading: { entry: OutboxEntry; text: string | null; error: string } | null = null;

  @query('dialog') private dialog!: HTMLDialogElement;
  #returnFocus: HTMLElement | null = null;

  readonly #page = new PageLoad(this, {
    args: () => [this.cursors.at(-1)] as const,
    load: async ([before], signal) => {
      // One more than a page tells whether there is an older page.
      const page = await this.api.listOutbox({ limit: PAGE_SIZE + 1, ...(before ? { before } : {}) }, signal);
      return { ...page, emails: page.emails.slice(0, PAGE_SIZE), hasOlder: page.emails.length > PAGE_SIZE };
    },
  });

  override updated(): void {
    document.title = `${this.i18n.t('admin.outbox.title')} — Parvis`;
  }

  async #go(direction: 'older' | 'newer'): Promise<void> {
    const shown = this.#page.data;
    if (!shown) return;
    this.cursors = movedCursors(this.cursors, direction, shown.emails.at(-1)?.id);
    await this.updateComplete;
    await this.#page.settled;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
  }

  async #read(entry: OutboxEntry, opener: HTMLElement): Promise<void> {
    this.#returnFocus = opener;
    this.reading = { entry, text: null, error: '' };
    await this.updateComplete;
    this.dialog.showModal();
    try {
      const text = await this.api.outboxEmail(entry.id);
      if (this.reading?.entry.id === entry.id) this.reading = { entry, text, error: '' };
    } catch (error) {
      if (this.reading?.entry.id === entry.id) this.reading = { entry, text: null, error: errorText(this.i18n, error) };
    }
  }

  #onClose(): void {
    this.reading = null;
    if (this.#returnFocus?.isConnected) this.#returnFocus.focus();
    this.#returnFocus = null;
  }

  #kind(kind: string): string {
    const key = `mailKind.${kind}`;
    return this.i18n.has(key) ? this.i18n.t(key) : kind;
  }

  override render(): TemplateResult {
    const { t } = this.i18n;
    return html`<parvis-admin-nav current="outbox"></parvis-admin-nav>
      <h1 tabindex="-1">${t('admin.outbox.title')}</h1>
      <p class="lede">${t('admin.outbox.intro')}</p>
      ${this.#page.render({
        ...standardViews(this.i18n, { failed: t('admin.outbox.loadError') }),
        ready: ({ emails, transport, hasOlder }) => this.#renderPage(emails, transport, hasOlder),
      })}
      ${this.#renderDialog()}`;
  }

  #renderPage(emails: readonly OutboxEntry[], transport: 'smtp' | 'eml', hasOlder: boolean): TemplateResult {
    const { t } = this.i18n;
    const page = this.cursors.length;
    if (emails.length === 0 && page === 1) return html`<p class="empty">${t('admin.outbox.empty')}</p>`;
    return html`<p class="muted">${transport === 'eml' ? t('admin.outbox.transportEml') : t('admin.outbox.transportSmtp')}</p>
      <div class="table-wrap" tabindex="0" role="region" aria-labelledby="outbox-caption">
        <table>
          <caption id="outbox-caption">
            ${t('admin.outbox.caption', { page })}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t('admin.outbox.col.created')}</th>
              <th scope="col">${t('admin.outbox.col.kind')}</th>
              <th scope="col">${t('admin.outbox.col.to')}</th>
              <th scope="col">${t('admin.outbox.col.state')}</th>
              <th scope="col">${t('admin.outbox.col.attempts')}</th>
              <th scope="col">${t('admin.outbox.col.error')}</th>
              ${transport === 'eml' ? html`<th scope="col"><span class="visually-hidden">${t('admin.outbox.read')}</span></th>` : nothing}
            </tr>
          </thead>
          <tbody>
            ${repeat(
              emails,
              (e) => e.id,
              (e) => html`<tr>
                <td class="nowrap"><time datetime=${e.createdAt}>${this.i18n.shortDateTime(e.createdAt)}</time></td>
                <td>
                  ${this.#kind(e.kind)}
                  ${e.eventId ? html`<br /><a class="hint" href=${adminRegistrationsHref(e.eventId)}>${e.eventId}</a>` : nothing}
                </td>
                <td class="to">${e.to}</td>
                <td class="state-${e.state}">
                  ${t(`admin.outbox.state.${e.state}`)}
                  ${e.state === 'pending' && e.attempts > 0
                    ? html`<br /><span class="hint">${t('admin.outbox.retryAt', { time: this.i18n.shortDateTime(e.dueAt) })}</span>`
                    : nothing}
                  ${e.sentAt ? html`<br /><span class="hint">${this.i18n.shortDateTime(e.sentAt)}</span>` : nothing}
                </td>
                <td>${e.attempts}</td>
                <td class="error-text">${e.lastError ?? nothing}</td>
                ${transport === 'eml'
                  ? html`<td>
                      ${e.state === 'sent'
                        ? html`<button
                            type="button"
                            class="btn btn-secondary btn-small"
                            aria-label=${t('admin.outbox.readLabel', { to: e.to, kind: this.#kind(e.kind) })}
                            @click=${(ev: MouseEvent) => void this.#read(e, ev.currentTarget as HTMLElement)}
                          >
                            ${t('admin.outbox.read')}
                          </button>`
                        : nothing}
                    </td>`
                  : nothing}
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${pagerNav({
            label: t('admin.outbox.pages'),
            page,
            hasOlder,
            newer: t('admin.outbox.newer'),
            older: t('admin.outbox.older'),
            go: (direction) => void this.#go(direction),
          })}`;
  }

  #renderDialog(): TemplateResult {
    const { t } = this.i18n;
    const r = this.reading;
    return html`<dialog aria-labelledby="email-heading" @close=${this.#onClose}>
      <form method="dialog">
        <h2 id="email-heading">${r ? t('admin.outbox.readTitle', { to: r.entry.to, kind: this.#kind(r.entry.kind) }) : ''}</h2>
        ${r?.error ? html`<p class="notice notice-error" role="alert">${r.error}</p>` : nothing}
        ${r && r.text === null && !r.error ? html`<p class="load-status" role="status">${t('app.loading')}</p>` : nothing}
        ${r?.text != null ? html`<pre tabindex="0" aria-label=${t('admin.outbox.source')}>${r.text}</pre>` : nothing}
        <div class="actions"><button type="submit" class="btn">${t('app.close')}</button></div>
      </form>
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-admin-outbox-page': ParvisAdminOutboxPage;
  }
}
