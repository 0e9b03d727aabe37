import { consume } from '@lit/context';
import type { Event } from '#shared/domain/event';
import type { Question } from '#shared/domain/question';
import { isClosedToWriting } from '#shared/domain/writing';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { ApiClient } from '../../app/api-client';
import { apiContext, i18nContext, realtimeContext } from '../../app/contexts';
import { FullscreenController } from '../../app/fullscreen-controller';
import { PageLoad } from '../../app/page-load';
import { eventHref, programmeHref, qrCodeHref } from '../../app/routes';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import type { RealtimeClient } from '../../realtime/realtime-client';
import type { RoomState } from '../event-room/event-room';
import { EventRoomController } from '../event-room/event-room-controller';
import { roomPageView, type RoomPageView } from '../event-room/room-page-view';
import { liveTextSize, stageQuestions } from '../stage/stage-content';
import { WakeLockController } from '../stage/wake-lock-controller';
import { addressInWords, addressParts } from './room-address';

type View = RoomPageView;

/**
 * The auditorium's display of a hybrid event, at /events/:id/display, for the projector or a screen by the door: the
 * QR code of the phone page in large, its address in words for those who type it, and the question on air. It shows
 * what the audience sees (a viewer's place in the room is enough), goes full screen, and keeps the screen awake.
 *
 * Dark like the stage view, and read from the back of a room: every size follows the viewport.
 */
@customElement('parvis-display-page')
export class ParvisDisplayPage extends LitElement {
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
      }
      .loading {
        color: var(--color-ink-muted);
      }
      .display {
        --display-bg: #0f1113;
        --display-ink: #f5f2ec;
        --display-muted: #c9c3b8;
        --display-live: #ff8f80;
        --color-ink: var(--display-ink);
        --color-ink-muted: var(--display-muted);
        --color-link: #ffc0ad;
        --color-focus: #8ec5ff;
        display: grid;
        gap: clamp(1rem, 3vw, 3rem);
        grid-template-columns: minmax(0, 1fr);
        align-content: start;
        min-height: min(44rem, calc(100vh - 9rem));
        padding: clamp(1rem, 3vw, 3rem);
        border-radius: var(--radius-l);
        background: var(--display-bg);
        color: var(--display-ink);
        color-scheme: dark;
      }
      .display:fullscreen {
        height: 100vh;
        min-height: 0;
        border-radius: 0;
        overflow: auto;
      }
      @media (min-width: 56rem) {
        .display {
          grid-template-columns: minmax(16rem, 2fr) minmax(0, 3fr);
          grid-template-areas: 'qr head' 'qr live';
          grid-template-rows: auto 1fr;
        }
        .qr {
          grid-area: qr;
        }
        .head {
          grid-area: head;
        }
        .live {
          grid-area: live;
        }
      }
      .qr {
        display: grid;
        gap: var(--space-3);
        align-content: start;
        justify-items: center;
      }
      /* The code keeps its white ground and quiet zone (in the picture): phones read it off a dark screen. */
      .qr img {
        display: block;
        width: min(100%, 70vh);
        aspect-ratio: 1;
        border-radius: var(--radius-s);
        background: #fff;
      }
      .head {
        display: grid;
        gap: var(--space-2);
        align-content: start;
      }
      .kicker {
        font-size: clamp(0.875rem, 1.3vw, 1.25rem);
        font-weight: 700;
        text-transform: uppercase;
        letter-spacing: 0.08em;
        color: var(--display-muted);
      }
      h1 {
        font-size: clamp(1.25rem, 2.2vw, 2rem);
        overflow-wrap: anywhere;
      }
      .scan {
        font-family: var(--font-display);
        font-size: clamp(1.75rem, 3.6vw, 3.25rem);
        font-weight: 600;
        line-height: 1.15;
      }
      .hint {
        font-size: clamp(1rem, 1.6vw, 1.5rem);
        color: var(--display-muted);
      }
      .address {
        font-family: ui-monospace, 'DejaVu Sans Mono', monospace;
        font-size: clamp(1.25rem, 2.6vw, 2.5rem);
        font-weight: 700;
        line-height: 1.25;
      }
      .address span {
        display: inline-block;
      }
      .live {
        display: grid;
        gap: var(--space-3);
        align-content: start;
        padding: clamp(1rem, 2vw, 2rem);
        border: 3px solid #6b727c;
        border-radius: var(--radius-l);
      }
      .live.on {
        border-color: var(--display-live);
      }
      .live h2 {
        font-family: var(--font-body);
        font-size: clamp(1rem, 1.5vw, 1.5rem);
        text-transform: uppercase;
        letter-spacing: 0.06em;
        color: var(--display-muted);
      }
      .live.on h2 {
        color: var(--display-live);
      }
      .live-text {
        font-family: var(--font-display);
        font-weight: 600;
        line-height: 1.2;
        overflow-wrap: anywhere;
        white-space: pre-line;
      }
      .live-text[data-size='large'] {
        font-size: clamp(2rem, min(4vw, 7vh), 4rem);
      }
      .live-text[data-size='medium'] {
        font-size: clamp(1.75rem, min(3vw, 5.5vh), 3rem);
      }
      .live-text[data-size='small'] {
        font-size: clamp(1.5rem, min(2.3vw, 4.2vh), 2.25rem);
      }
      .waiting {
        font-size: clamp(1.25rem, 2.2vw, 2rem);
        color: var(--display-muted);
      }
      .screen-button {
        justify-self: start;
        min-height: 2.75rem;
        padding: var(--space-2) var(--space-4);
        border: 2px solid #6b727c;
        border-radius: var(--radius-s);
        background: transparent;
        color: var(--display-ink);
        font-weight: 600;
        cursor: pointer;
      }
    `,
  ];

  @property() eventId = '';

  @consume({ context: apiContext })
  private api!: ApiClient;

  @consume({ context: realtimeContext })
  private realtime!: RealtimeClient;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @query('.display') private displayElement!: HTMLElement | null;

  readonly #room = new EventRoomController(this);
  readonly #fullscreen = new FullscreenController(this, () => this.displayElement);
  readonly #wakeLock = new WakeLockController(this);
  /** The address the QR code holds, in words: from the server, which builds both on PUBLIC_ORIGIN. */
  readonly #link = new PageLoad(this, {
    args: () => [this.eventId] as const,
    load: ([eventId], signal) => this.api.askLink(eventId, signal),
  });

  override willUpdate(): void {
    this.#room.use(this.realtime, this.eventId || undefined);
  }

  override updated(): void {
    const view = this.#view();
    this.#wakeLock.active = view.kind === 'ready';
    const { t } = this.i18n;
    const title =
      view.kind === 'ready' ? t('hall.display.docTitle', { title: view.event.title })
      : view.kind === 'not-found' ? t('event.notFound.title')
      : t('hall.display.title');
    document.title = `${title} — Parvis`;
  }

  #view(): View {
    return roomPageView(this.#room.state);
  }

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
          <h1>${t('hall.display.title')}</h1>
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
        return this.#renderDisplay(view.state, view.event);
    }
  }

  #renderDisplay(state: RoomState, event: Event) {
    const { t } = this.i18n;
    const url = this.#link.data ?? null;
    const words = url ? addressInWords(url) : null;
    const closed = isClosedToWriting(event.status);
    return html`<div class="display">
      <div class="qr">
        <img src=${qrCodeHref(event.id)} alt=${words ? t('hall.display.qrAlt', { url: words }) : t('hall.stage.qrTitle')} />
      </div>
      <div class="head">
        <p class="kicker">${t('hall.display.title')}</p>
        <h1 lang=${event.language || nothing}>${event.title}</h1>
        <p class="scan">${t('hall.display.scan')}</p>
        <p class="hint">${t('hall.display.scanHint')}</p>
        ${words
          ? html`<p class="address">${addressParts(words).map((part) => html`<span>${part}</span>`)}</p>`
          : nothing}
        ${this.#fullscreen.supported
          ? html`<button type="button" class="screen-button" @click=${() => void this.#fullscreen.toggle()}>
              ${this.#fullscreen.active ? t('hall.display.exitFullscreen') : t('hall.display.fullscreen')}
            </button>`
          : nothing}
      </div>
      ${this.#renderLive(closed ? null : stageQuestions(state.questions).live, event, closed)}
    </div>`;
  }

  #renderLive(live: Question | null, event: Event, closed: boolean) {
    const { t } = this.i18n;
    // A polite live region: people in the room who use a screen reader on the display's computer hear the change.
    return html`<section class="live ${live ? 'on' : ''}" aria-labelledby="display-live-title" aria-live="polite">
      <h2 id="display-live-title">${t('stage.live')}</h2>
      ${live
        ? html`<p class="live-text" data-size=${liveTextSize(live.text)} lang=${event.language || nothing}>${live.text}</p>`
        : html`<p class="waiting">${closed ? t('hall.display.ended') : t('hall.display.noLive')}</p>`}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-display-page': ParvisDisplayPage;
  }
}
