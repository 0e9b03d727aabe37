import { consume } from '@lit/context';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError, type ApiClient, type SeriesDates } from '../../app/api-client';
import { apiContext, i18nContext } from '../../app/contexts';
import { PageLoad, standardViews } from '../../app/page-load';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import './parvis-signup-panel';

/**
 * `/series/:id`: a series and its dates, to sign up for one, several or all of them in one form. The seats of every
 * date come with the series, and are loaded again after a sign-up.
 */
@customElement('parvis-series-page')
export class ParvisSeriesPage extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: grid;
        gap: var(--space-5);
        max-width: 52rem;
      }
      .back {
        justify-self: start;
        font-weight: 600;
      }
      .head {
        display: grid;
        gap: var(--space-2);
      }
      h1 {
        font-size: clamp(1.75rem, 4.5vw, 2.5rem);
      }
      .summary {
        white-space: pre-line;
      }
    `,
  ];

  @property() seriesId = '';

  @consume({ context: apiContext })
  private api!: ApiClient;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  readonly #load = new PageLoad(this, {
    args: () => [this.seriesId] as const,
    load: ([id], signal) => this.api.getSeries(id, signal),
  });

  override updated(): void {
    const { t } = this.i18n;
    const view = this.#load.view;
    const title =
      view.status === 'ready'
        ? view.data.series.title
        : view.status === 'error'
          ? view.error instanceof ApiError && view.error.code === 'NOT_FOUND'
            ? t('series.notFound.title')
            : t('series.error')
          : null;
    if (title) document.title = `${title} — Parvis`;
  }

  override render(): TemplateResult {
    const { t } = this.i18n;
    const back = html`<a class="back" href="/"><span aria-hidden="true">←</span> ${t('app.backToProgramme')}</a>`;
    const views = standardViews(this.i18n, { loading: t('series.loading'), failed: '' });
    return html`${back}
    ${this.#load.render({
      loading: views.loading,
      error: (error, retry) =>
        error instanceof ApiError && error.code === 'NOT_FOUND'
          ? html`<div class="head">
              <h1>${t('series.notFound.title')}</h1>
              <p>${t('series.notFound.body')}</p>
            </div>`
          : html`<div class="head">
              <h1>${t('series.error')}</h1>
              ${views.error(error, retry)}
            </div>`,
      ready: (data) => this.#renderReady(data),
    })}`;
  }

  #renderReady(data: SeriesDates): TemplateResult {
    const { t } = this.i18n;
    const { series } = data;
    const lang = series.recurrence?.template.language ?? data.events[0]?.language;
    return html`<div class="head">
        <h1 lang=${lang || nothing}>${series.title}</h1>
        ${series.summary.trim() ? html`<p class="summary" lang=${lang || nothing}>${series.summary}</p>` : nothing}
        <p><a href="/api/calendar.ics?series=${encodeURIComponent(series.id)}" download>${t('series.feed')}</a></p>
      </div>
      <parvis-signup-panel .dates=${data} @parvis-seats-stale=${() => void this.#load.reload({ quiet: true })}></parvis-signup-panel>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-series-page': ParvisSeriesPage;
  }
}
