import { consume } from '@lit/context';
import type { ChatMessage } from '#shared/domain/chat';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { i18nContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';

/** Within this many pixels of the end, the reader counts as "at the bottom" and follows new messages. */
const STICK_THRESHOLD_PX = 32;

/**
 * The chat messages as a live log. It follows new messages only when the reader is already at the bottom (or just
 * sent one); otherwise it offers a "new messages" button instead of pulling the text from under their eyes.
 */
@customElement('parvis-chat-log')
export class ParvisChatLog extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        position: relative;
        display: flex;
        flex-direction: column;
        min-height: 0;
      }
      .log {
        flex: 1;
        min-height: 12rem;
        overflow-y: auto;
        overscroll-behavior: contain;
        padding: var(--space-2) var(--space-3);
        background: var(--color-surface);
        border: 1px solid var(--color-line);
        border-radius: var(--radius-m);
      }
      ol {
        display: grid;
        gap: var(--space-2);
        margin: 0;
        padding: 0;
        list-style: none;
      }
      li {
        padding: var(--space-2) var(--space-3);
        border-radius: var(--radius-s);
      }
      li.self {
        background: var(--color-brand-soft);
      }
      .meta {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: 0 var(--space-2);
        font-size: 0.875rem;
      }
      .author {
        font-weight: 700;
        color: var(--color-ink);
      }
      .role {
        font-size: 0.75rem;
        font-weight: 700;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--color-ok);
      }
      time {
        color: var(--color-ink-muted);
      }
      .text {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .empty {
        padding: var(--space-4) var(--space-2);
        color: var(--color-ink-muted);
        text-align: center;
      }
      .jump {
        position: absolute;
        bottom: var(--space-3);
        left: 50%;
        transform: translateX(-50%);
        box-shadow: var(--shadow-card);
      }
    `,
  ];

  @property({ attribute: false }) messages: readonly ChatMessage[] = [];
  /** Id of the person reading, to mark their own messages. */
  @property({ attribute: false }) selfId: string | null = null;
  /** What an empty log says, already translated; an invitation to start the conversation when left empty. */
  @property() emptyText = '';

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private unseen = false;
  @query('.log') private log!: HTMLElement | null;

  #stick = true;

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('messages') && this.log) this.#stick = this.#atBottom();
  }

  override updated(changed: PropertyValues<this>): void {
    if (!changed.has('messages')) return;
    const previous = (changed.get('messages') as readonly ChatMessage[] | undefined) ?? [];
    const newest = this.messages.at(-1);
    const grew = newest !== undefined && newest.offset !== previous.at(-1)?.offset;
    const ownNewest = grew && this.selfId !== null && newest.author.id === this.selfId;
    if (this.#stick || ownNewest || previous.length === 0) this.#scrollToEnd();
    else if (grew) this.unseen = true;
  }

  #atBottom(): boolean {
    const log = this.log;
    if (!log) return true;
    return log.scrollHeight - log.scrollTop - log.clientHeight <= STICK_THRESHOLD_PX;
  }

  #scrollToEnd(): void {
    const log = this.log;
    if (log) log.scrollTop = log.scrollHeight;
    this.unseen = false;
  }

  #onScroll(): void {
    if (this.unseen && this.#atBottom()) this.unseen = false;
  }

  override render() {
    const { t } = this.i18n;
    return html`
      <div
        class="log"
        role="log"
        aria-live="polite"
        aria-label=${t('chat.logLabel')}
        tabindex="0"
        @scroll=${this.#onScroll}
      >
        ${this.messages.length === 0
          ? html`<p class="empty">${this.emptyText || t('chat.empty')}</p>`
          : html`<ol>
              ${repeat(
                this.messages,
                (m) => m.id,
                (m) => this.#renderMessage(m),
              )}
            </ol>`}
      </div>
      ${this.unseen
        ? html`<button type="button" class="btn btn-small jump" @click=${() => this.#scrollToEnd()}>
            ${t('chat.newMessages')} <span aria-hidden="true">↓</span>
          </button>`
        : nothing}
    `;
  }

  #renderMessage(m: ChatMessage) {
    const { t } = this.i18n;
    const self = this.selfId !== null && m.author.id === this.selfId;
    const role = m.author.role;
    const roleLabel =
      role === 'moderator' ? t('role.moderator') : role === 'speaker' ? t('role.speaker') : role === 'captioner' ? t('role.captioner') : role === 'admin' ? t('role.admin') : null;
    return html`
      <li class=${self ? 'self' : ''}>
        <p class="meta">
          <span class="author">${m.author.displayName}</span>
          ${self ? html`<span class="role">(${t('chat.you')})</span>` : nothing}
          ${roleLabel ? html`<span class="role">${roleLabel}</span>` : nothing}
          <time datetime=${m.sentAt}>${this.i18n.time(m.sentAt)}</time>
        </p>
        <p class="text">${m.text}</p>
      </li>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-chat-log': ParvisChatLog;
  }
}
