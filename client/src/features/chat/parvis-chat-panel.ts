import { consume } from '@lit/context';
import { CHAT_MAX_LENGTH } from '#shared/domain/limits';
import type { Event } from '#shared/domain/event';
import type { HeldMessage, PinnedAnnouncement } from '#shared/domain/moderation';
import { closedBecause } from '#shared/domain/writing';
import type { ErrorBody } from '#shared/protocol/errors';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { i18nContext, sessionContext, type SessionContextValue } from '../../app/contexts';
import { GuestSignInController } from '../../app/guest-sign-in-controller';
import { IntervalController } from '../../app/interval-controller';
import { baseStyles } from '../../app/shared-styles';
import { errorText } from '../../i18n/error-text';
import type { Translator } from '../../i18n/i18n';
import type { EventRoom, RoomState } from '../event-room/event-room';
import { blockFromRefusal, currentBlock, secondsLeft, slowModeFor, type ChatBlock } from './chat-limits';
import { newClientId } from './client-id';
import type { ChatDraftInputEvent, ChatSubmitEvent } from './parvis-chat-composer';
import type { GuestNameSubmitEvent } from './parvis-guest-form';
import './parvis-chat-composer';
import './parvis-chat-log';
import './parvis-guest-form';

/** A pinned announcement longer than this (in characters) shows on three lines until the person opens it. */
const PINNED_CLAMP_FROM = 140;

/**
 * The chat of an event room: the moderators' pinned announcement, the messages, then either a name form (until the
 * person has a session) or the message composer. It signs guests in through the session context and sends through the
 * room it is given; the room's state comes down as a property.
 *
 * The moderators' rules show where they bite: slow mode next to the composer (with a countdown once the person has to
 * wait), a timeout in place of the composer until it ends, a ban as a final notice in place of the chat, and a message
 * held by the word filter as a notice to its author only.
 */
@customElement('parvis-chat-panel')
export class ParvisChatPanel extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        min-height: 0;
      }
      /*
       * Beside the video the panel has the height the page gives it: the log takes what the pinned announcement, the
       * composer and the name line leave, down to a few lines. Should even that not fit (a short window, a long notice),
       * the panel scrolls inside itself rather than spill over the page below it.
       */
      section {
        display: flex;
        flex-direction: column;
        height: 100%;
        gap: var(--space-3);
        padding: var(--space-4);
        background: var(--color-surface-alt);
        border: 1px solid var(--color-line);
        border-radius: var(--radius-l);
        min-height: 0;
        overflow-y: auto;
      }
      section > * {
        flex: none;
      }
      header {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: var(--space-2);
      }
      h2 {
        font-size: 1.375rem;
      }
      /* Under its tab the heading would repeat the tab's name: screen readers still get it, as the region's name. */
      :host([tabbed]) h2 {
        position: absolute;
        width: 1px;
        height: 1px;
        margin: -1px;
        overflow: hidden;
        clip: rect(0 0 0 0);
        white-space: nowrap;
      }
      :host([tabbed]) header {
        display: contents;
      }
      .status {
        font-size: 0.875rem;
        font-weight: 600;
        color: var(--color-ink-muted);
      }
      .status.warning {
        padding: var(--space-1) var(--space-2);
        border-radius: var(--radius-s);
        background: var(--color-warning-bg);
        color: var(--color-warning-ink);
      }
      .status:empty {
        display: none;
      }
      section > parvis-chat-log {
        flex: 1 1 0;
        min-height: 8rem;
      }
      .identity {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: var(--space-1) var(--space-2);
        font-size: 0.875rem;
        color: var(--color-ink-muted);
      }
      .link-button {
        padding: var(--space-1);
        border: 0;
        background: none;
        color: var(--color-link);
        text-decoration: underline;
        text-underline-offset: 0.18em;
        cursor: pointer;
      }
      .denied {
        display: grid;
        gap: var(--space-2);
      }
      .denied strong {
        font-size: 1.125rem;
      }
      .pinned {
        display: grid;
        gap: var(--space-1);
        padding: var(--space-3);
        border-left: 4px solid var(--color-brand);
        border-radius: var(--radius-s);
        background: var(--color-brand-soft);
      }
      .pinned h3 {
        display: flex;
        align-items: center;
        gap: var(--space-1);
        font-size: 0.875rem;
        font-family: inherit;
        font-weight: 700;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--color-brand);
      }
      .pinned .text {
        white-space: pre-line;
        overflow-wrap: anywhere;
      }
      .pinned .text.clamped {
        display: -webkit-box;
        -webkit-box-orient: vertical;
        -webkit-line-clamp: 3;
        line-clamp: 3;
        overflow: hidden;
      }
      .pinned-foot {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        justify-content: space-between;
        gap: 0 var(--space-2);
      }
      .pinned .by {
        font-size: 0.8125rem;
        color: var(--color-ink-muted);
      }
      .pinned .link-button {
        font-size: 0.875rem;
      }
      .timeout {
        display: grid;
        gap: var(--space-1);
      }
      @media (max-width: 63.99rem) {
        section > parvis-chat-log {
          height: min(55vh, 26rem);
          flex: none;
        }
      }
    `,
  ];

  @property({ attribute: false }) event: Event | null = null;
  /** The live room this chat belongs to; null until it exists. */
  @property({ attribute: false }) room: EventRoom | null = null;
  @property({ attribute: false }) state: RoomState | null = null;
  /** Shown under a tab of the same name, which already says what it is. */
  @property({ type: Boolean, reflect: true }) tabbed = false;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session!: SessionContextValue;

  @state() private draft = '';
  @state() private sending = false;
  @state() private sendError = '';
  /** The person's last message, when the word filter held it for the moderators. */
  @state() private held: HeldMessage | null = null;
  /** A wait the person learnt of: a refusal (slow mode, a timeout), or slow mode after their own message. */
  @state() private learnt: ChatBlock | null = null;
  /** The clock for the countdowns; only moves while one runs. */
  @state() private now = Date.now();
  /** The person asked to read the whole of a long pinned announcement. */
  @state() private pinnedOpen = false;

  @query('parvis-chat-composer') private composer!: HTMLElement | null;

  /** The idempotency key of the draft being sent: reused as long as the same text is retried. */
  #pending: { text: string; clientId: string } | null = null;
  #focusComposer = false;
  /** `sendError` only says how long to wait: it goes once the wait is over. */
  #errorIsWait = false;

  readonly #guest = new GuestSignInController(this, {
    session: () => this.session,
    i18n: () => this.i18n,
    eventId: () => this.event?.id,
  });

  constructor() {
    super();
    new IntervalController(this, 1_000, () => this.#tick());
  }

  #tick(): void {
    const now = Date.now();
    const before = currentBlock(this.state?.sanction ?? null, this.learnt, this.now);
    const block = currentBlock(this.state?.sanction ?? null, this.learnt, now);
    if (!before && !block) return;
    this.now = now;
    if (!block) {
      this.learnt = null;
      if (this.#errorIsWait) this.sendError = '';
      this.#errorIsWait = false;
    }
  }

  get #block(): ChatBlock | null {
    return currentBlock(this.state?.sanction ?? null, this.learnt, this.now);
  }

  override updated(changed: PropertyValues): void {
    if (changed.has('session') && this.#focusComposer && this.session.session) {
      this.#focusComposer = false;
      this.composer?.focus();
    }
  }

  async #onGuestSubmit(event: GuestNameSubmitEvent): Promise<void> {
    event.stopPropagation();
    // The composer replaces the name form once the session arrives (see updated()).
    this.#focusComposer = true;
    if (await this.#guest.signIn(event.displayName)) this.sendError = '';
    else this.#focusComposer = false;
  }

  #onDraftInput(event: ChatDraftInputEvent): void {
    event.stopPropagation();
    this.draft = event.value;
  }

  async #onChatSubmit(event: ChatSubmitEvent): Promise<void> {
    event.stopPropagation();
    const room = this.room;
    const text = event.text.trim();
    if (!room || this.sending || text === '') return;
    const { t } = this.i18n;
    if (text.length > CHAT_MAX_LENGTH) {
      this.sendError = t('chat.tooLong', { max: CHAT_MAX_LENGTH });
      return;
    }
    this.now = Date.now();
    const block = this.#block;
    if (block?.kind === 'slow-mode') {
      // Said in words (the countdown beside the button is not read out every second).
      this.sendError = t('room.chat.slowModeRefused', { seconds: secondsLeft(block.until, this.now) });
      this.#errorIsWait = true;
      return;
    }
    if (block) return;
    if (this.#pending?.text !== text) this.#pending = { text, clientId: newClientId() };
    const { clientId } = this.#pending;
    this.sending = true;
    this.sendError = '';
    this.#errorIsWait = false;
    const ack = await room.sendChat(text, clientId);
    this.sending = false;
    this.now = Date.now();
    if (ack.ok) {
      // The person may have typed on while the message travelled: only clear what was sent.
      if (this.draft.trim() === text) this.draft = '';
      if (this.#pending?.clientId === clientId) this.#pending = null;
      this.held = 'held' in ack.data ? ack.data.held : null;
      const slow = slowModeFor(this.state?.settings ?? null, this.state?.role ?? null);
      if (slow > 0 && 'message' in ack.data) this.learnt = { kind: 'slow-mode', until: this.now + slow * 1_000 };
      return;
    }
    const learnt = blockFromRefusal(ack.error, this.now);
    if (learnt) this.learnt = learnt;
    this.#errorIsWait = learnt !== null;
    this.sendError = errorText(this.i18n, ack.error, 'chat', this.now);
    // A guest's token that is no longer valid: ask for a name again, keep the draft for after.
    if (this.#guest.signedOutBy(ack.error)) this.sendError = '';
  }

  #statusText(): { text: string; warning: boolean } {
    const { t } = this.i18n;
    const state = this.state;
    if (!state || state.phase === 'denied') return { text: '', warning: false };
    if (state.connection === 'reconnecting') return { text: t('chat.reconnecting'), warning: true };
    if (state.phase === 'joining') {
      return state.error ? { text: t('chat.unavailable'), warning: true } : { text: t('chat.connecting'), warning: false };
    }
    if (state.connection !== 'connected') return { text: t('chat.reconnecting'), warning: true };
    if (state.historyTrimmed) return { text: t('chat.historyTrimmed'), warning: false };
    return { text: '', warning: false };
  }

  override render() {
    const { t } = this.i18n;
    const status = this.#statusText();
    return html`
      <section aria-labelledby="chat-title">
        <header>
          <h2 id="chat-title">${t('chat.title')}</h2>
          <p class="status ${status.warning ? 'warning' : ''}" role="status">${status.text}</p>
        </header>
        ${this.state?.phase === 'denied' ? this.#renderDenied(this.state.error) : this.#renderChat()}
      </section>
    `;
  }

  #renderDenied(error: ErrorBody | null) {
    const { t } = this.i18n;
    if (error?.reason === 'banned') {
      const reason = this.state?.sanction?.kind === 'ban' ? this.state.sanction.reason : null;
      return html`<div class="notice notice-error denied" role="alert">
        <strong>${t('room.chat.banned')}</strong>
        <p>${t('room.chat.bannedBody')}</p>
        ${reason ? html`<p>${t('room.chat.bannedReason', { reason })}</p>` : nothing}
      </div>`;
    }
    if (error?.code === 'FORBIDDEN') {
      const invite = this.event?.access === 'invite';
      return html`<div class="notice denied">
        <strong>${invite ? t('chat.inviteRequired') : t('chat.registrationRequired')}</strong>
        <p>${invite ? t('chat.inviteRequiredBody') : t('chat.registrationRequiredBody')}</p>
      </div>`;
    }
    return html`<p class="notice">${t('chat.unavailable')}</p>`;
  }

  #renderPinned(pinned: PinnedAnnouncement) {
    const { t } = this.i18n;
    // A long announcement takes three lines until the person asks for all of it, so that the messages keep room
    // beside the video. The whole text stays in the page: screen readers read it all.
    const long = pinned.text.length > PINNED_CLAMP_FROM || pinned.text.includes('\n');
    const clamped = long && !this.pinnedOpen;
    return html`<aside class="pinned" role="note" aria-labelledby="chat-pinned-title">
      <h3 id="chat-pinned-title"><span aria-hidden="true">📌</span> ${t('room.chat.pinned')}</h3>
      <p class="text ${clamped ? 'clamped' : ''}" id="chat-pinned-text">${pinned.text}</p>
      <div class="pinned-foot">
        <p class="by">${t('room.chat.pinnedBy', { name: pinned.by })}</p>
        ${long
          ? html`<button
              type="button"
              class="link-button"
              aria-controls="chat-pinned-text"
              aria-expanded=${this.pinnedOpen ? 'true' : 'false'}
              @click=${() => (this.pinnedOpen = !this.pinnedOpen)}
            >
              ${this.pinnedOpen ? t('room.chat.pinnedLess') : t('room.chat.pinnedMore')}
            </button>`
          : nothing}
      </div>
    </aside>`;
  }

  #renderComposer() {
    const { t } = this.i18n;
    const block = this.#block;
    if (block?.kind === 'timeout') {
      const sanction = this.state?.sanction;
      const reason = sanction?.kind === 'timeout' ? sanction.reason : null;
      return html`<div class="notice notice-warning timeout" role="status">
        <strong>${t('room.chat.timedOut', { time: this.i18n.time(new Date(block.until).toISOString()) })}</strong>
        ${reason ? html`<p>${t('room.chat.timedOutReason', { reason })}</p>` : nothing}
      </div>`;
    }
    const slow = slowModeFor(this.state?.settings ?? null, this.state?.role ?? null);
    const held = this.held;
    // Once a moderator approves the held message it is in the log: the notice has done its job.
    const stillHeld = held !== null && !(this.state?.messages ?? []).some((m) => m.clientId === held.clientId);
    return html`<parvis-chat-composer
      .value=${this.draft}
      ?busy=${this.sending}
      .error=${this.sendError}
      .rule=${slow > 0 ? t('room.chat.slowMode', { seconds: slow }) : ''}
      .wait=${block ? t('room.chat.slowModeWait', { seconds: secondsLeft(block.until, this.now) }) : ''}
      .notice=${stillHeld ? t('room.chat.held') : ''}
      .noticeText=${stillHeld ? held.text : ''}
      .noticeDetail=${stillHeld ? t('room.chat.heldHint') : ''}
      @parvis-chat-draft-input=${this.#onDraftInput}
      @parvis-chat-submit=${this.#onChatSubmit}
    ></parvis-chat-composer>`;
  }

  #renderChat() {
    const { t } = this.i18n;
    const pinned = this.state?.settings?.pinned ?? null;
    // Once the event has ended or was cancelled, the server takes no more messages: the chat is there to be read.
    const closed = this.event ? closedBecause(this.event.status) : null;
    return html`
      ${pinned ? this.#renderPinned(pinned) : nothing}
      <parvis-chat-log
        .messages=${this.state?.messages ?? []}
        .selfId=${this.session.session?.user.id ?? null}
        .emptyText=${closed ? t('chat.emptyClosed') : ''}
      ></parvis-chat-log>
      ${closed
        ? html`<p class="notice" role="note">${closed === 'ended' ? t('chat.closedEnded') : t('chat.closedCancelled')}</p>`
        : this.#renderWriting()}
    `;
  }

  /** The composer and who the person writes as, or the name form until they have a session. */
  #renderWriting() {
    const { t } = this.i18n;
    const session = this.session.session;
    if (!session) {
      return html`<parvis-guest-form
        ?busy=${this.#guest.busy}
        .error=${this.#guest.error}
        @parvis-guest-name-submit=${this.#onGuestSubmit}
      ></parvis-guest-form>`;
    }
    return html`
      ${this.#renderComposer()}
      <p class="identity">
        <span>${t('chat.signedInAs', { name: session.user.displayName })}</span>
        ${session.kind === 'guest'
          ? html`<button type="button" class="link-button" @click=${() => void this.session.signOut()}>
              ${t('chat.changeName')}
            </button>`
          : nothing}
      </p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-chat-panel': ParvisChatPanel;
  }
}
