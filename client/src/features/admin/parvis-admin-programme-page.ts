import { consume } from '@lit/context';
import type { Event } from '#shared/domain/event';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ApiClient } from '../../app/api-client';
import { apiContext, i18nContext, realtimeContext } from '../../app/contexts';
import { PageLoad, standardViews } from '../../app/page-load';
import { adminEventHref, newEventHref } from '../../app/routes';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import type { RealtimeClient } from '../../realtime/realtime-client';
import { withEventDeleted, withEventUpdated } from '../programme/programme';
import { ProgrammeFeedController } from '../programme/programme-feed-controller';
import { adminStyles } from './admin-styles';
import './parvis-admin-nav';
import './parvis-series-section';

const latestFirst = (a: Event, b: Event): number => b.startsAt.localeCompare(a.startsAt);

/** `/admin`: every event of the programme, with a link to edit each and to create one; the series below. */
@customElement('parvis-admin-programme-page')
export class ParvisAdminProgrammePage extends LitElement {
  static override styles = [
    baseStyles,
    adminStyles,
    css`
      .title-cell a {
        font-weight: 600;
      }
      .badge-scheduled {
        background: var(--color-surface);
      }
      .badge-ended {
        color: var(--color-ink-muted);
      }
    `,
  ];

  @consume({ context: apiContext })
  private api!: ApiClient;

  @consume({ context: realtimeContext })
  private realtime!: RealtimeClient;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  /** Shown once after the event being edited was deleted. */
  @state() private notice = '';

  readonly #events = new PageLoad(this, { args: () => [] as const, load: (_, signal) => this.api.listEvents({ include: 'unlisted' }, signal) });

  readonly #feed = new ProgrammeFeedController(this, {
    updated: (event) => this.#events.update((events) => withEventUpdated(events, event)),
    deleted: (eventId) => this.#events.update((events) => withEventDeleted(events, eventId)),
    resync: () => void this.#events.reload({ quiet: true }),
  });

  override connectedCallback(): void {
    super.connectedCallback();
    this.#feed.use(this.realtime);
    const url = new URL(location.href);
    if (url.searchParams.has('deleted')) {
      this.notice = this.i18n.t('admin.events.deleted');
      url.searchParams.delete('deleted');
      history.replaceState(history.state, '', url);
    }
    // Back on the page: read the programme again (the first load runs with the first update).
    if (this.hasUpdated) void this.#events.reload();
  }

  override updated(): void {
    document.title = `${this.i18n.t('admin.programme.title')} — Parvis`;
  }

  override render(): TemplateResult {
    const { t } = this.i18n;
    return html`
      <parvis-admin-nav current="events"></parvis-admin-nav>
      <div class="page-head">
        <h1>${t('admin.programme.title')}</h1>
        <a class="btn" href=${newEventHref}>${t('admin.nav.newEvent')}</a>
      </div>
      ${this.notice ? html`<p class="notice notice-success" role="status">${this.notice}</p>` : nothing}
      <section aria-labelledby="events-title">
        <h2 id="events-title">${t('admin.events.title')}</h2>
        ${this.#renderEvents()}
      </section>
      <parvis-series-section></parvis-series-section>
    `;
  }

  #renderEvents(): unknown {
    const { t } = this.i18n;
    return this.#events.render({
      ...standardViews(this.i18n, { failed: t('admin.events.error') }),
      ready: (loaded) => {
        if (loaded.length === 0) return html`<p class="empty">${t('admin.events.empty')}</p>`;
        const events = [...loaded].sort(latestFirst);
        return html`<div class="table-wrap">
          <table>
            <caption>
              ${t('admin.events.caption')}
            </caption>
            <thead>
              <tr>
                <th scope="col">${t('admin.col.title')}</th>
                <th scope="col">${t('admin.col.kind')}</th>
                <th scope="col">${t('admin.col.date')}</th>
                <th scope="col">${t('admin.col.status')}</th>
                <th scope="col">${t('admin.col.access')}</th>
              </tr>
            </thead>
            <tbody>
              ${repeat(
                events,
                (e) => e.id,
                (e) => html`<tr>
                  <th scope="row" class="title-cell"><a href=${adminEventHref(e.id)} lang=${e.language || nothing}>${e.title}</a></th>
                  <td>${t(`kindOne.${e.kind}`)}</td>
                  <td class="nowrap"><time datetime=${e.startsAt}>${this.i18n.shortDateTime(e.startsAt, e.timezone)}</time></td>
                  <td><span class="badge badge-${e.status}">${t(`status.${e.status}`)}</span></td>
                  <td>
                    ${t(`access.${e.access}`)}${e.unlisted ? html`<br /><span class="muted">${t('admin.unlisted')}</span>` : nothing}
                  </td>
                </tr>`,
              )}
            </tbody>
          </table>
        </div>`;
      },
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-admin-programme-page': ParvisAdminProgrammePage;
  }
}
