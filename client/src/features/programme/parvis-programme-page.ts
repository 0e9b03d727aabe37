import { consume } from '@lit/context';
import type { Event, EventKind } from '#shared/domain/event';
import { LitElement, css, html, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError, type ApiClient } from '../../app/api-client';
import { apiContext, i18nContext, realtimeContext } from '../../app/contexts';
import { NavigateRequestEvent } from '../../app/events';
import { IntervalController } from '../../app/interval-controller';
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

type LoadState =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'loaded'; events: Event[]; loadedAt: number };

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
      .error {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--space-3);
      }
      .loading {
        color: var(--color-ink-muted);
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

  @state() private load: LoadState = { status: 'loading' };

  #abort: AbortController | null = null;

  /**
   * Broadcasts received while a fetch is on its way. Its answer may predate them, so they are applied again on top
   * of it (applying one twice changes nothing).
   */
  #sinceFetch: Array<(events: Event[]) => Event[]> = [];

  readonly #feed = new ProgrammeFeedController(this, {
    updated: (event) => this.#applyChange((events) => withPublicEventUpdated(events, event, this.kind)),
    deleted: (eventId) => this.#applyChange((events) => withEventDeleted(events, eventId)),
    resync: () => void this.#fetch({ quiet: true }),
  });

  constructor() {
    super();
    new IntervalController(this, REFRESH_MS, () => void this.#fetch({ quiet: true }), { whenVisible: true });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#feed.use(this.realtime);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('kind') || !this.hasUpdated) void this.#fetch({ quiet: false });
  }

  override updated(): void {
    document.title = `${this.i18n.t('programme.title')} — Parvis`;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#abort?.abort();
  }

  #applyChange(change: (events: Event[]) => Event[]): void {
    this.#sinceFetch.push(change);
    if (this.load.status === 'loaded') this.load = { ...this.load, events: change(this.load.events) };
  }

  async #fetch({ quiet }: { quiet: boolean }): Promise<void> {
    // A quiet refresh keeps what is on screen, and keeps quiet about failures too.
    if (quiet && this.load.status !== 'loaded') return;
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    this.#sinceFetch = [];
    if (!quiet) this.load = { status: 'loading' };
    try {
      const fetched = await this.api.listEvents(this.kind ? { kind: this.kind } : {}, abort.signal);
      if (abort.signal.aborted) return;
      const events = this.#sinceFetch.reduce((list, change) => change(list), fetched);
      this.#sinceFetch = [];
      this.load = { status: 'loaded', events, loadedAt: Date.now() };
    } catch (error) {
      if (abort.signal.aborted || quiet) return;
      this.load = { status: 'error', error };
    }
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

  #renderBody(): TemplateResult {
    const { t } = this.i18n;
    switch (this.load.status) {
      case 'loading':
        return html`<p class="loading" role="status">${t('programme.loading')}</p>`;
      case 'error': {
        const error = this.load.error;
        const message = error instanceof ApiError && error.code === 'NETWORK' ? t('app.error.network') : t('programme.error');
        return html`
          <div class="notice notice-error error" role="alert">
            <p>${message}</p>
            <button type="button" class="btn btn-small" @click=${() => void this.#fetch({ quiet: false })}>
              ${t('app.retry')}
            </button>
          </div>
        `;
      }
      case 'loaded': {
        const sections = groupProgramme(this.load.events, Date.now(), this.kind);
        return html`
          ${this.#renderSection('live', 'programme.live', 'programme.emptyLive', sections.live)}
          ${this.#renderSection('upcoming', 'programme.upcoming', 'programme.emptyUpcoming', sections.upcoming)}
          ${this.#renderSection('replays', 'programme.replays', 'programme.emptyReplays', sections.replays)}
        `;
      }
    }
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
