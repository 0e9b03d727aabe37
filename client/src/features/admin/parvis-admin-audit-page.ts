import { consume } from '@lit/context';
import type { AuditEntry } from '#shared/domain/account';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ApiClient } from '../../app/api-client';
import { apiContext, i18nContext } from '../../app/contexts';
import { PageLoad, standardViews } from '../../app/page-load';
import { adminEventHref } from '../../app/routes';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import { movedCursors, pagerNav } from './pager';
import { adminStyles } from './admin-styles';
import { auditEventId, auditSentence } from './audit-text';
import './parvis-admin-nav';

const PAGE_SIZE = 50;


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

  /** `before` of each page seen: [undefined] on the first page. */
  @state() private cursors: Array<string | undefined> = [undefined];
  readonly #page = new PageLoad(this, {
    args: () => [this.cursors.at(-1)] as const,
    load: async ([before], signal) => {
      // One more than a page tells whether there is an older page, without an empty last page.
      const entries = await this.api.listAudit({ limit: PAGE_SIZE + 1, ...(before ? { before } : {}) }, signal);
      return { entries: entries.slice(0, PAGE_SIZE), hasOlder: entries.length > PAGE_SIZE };
    },
  });

  /**
   * Entries name events by id: the title of each event of the programme, unlisted ones included. A deleted event
   * keeps the title its entries recorded, or its id at worst, and the log reads without titles if they fail to load.
   */
  readonly #titles = new PageLoad(this, {
    args: () => [] as const,
    load: async (_, signal): Promise<ReadonlyMap<string, string>> =>
      new Map((await this.api.listEvents({ include: 'unlisted' }, signal)).map((e) => [e.id, e.title])),
  });

  override updated(): void {
    document.title = `${this.i18n.t('audit.title')} — Parvis`;
  }

  async #go(direction: 'older' | 'newer'): Promise<void> {
    const shown = this.#page.data;
    if (!shown) return;
    this.cursors = movedCursors(this.cursors, direction, shown.entries.at(-1)?.at);
    // The new cursor starts the load in the next update.
    await this.updateComplete;
    await this.#page.settled;
    await this.updateComplete;
    // The page changed under the person's eyes: take them to its top, as a new page would.
    this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
  }

  #renderEvent(entry: AuditEntry) {
    const eventId = auditEventId(entry);
    if (!eventId) return nothing;
    const title = this.#titles.data?.get(eventId);
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

  #renderBody(): unknown {
    const { t } = this.i18n;
    return this.#page.render({
      ...standardViews(this.i18n, { failed: t('audit.loadError') }),
      ready: ({ entries, hasOlder }) => {
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
          ${pagerNav({
            label: t('audit.pages'),
            page,
            hasOlder,
            newer: t('audit.newer'),
            older: t('audit.older'),
            go: (direction) => void this.#go(direction),
          })}
        `;
      },
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-admin-audit-page': ParvisAdminAuditPage;
  }
}
