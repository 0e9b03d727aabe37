import { consume } from '@lit/context';
import { CHAT_MAX_LENGTH } from '#shared/domain/limits';
import type { RoomJoin, RoomRefusal } from '#shared/domain/room';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { ApiClient } from '../../app/api-client';
import { systemClock } from '../../app/clock';
import { apiContext, i18nContext, sessionContext, type SessionContextValue } from '../../app/contexts';
import { NavigateRequestEvent } from '../../app/events';
import '../../app/parvis-confirm-dialog';
import type { ParvisConfirmDialog } from '../../app/parvis-confirm-dialog';
import { eventHref, meHref } from '../../app/routes';
import { baseStyles } from '../../app/shared-styles';
import { errorText } from '../../i18n/error-text';
import type { Translator } from '../../i18n/i18n';
import { takePersonalLink } from '../signup/personal-link';
import { loadJanus } from './janus-loader';
import { RoomCall, type CallState, type LocalMedia } from './room-call';
import { refusalText, roomRefusal } from './room-refusal';
import './parvis-room-check';
import type { RoomCheckDoneEvent } from './parvis-room-check';
import './parvis-room-tile';
import type { RoomHostActionEvent } from './parvis-room-tile';

const sessionStore = (): Storage | undefined => {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
};

/** The longest a timer can wait in a browser (about 24.8 days); a room that opens later is asked again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

type View =
  | { kind: 'loading' }
  | { kind: 'no-link' }
  | { kind: 'error'; error: unknown }
  | { kind: 'refused'; reason: RoomRefusal; opensAt?: number }
  | { kind: 'check'; join: RoomJoin }
  | { kind: 'call'; join: RoomJoin };

/**
 * `/events/:id/room`: the event's own video room (a workshop, a help-desk appointment), for its confirmed registrants
 * (through their personal link, kept in this tab by the personal page, or given in this page's fragment) and its staff.
 * Asks the server for this person's way in (`GET /api/events/:id/room`), says in words why not when refused (and waits
 * for the opening when it is too early), checks the camera and microphone, then holds the call (RoomCall) and shows it.
 *
 * `data-room-view` on the element says which view shows (loading, no-link, error, refused, check, call) and
 * `data-room-phase` the call's phase once in it (joining, joined, reconnecting, lost, removed, ended, left, refused).
 */
@customElement('parvis-room-page')
export class ParvisRoomPage extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: grid;
        gap: var(--space-4);
      }
      h1 {
        font-size: clamp(1.5rem, 4vw, 2.25rem);
      }
      h1:focus {
        outline: none;
      }
      .room {
        display: grid;
        gap: var(--space-4);
        grid-template-columns: minmax(0, 1fr) 20rem;
        align-items: start;
      }
      @media (max-width: 56rem) {
        .room {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      .grid {
        display: grid;
        gap: var(--space-2);
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 14rem), 1fr));
        margin: 0;
        padding: 0;
        list-style: none;
      }
      /* A phone: two across, so that a group of six fits in a screen or two. */
      @media (max-width: 30rem) {
        .grid {
          grid-template-columns: repeat(2, minmax(0, 1fr));
        }
      }
      .controls {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-2);
        padding: var(--space-3) 0;
      }
      .controls [aria-pressed='true'] {
        background: var(--color-ink);
        color: var(--color-paper);
        border-color: var(--color-ink);
      }
      .leave {
        margin-left: auto;
      }
      aside {
        display: grid;
        gap: var(--space-2);
        padding: var(--space-3);
        border: 1px solid var(--color-line);
        border-radius: var(--radius-l);
        background: var(--color-surface);
      }
      h2 {
        font-size: 1.125rem;
      }
      .log {
        display: grid;
        gap: var(--space-2);
        max-height: 22rem;
        overflow-y: auto;
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .log .who {
        font-weight: 700;
      }
      .chat-form {
        display: flex;
        gap: var(--space-2);
      }
      .chat-form input {
        flex: 1;
        min-width: 0;
      }
      .links {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-3);
      }
    `,
  ];

  @property() eventId = '';

  @consume({ context: apiContext })
  private api!: ApiClient;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session!: SessionContextValue;

  @state() private view: View = { kind: 'loading' };
  @state() private call: CallState | null = null;
  @state() private eventTitle = '';
  /** What just happened, for screen readers (someone came, left, raised a hand; a host action done). */
  @state() private announcement = '';
  @state() private hostError = '';
  @state() private chatDraft = '';

  @query('parvis-confirm-dialog') private confirm!: ParvisConfirmDialog;

  #personToken: string | null = null;
  #roomCall: RoomCall | null = null;
  #unsubscribe: (() => void) | null = null;
  #cancelWait: (() => void) | null = null;
  #localMedia: LocalMedia | null = null;

  /**
   * Starts once the first update has run: an element upgraded in place (its chunk came after the root rendered it)
   * gets its `eventId` only then.
   */
  override firstUpdated(): void {
    const { link, fromFragment } = takePersonalLink(location.hash, sessionStore());
    // A link given in this page's address (`/events/:id/room#<token>`) leaves it at once, as on the personal page.
    if (fromFragment) history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    this.#personToken = link?.token ?? null;
    void this.api
      .getEvent(this.eventId)
      .then((event) => (this.eventTitle = event.title))
      .catch(() => {});
    void this.#load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#cancelWait?.();
    // Leaving the page (back, another link) leaves the room for real, as the button does.
    if (this.#roomCall && !this.#roomCall.over) this.#roomCall.leave();
    this.#unsubscribe?.();
  }

  /** Staff come with their session; registrants with their personal link. */
  #isStaff(): boolean {
    return this.session?.session?.kind === 'staff';
  }

  #fetchJoin(): Promise<RoomJoin> {
    return this.api.roomJoin(this.eventId, this.#isStaff() ? null : this.#personToken);
  }

  async #load(): Promise<void> {
    this.#cancelWait?.();
    if (!this.#isStaff() && !this.#personToken) {
      this.view = { kind: 'no-link' };
      return;
    }
    this.view = { kind: 'loading' };
    try {
      const join = await this.#fetchJoin();
      this.view = { kind: 'check', join };
    } catch (error) {
      const reason = roomRefusal(error);
      if (!reason) {
        this.view = { kind: 'error', error };
        return;
      }
      const retryAfterMs = (error as { retryAfterMs?: number }).retryAfterMs;
      if (reason === 'too-early' && retryAfterMs !== undefined) {
        // The waiting room: it asks again when the room opens, and lets the person in then.
        this.view = { kind: 'refused', reason, opensAt: systemClock.now() + retryAfterMs };
        this.#cancelWait = systemClock.after(Math.min(retryAfterMs + 500, MAX_TIMER_MS), () => void this.#load());
      } else {
        this.view = { kind: 'refused', reason };
      }
    }
    await this.#focus('h1');
  }

  async #focus(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  #enter(join: RoomJoin, media: LocalMedia): void {
    const call = new RoomCall({ openSession: loadJanus, clock: systemClock, rejoin: () => this.#fetchJoin() });
    this.#roomCall = call;
    this.#localMedia = media;
    let previous: CallState = call.state;
    this.#unsubscribe = call.subscribe((state) => {
      this.#announce(previous, state);
      const phaseChanged = state.phase !== previous.phase;
      previous = state;
      // Set first: the focus waits for the render of this state, not the one before.
      this.call = state;
      if (phaseChanged) void this.#phaseChanged(state.phase);
    });
    this.view = { kind: 'call', join };
    this.call = call.state;
    void call.join(join, media);
  }

  async #phaseChanged(phase: CallState['phase']): Promise<void> {
    // In the room: focus goes to its heading (the controls follow it). Out of it: to the words that say why.
    if (phase === 'joined' || phase === 'removed' || phase === 'ended' || phase === 'lost' || phase === 'refused') await this.#focus('h1');
  }

  #announce(before: CallState, after: CallState): void {
    const { t } = this.i18n;
    if (after.phase !== 'joined' || before.phase !== 'joined') return;
    const had = new Map(before.peers.map((p) => [p.id, p]));
    const has = new Set(after.peers.map((p) => p.id));
    const said: string[] = [];
    for (const p of after.peers) {
      const old = had.get(p.id);
      if (!old) said.push(t('rooms.arrived', { name: p.display }));
      else if (p.hand && !old.hand) said.push(t('rooms.handRaised', { name: p.display }));
    }
    for (const p of before.peers) if (!has.has(p.id)) said.push(t('rooms.departed', { name: p.display }));
    if (said.length) this.announcement = said.join(' ');
  }

  /** Leaves for real, then back to where the person came from. */
  #leave(): void {
    this.#roomCall?.leave();
    this.dispatchEvent(new NavigateRequestEvent(this.#isStaff() ? eventHref(this.eventId) : meHref));
  }

  async #hostAction(request: RoomHostActionEvent): Promise<void> {
    const { t } = this.i18n;
    const named = { name: request.display };
    if (request.action === 'remove') {
      const confirmed = await this.confirm.ask({
        heading: t('rooms.host.removeTitle', named),
        body: t('rooms.host.removeBody', named),
        confirmLabel: t('rooms.host.remove'),
        cancelLabel: t('rooms.host.cancel'),
        danger: true,
      });
      if (!confirmed) return;
    }
    this.hostError = '';
    try {
      await this.api.roomHostAction(this.eventId, request.participantId, request.action);
      this.announcement = t(request.action === 'mute' ? 'rooms.host.muted' : 'rooms.host.removed', named);
    } catch (error) {
      this.hostError = t('rooms.host.failed', { reason: errorText(this.i18n, error, 'request') });
    }
  }

  #sendChat(event: Event): void {
    event.preventDefault();
    if (this.#roomCall?.sendChat(this.chatDraft)) this.chatDraft = '';
  }

  override updated(): void {
    this.dataset['roomView'] = this.view.kind;
    if (this.call && this.view.kind === 'call') this.dataset['roomPhase'] = this.call.phase;
    else delete this.dataset['roomPhase'];
    const { t } = this.i18n;
    document.title = `${this.eventTitle ? t('rooms.title', { title: this.eventTitle }) : t('rooms.titleShort')} — Parvis`;
    // The newest chat line in sight.
    const log = this.renderRoot.querySelector('.log');
    if (log) log.scrollTop = log.scrollHeight;
  }

  override render(): TemplateResult {
    const { t } = this.i18n;
    const title = this.eventTitle ? t('rooms.title', { title: this.eventTitle }) : t('rooms.titleShort');
    const view = this.view;
    switch (view.kind) {
      case 'loading':
        return html`<h1 tabindex="-1">${title}</h1>
          <p role="status">${t('rooms.loading')}</p>`;
      case 'no-link':
        return this.#message(t('rooms.noLink.title'), t('rooms.noLink.body'));
      case 'error':
        return html`<h1 tabindex="-1">${title}</h1>
          <div class="notice notice-error" role="alert">
            <p>${t('rooms.error')} ${errorText(this.i18n, view.error, 'personal')}</p>
            <button type="button" class="btn btn-small" @click=${() => void this.#load()}>${t('app.retry')}</button>
          </div>`;
      case 'refused': {
        const text = refusalText(this.i18n, view.reason, view.opensAt);
        return this.#message(text.title, text.body, view.reason);
      }
      case 'check':
        if (view.join.provider !== 'janus') return this.#renderElsewhere(title, view.join);
        return html`<h1 tabindex="-1">${title}</h1>
          <h2>${t('rooms.check.title')}</h2>
          <parvis-room-check @parvis-room-check-done=${(e: RoomCheckDoneEvent) => this.#enter(view.join, e.media)}></parvis-room-check>`;
      case 'call':
        return this.#renderCall(title);
    }
  }

  /**
   * A library that holds its rooms on its own Jitsi (or LiveKit) server: the way in is that server's page, with the
   * token Parvis minted for this person (docs/rooms-providers.md); this page does not hold those calls itself.
   */
  #renderElsewhere(title: string, join: RoomJoin): TemplateResult {
    const { t } = this.i18n;
    if (join.provider === 'jitsi') {
      const url = `${join.server.replace(/\/+$/, '')}/${encodeURIComponent(String(join.room))}?jwt=${encodeURIComponent(join.token)}`;
      return html`<h1 tabindex="-1">${title}</h1>
        <p>${t('rooms.elsewhere.jitsi')}</p>
        <p><a class="btn" href=${url} rel="noreferrer" data-action="enter">${t('rooms.check.enter')}</a></p>`;
    }
    return this.#message(title, t('rooms.elsewhere.other'));
  }

  #message(heading: string, body: string, reason?: string): TemplateResult {
    const { t } = this.i18n;
    return html`<h1 tabindex="-1">${heading}</h1>
      <p data-refusal=${reason ?? nothing}>${body}</p>
      <p class="links">
        ${this.#isStaff() ? nothing : html`<a href=${meHref}>${t('rooms.back.me')}</a>`}
        <a href=${eventHref(this.eventId)}>${t('rooms.back.event')}</a>
      </p>`;
  }

  #renderCall(title: string): TemplateResult {
    const { t } = this.i18n;
    const call = this.call!;
    switch (call.phase) {
      case 'removed':
        return this.#message(t('rooms.removed.title'), t('rooms.removed.body'));
      case 'ended':
        return this.#message(t('rooms.ended.title'), t('rooms.ended.body'));
      case 'left':
        return this.#message(t('rooms.left.title'), t('rooms.left.body'));
      case 'refused':
        return html`${this.#message(t('rooms.refusedByServer.title'), t('rooms.refusedByServer.body'))}
          <p><button type="button" class="btn" @click=${() => location.reload()}>${t('rooms.reload')}</button></p>`;
      case 'lost':
        return html`<h1 tabindex="-1">${t('rooms.lost.title')}</h1>
          <div class="notice notice-error" role="alert"><p>${t('rooms.lost.body')}</p></div>
          <p class="links">
            <button type="button" class="btn" @click=${() => this.#roomCall?.retry()}>${t('app.retry')}</button>
            <button type="button" class="btn btn-secondary" data-action="leave" @click=${() => this.#leave()}>${t('rooms.leave')}</button>
          </p>`;
      default:
        return this.#renderRoom(title, call);
    }
  }

  #renderRoom(title: string, call: CallState): TemplateResult {
    const { t } = this.i18n;
    const self = call.self;
    const inRoom = call.phase === 'joined';
    return html`<h1 tabindex="-1">${title}</h1>
      ${call.phase === 'joining' ? html`<p role="status">${t('rooms.joining')}</p>` : nothing}
      ${call.phase === 'reconnecting' ? html`<p class="notice notice-warning" role="status">${t('rooms.reconnecting')}</p>` : nothing}
      ${self.mutedByHost ? html`<p class="notice notice-warning" role="alert">${t('rooms.mutedByHostSelf')}</p>` : nothing}
      ${this.hostError ? html`<p class="notice notice-error" role="alert">${this.hostError}</p>` : nothing}
      <p class="visually-hidden" role="status" aria-live="polite">${this.announcement}</p>
      <div class="room">
        <section aria-labelledby="grid-title">
          <h2 id="grid-title" class="visually-hidden">${t('rooms.grid')}</h2>
          <ul class="grid">
            <li>
              <parvis-room-tile
                .participantId=${self.id}
                .display=${self.display}
                .video=${this.#localVideo()}
                .self=${true}
                .micOn=${self.micOn}
                .cameraOn=${self.cameraOn}
                .hand=${self.hand}
                .mutedByHost=${self.mutedByHost}
                .isHost=${self.host}
              ></parvis-room-tile>
            </li>
            ${call.peers.map(
              (p) =>
                html`<li>
                  <parvis-room-tile
                    .participantId=${p.id}
                    .display=${p.display}
                    .audio=${p.audio}
                    .video=${p.video}
                    .micOn=${p.micOn}
                    .cameraOn=${p.cameraOn}
                    .hand=${p.hand}
                    .mutedByHost=${p.mutedByHost}
                    .hasMic=${p.hasMic}
                    .canModerate=${self.host}
                    @parvis-room-host-action=${(e: RoomHostActionEvent) => void this.#hostAction(e)}
                  ></parvis-room-tile>
                </li>`,
            )}
          </ul>
          ${inRoom && call.peers.length === 0 ? html`<p class="hint">${t('rooms.alone')}</p>` : nothing}
          <div class="controls" role="group" aria-label=${t('rooms.controls')}>
            <button
              type="button"
              class="btn btn-secondary"
              data-action="mic"
              aria-pressed=${self.micOn ? 'false' : 'true'}
              ?disabled=${!self.hasMic || self.mutedByHost}
              @click=${() => this.#roomCall?.setMic(!self.micOn)}
            >
              ${self.hasMic ? t('rooms.mute') : t('rooms.noMic')}
            </button>
            <button
              type="button"
              class="btn btn-secondary"
              data-action="camera"
              aria-pressed=${self.cameraOn ? 'false' : 'true'}
              ?disabled=${!self.hasCamera}
              @click=${() => this.#roomCall?.setCamera(!self.cameraOn)}
            >
              ${self.hasCamera ? t('rooms.cameraOff') : t('rooms.noCamera')}
            </button>
            <button
              type="button"
              class="btn btn-secondary"
              data-action="hand"
              aria-pressed=${self.hand ? 'true' : 'false'}
              @click=${() => this.#roomCall?.setHand(!self.hand)}
            >
              <span aria-hidden="true">✋</span> ${t('rooms.hand')}
            </button>
            <button type="button" class="btn btn-danger leave" data-action="leave" @click=${() => this.#leave()}>${t('rooms.leave')}</button>
          </div>
        </section>
        ${this.#renderChat(call, inRoom)}
      </div>
      <parvis-confirm-dialog></parvis-confirm-dialog>`;
  }

  #renderChat(call: CallState, inRoom: boolean): TemplateResult {
    const { t } = this.i18n;
    return html`<aside aria-labelledby="chat-title">
      <h2 id="chat-title">${t('rooms.chat.title')}</h2>
      <p class="hint">${t('rooms.chat.privacy')}</p>
      ${call.chat.length === 0
        ? html`<p class="hint">${t('rooms.chat.empty')}</p>`
        : nothing}
      <ul class="log" role="log" aria-live="polite" aria-labelledby="chat-title">
        ${call.chat.map(
          (line) =>
            html`<li data-chat-from=${line.from}>
              <span class="who">${line.self ? t('rooms.chat.you') : line.display}</span>
              <span>${line.text}</span>
            </li>`,
        )}
      </ul>
      <form class="chat-form" @submit=${this.#sendChat}>
        <label for="chat-input" class="visually-hidden">${t('rooms.chat.label')}</label>
        <input
          id="chat-input"
          type="text"
          autocomplete="off"
          maxlength=${CHAT_MAX_LENGTH}
          .value=${this.chatDraft}
          @input=${(e: Event) => (this.chatDraft = (e.target as HTMLInputElement).value)}
        />
        <button type="submit" class="btn btn-small" aria-disabled=${inRoom ? 'false' : 'true'}>${t('rooms.chat.send')}</button>
      </form>
    </aside>`;
  }

  /** Our own camera, from the tracks the check handed over. */
  #localVideo(): MediaStreamTrack | null {
    return this.#localMedia?.video ?? null;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-room-page': ParvisRoomPage;
  }
}
