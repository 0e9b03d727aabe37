import { consume } from '@lit/context';
import { CAPTION_MAX_LENGTH, captionLanguage, mayCaption, normaliseCaptionText, type CaptionCue } from '#shared/domain/caption';
import type { Event } from '#shared/domain/event';
import { isRoomStaff } from '#shared/domain/staff';
import { isClosedToWriting } from '#shared/domain/writing';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { i18nContext, realtimeContext, sessionContext, type SessionContextValue } from '../../app/contexts';
import { captionsHref, eventHref, loginHref, programmeHref } from '../../app/routes';
import { baseStyles } from '../../app/shared-styles';
import { errorText } from '../../i18n/error-text';
import type { Translator } from '../../i18n/i18n';
import type { RealtimeClient, RealtimeTransport } from '../../realtime/realtime-client';
import type { RoomState } from '../event-room/event-room';
import { EventRoomController } from '../event-room/event-room-controller';
import { roomPageView, type RoomPageView } from '../event-room/room-page-view';
import { CaptionDesk } from './caption-desk';
import './parvis-caption-ingest-panel';

/** Languages offered before any line was sent in them; the event's own language and those already used join them. */
const OFFERED_LANGUAGES = ['fr', 'en', 'es', 'de', 'it', 'ar'];
/** How many of the latest lines of the chosen language the desk shows. */
const SHOWN_LINES = 12;

type View = RoomPageView;

/**
 * The caption desk of an event, at /events/:id/captions (issue 12): a captioner types a line and sends it with Enter,
 * corrects their last line, picks the language, and reads what went out. Keyboard only: Enter sends, Shift+Enter
 * starts the second line, the Up arrow in an empty field takes the last line back to correct it, Escape gives up the
 * correction. Moderators and admins also find the URL for captioning software here.
 *
 * For the event's captioners, moderators and admins; everyone else is told the page is not for them (the server
 * refuses their lines anyway).
 */
@customElement('parvis-caption-desk-page')
export class ParvisCaptionDeskPage extends LitElement {
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
      .desk {
        display: grid;
        gap: var(--space-5);
        max-width: 52rem;
      }
      header {
        display: grid;
        gap: var(--space-1);
      }
      .kicker {
        font-weight: 700;
        text-transform: uppercase;
        letter-spacing: 0.06em;
        color: var(--color-ink-muted);
      }
      h1 {
        overflow-wrap: anywhere;
      }
      form {
        display: grid;
        gap: var(--space-3);
      }
      .lang {
        max-width: 18rem;
      }
      textarea {
        font-size: 1.25rem;
        line-height: 1.4;
        resize: vertical;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-3);
        align-items: center;
      }
      .count {
        margin-left: auto;
        color: var(--color-ink-muted);
        font-variant-numeric: tabular-nums;
      }
      .correcting {
        border-left: 4px solid var(--color-focus);
      }
      .lines {
        display: grid;
        gap: var(--space-2);
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .lines li {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: var(--space-1) var(--space-3);
        padding: var(--space-2) var(--space-3);
        border: 1px solid var(--color-line);
        border-radius: var(--radius-s);
        background: var(--color-surface);
      }
      .lines li.mine {
        border-color: var(--color-line-strong);
      }
      .lines time {
        color: var(--color-ink-muted);
        font-variant-numeric: tabular-nums;
      }
      .lines .text {
        white-space: pre-line;
        overflow-wrap: anywhere;
        font-size: 1.125rem;
      }
      .lines .meta {
        grid-column: 2;
        color: var(--color-ink-muted);
        font-size: 0.875rem;
      }
      .status:empty {
        display: none;
      }
    `,
  ];

  @property() eventId = '';

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @consume({ context: realtimeContext })
  private realtime!: RealtimeClient;

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session!: SessionContextValue;

  @state() private chosenLang: string | null = null;
  @state() private text = '';
  /** The line being corrected (this desk's last line of the language), or null when typing a new one. */
  @state() private correcting: CaptionCue | null = null;
  @state() private sending = false;
  @state() private status: { kind: 'ok' | 'error'; text: string } | null = null;

  @query('textarea') private field!: HTMLTextAreaElement | null;

  readonly #room = new EventRoomController(this);
  #desk: CaptionDesk | null = null;
  #unsubscribeDesk: (() => void) | null = null;
  #tapped: { source: RealtimeTransport; transport: RealtimeTransport } | null = null;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unsubscribeDesk?.();
    this.#desk?.close();
    this.#desk = null;
    this.#tapped = null;
  }

  override willUpdate(): void {
    this.#room.use(this.#transport(), this.eventId || undefined);
  }

  /** The realtime connection as the desk sees it: the same for the room, with its caption lines read on the way. */
  #transport(): RealtimeTransport | undefined {
    if (!this.realtime || !this.eventId) return undefined;
    if (this.#tapped?.source === this.realtime && this.#desk?.eventId === this.eventId) return this.#tapped.transport;
    this.#unsubscribeDesk?.();
    this.#desk?.close();
    this.#desk = new CaptionDesk(this.eventId);
    this.#unsubscribeDesk = this.#desk.subscribe(() => this.requestUpdate());
    this.#tapped = { source: this.realtime, transport: this.#desk.tap(this.realtime) };
    return this.#tapped.transport;
  }

  override updated(): void {
    const view = this.#view();
    const { t } = this.i18n;
    const title = view.kind === 'ready' ? t('captions.docTitle', { title: view.event.title }) : t('captions.title');
    document.title = `${title} — Parvis`;
  }

  #retry(): void {
    this.#room.use(undefined, undefined);
    this.#room.use(this.#transport(), this.eventId || undefined);
  }

  #view(): View {
    return roomPageView(this.#room.state, (role) => mayCaption(role));
  }

  /** The language lines go out in: the one picked, else the event's own. */
  #langOf(event: Event): string {
    return this.chosenLang ?? captionLanguage(event.language) ?? 'fr';
  }

  #languages(event: Event): string[] {
    const used = this.#desk ? [...this.#desk.state.cues.keys()] : [];
    return [...new Set([this.#langOf(event), ...OFFERED_LANGUAGES, ...used])];
  }

  async #submit(event: Event): Promise<void> {
    const text = normaliseCaptionText(this.text);
    if (!text || this.sending || !this.#desk || !this.#room.room) return;
    const { t } = this.i18n;
    const lang = this.#langOf(event);
    const room = this.#room.room;
    const sender = (payload: { eventId: string; lang: string; text: string; replaces?: string }) => room.request('caption:send', payload);
    this.sending = true;
    const ack = this.correcting ? await this.#desk.correctLast(sender, lang, text) : await this.#desk.send(sender, lang, text);
    this.sending = false;
    if (ack.ok) {
      this.status = { kind: 'ok', text: this.correcting ? t('captions.corrected') : t('captions.sent') };
      this.text = '';
      this.correcting = null;
    } else {
      this.status = { kind: 'error', text: errorText(this.i18n, ack.error, 'request') };
    }
    this.field?.focus();
  }

  #startCorrection(event: Event): void {
    const last = this.#desk?.state.lastSent.get(this.#langOf(event));
    if (!last) return;
    this.correcting = last;
    this.text = last.text;
    this.status = null;
    void this.updateComplete.then(() => {
      this.field?.focus();
      this.field?.select();
    });
  }

  #cancelCorrection(): void {
    this.correcting = null;
    this.text = '';
    this.field?.focus();
  }

  #onKeydown(e: KeyboardEvent, event: Event): void {
    if (e.isComposing) return;
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      void this.#submit(event);
    } else if (e.key === 'ArrowUp' && this.text === '' && !this.correcting) {
      e.preventDefault();
      this.#startCorrection(event);
    } else if (e.key === 'Escape' && this.correcting) {
      e.preventDefault();
      this.#cancelCorrection();
    }
  }

  override render() {
    const view = this.#view();
    const { t } = this.i18n;
    switch (view.kind) {
      case 'loading':
        return html`<p class="load-status" role="status">${view.retrying ? t('captions.retrying') : t('captions.loading')}</p>`;
      case 'not-found':
        return html`<div class="message">
          <h1>${t('event.notFound.title')}</h1>
          <p>${t('event.notFound.body')}</p>
          <a href=${programmeHref()}>${t('app.backToProgramme')}</a>
        </div>`;
      case 'refused':
        return html`<div class="message">
          <h1>${t('captions.reserved.title')}</h1>
          <p>${t('captions.reserved.body')}</p>
          ${this.session.session?.kind === 'staff'
            ? nothing
            : html`<p><a href=${loginHref(captionsHref(this.eventId))}>${t('captions.reserved.signIn')}</a></p>`}
          <a href=${eventHref(this.eventId)}>${t('captions.toEvent')}</a>
        </div>`;
      case 'error':
        return html`<div class="message">
          <h1>${t('captions.title')}</h1>
          <div class="notice notice-error" role="alert"><p>${t('app.error.generic')}</p></div>
          <button type="button" class="btn btn-small" @click=${() => this.#retry()}>${t('app.retry')}</button>
          <a href=${eventHref(this.eventId)}>${t('captions.toEvent')}</a>
        </div>`;
      case 'ready':
        return this.#renderDesk(view.state, view.event);
    }
  }

  #renderDesk(state: RoomState, event: Event) {
    const { t } = this.i18n;
    const lang = this.#langOf(event);
    const closed = isClosedToWriting(event.status);
    const last = this.#desk?.state.lastSent.get(lang) ?? null;
    const lines = (this.#desk?.linesOf(lang) ?? []).slice(-SHOWN_LINES);
    const offline = state.connection !== 'connected';
    return html`<div class="desk">
      <header>
        <p class="kicker">${t('captions.title')}</p>
        <h1 lang=${event.language || nothing}>${event.title}</h1>
        <a href=${eventHref(event.id)}>${t('captions.toEvent')}</a>
      </header>
      ${offline ? html`<p class="notice notice-warning" role="status">${t('captions.offline')}</p>` : nothing}
      ${closed
        ? html`<p class="notice">${t('captions.closed')}</p>`
        : html`<form
            class=${this.correcting ? 'correcting' : ''}
            @submit=${(e: SubmitEvent) => {
              e.preventDefault();
              void this.#submit(event);
            }}
          >
            <div class="field lang">
              <label for="caption-lang">${t('captions.language')}</label>
              <select
                id="caption-lang"
                .value=${lang}
                ?disabled=${this.correcting !== null}
                @change=${(e: { target: HTMLSelectElement }) => {
                  this.chosenLang = e.target.value;
                }}
              >
                ${this.#languages(event).map(
                  (code) => html`<option value=${code} ?selected=${code === lang}>${this.i18n.languageName(code)} (${code})</option>`,
                )}
              </select>
            </div>
            <div class="field">
              <label for="caption-line">${this.correcting ? t('captions.correctingLabel') : t('captions.line')}</label>
              <textarea
                id="caption-line"
                rows="2"
                lang=${lang}
                maxlength=${CAPTION_MAX_LENGTH}
                aria-describedby="caption-hint caption-count"
                .value=${this.text}
                @input=${(e: { target: HTMLTextAreaElement }) => {
                  this.text = e.target.value;
                }}
                @keydown=${(e: KeyboardEvent) => this.#onKeydown(e, event)}
              ></textarea>
              <p class="hint" id="caption-hint">${t('captions.lineHint')}</p>
            </div>
            <div class="actions">
              <button type="submit" class="btn" ?disabled=${this.sending}>
                ${this.correcting ? t('captions.replace') : t('captions.send')}
              </button>
              ${this.correcting
                ? html`<button type="button" class="btn btn-secondary" @click=${() => this.#cancelCorrection()}>
                    ${t('captions.cancelCorrection')}
                  </button>`
                : html`<button type="button" class="btn btn-secondary" ?disabled=${!last} @click=${() => this.#startCorrection(event)}>
                    ${t('captions.correctLast')}
                  </button>`}
              <span class="count" id="caption-count">${t('captions.count', { count: this.text.length, max: CAPTION_MAX_LENGTH })}</span>
            </div>
            <p class="status ${this.status?.kind === 'error' ? 'notice notice-error' : ''}" role="status">${this.status?.text ?? ''}</p>
          </form>`}
      <section aria-labelledby="lines-title">
        <h2 id="lines-title">${t('captions.lines', { language: this.i18n.languageName(lang) })}</h2>
        ${lines.length === 0
          ? html`<p class="hint">${t('captions.noLines')}</p>`
          : html`<ol class="lines">
              ${lines.map(
                (cue) => html`<li class=${cue.id === last?.id ? 'mine' : ''}>
                  <time datetime=${cue.startAt}>${new Date(cue.startAt).toLocaleTimeString(this.i18n.lang, { hour: '2-digit', minute: '2-digit', second: '2-digit' })}</time>
                  <span class="text" lang=${cue.lang}>${cue.text}</span>
                  <span class="meta">
                    ${cue.source === 'ingest' ? t('captions.fromSoftware') : t('captions.fromDesk')}${cue.editedAt ? ` · ${t('captions.edited')}` : ''}${cue.id === last?.id ? ` · ${t('captions.yourLast')}` : ''}
                  </span>
                </li>`,
              )}
            </ol>`}
      </section>
      ${isRoomStaff(state.role) ? html`<parvis-caption-ingest-panel .eventId=${event.id}></parvis-caption-ingest-panel>` : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-caption-desk-page': ParvisCaptionDeskPage;
  }
}
