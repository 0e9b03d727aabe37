import { consume } from '@lit/context';
import { EMAIL_MAX_LENGTH, FORM_ANSWER_MAX_LENGTH, PERSON_NAME_MAX_LENGTH } from '#shared/domain/limits';
import type { FormQuestion, MailLanguage } from '#shared/domain/registration';
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { i18nContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import { newSignUpValues, signUpFieldId, signUpFieldOrder, type FieldErrors, type FieldMessage, type SignUpValues } from './signup-form';

/** The person sends the form; its checks are the container's (`SignUpController`), which hands back `errors`. */
export class SignUpSubmitEvent extends Event {
  static readonly eventName = 'parvis-signup-submit';
  constructor(readonly values: SignUpValues) {
    super(SignUpSubmitEvent.eventName, { bubbles: true, composed: true });
  }
}

/** The languages emails are written in, each named in itself. */
const MAIL_LANGUAGES: ReadonlyArray<{ code: MailLanguage; name: string }> = [
  { code: 'fr', name: 'Français' },
  { code: 'en', name: 'English' },
];

/**
 * The sign-up form: name, email, the language of the emails, the event's own questions, and consent with what is kept
 * and for how long. It keeps the draft; the container sends it and passes back the problems field by field, which show
 * next to their fields and in a summary above that takes the focus. Content for the `dates` slot (the series date
 * picker) comes first in the form.
 * @fires parvis-signup-submit - the person sends the form
 * @slot dates - the date picker, for a series
 */
@customElement('parvis-signup-form')
export class ParvisSignupForm extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      form {
        display: grid;
        gap: var(--space-4);
      }
      .required {
        font-weight: 400;
        color: var(--color-ink-muted);
        font-size: 0.875rem;
      }
      fieldset {
        margin: 0;
        padding: 0;
        border: 0;
        min-width: 0;
      }
      legend {
        font-weight: 600;
        padding: 0;
        margin-bottom: var(--space-1);
      }
      .radios {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-2) var(--space-5);
      }
      .radio,
      .consent {
        display: flex;
        align-items: flex-start;
        gap: var(--space-2);
      }
      .radio input,
      .consent input {
        margin-top: 0.3rem;
        width: 1.1rem;
        height: 1.1rem;
        flex: none;
      }
      .consent label {
        font-weight: 600;
      }
      .privacy {
        padding: var(--space-3);
        border-radius: var(--radius-m);
        background: var(--color-surface-alt);
        font-size: 0.9375rem;
      }
      .error-summary {
        display: grid;
        gap: var(--space-2);
      }
      .error-summary ul {
        margin: 0;
        padding-left: 1.25rem;
      }
      .error-summary a {
        color: inherit;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-2);
      }
    `,
  ];

  /** The event's own questions. */
  @property({ attribute: false }) questions: readonly FormQuestion[] = [];
  /** The language the questions were written in (the event's), for screen readers. */
  @property() questionsLang = '';
  /** What to fix, from the container: each shows next to its field, and the summary takes the focus. */
  @property({ attribute: false }) errors: FieldErrors = {};
  @property({ type: Boolean }) busy = false;
  /** The submit button's words: "Sign up", "Join the waiting list", "Sign up for 3 dates". */
  @property() submitLabel = '';
  /**
   * How many days after the event the library keeps what the person gives (the server's `REGISTRATION_RETENTION_DAYS`,
   * public beside the event): the privacy text says it. Null when the page does not know it: the text then says
   * the data is erased after the event, without a number it cannot vouch for.
   */
  @property({ attribute: false }) retentionDays: number | null = null;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private values: SignUpValues | null = null;

  @query('.error-summary') private summaryBox!: HTMLElement | null;

  override willUpdate(): void {
    this.values ??= newSignUpValues(this.i18n.lang);
  }

  override updated(changed: PropertyValues<this>): void {
    if (changed.has('errors') && Object.keys(this.errors).length > 0) this.summaryBox?.focus();
  }

  /** Empties the form, for the next person. */
  reset(): void {
    this.values = newSignUpValues(this.i18n.lang);
  }

  #set(change: Partial<SignUpValues>): void {
    this.values = { ...this.values!, ...change };
  }

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    if (this.busy) return;
    this.dispatchEvent(new SignUpSubmitEvent(this.values!));
  }

  #message(m: FieldMessage): string {
    return 'key' in m ? this.i18n.t(m.key, m.params) : m.text;
  }

  #describedBy(field: string, hint = false): string | typeof nothing {
    const id = signUpFieldId(field);
    const ids = [hint ? `${id}-hint` : '', this.errors[field] ? `${id}-error` : ''].filter(Boolean);
    return ids.length > 0 ? ids.join(' ') : nothing;
  }

  #error(field: string): TemplateResult | typeof nothing {
    const error = this.errors[field];
    return error ? html`<p id="${signUpFieldId(field)}-error" class="field-error">${this.#message(error)}</p>` : nothing;
  }

  #required(required: boolean): TemplateResult {
    const { t } = this.i18n;
    return html` <span class="required">(${required ? t('form.required') : t('signup.optional')})</span>`;
  }

  #focusField(event: MouseEvent, field: string): void {
    event.preventDefault();
    // The date picker is slotted in from the container: it takes the focus itself.
    const target =
      field === 'eventIds'
        ? this.querySelector<HTMLElement>('[slot="dates"]')
        : this.renderRoot.querySelector<HTMLElement>(`#${signUpFieldId(field)}`);
    target?.focus();
    target?.scrollIntoView({ block: 'center' });
  }

  #fieldLabel(field: string): string {
    const { t } = this.i18n;
    if (field.startsWith('answers.')) return this.questions.find((q) => `answers.${q.id}` === field)?.label ?? field;
    const labels: Record<string, string> = {
      name: t('signup.name'),
      email: t('signup.email'),
      language: t('signup.language'),
      consent: t('signup.consentField'),
      eventIds: t('series.pickTitle'),
    };
    return labels[field] ?? field;
  }

  #renderSummary(): TemplateResult | typeof nothing {
    const fields = ['eventIds', ...signUpFieldOrder(this.questions)].filter((f) => this.errors[f]);
    if (fields.length === 0) return nothing;
    return html`<div class="notice notice-error error-summary" tabindex="-1" aria-labelledby="signup-summary-title">
      <p id="signup-summary-title"><strong>${this.i18n.plural('form.errorSummary', fields.length)}</strong></p>
      <ul>
        ${fields.map(
          (field) =>
            html`<li>
              <a href="#${signUpFieldId(field)}" @click=${(e: MouseEvent) => this.#focusField(e, field)}
                >${this.#fieldLabel(field)} — ${this.#message(this.errors[field]!)}</a
              >
            </li>`,
        )}
      </ul>
    </div>`;
  }

  override render(): TemplateResult {
    const { t, plural } = this.i18n;
    const v = this.values!;
    return html`<form novalidate @submit=${this.#onSubmit}>
      ${this.#renderSummary()}
      <slot name="dates"></slot>
      <div class="field">
        <label for=${signUpFieldId('name')}>${t('signup.name')}${this.#required(true)}</label>
        <p id="${signUpFieldId('name')}-hint" class="hint">${t('signup.nameHint', { max: PERSON_NAME_MAX_LENGTH })}</p>
        <input
          id=${signUpFieldId('name')}
          type="text"
          autocomplete="name"
          required
          maxlength=${PERSON_NAME_MAX_LENGTH}
          aria-describedby=${this.#describedBy('name', true)}
          aria-invalid=${this.errors.name ? 'true' : 'false'}
          .value=${live(v.name)}
          @input=${(e: Event) => this.#set({ name: (e.target as HTMLInputElement).value })}
        />
        ${this.#error('name')}
      </div>
      <div class="field">
        <label for=${signUpFieldId('email')}>${t('signup.email')}${this.#required(true)}</label>
        <p id="${signUpFieldId('email')}-hint" class="hint">${t('signup.emailHint')}</p>
        <input
          id=${signUpFieldId('email')}
          type="email"
          autocomplete="email"
          inputmode="email"
          spellcheck="false"
          required
          maxlength=${EMAIL_MAX_LENGTH}
          aria-describedby=${this.#describedBy('email', true)}
          aria-invalid=${this.errors.email ? 'true' : 'false'}
          .value=${live(v.email)}
          @input=${(e: Event) => this.#set({ email: (e.target as HTMLInputElement).value })}
        />
        ${this.#error('email')}
      </div>
      <fieldset id=${signUpFieldId('language')} tabindex="-1" aria-describedby=${this.#describedBy('language')}>
        <legend>${t('signup.language')}</legend>
        <div class="radios">
          ${MAIL_LANGUAGES.map(
            ({ code, name }) => html`<div class="radio">
              <input
                type="radio"
                id="signup-language-${code}"
                name="language"
                value=${code}
                .checked=${live(v.language === code)}
                @change=${() => this.#set({ language: code })}
              />
              <label for="signup-language-${code}" lang=${code}>${name}</label>
            </div>`,
          )}
        </div>
        ${this.#error('language')}
      </fieldset>
      ${this.questions.map((q) => this.#renderQuestion(q))}
      <p id="signup-privacy" class="privacy">${this.retentionDays === null ? t('signup.privacyNoDays') : plural('signup.privacy', this.retentionDays)}</p>
      <div>
        <div class="consent">
          <input
            id=${signUpFieldId('consent')}
            type="checkbox"
            required
            aria-describedby=${[this.#describedBy('consent'), 'signup-privacy'].filter((s) => s !== nothing).join(' ')}
            aria-invalid=${this.errors.consent ? 'true' : 'false'}
            .checked=${live(v.consent)}
            @change=${(e: Event) => this.#set({ consent: (e.target as HTMLInputElement).checked })}
          />
          <label for=${signUpFieldId('consent')}>${t('signup.consent')}</label>
        </div>
        ${this.#error('consent')}
      </div>
      <div class="actions">
        <button type="submit" class="btn" aria-disabled=${this.busy ? 'true' : 'false'}>
          ${this.busy ? t('signup.sending') : this.submitLabel || t('signup.submit')}
        </button>
      </div>
    </form>`;
  }

  #renderQuestion(q: FormQuestion): TemplateResult {
    const { t } = this.i18n;
    const field = `answers.${q.id}`;
    const id = signUpFieldId(field);
    const value = this.values!.answers[q.id] ?? '';
    const set = (e: Event) =>
      this.#set({ answers: { ...this.values!.answers, [q.id]: (e.target as HTMLInputElement | HTMLSelectElement).value } });
    const lang = this.questionsLang || nothing;
    return html`<div class="field">
      <label for=${id}><span lang=${lang}>${q.label}</span>${this.#required(q.required)}</label>
      ${q.type === 'choice'
        ? html`<select
            id=${id}
            ?required=${q.required}
            aria-describedby=${this.#describedBy(field)}
            aria-invalid=${this.errors[field] ? 'true' : 'false'}
            @change=${set}
          >
            <option value="" ?selected=${value === ''}>${t('signup.choose')}</option>
            ${(q.options ?? []).map((o) => html`<option value=${o} lang=${lang} ?selected=${value === o}>${o}</option>`)}
          </select>`
        : html`<input
            id=${id}
            type="text"
            ?required=${q.required}
            maxlength=${FORM_ANSWER_MAX_LENGTH}
            aria-describedby=${this.#describedBy(field)}
            aria-invalid=${this.errors[field] ? 'true' : 'false'}
            .value=${live(value)}
            @input=${set}
          />`}
      ${this.#error(field)}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-signup-form': ParvisSignupForm;
  }
  interface HTMLElementEventMap {
    'parvis-signup-submit': SignUpSubmitEvent;
  }
}
