import { consume } from '@lit/context';
import { DISPLAY_NAME_MAX_LENGTH } from '#shared/domain/limits';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { i18nContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { StringKey, Translator } from '../../i18n/i18n';

/** The person chose the name they will take part under. */
export class GuestNameSubmitEvent extends Event {
  static readonly eventName = 'parvis-guest-name-submit';
  constructor(readonly displayName: string) {
    super(GuestNameSubmitEvent.eventName, { bubbles: true, composed: true });
  }
}

/** What the name is asked for: the form says so, in its hint and on its button. */
export type GuestFormPurpose = 'chat' | 'questions' | 'polls';

const WORDING: Record<GuestFormPurpose, { hint: StringKey; submit: StringKey }> = {
  chat: { hint: 'chat.nameHint', submit: 'chat.join' },
  questions: { hint: 'guest.nameHintQuestions', submit: 'guest.useName' },
  polls: { hint: 'guest.nameHintPolls', submit: 'guest.useName' },
};

/**
 * Asks for a display name before someone can write in the chat, ask a question or vote.
 * @fires parvis-guest-name-submit - when the form is submitted
 */
@customElement('parvis-guest-form')
export class ParvisGuestForm extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      form {
        display: grid;
        gap: var(--space-2);
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-2);
      }
      .row input {
        flex: 1 1 10rem;
        width: auto;
      }
      .error {
        color: var(--color-error-ink);
        font-weight: 600;
      }
    `,
  ];

  /** A request is in flight. */
  @property({ type: Boolean }) busy = false;
  /** Why the last attempt failed, already translated. */
  @property() error = '';
  /** Which tab asks: the chat, the questions or the polls. */
  @property() purpose: GuestFormPurpose = 'chat';

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @query('input') private input!: HTMLInputElement;

  override focus(options?: FocusOptions): void {
    // Right after the element is created its field is not rendered yet.
    void this.updateComplete.then(() => this.input?.focus(options));
  }

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    if (this.busy) return;
    this.dispatchEvent(new GuestNameSubmitEvent(this.input.value));
  }

  override render() {
    const { t } = this.i18n;
    const describedBy = this.error ? 'guest-name-hint guest-name-error' : 'guest-name-hint';
    const wording = WORDING[this.purpose] ?? WORDING.chat;
    return html`
      <form novalidate @submit=${this.#onSubmit}>
        <label for="guest-name">${t('chat.nameLabel')}</label>
        <p id="guest-name-hint" class="hint">${t(wording.hint, { max: DISPLAY_NAME_MAX_LENGTH })}</p>
        <div class="row">
          <input
            id="guest-name"
            type="text"
            name="displayName"
            maxlength=${DISPLAY_NAME_MAX_LENGTH}
            autocomplete="nickname"
            aria-describedby=${describedBy}
            aria-invalid=${this.error ? 'true' : 'false'}
          />
          <button type="submit" class="btn" aria-disabled=${this.busy ? 'true' : 'false'}>${t(wording.submit)}</button>
        </div>
        ${this.error ? html`<p id="guest-name-error" class="error" role="alert">${this.error}</p>` : nothing}
      </form>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-guest-form': ParvisGuestForm;
  }
  interface HTMLElementEventMap {
    'parvis-guest-name-submit': GuestNameSubmitEvent;
  }
}
