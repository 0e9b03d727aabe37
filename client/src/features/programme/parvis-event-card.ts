import { consume } from '@lit/context';
import type { Event } from '#shared/domain/event';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { i18nContext } from '../../app/contexts';
import { eventHref } from '../../app/routes';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';

/**
 * One event in the programme: its picture when the replay gave it one, kind, title (the link to its page), when, who. The whole card is clickable through
 * the title link's stretched hit area, so there is one link per card and nothing interactive nested in it.
 */
@customElement('parvis-event-card')
export class ParvisEventCard extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        height: 100%;
      }
      article {
        position: relative;
        display: flex;
        flex-direction: column;
        gap: var(--space-2);
        height: 100%;
        padding: var(--space-4);
        background: var(--color-surface);
        border: 1px solid var(--color-line);
        border-radius: var(--radius-l);
        box-shadow: var(--shadow-card);
        transition: transform 120ms ease, box-shadow 120ms ease;
      }
      article:hover {
        transform: translateY(-2px);
        box-shadow: 0 2px 4px rgb(31 26 20 / 0.1), 0 10px 24px rgb(31 26 20 / 0.1);
      }
      article:focus-within {
        outline: 3px solid var(--color-focus);
        outline-offset: 2px;
      }
      article.live {
        border-color: var(--color-live);
        border-width: 2px;
      }
      article.cancelled {
        background: var(--color-surface-alt);
      }
      .tags {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-2);
        align-items: center;
      }
      .kind {
        font-size: 0.8125rem;
        font-weight: 700;
        text-transform: uppercase;
        letter-spacing: 0.06em;
        color: var(--color-brand);
      }
      h3 {
        font-size: 1.25rem;
      }
      h3 a {
        color: var(--color-ink);
        text-decoration: none;
      }
      h3 a:hover {
        text-decoration: underline;
      }
      /* The stretched hit area: the card is the link, for pointer users. */
      h3 a::after {
        content: '';
        position: absolute;
        inset: 0;
        border-radius: var(--radius-l);
      }
      h3 a:focus-visible {
        outline: none;
      }
      .cancelled h3 a {
        text-decoration: line-through;
      }
      .when {
        display: grid;
        font-size: 0.9375rem;
      }
      .when time {
        font-weight: 600;
      }
      .local,
      .speakers {
        color: var(--color-ink-muted);
        font-size: 0.9375rem;
      }
      /* The recording's picture, edge to edge at the top of the card. */
      .picture {
        display: block;
        width: calc(100% + 2 * var(--space-4));
        max-width: none;
        height: auto;
        margin: calc(-1 * var(--space-4)) calc(-1 * var(--space-4)) 0;
        aspect-ratio: 16 / 9;
        object-fit: cover;
        border-radius: var(--radius-l) var(--radius-l) 0 0;
        background: var(--color-surface-alt);
      }
      .summary {
        display: -webkit-box;
        -webkit-line-clamp: 3;
        -webkit-box-orient: vertical;
        overflow: hidden;
        font-size: 0.9375rem;
      }
    `,
  ];

  @property({ attribute: false }) event!: Event;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  override render() {
    const { t } = this.i18n;
    const e = this.event;
    const local = this.i18n.localIfDifferent(e.startsAt, e.timezone);
    const speakers = e.speakers.map((s) => (s.title ? `${s.name} (${s.title})` : s.name));
    return html`
      <article class=${e.status}>
        ${e.thumbnailUrl
          ? // Decorative: the title, right below, says what the picture would.
            html`<img class="picture" src=${e.thumbnailUrl} alt="" loading="lazy" width="640" height="360" />`
          : nothing}
        <div class="tags">
          ${e.status === 'live' ? html`<span class="badge badge-live">${t('status.live')}</span>` : nothing}
          ${e.status === 'cancelled' ? html`<span class="badge badge-cancelled">${t('status.cancelled')}</span>` : nothing}
          <span class="kind">${t(`kindOne.${e.kind}`)}</span>
          ${e.access !== 'open' ? html`<span class="badge">${t(`access.${e.access}`)}</span>` : nothing}
        </div>
        <h3 lang=${e.language || nothing}><a href=${eventHref(e.id)}>${e.title}</a></h3>
        <p class="when">
          <time datetime=${e.startsAt}>${this.i18n.dateTime(e.startsAt, e.timezone)}</time>
          ${local ? html`<span class="local">${t('programme.localTime', { time: local })}</span>` : nothing}
        </p>
        ${speakers.length > 0
          ? html`<p class="speakers">${t('programme.withSpeakers', { names: this.i18n.list(speakers) })}</p>`
          : nothing}
        ${e.summary ? html`<p class="summary" lang=${e.language || nothing}>${e.summary}</p>` : nothing}
      </article>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-event-card': ParvisEventCard;
  }
}
