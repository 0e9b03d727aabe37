import { consume } from '@lit/context';
import type { Poll } from '#shared/domain/poll';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { i18nContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import { pollResults } from './poll-results';

/**
 * The results of one poll as bars: each option with its votes and its share of the voters, the person's own choice
 * marked. A labelled region ("Résultats : <question>"); the bars are drawing only, the numbers are text. While the
 * results are hidden (an `after-close` poll still open) it says when they will show.
 */
@customElement('parvis-poll-results')
export class ParvisPollResults extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      section {
        display: grid;
        gap: var(--space-2);
      }
      .sub {
        font-size: 0.875rem;
        color: var(--color-ink-muted);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--space-2);
      }
      .label {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 0 var(--space-2);
      }
      .option {
        overflow-wrap: anywhere;
      }
      .leading .option {
        font-weight: 700;
      }
      .figures {
        font-variant-numeric: tabular-nums;
        color: var(--color-ink-muted);
        white-space: nowrap;
      }
      .mine {
        font-size: 0.8125rem;
        font-weight: 700;
        color: var(--color-ok);
      }
      .bar {
        height: 0.625rem;
        border-radius: 999px;
        background: var(--color-surface-alt);
        border: 1px solid var(--color-line);
        overflow: hidden;
      }
      .bar span {
        display: block;
        height: 100%;
        background: var(--color-ink-muted);
        transition: width 0.4s ease-out;
      }
      .leading .bar span,
      .chosen .bar span {
        background: var(--color-brand);
      }
      @media (prefers-reduced-motion: reduce) {
        .bar span {
          transition: none;
        }
      }
      .hidden {
        color: var(--color-ink-muted);
        font-style: italic;
      }
    `,
  ];

  @property({ attribute: false }) poll!: Poll;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  override render() {
    const { t } = this.i18n;
    const poll = this.poll;
    const results = pollResults(poll);
    if (!results) return html`<p class="hidden">${t('room.poll.hidden')}</p>`;
    const closed = poll.state === 'closed';
    return html`<section aria-label=${t('room.poll.results', { question: poll.question })}>
      <p class="sub">
        ${closed ? t('room.poll.finalResults') : t('room.poll.liveResults')} ·
        ${this.i18n.plural('room.poll.voters', results.voters)}
      </p>
      <ul>
        ${results.rows.map(
          (row) => html`<li class="${row.leading ? 'leading' : ''} ${row.chosen ? 'chosen' : ''}">
            <p class="label">
              <span class="option">${row.option.text}${row.chosen
                  ? html` <span class="mine">(${t('room.poll.yourChoice')})</span>`
                  : nothing}</span>
              <span class="figures">${this.i18n.plural('room.poll.votes', row.count)} · ${t('room.poll.percent', { percent: row.percent })}</span>
            </p>
            <div class="bar" aria-hidden="true"><span style=${styleMap({ width: `${Math.min(100, row.percent)}%` })}></span></div>
          </li>`,
        )}
      </ul>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-poll-results': ParvisPollResults;
  }
}
