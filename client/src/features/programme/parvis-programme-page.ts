import { consume } from '@lit/context';
import type { Event, EventKind } from '#shared/domain/event';
import { LitElement, css, html, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ApiClient } from '../../app/api-client';
import { apiContext, i18nContext, realtimeContext } from '../../app/contexts';
import { NavigateRequestEvent } from '../../app/events';
import { IntervalController } from '../../app/interval-controller';
import { PageLoad, standardViews } from '../../app/page-load';
import { programmeHref } from '../../app/routes';
import { baseStyles } from '../../app/shared-styles';
import type { StringKey, Translator } from '../../i18n/i18n';
import type { RealtimeClient } from '../../realtime/realtime-client';
import { groupProgramme, withEventDeleted, withPublicEventUpdated } from './programme';
import { ProgrammeFeedController } from './programme-feed-controller';
import './parvis-event-card';
import './parvis-kind-filter';
import type { KindChangeEvent } from './parvis-kind-filter';

/** Statuses change with time (upcoming → live → replay): the page refreshes quietly this often while visible. */
const REFRESH_MS = 60_000;

/**
 * The programme: what is live now, what comes next, what can be watched again; filterable by kind. It follows the
 * changes the server broadcasts (an event cancelled, gone live, added, deleted) over the realtime connection, and
 * re-reads the whole programme every minute for what only time changes.
 */
@customElement('parvis-programme-page')
export class ParvisProgrammePage extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: grid;
        gap: var(--space-6);
      }
      .intro {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        justify-content: space-between;
        gap: var(--space-4);
      }
      .intro-text {
        display: grid;
        gap: var(--space-2);
        max-width: 44rem;
      }
      h1 {
        font-size: clamp(2rem, 5vw, 2.75rem);
      }
      .lede {
        color: var(--color-ink-muted);
        font-size: 1.0625rem;
      }
      section {
        display: grid;
        gap: var(--space-3);
      }
      h2 {
        font-size: 1.5rem;
        display: flex;
        align-items: center;
        gap: var(--space-2);
      }
      ul.cards {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 20rem), 1fr));
        gap: var(--space-4);
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .empty {
        color: var(--color-ink-muted);
        padding: var(--space-4);
        border: 1px dashed var(--color-line-strong);
        border-radius: var(--radius-m);
      }
    `,
  ];

  /** The kind of event shown (from the URL), or null for all. */
  @property({ attribute: false }) kind: EventKind | null = null;

  @consume({ context: apiContext })
  private api!: ApiClient;

  @consume({ context: realtimeContext })
  private realtime!: RealtimeClient;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  /** The events of the kind shown. Broadcasts apply at once, and again on top of a load still on its way. */
  readonly #events = new PageLoad(this, {
    args: () => [this.kind] as const,
    load: ([kind], signal) => this.api.listEvents(kind ? { kind } : {}, signal),
  });

  readonly #feed = new ProgrammeFeedController(this, {
    updated: (event) => this.#events.update((events) => withPublicEventUpdated(events, event, this.kind)),
    deleted: (eventId) => this.#events.update((events) => withEventDeleted(events, eventId)),
    resync: () => void this.#events.reload({ quiet: true }),
  });

  constructor() {
    super();
    new IntervalController(this, REFRESH_MS, () => void this.#events.reload({ quiet: true }), { whenVisible: true });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#feed.use(this.realtime);
  }

  override updated(): void {
    document.title = `${this.i18n.t('programme.title')} — Parvis`;
  }

  #onKindChange(event: KindChangeEvent): void {
    event.stopPropagation();
    this.dispatchEvent(new NavigateRequestEvent(programmeHref(event.kind), true));
  }

  override render(): TemplateResult {
    const { t } = this.i18n;
    return html`
      <div class="intro">
        <div class="intro-text">
          <h1>${t('programme.title')}</h1>
          <p class="lede">${t('programme.intro')}</p>
        </div>
        <parvis-kind-filter .kind=${this.kind} @parvis-kind-change=${this.#onKindChange}></parvis-kind-filter>
      </div>
      ${this.#renderBody()}
    `;
  }

  #renderBody(): unknown {
    const { t } = this.i18n;
    return this.#events.render({
      ...standardViews(this.i18n, { loading: t('programme.loading'), failed: t('programme.error') }),
      ready: (events) => {
        const sections = groupProgramme(events, Date.now(), this.kind);
        return html`
          ${this.#renderSection('live', 'programme.live', 'programme.emptyLive', sections.live)}
          ${this.#renderSection('upcoming', 'programme.upcoming', 'programme.emptyUpcoming', sections.upcoming)}
          ${this.#renderSection('replays', 'programme.replays', 'programme.emptyReplays', sections.replays)}
        `;
      },
    });
  }

  #renderSection(id: string, title: StringKey, empty: StringKey, events: Event[]): TemplateResult {
    const { t } = this.i18n;
    return html`
      <section aria-labelledby="${id}-title">
        <h2 id="${id}-title">${t(title)}</h2>
        ${events.length === 0
          ? html`<p class="empty">${t(empty)}</p>`
          : html`<ul class="cards">
              ${events.map((event) => html`<li><parvis-event-card .event=${event}></parvis-event-card></li>`)}
            </ul>`}
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-programme-page': ParvisProgrammePage;
  }
}
