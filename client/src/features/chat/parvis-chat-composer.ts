import { consume } from '@lit/context';
import { CHAT_MAX_LENGTH } from '#shared/domain/limits';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { i18nContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';

/** The draft changed (each keystroke). */
export class ChatDraftInputEvent extends Event {
  static readonly eventName = 'parvis-chat-draft-input';
  constructor(readonly value: string) {
    super(ChatDraftInputEvent.eventName, { bubbles: true, composed: true });
  }
}

/** The person sends the draft (Enter or the Send button). */
export class ChatSubmitEvent extends Event {
  static readonly eventName = 'parvis-chat-submit';
  constructor(readonly text: string) {
    super(ChatSubmitEvent.eventName, { bubbles: true, composed: true });
  }
}

/** Show the count of characters left once fewer than this remain. */
const COUNTER_FROM = 100;

/**
 * The message field and Send button. The draft is owned by the parent (`value`), which clears it once the server
 * acknowledged the message, and keeps it when sending failed.
 * @fires parvis-chat-draft-input - on every edit of the draft
 * @fires parvis-chat-submit - on Enter (without Shift) or the Send button
 */
@customElement('parvis-chat-composer')
export class ParvisChatComposer extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      form {
        display: grid;
        gap: var(--space-1);
      }
      label {
        font-weight: 600;
      }
      .row {
        display: flex;
        gap: var(--space-2);
        align-items: stretch;
      }
      textarea {
        flex: 1;
        min-height: 2.75rem;
        max-height: 9rem;
        resize: vertical;
      }
      .footer {
        display: flex;
        justify-content: space-between;
        gap: var(--space-2);
      }
      .error {
        color: var(--color-error-ink);
        font-weight: 600;
      }
      .rule {
        font-size: 0.875rem;
        font-weight: 600;
        color: var(--color-warning-ink);
      }
      .wait {
        font-variant-numeric: tabular-nums;
        font-weight: 600;
      }
      .held:empty {
        display: none;
      }
      .held {
        display: grid;
        gap: var(--space-1);
        padding: var(--space-2) var(--space-3);
        border-radius: var(--radius-s);
        background: var(--color-warning-bg);
        color: var(--color-warning-ink);
        border: 1px solid #e8cf8a;
      }
      .held strong {
        font-weight: 700;
      }
      .held q {
        overflow-wrap: anywhere;
        white-space: pre-wrap;
      }
    `,
  ];

  @property() value = '';
  /** A message is being sent. */
  @property({ type: Boolean }) busy = false;
  /** Why the last message was not sent, already translated. */
  @property() error = '';
  /** A rule of the room that limits sending (slow mode), already in words; empty when none. */
  @property() rule = '';
  /** How long until the person may send again (a slow-mode countdown), in words; empty when they may send. */
  @property() wait = '';
  /** What became of the person's last message when it is not in the log (held for review), in words. */
  @property() notice = '';
  /** More about the notice: why, and who sees it. */
  @property() noticeDetail = '';
  /** The text of the message the notice is about, quoted under it. */
  @property() noticeText = '';

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @query('textarea') private textarea!: HTMLTextAreaElement;

  override focus(options?: FocusOptions): void {
    // Right after the element is created its field is not rendered yet.
    void this.updateComplete.then(() => this.textarea?.focus(options));
  }

  #onInput(event: InputEvent): void {
    this.dispatchEvent(new ChatDraftInputEvent((event.target as HTMLTextAreaElement).value));
  }

  #onKeyDown(event: KeyboardEvent): void {
    // Enter sends; Shift+Enter is a new line; Enter that confirms an IME composition is neither.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    this.#submit();
  }

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    this.#submit();
  }

  #submit(): void {
    const text = this.textarea.value;
    // While waiting (slow mode), the parent still hears the attempt, to say how long is left.
    if (this.busy || text.trim() === '') return;
    this.dispatchEvent(new ChatSubmitEvent(text));
  }

  override render() {
    const { t } = this.i18n;
    const left = CHAT_MAX_LENGTH - this.value.length;
    const describedBy = ['chat-message-hint', this.rule ? 'chat-message-rule' : '', this.error ? 'chat-message-error' : '']
      .filter(Boolean)
      .join(' ');
    const waiting = this.busy || this.wait !== '';
    return html`
      <form @submit=${this.#onSubmit}>
        <label for="chat-message">${t('chat.messageLabel')}</label>
        <div class="row">
          <textarea
            id="chat-message"
            name="text"
            rows="2"
            maxlength=${CHAT_MAX_LENGTH}
            aria-describedby=${describedBy}
            aria-invalid=${this.error ? 'true' : 'false'}
            .value=${live(this.value)}
            @input=${this.#onInput}
            @keydown=${this.#onKeyDown}
          ></textarea>
          <button type="submit" class="btn" aria-disabled=${waiting ? 'true' : 'false'}>${t('chat.send')}</button>
        </div>
        ${this.rule ? html`<p id="chat-message-rule" class="rule">${this.rule}</p>` : nothing}
        ${this.wait ? html`<p class="wait">${this.wait}</p>` : nothing}
        ${this.error ? html`<p id="chat-message-error" class="error" role="alert">${this.error}</p>` : nothing}
        <div class="held" role="status">${this.notice
          ? html`<strong>${this.notice}</strong>${this.noticeText ? html`<q>${this.noticeText}</q>` : nothing}${this.noticeDetail
                ? html`<span>${this.noticeDetail}</span>`
                : nothing}`
          : nothing}</div>
        <div class="footer">
          <p id="chat-message-hint" class="hint">${t('chat.messageHint')}</p>
          ${left < COUNTER_FROM ? html`<p class="hint">${t('chat.charsLeft', { n: left })}</p>` : nothing}
        </div>
      </form>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-chat-composer': ParvisChatComposer;
  }
  interface HTMLElementEventMap {
    'parvis-chat-draft-input': ChatDraftInputEvent;
    'parvis-chat-submit': ChatSubmitEvent;
  }
}
