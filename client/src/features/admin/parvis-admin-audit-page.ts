import { consume } from '@lit/context';
import type { AuditEntry } from '#shared/domain/account';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ApiClient } from '../../app/api-client';
import { apiContext, i18nContext } from '../../app/contexts';
import { adminEventHref } from '../../app/routes';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import { adminStyles } from './admin-styles';
import { errorText } from '../../i18n/error-text';
import { auditEventId, auditSentence } from './audit-text';
import './parvis-admin-nav';

const PAGE_SIZE = 50;

type LoadState = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'loaded'; entries: AuditEntry[]; hasOlder: boolean };

/**
 * `/admin/audit`: who did what, when, newest first, a page of 50 at a time. Pages go back with `before` (the time of
 * the last entry shown); the cursors of the pages seen are kept to come forward again.
 */
@customElement('parvis-admin-audit-page')
export class ParvisAdminAuditPage extends LitElement {
  static override styles = [
    baseStyles,
    adminStyles,
    css`
      .what {
        overflow-wrap: anywhere;
        max-width: 36rem;
      }
      nav .actions {
        justify-content: space-between;
      }
    `,
  ];

  @consume({ context: apiContext })
  private api!: ApiClient;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private load: LoadState = { status: 'loading' };
  /** `before` of each page seen: [undefined] on the first page. */
  @state() private cursors: Array<string | undefined> = [undefined];
  /** The title of each event of the programme, unlisted ones included, to name the event of each entry. */
  @state() private titles: ReadonlyMap<string, string> = new Map();

  #abort: AbortController | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#fetch();
    void this.#fetchTitles();
  }

  /** Entries name events by id; a deleted event keeps the title its entries recorded, or its id at worst. */
  async #fetchTitles(): Promise<void> {
    try {
      const events = await this.api.listEvents({ include: 'unlisted' });
      this.titles = new Map(events.map((e) => [e.id, e.title]));
    } catch {
      // The log reads without titles: the entries still say what was done.
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#abort?.abort();
  }

  override updated(): void {
    document.title = `${this.i18n.t('audit.title')} — Parvis`;
  }

  async #fetch(): Promise<void> {
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    this.load = { status: 'loading' };
    const before = this.cursors.at(-1);
    try {
      // One more than a page tells whether there is an older page, without an empty last page.
      const entries = await this.api.listAudit({ limit: PAGE_SIZE + 1, ...(before ? { before } : {}) }, abort.signal);
      if (abort.signal.aborted) return;
      this.load = { status: 'loaded', entries: entries.slice(0, PAGE_SIZE), hasOlder: entries.length > PAGE_SIZE };
    } catch (error) {
      if (!abort.signal.aborted) this.load = { status: 'error', error };
    }
  }

  async #go(direction: 'older' | 'newer'): Promise<void> {
    if (this.load.status !== 'loaded') return;
    if (direction === 'older') {
      const last = this.load.entries.at(-1);
      if (!last) return;
      this.cursors = [...this.cursors, last.at];
    } else {
      this.cursors = this.cursors.slice(0, -1);
    }
    await this.#fetch();
    // The page changed under the person's eyes: take them to its top, as a new page would.
    this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
  }

  #renderEvent(entry: AuditEntry) {
    const eventId = auditEventId(entry);
    if (!eventId) return nothing;
    const title = this.titles.get(eventId);
    if (title) return html`<a href=${adminEventHref(eventId)}>${title}</a>`;
    const recorded = entry.details.title;
    return typeof recorded === 'string' ? recorded : eventId;
  }

  override render(): TemplateResult {
    const { t } = this.i18n;
    return html`
      <parvis-admin-nav current="audit"></parvis-admin-nav>
      <h1 tabindex="-1">${t('audit.title')}</h1>
      <p class="lede">${t('audit.intro')}</p>
      ${this.#renderBody()}
    `;
  }

  #renderBody(): TemplateResult {
    const { t } = this.i18n;
    switch (this.load.status) {
      case 'loading':
        return html`<p class="muted" role="status">${t('app.loading')}</p>`;
      case 'error':
        return html`<div class="notice notice-error actions" role="alert">
          <p>${t('audit.loadError')} ${errorText(this.i18n, this.load.error)}</p>
          <button type="button" class="btn btn-small" @click=${() => void this.#fetch()}>${t('app.retry')}</button>
        </div>`;
      case 'loaded': {
        const { entries, hasOlder } = this.load;
        const page = this.cursors.length;
        if (entries.length === 0 && page === 1) return html`<p class="empty">${t('audit.empty')}</p>`;
        return html`
          <!-- Nothing in the table takes focus: the wrapper does, so keyboards can scroll it on a narrow screen. -->
          <div class="table-wrap" tabindex="0" role="region" aria-labelledby="audit-caption">
            <table>
              <caption id="audit-caption">
                ${t('audit.caption', { page })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${t('audit.col.when')}</th>
                  <th scope="col">${t('audit.col.who')}</th>
                  <th scope="col">${t('audit.col.what')}</th>
                  <th scope="col">${t('audit.col.event')}</th>
                </tr>
              </thead>
              <tbody>
                ${repeat(
                  entries,
                  (e) => e.id,
                  (e) => html`<tr>
                    <td class="nowrap"><time datetime=${e.at}>${this.i18n.shortDateTime(e.at)}</time></td>
                    <td>${e.actor.displayName}</td>
                    <td class="what">${auditSentence(e, this.i18n)}</td>
                    <td>${this.#renderEvent(e)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>
          ${page > 1 || hasOlder
            ? html`<nav aria-label=${t('audit.pages')}>
                <div class="actions">
                  ${page > 1
                    ? html`<button type="button" class="btn btn-secondary btn-small" @click=${() => void this.#go('newer')}>
                        <span aria-hidden="true">←</span> ${t('audit.newer')}
                      </button>`
                    : html`<span></span>`}
                  ${hasOlder
                    ? html`<button type="button" class="btn btn-secondary btn-small" @click=${() => void this.#go('older')}>
                        ${t('audit.older')} <span aria-hidden="true">→</span>
                      </button>`
                    : nothing}
                </div>
              </nav>`
            : nothing}
        `;
      }
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-admin-audit-page': ParvisAdminAuditPage;
  }
}
