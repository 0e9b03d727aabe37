import { consume } from '@lit/context';
import { CHAT_MAX_LENGTH } from '#shared/domain/chat';
import type { Event } from '#shared/domain/event';
import { DisplayName } from '#shared/domain/user';
import type { ErrorBody } from '#shared/protocol/errors';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ApiError } from '../../app/api-client';
import { i18nContext, sessionContext, type SessionContextValue } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import type { EventRoom, RoomState } from '../event-room/event-room';
import { newClientId } from './client-id';
import type { ChatDraftInputEvent, ChatSubmitEvent } from './parvis-chat-composer';
import type { GuestNameSubmitEvent } from './parvis-guest-form';
import './parvis-chat-composer';
import './parvis-chat-log';
import './parvis-guest-form';

/**
 * The chat of an event room: the messages, then either a name form (until the person has a session) or the message
 * composer. It signs guests in through the session context and sends through the room it is given; the room's state
 * comes down as a property.
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
      parvis-chat-log {
        flex: 1;
        min-height: 16rem;
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
      @media (max-width: 63.99rem) {
        parvis-chat-log {
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

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session!: SessionContextValue;

  @state() private draft = '';
  @state() private sending = false;
  @state() private sendError = '';
  @state() private joiningChat = false;
  @state() private nameError = '';

  @query('parvis-chat-composer') private composer!: HTMLElement | null;

  /** The idempotency key of the draft being sent: reused as long as the same text is retried. */
  #pending: { text: string; clientId: string } | null = null;
  #focusComposer = false;

  override updated(changed: PropertyValues): void {
    if (changed.has('session') && this.#focusComposer && this.session.session) {
      this.#focusComposer = false;
      this.composer?.focus();
    }
  }

  async #onGuestSubmit(event: GuestNameSubmitEvent): Promise<void> {
    event.stopPropagation();
    const { t } = this.i18n;
    const parsed = DisplayName.safeParse(event.displayName);
    if (!parsed.success) {
      this.nameError = t('chat.nameInvalid');
      return;
    }
    this.joiningChat = true;
    this.nameError = '';
    try {
      this.#focusComposer = true;
      await this.session.signInAsGuest(parsed.data);
      this.sendError = '';
    } catch (error) {
      this.#focusComposer = false;
      this.nameError = this.#describeHttpError(error);
    } finally {
      this.joiningChat = false;
    }
  }

  #describeHttpError(error: unknown): string {
    const { t } = this.i18n;
    if (!(error instanceof ApiError)) return t('app.error.generic');
    switch (error.code) {
      case 'NETWORK':
        return t('app.error.network');
      case 'INVALID_PAYLOAD':
        return t('chat.nameInvalid');
      case 'RATE_LIMITED':
        return t('app.error.rateLimited', { seconds: Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000)) });
      default:
        return t('app.error.generic');
    }
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
    if (this.#pending?.text !== text) this.#pending = { text, clientId: newClientId() };
    const { clientId } = this.#pending;
    this.sending = true;
    this.sendError = '';
    const ack = await room.sendChat(text, clientId);
    this.sending = false;
    if (ack.ok) {
      // The person may have typed on while the message travelled: only clear what was sent.
      if (this.draft.trim() === text) this.draft = '';
      if (this.#pending?.clientId === clientId) this.#pending = null;
      return;
    }
    this.sendError = this.#describeSendError(ack.error);
    // A staff token is renewed by the session on its own (the socket reconnects with the new one); a guest's cannot be.
    if (ack.error.code === 'UNAUTHENTICATED' && this.session.session?.kind === 'guest') {
      // The token is no longer valid: ask for a name again, keep the draft for after.
      this.nameError = t('chat.sessionExpired');
      this.sendError = '';
      this.session.signOut();
    }
  }

  #describeSendError(error: ErrorBody): string {
    const { t } = this.i18n;
    switch (error.code) {
      case 'RATE_LIMITED':
        return t('chat.rateLimited', { seconds: Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000)) });
      case 'UNAVAILABLE':
        return t('chat.offline');
      case 'FORBIDDEN':
        return t('chat.forbidden');
      case 'PAYLOAD_TOO_LARGE':
        return t('chat.tooLong', { max: CHAT_MAX_LENGTH });
      default:
        return t('chat.sendFailed');
    }
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
    if (error?.code === 'FORBIDDEN') {
      const invite = this.event?.access === 'invite';
      return html`<div class="notice denied">
        <strong>${invite ? t('chat.inviteRequired') : t('chat.registrationRequired')}</strong>
        <p>${invite ? t('chat.inviteRequiredBody') : t('chat.registrationRequiredBody')}</p>
      </div>`;
    }
    return html`<p class="notice">${t('chat.unavailable')}</p>`;
  }

  #renderChat() {
    const { t } = this.i18n;
    const session = this.session.session;
    return html`
      <parvis-chat-log .messages=${this.state?.messages ?? []} .selfId=${session?.user.id ?? null}></parvis-chat-log>
      ${session
        ? html`
            <parvis-chat-composer
              .value=${this.draft}
              ?busy=${this.sending}
              .error=${this.sendError}
              @parvis-chat-draft-input=${this.#onDraftInput}
              @parvis-chat-submit=${this.#onChatSubmit}
            ></parvis-chat-composer>
            <p class="identity">
              <span>${t('chat.signedInAs', { name: session.user.displayName })}</span>
              ${session.kind === 'guest'
                ? html`<button type="button" class="link-button" @click=${() => void this.session.signOut()}>
                    ${t('chat.changeName')}
                  </button>`
                : nothing}
            </p>
          `
        : html`<parvis-guest-form
            ?busy=${this.joiningChat}
            .error=${this.nameError}
            @parvis-guest-name-submit=${this.#onGuestSubmit}
          ></parvis-guest-form>`}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-chat-panel': ParvisChatPanel;
  }
}
