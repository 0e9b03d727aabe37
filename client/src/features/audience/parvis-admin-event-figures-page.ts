import { consume } from '@lit/context';
import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { EventFigures } from '#shared/protocol/figures';
import type { ApiClient } from '../../app/api-client';
import { apiContext, i18nContext } from '../../app/contexts';
import { PageLoad, standardViews } from '../../app/page-load';
import { adminEventHref, adminFiguresHref } from '../../app/routes';
import { saveDownload } from '../../app/save-download';
import { baseStyles } from '../../app/shared-styles';
import { errorText } from '../../i18n/error-text';
import type { Translator } from '../../i18n/i18n';
import { adminStyles } from '../admin/admin-styles';
import '../admin/parvis-admin-nav';
import { figuresStyles, watchTime } from './figures-format';
import './parvis-viewers-chart';

/**
 * `/admin/events/:id/figures`: an event's audience. The figures at a glance, the chart of viewers over time with the
 * moments questions went on air and polls opened, the same as a table (the chart's text alternative), the markers
 * in words, and the CSV.
 */
@customElement('parvis-admin-event-figures-page')
export class ParvisAdminEventFiguresPage extends LitElement {
  static override styles = [baseStyles, adminStyles, figuresStyles];

  @property() eventId = '';

  @consume({ context: apiContext })
  private api!: ApiClient;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private downloadError = '';

  readonly #page = new PageLoad(this, {
    args: () => [this.eventId] as const,
    load: ([eventId], signal) => this.api.getEventFigures(eventId, signal),
  });

  override updated(): void {
    document.title = `${this.i18n.t('figures.event.title')} — Parvis`;
  }

  async #download(): Promise<void> {
    this.downloadError = '';
    try {
      const file = await this.api.download(`/api/admin/events/${encodeURIComponent(this.eventId)}/figures.csv?lang=${this.i18n.lang}`);
      saveDownload(file, `parvis-${this.eventId}-figures.csv`, this.renderRoot);
    } catch (error) {
      this.downloadError = this.i18n.t('figures.csvFailed', { reason: errorText(this.i18n, error) });
    }
  }

  override render(): TemplateResult {
    const { t } = this.i18n;
    return html`<parvis-admin-nav current="figures"></parvis-admin-nav>
      <p><a href=${adminFiguresHref}><span aria-hidden="true">←</span> ${t('figures.season.title')}</a></p>
      ${this.#page.render({
        ...standardViews(this.i18n, { failed: t('figures.loadError') }),
        ready: (f) => this.#renderFigures(f),
      })}`;
  }

  #renderFigures(f: EventFigures): TemplateResult {
    const { t } = this.i18n;
    const zone = f.event.timezone;
    const time = (iso: string) => this.i18n.time(iso, zone);
    const peak = f.peak;
    const chartLabel = peak
      ? t('figures.chart.label', { peak: peak.viewers, time: time(peak.at) })
      : t('figures.chart.empty');
    return html`<div class="page-head">
        <div>
          <h1 tabindex="-1">${t('figures.event.title')}</h1>
          <p class="lede"><a href=${adminEventHref(f.event.id)}>${f.event.title}</a> · ${this.i18n.dateTime(f.event.startsAt, zone)}</p>
        </div>
        <button type="button" class="btn btn-secondary" @click=${() => void this.#download()}>${t('figures.csv')}</button>
      </div>
      <p role="status" class="notice-error">${this.downloadError}</p>
      <section aria-labelledby="summary-title">
        <h2 id="summary-title">${t('figures.summary')}</h2>
        <dl class="figures">
          <div><dt>${t('figures.peak')}</dt><dd>${peak ? t('figures.peakAt', { count: peak.viewers, time: time(peak.at) }) : '0'}</dd></div>
          <div><dt>${t('figures.unique')}</dt><dd>${f.live.uniqueViewers}</dd></div>
          <div><dt>${t('figures.avgWatch')}</dt><dd>${watchTime(this.i18n, f.live.averageWatchSeconds)}</dd></div>
          <div><dt>${t('figures.chat')}</dt><dd>${f.chatMessages}</dd></div>
          <div>
            <dt>${t('figures.questions')}</dt>
            <dd>${t('figures.questionsValue', { asked: f.questions.asked, answered: f.questions.answered })}</dd>
          </div>
          <div><dt>${t('figures.pollVotes')}</dt><dd>${f.pollVotes}</dd></div>
          <div><dt>${t('figures.reactions')}</dt><dd>${f.reactions}</dd></div>
          <div><dt>${t('figures.replayViews')}</dt><dd>${f.replay.views}</dd></div>
          <div><dt>${t('figures.replayWatch')}</dt><dd>${watchTime(this.i18n, f.replay.watchSeconds)}</dd></div>
          ${f.registrations
            ? html`<div>
                <dt>${t('figures.registrations')}</dt>
                <dd>${t('figures.registrationsValue', f.registrations)}</dd>
              </div>`
            : nothing}
        </dl>
      </section>
      <section aria-labelledby="chart-title">
        <h2 id="chart-title">${t('figures.chart.title')}</h2>
        ${f.samples.length === 0
          ? html`<p class="empty">${t('figures.chart.empty')}</p>`
          : html`<parvis-viewers-chart
                .samples=${f.samples}
                .markers=${f.markers}
                .label=${chartLabel}
                .names=${{ viewers: t('figures.table.viewers'), question: t('figures.marker.question'), poll: t('figures.marker.poll') }}
              ></parvis-viewers-chart>
              <div class="table-wrap" tabindex="0" role="region" aria-labelledby="samples-caption">
                <table>
                  <caption id="samples-caption">${t('figures.table.caption')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">${t('figures.table.time')}</th>
                      <th scope="col">${t('figures.table.viewers')}</th>
                      <th scope="col">${t('figures.table.moments')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${f.samples.map((s, i) => {
                      const from = i === 0 ? -Infinity : Date.parse(s.at);
                      const until = f.samples[i + 1] ? Date.parse(f.samples[i + 1]!.at) : Infinity;
                      const moments = f.markers.filter((m) => Date.parse(m.at) >= from && Date.parse(m.at) < until);
                      return html`<tr>
                        <th scope="row"><time datetime=${s.at}>${time(s.at)}</time></th>
                        <td>${s.viewers}</td>
                        <td>${moments.map((m) => html`<span class="moment">${t('figures.moment', { kind: this.#markerText(m.type), text: m.label })}</span>`)}</td>
                      </tr>`;
                    })}
                  </tbody>
                </table>
              </div>`}
      </section>`;
  }

  #markerText(type: 'question-live' | 'poll-open'): string {
    return this.i18n.t(type === 'poll-open' ? 'figures.marker.poll' : 'figures.marker.question');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-admin-event-figures-page': ParvisAdminEventFiguresPage;
  }
}
