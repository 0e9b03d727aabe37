import { consume } from '@lit/context';
import type { Event } from '#shared/domain/event';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ApiClient } from '../../app/api-client';
import { apiContext, i18nContext, realtimeContext } from '../../app/contexts';
import { adminEventHref, newEventHref } from '../../app/routes';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import type { RealtimeClient } from '../../realtime/realtime-client';
import { withEventDeleted, withEventUpdated } from '../programme/programme';
import { ProgrammeFeedController } from '../programme/programme-feed-controller';
import { adminStyles } from './admin-styles';
import { errorText } from '../../i18n/error-text';
import './parvis-admin-nav';
import './parvis-series-section';

type LoadState = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'loaded'; events: Event[] };

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

  @state() private load: LoadState = { status: 'loading' };
  /** Shown once after the event being edited was deleted. */
  @state() private notice = '';

  #abort: AbortController | null = null;

  readonly #feed = new ProgrammeFeedController(this, {
    updated: (event) => {
      if (this.load.status === 'loaded') this.load = { status: 'loaded', events: withEventUpdated(this.load.events, event) };
    },
    deleted: (eventId) => {
      if (this.load.status === 'loaded') this.load = { status: 'loaded', events: withEventDeleted(this.load.events, eventId) };
    },
    resync: () => void this.#fetch(true),
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
    void this.#fetch(false);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#abort?.abort();
  }

  override updated(): void {
    document.title = `${this.i18n.t('admin.programme.title')} — Parvis`;
  }

  async #fetch(quiet: boolean): Promise<void> {
    if (quiet && this.load.status !== 'loaded') return;
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    if (!quiet) this.load = { status: 'loading' };
    try {
      const events = await this.api.listEvents({ include: 'unlisted' }, abort.signal);
      if (!abort.signal.aborted) this.load = { status: 'loaded', events };
    } catch (error) {
      if (!abort.signal.aborted && !quiet) this.load = { status: 'error', error };
    }
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

  #renderEvents(): TemplateResult {
    const { t } = this.i18n;
    switch (this.load.status) {
      case 'loading':
        return html`<p class="muted" role="status">${t('app.loading')}</p>`;
      case 'error':
        return html`<div class="notice notice-error actions" role="alert">
          <p>${t('admin.events.error')} ${errorText(this.i18n, this.load.error)}</p>
          <button type="button" class="btn btn-small" @click=${() => void this.#fetch(false)}>${t('app.retry')}</button>
        </div>`;
      case 'loaded': {
        if (this.load.events.length === 0) return html`<p class="empty">${t('admin.events.empty')}</p>`;
        const events = [...this.load.events].sort(latestFirst);
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
      }
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-admin-programme-page': ParvisAdminProgrammePage;
  }
}
