import { consume } from '@lit/context';
import type { Event } from '#shared/domain/event';
import { isEventStaff } from '#shared/domain/staff';
import type { Question } from '#shared/domain/question';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { i18nContext, realtimeContext, sessionContext, type SessionContextValue } from '../../app/contexts';
import { FullscreenController } from '../../app/fullscreen-controller';
import { eventHref, loginHref, programmeHref, stageHref } from '../../app/routes';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import type { RealtimeClient } from '../../realtime/realtime-client';
import type { RoomState } from '../event-room/event-room';
import { EventRoomController } from '../event-room/event-room-controller';
import { roomPageView, type RoomPageView } from '../event-room/room-page-view';
import { liveTextSize, stageQuestions } from './stage-content';
import { WakeLockController } from './wake-lock-controller';
import '../hall/parvis-room-qr';
import './parvis-stage-clock';
import './parvis-stage-notes';

type View = RoomPageView;

/**
 * The speakers' stage view of an event, at /events/:id/stage: the question being answered in very large type, the
 * next approved questions, the moderators' private notes, a clock and the time left. Dark and large, to be read from
 * a few metres away on a laptop; it can go full screen and keeps the screen awake where the browser allows.
 *
 * For the event's speakers, moderators and admins: the room's join says who the person is in this event, and
 * everyone else is told the page is not for them (the server sends them no notes anyway).
 */
@customElement('parvis-stage-page')
export class ParvisStagePage extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .message {
        display: grid;
        gap: var(--space-3);
        justify-items: start;
        max-width: 40rem;
      }
      .message h1 {
        font-size: clamp(1.75rem, 4.5vw, 2.5rem);
      }
      .loading {
        color: var(--color-ink-muted);
      }

      .stage {
        --stage-bg: #0f1113;
        --stage-panel: #1b1e22;
        --stage-ink: #f5f2ec;
        --stage-muted: #c9c3b8;
        --stage-line: #6b727c;
        --stage-live: #ff8f80;
        --stage-warning: #ffd166;
        --stage-over: #ff8f80;
        --stage-fresh: #4a3d0f;
        /* The house colours, turned for a dark ground. */
        --color-ink: var(--stage-ink);
        --color-ink-muted: var(--stage-muted);
        --color-link: #ffc0ad;
        --color-focus: #8ec5ff;
        display: grid;
        grid-template-rows: auto auto 1fr;
        gap: var(--space-4);
        min-height: min(44rem, calc(100vh - 9rem));
        padding: clamp(1rem, 2.5vw, 2rem);
        border-radius: var(--radius-l);
        background: var(--stage-bg);
        color: var(--stage-ink);
        color-scheme: dark;
      }
      .stage:fullscreen {
        height: 100vh;
        min-height: 0;
        border-radius: 0;
        overflow: auto;
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--space-3) var(--space-6);
      }
      .ident {
        flex: 1 1 16rem;
        display: grid;
        gap: var(--space-1);
        min-width: 0;
      }
      .kicker {
        font-size: clamp(0.875rem, 1.2vw, 1.125rem);
        font-weight: 700;
        text-transform: uppercase;
        letter-spacing: 0.08em;
        color: var(--stage-muted);
      }
      h1 {
        font-size: clamp(1.125rem, 1.7vw, 1.625rem);
        overflow-wrap: anywhere;
      }
      .screen-button {
        min-height: 2.75rem;
        padding: var(--space-2) var(--space-4);
        border: 2px solid var(--stage-line);
        border-radius: var(--radius-s);
        background: transparent;
        color: var(--stage-ink);
        font-weight: 600;
        cursor: pointer;
      }
      .screen-button:hover {
        border-color: var(--stage-ink);
      }
      .offline:empty {
        display: none;
      }
      .offline {
        padding: var(--space-2) var(--space-4);
        border: 2px solid var(--stage-warning);
        border-radius: var(--radius-s);
        color: var(--stage-warning);
        font-size: clamp(1rem, 1.4vw, 1.25rem);
        font-weight: 600;
      }
      .grid {
        display: grid;
        gap: clamp(1rem, 2.5vw, 2.5rem);
        grid-template-columns: minmax(0, 1fr);
        align-items: start;
        min-height: 0;
      }
      @media (min-width: 56rem) {
        .grid {
          grid-template-columns: minmax(0, 2fr) minmax(16rem, 1fr);
          /* The live question takes the room it needs, never less: it must never be cut or overlapped. */
          grid-template-rows: auto 1fr;
          grid-template-areas: 'live notes' 'next notes';
          align-items: stretch;
        }
        .live {
          grid-area: live;
        }
        .next {
          grid-area: next;
          align-content: start;
        }
        .aside {
          grid-area: notes;
          max-height: 100%;
        }
      }
      /* The room's QR code above the notes: the top right corner on a wide screen, after the rest on a narrow one. */
      .aside {
        display: grid;
        grid-template-rows: auto minmax(0, 1fr);
        gap: var(--space-4);
        min-height: 0;
      }
      .stage h2 {
        font-family: var(--font-body);
        font-size: clamp(1rem, 1.4vw, 1.375rem);
        text-transform: uppercase;
        letter-spacing: 0.06em;
        color: var(--stage-muted);
      }
      .live {
        display: grid;
        align-content: start;
        gap: var(--space-3);
        padding: clamp(1rem, 2vw, 2rem);
        border: 3px solid var(--stage-line);
        border-radius: var(--radius-l);
      }
      .live.on {
        border-color: var(--stage-live);
      }
      .live.on h2 {
        color: var(--stage-live);
      }
      .live.on h2::before {
        content: '';
        display: inline-block;
        width: 0.7em;
        height: 0.7em;
        margin-right: 0.5em;
        border-radius: 50%;
        background: currentColor;
        vertical-align: 0.05em;
      }
      .live-text {
        font-family: var(--font-display);
        font-weight: 600;
        line-height: 1.2;
        overflow-wrap: anywhere;
        white-space: pre-line;
        text-wrap: pretty;
      }
      .live-text[data-size='large'] {
        font-size: clamp(2rem, min(4.4vw, 8vh), 4rem);
      }
      .live-text[data-size='medium'] {
        font-size: clamp(1.75rem, min(3.2vw, 6vh), 3rem);
      }
      .live-text[data-size='small'] {
        font-size: clamp(1.5rem, min(2.5vw, 4.6vh), 2.25rem);
      }
      .asker {
        font-size: clamp(1.125rem, 1.8vw, 1.625rem);
        color: var(--stage-muted);
      }
      .no-live {
        font-family: var(--font-display);
        font-size: clamp(1.75rem, 3.6vw, 3rem);
        font-weight: 600;
        color: var(--stage-muted);
      }
      .hint-dark {
        font-size: clamp(1rem, 1.4vw, 1.25rem);
        color: var(--stage-muted);
      }
      .next {
        display: grid;
        gap: var(--space-3);
      }
      .next ol {
        margin: 0;
        padding: 0;
        list-style: none;
        display: grid;
        gap: var(--space-2);
      }
      .next li {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        gap: var(--space-4);
        align-items: baseline;
        padding: var(--space-2) var(--space-4);
        border-radius: var(--radius-s);
        background: var(--stage-panel);
      }
      .next .text {
        font-size: clamp(1.125rem, 1.9vw, 1.75rem);
        line-height: 1.3;
        overflow-wrap: anywhere;
        display: -webkit-box;
        -webkit-line-clamp: 2;
        -webkit-box-orient: vertical;
        overflow: hidden;
      }
      .next .votes {
        font-size: clamp(0.9375rem, 1.3vw, 1.25rem);
        color: var(--stage-muted);
        white-space: nowrap;
        font-variant-numeric: tabular-nums;
      }
      .more {
        font-size: clamp(1rem, 1.3vw, 1.25rem);
        color: var(--stage-muted);
      }
    `,
  ];

  @property() eventId = '';

  @consume({ context: realtimeContext })
  private realtime!: RealtimeClient;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session!: SessionContextValue;

  @query('.stage') private stageElement!: HTMLElement | null;

  readonly #room = new EventRoomController(this);
  readonly #wakeLock = new WakeLockController(this);
  readonly #fullscreen = new FullscreenController(this, () => this.stageElement);

  override willUpdate(): void {
    this.#room.use(this.realtime, this.eventId || undefined);
  }

  override updated(): void {
    const view = this.#view();
    this.#wakeLock.active = view.kind === 'ready';
    const { t } = this.i18n;
    const title =
      view.kind === 'ready' ? t('stage.docTitle', { title: view.event.title })
      : view.kind === 'not-found' ? t('event.notFound.title')
      : t('stage.title');
    document.title = `${title} — Parvis`;
  }

  /** Joins again from scratch, after a refusal that may not last (the server was restarting...). */
  #retry(): void {
    this.#room.use(undefined, undefined);
    this.#room.use(this.realtime, this.eventId || undefined);
  }

  #view(): View {
    return roomPageView(this.#room.state, (role) => isEventStaff(role));
  }

  override render() {
    const view = this.#view();
    switch (view.kind) {
      case 'loading':
        return this.#renderLoading(view.retrying);
      case 'not-found':
        return this.#renderNotFound();
      case 'refused':
        return this.#renderReserved();
      case 'error':
        return this.#renderError();
      case 'ready':
        return this.#renderStage(view.state, view.event);
    }
  }

  #renderLoading(retrying: boolean) {
    const { t } = this.i18n;
    return html`<p class="loading" role="status">${retrying ? t('stage.retrying') : t('stage.loading')}</p>`;
  }

  #renderNotFound() {
    const { t } = this.i18n;
    return html`<div class="message">
      <h1>${t('event.notFound.title')}</h1>
      <p>${t('event.notFound.body')}</p>
      <a href=${programmeHref()}>${t('app.backToProgramme')}</a>
    </div>`;
  }

  #renderReserved() {
    const { t } = this.i18n;
    const signedIn = this.session.session?.kind === 'staff';
    return html`<div class="message">
      <h1>${t('stage.reserved.title')}</h1>
      <p>${t('stage.reserved.body')}</p>
      ${signedIn
        ? nothing
        : html`<p><a href=${loginHref(stageHref(this.eventId))}>${t('stage.reserved.signIn')}</a></p>`}
      <a href=${eventHref(this.eventId)}>${t('stage.toEvent')}</a>
    </div>`;
  }

  #renderError() {
    const { t } = this.i18n;
    return html`<div class="message">
      <h1>${t('stage.error')}</h1>
      <div class="notice notice-error" role="alert">
        <p>${t('app.error.generic')}</p>
      </div>
      <button type="button" class="btn btn-small" @click=${() => this.#retry()}>${t('app.retry')}</button>
      <a href=${eventHref(this.eventId)}>${t('stage.toEvent')}</a>
    </div>`;
  }

  #renderStage(state: RoomState, event: Event) {
    const { t } = this.i18n;
    const { live, next, more } = stageQuestions(state.questions);
    const offline = state.connection !== 'connected';
    return html`<div class="stage">
      <div class="bar">
        <div class="ident">
          <p class="kicker">${t('stage.title')}</p>
          <h1 lang=${event.language || nothing}>${event.title}</h1>
        </div>
        <parvis-stage-clock .event=${event}></parvis-stage-clock>
        ${this.#fullscreen.supported
          ? html`<button type="button" class="screen-button" @click=${() => void this.#fullscreen.toggle()}>
              ${this.#fullscreen.active ? t('stage.exitFullscreen') : t('stage.fullscreen')}
            </button>`
          : nothing}
      </div>
      <p class="offline" role="status">${offline ? t('stage.offline') : ''}</p>
      <div class="grid">
        ${this.#renderLive(live, event)} ${this.#renderNext(next, more, event)}
        <div class="aside">
          <parvis-room-qr .eventId=${event.id}></parvis-room-qr>
          <parvis-stage-notes .notes=${state.backstage}></parvis-stage-notes>
        </div>
      </div>
    </div>`;
  }

  #renderLive(live: Question | null, event: Event) {
    const { t } = this.i18n;
    if (!live) {
      return html`<section class="live" aria-labelledby="live-title">
        <h2 id="live-title">${t('stage.live')}</h2>
        <p class="no-live">${t('stage.noLive')}</p>
        <p class="hint-dark">${t('stage.noLiveHint')}</p>
      </section>`;
    }
    const asker =
      live.author && !live.anonymous ? t('stage.askedBy', { name: live.author.displayName }) : t('stage.askedAnonymously');
    return html`<section class="live on" aria-labelledby="live-title">
      <h2 id="live-title">${t('stage.live')}</h2>
      <p class="live-text" data-size=${liveTextSize(live.text)} lang=${event.language || nothing}>${live.text}</p>
      <p class="asker">${asker} · ${this.i18n.plural('qa.votes', live.votes)}</p>
    </section>`;
  }

  #renderNext(next: readonly Question[], more: number, event: Event) {
    const { t } = this.i18n;
    return html`<section class="next" aria-labelledby="next-title">
      <h2 id="next-title">${t('stage.next')}</h2>
      ${next.length === 0
        ? html`<p class="hint-dark">${t('stage.noNext')}</p>`
        : html`<ol aria-labelledby="next-title">
            ${next.map(
              (q) =>
                html`<li>
                  <span class="text" lang=${event.language || nothing}>${q.text}</span>
                  <span class="votes">${this.i18n.plural('qa.votes', q.votes)}</span>
                </li>`,
            )}
          </ol>`}
      ${more > 0 ? html`<p class="more">${this.i18n.plural('stage.more', more)}</p>` : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-stage-page': ParvisStagePage;
  }
}
