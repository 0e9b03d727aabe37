import { consume } from '@lit/context';
import type { Event } from '#shared/domain/event';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { i18nContext, realtimeContext } from '../../app/contexts';
import { eventHref, programmeHref } from '../../app/routes';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import type { RealtimeClient } from '../../realtime/realtime-client';
import type { RoomState } from '../event-room/event-room';
import { EventRoomController } from '../event-room/event-room-controller';
import { roomPageView, type RoomPageView } from '../event-room/room-page-view';
import '../polls/parvis-polls-announcer';
import '../polls/parvis-polls-panel';
import '../questions/parvis-qa-panel';

type AskTab = 'qa' | 'polls';
const TABS: readonly AskTab[] = ['qa', 'polls'];

type View = RoomPageView;

/**
 * The phone page of the people in the auditorium of a hybrid event, at /events/:id/ask, which the QR code on the
 * stage and on the room's display opens: the questions (ask, vote) and the polls, and no video, since the talk is
 * in front of them and a phone playing the stream would echo in the room. Their questions go into the one queue
 * marked as coming from the room.
 *
 * Made for a phone held in one hand: one column, the questions first, large targets; on a wider screen it keeps
 * a reading width. Questions and polls are two tabs, as on the event page, with the same badge for open polls and the
 * same announcement of a new one.
 */
@customElement('parvis-ask-page')
export class ParvisAskPage extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .page {
        display: grid;
        gap: var(--space-3);
        max-width: 40rem;
        margin-inline: auto;
      }
      .kicker {
        font-size: 0.875rem;
        font-weight: 700;
        text-transform: uppercase;
        letter-spacing: 0.06em;
        color: var(--color-brand);
      }
      h1 {
        font-size: clamp(1.5rem, 6vw, 2.25rem);
        overflow-wrap: anywhere;
      }
      .intro {
        color: var(--color-ink-muted);
      }
      .offline:empty {
        display: none;
      }
      .offline {
        padding: var(--space-2) var(--space-3);
        border: 2px solid var(--color-warning-ink, #7a5b00);
        border-radius: var(--radius-s);
        background: var(--color-warning-bg);
        color: var(--color-warning-ink);
        font-weight: 600;
      }
      .tabs {
        display: flex;
        border-bottom: 2px solid var(--color-line);
      }
      [role='tab'] {
        flex: 1 1 0;
        min-height: 3rem;
        padding: var(--space-2) var(--space-3);
        border: 0;
        border-bottom: 3px solid transparent;
        margin-bottom: -2px;
        background: none;
        color: var(--color-ink-muted);
        font: inherit;
        font-size: 1.0625rem;
        font-weight: 600;
        cursor: pointer;
      }
      [role='tab'][aria-selected='true'] {
        color: var(--color-ink);
        border-bottom-color: var(--color-brand);
      }
      .tab-count {
        display: inline-grid;
        place-items: center;
        min-width: 1.375rem;
        height: 1.375rem;
        margin-left: var(--space-1);
        padding: 0 0.35rem;
        border-radius: 999px;
        background: var(--color-live);
        color: var(--color-live-ink);
        font-size: 0.8125rem;
        font-weight: 700;
        line-height: 1;
      }
      .tabpanel[hidden] {
        display: none;
      }
      .online {
        justify-self: start;
        font-weight: 600;
      }
      .message {
        display: grid;
        gap: var(--space-3);
        justify-items: start;
      }
      .loading {
        color: var(--color-ink-muted);
      }
    `,
  ];

  @property() eventId = '';

  @consume({ context: realtimeContext })
  private realtime!: RealtimeClient;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private tab: AskTab = 'qa';

  readonly #room = new EventRoomController(this);

  override willUpdate(): void {
    this.#room.use(this.realtime, this.eventId || undefined);
  }

  override updated(): void {
    const view = this.#view();
    const { t } = this.i18n;
    const title =
      view.kind === 'ready' ? t('hall.ask.docTitle', { title: view.event.title })
      : view.kind === 'not-found' ? t('event.notFound.title')
      : t('hall.ask.kicker');
    document.title = `${title} — Parvis`;
  }

  #view(): View {
    return roomPageView(this.#room.state);
  }

  /** Joins again from scratch, after a refusal that may not last (the server was restarting...). */
  #retry(): void {
    this.#room.use(undefined, undefined);
    this.#room.use(this.realtime, this.eventId || undefined);
  }

  override render() {
    const { t } = this.i18n;
    const view = this.#view();
    switch (view.kind) {
      case 'loading':
        return html`<p class="loading" role="status">${view.retrying ? t('hall.ask.retrying') : t('hall.ask.loading')}</p>`;
      case 'not-found':
        return html`<div class="message">
          <h1>${t('event.notFound.title')}</h1>
          <p>${t('event.notFound.body')}</p>
          <a href=${programmeHref()}>${t('app.backToProgramme')}</a>
        </div>`;
      case 'refused':
        return html`<div class="message">
          <h1>${t('hall.ask.kicker')}</h1>
          <p>${t('hall.ask.refused')}</p>
          <a href=${eventHref(this.eventId)}>${t('stage.toEvent')}</a>
        </div>`;
      case 'error':
        return html`<div class="message">
          <h1>${t('hall.ask.error')}</h1>
          <div class="notice notice-error" role="alert"><p>${t('app.error.generic')}</p></div>
          <button type="button" class="btn btn-small" @click=${() => this.#retry()}>${t('app.retry')}</button>
        </div>`;
      case 'ready':
        return this.#renderRoom(view.state, view.event);
    }
  }

  #onTabKey(event: KeyboardEvent): void {
    const index = TABS.indexOf(this.tab);
    const last = TABS.length - 1;
    const next =
      event.key === 'ArrowRight' ? (index + 1) % TABS.length
      : event.key === 'ArrowLeft' ? (index + last) % TABS.length
      : event.key === 'Home' ? 0
      : event.key === 'End' ? last
      : -1;
    if (next < 0) return;
    event.preventDefault();
    this.tab = TABS[next]!;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#ask-tab-${this.tab}`)?.focus());
  }

  #renderRoom(state: RoomState, event: Event) {
    const { t } = this.i18n;
    const room = this.#room.room;
    const open = state.polls.filter((p) => p.state === 'open').length;
    const tab = (id: AskTab, label: string, extra: unknown = nothing) =>
      html`<button
        type="button"
        role="tab"
        id="ask-tab-${id}"
        aria-controls="ask-panel-${id}"
        aria-selected=${this.tab === id ? 'true' : 'false'}
        tabindex=${this.tab === id ? 0 : -1}
        @click=${() => (this.tab = id)}
      >
        ${label}${extra}
      </button>`;
    const pollsBadge =
      open > 0
        ? html`<span class="tab-count" aria-hidden="true">${open}</span
            ><span class="visually-hidden">, ${this.i18n.plural('room.poll.openCount', open)}</span>`
        : nothing;
    return html`<div class="page">
      <div>
        <p class="kicker">${t('hall.ask.kicker')}</p>
        <h1 lang=${event.language || nothing}>${event.title}</h1>
      </div>
      <p class="intro">${t('hall.ask.intro')}</p>
      <p class="offline" role="status">${state.connection !== 'connected' ? t('hall.ask.offline') : ''}</p>
      <div class="tabs" role="tablist" aria-label=${t('hall.ask.tabs')} @keydown=${this.#onTabKey}>
        ${tab('qa', t('qa.tabQuestions'))} ${tab('polls', t('room.tabPolls'), pollsBadge)}
      </div>
      <div class="tabpanel" role="tabpanel" id="ask-panel-qa" aria-labelledby="ask-tab-qa" ?hidden=${this.tab !== 'qa'}>
        <parvis-qa-panel tabbed origin="room" .event=${event} .room=${room} .state=${state}></parvis-qa-panel>
      </div>
      <div class="tabpanel" role="tabpanel" id="ask-panel-polls" aria-labelledby="ask-tab-polls" ?hidden=${this.tab !== 'polls'}>
        <parvis-polls-panel tabbed .event=${event} .room=${room} .state=${state}></parvis-polls-panel>
      </div>
      <parvis-polls-announcer .polls=${state.polls} ?ready=${state.phase === 'joined'} ?follow=${this.tab === 'polls'}></parvis-polls-announcer>
      <a class="online" href=${eventHref(event.id)}>${t('hall.ask.toEvent')}</a>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-ask-page': ParvisAskPage;
  }
}
