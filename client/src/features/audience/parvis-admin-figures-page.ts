import { consume } from '@lit/context';
import { LitElement, html, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { SeasonFigures } from '#shared/protocol/figures';
import type { ApiClient } from '../../app/api-client';
import { apiContext, i18nContext } from '../../app/contexts';
import { PageLoad, standardViews } from '../../app/page-load';
import { adminEventFiguresHref } from '../../app/routes';
import { saveDownload } from '../../app/save-download';
import { baseStyles } from '../../app/shared-styles';
import { errorText } from '../../i18n/error-text';
import type { Translator } from '../../i18n/i18n';
import { adminStyles } from '../admin/admin-styles';
import '../admin/parvis-admin-nav';
import { figuresStyles, watchTime } from './figures-format';

/** A day typed in a date field as the instant its span starts (or ends, `end`) in the admin's own zone. */
function dayInstant(day: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, end ? d + 1 : d).toISOString();
}

/**
 * `/admin/figures`: the season summary. Each event that went live in the span, with its peak, unique viewers, average
 * watch time, replay views, and registrations → attendance for the events with sign-up; totals; the CSV.
 */
@customElement('parvis-admin-figures-page')
export class ParvisAdminFiguresPage extends LitElement {
  static override styles = [baseStyles, adminStyles, figuresStyles];

  @consume({ context: apiContext })
  private api!: ApiClient;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  /** The span shown, as the date fields hold it (`YYYY-MM-DD`, empty for no bound). */
  @state() private from = '';
  @state() private to = '';
  @state() private downloadError = '';

  readonly #page = new PageLoad(this, {
    args: () => [this.from, this.to] as const,
    load: ([from, to], signal) => this.api.getSeasonFigures(this.#span(from, to), signal),
  });

  #span(from: string, to: string): { from?: string; to?: string } {
    const span: { from?: string; to?: string } = {};
    const start = dayInstant(from, false);
    const end = dayInstant(to, true);
    if (start) span.from = start;
    if (end) span.to = end;
    return span;
  }

  override updated(): void {
    document.title = `${this.i18n.t('figures.season.title')} — Parvis`;
  }

  #onSubmit(e: SubmitEvent): void {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    this.from = String(form.get('from') ?? '');
    this.to = String(form.get('to') ?? '');
  }

  async #download(): Promise<void> {
    this.downloadError = '';
    try {
      const query = new URLSearchParams({ ...this.#span(this.from, this.to), lang: this.i18n.lang });
      saveDownload(await this.api.download(`/api/admin/figures.csv?${query}`), 'parvis-season-figures.csv', this.renderRoot);
    } catch (error) {
      this.downloadError = this.i18n.t('figures.csvFailed', { reason: errorText(this.i18n, error) });
    }
  }

  override render(): TemplateResult {
    const { t } = this.i18n;
    return html`<parvis-admin-nav current="figures"></parvis-admin-nav>
      <div class="page-head">
        <div>
          <h1 tabindex="-1">${t('figures.season.title')}</h1>
          <p class="lede">${t('figures.season.intro')}</p>
        </div>
        <button type="button" class="btn btn-secondary" @click=${() => void this.#download()}>${t('figures.csv')}</button>
      </div>
      <p role="status" class="notice-error">${this.downloadError}</p>
      <form class="span" @submit=${this.#onSubmit}>
        <div class="field">
          <label for="from">${t('figures.season.from')}</label>
          <input id="from" name="from" type="date" .value=${this.from} />
        </div>
        <div class="field">
          <label for="to">${t('figures.season.to')}</label>
          <input id="to" name="to" type="date" .value=${this.to} />
        </div>
        <button type="submit" class="btn">${t('figures.season.apply')}</button>
      </form>
      ${this.#page.render({
        ...standardViews(this.i18n, { failed: t('figures.loadError') }),
        ready: (season) => this.#renderSeason(season),
      })}`;
  }

  #renderSeason(season: SeasonFigures): TemplateResult {
    const { t } = this.i18n;
    if (season.events.length === 0) return html`<p class="empty">${t('figures.season.empty')}</p>`;
    const totals = season.totals;
    return html`<dl class="figures">
        <div><dt>${t('figures.season.events')}</dt><dd>${totals.events}</dd></div>
        <div><dt>${t('figures.unique')}</dt><dd>${totals.uniqueViewers}</dd></div>
        <div><dt>${t('figures.replayViews')}</dt><dd>${totals.replayViews}</dd></div>
        <div><dt>${t('figures.registrations')}</dt><dd>${t('figures.registrationsValue', totals)}</dd></div>
      </dl>
      <div class="table-wrap" tabindex="0" role="region" aria-labelledby="season-caption">
        <table>
          <caption id="season-caption">${t('figures.season.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">${t('figures.col.event')}</th>
              <th scope="col">${t('figures.col.date')}</th>
              <th scope="col">${t('figures.peak')}</th>
              <th scope="col">${t('figures.unique')}</th>
              <th scope="col">${t('figures.avgWatch')}</th>
              <th scope="col">${t('figures.replayViews')}</th>
              <th scope="col">${t('figures.registrations')}</th>
            </tr>
          </thead>
          <tbody>
            ${season.events.map(
              (e) => html`<tr>
                <th scope="row"><a href=${adminEventFiguresHref(e.id)}>${e.title}</a></th>
                <td><time datetime=${e.startsAt}>${this.i18n.shortDateTime(e.startsAt)}</time></td>
                <td>${e.peak}</td>
                <td>${e.uniqueViewers}</td>
                <td>${watchTime(this.i18n, e.averageWatchSeconds)}</td>
                <td>${e.replayViews}</td>
                <td>${e.registrations ? t('figures.registrationsValue', e.registrations) : '—'}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-admin-figures-page': ParvisAdminFiguresPage;
  }
}
