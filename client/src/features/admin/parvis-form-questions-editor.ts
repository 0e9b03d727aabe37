import { consume } from '@lit/context';
import { FORM_LABEL_MAX_LENGTH, FORM_OPTIONS_MAX, FORM_QUESTIONS_MAX } from '#shared/domain/limits';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import { i18nContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import { adminStyles } from './admin-styles';
import type { FieldErrors, FieldMessage } from './event-form';
import { questionRow, type QuestionRow } from './registration-settings';

/** The librarian changed the questions (typed, added, removed one). */
export class QuestionsChangeEvent extends Event {
  static readonly eventName = 'parvis-questions-change';
  constructor(readonly questions: QuestionRow[]) {
    super(QuestionsChangeEvent.eventName, { bubbles: true, composed: true });
  }
}

/**
 * The sign-up form's own questions, up to five: each a label, a kind of answer (free text, or a choice among options
 * given one per line) and whether it must be answered. It sits inside its container's form, shows the rows it is given
 * with their problems, and says when the librarian changes them.
 * @fires parvis-questions-change - a question was typed, added or removed
 */
@customElement('parvis-form-questions-editor')
export class ParvisFormQuestionsEditor extends LitElement {
  static override styles = [
    baseStyles,
    adminStyles,
    css`
      :host {
        display: block;
      }
      .question {
        background: var(--color-surface-alt);
      }
      .question legend {
        font-size: 1rem;
        font-family: var(--font-body);
      }
      .row {
        display: grid;
        gap: var(--space-3);
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 14rem), 1fr));
      }
      textarea {
        min-height: 6rem;
        resize: vertical;
      }
    `,
  ];

  @property({ attribute: false }) questions: readonly QuestionRow[] = [];
  @property({ attribute: false }) errors: FieldErrors = {};
  /** Keeps the ids of two editors on one page apart. */
  @property() idPrefix = 'reg';

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  #id(field: string): string {
    return `${this.idPrefix}-${field.replace(/\./g, '-')}`;
  }

  #message(m: FieldMessage): string {
    return 'key' in m ? this.i18n.t(m.key, m.params) : m.text;
  }

  #change(questions: QuestionRow[]): void {
    this.dispatchEvent(new QuestionsChangeEvent(questions));
  }

  #set(index: number, change: Partial<QuestionRow>): void {
    this.#change(this.questions.map((q, i) => (i === index ? { ...q, ...change } : q)));
  }

  async #add(): Promise<void> {
    this.#change([...this.questions, questionRow()]);
    // The container passes the new rows down: wait for both to render before moving the focus.
    await new Promise((resolve) => requestAnimationFrame(resolve));
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>(`#${this.#id(`questions.${this.questions.length - 1}.label`)}`)?.focus();
  }

  async #remove(index: number): Promise<void> {
    this.#change(this.questions.filter((_q, i) => i !== index));
    await new Promise((resolve) => requestAnimationFrame(resolve));
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#${this.idPrefix}-add-question`)?.focus();
  }

  #error(field: string): TemplateResult | typeof nothing {
    const error = this.errors[field];
    return error ? html`<p id="${this.#id(field)}-error" class="field-error">${this.#message(error)}</p>` : nothing;
  }

  #described(field: string, hint?: string): string | typeof nothing {
    const ids = [hint ?? '', this.errors[field] ? `${this.#id(field)}-error` : ''].filter(Boolean);
    return ids.length > 0 ? ids.join(' ') : nothing;
  }

  override render(): TemplateResult {
    const { t } = this.i18n;
    const full = this.questions.length >= FORM_QUESTIONS_MAX;
    return html`<fieldset>
      <legend>${t('admin.reg.form.title')}</legend>
      <p class="hint" id="${this.idPrefix}-questions-hint">${t('admin.reg.form.hint', { max: FORM_QUESTIONS_MAX })}</p>
      ${this.questions.length === 0 ? html`<p class="muted">${t('admin.reg.form.empty')}</p>` : nothing}
      ${repeat(
        this.questions,
        (q) => q.key,
        (q, i) => this.#renderQuestion(q, i),
      )}
      ${this.#error('questions')}
      <div class="actions">
        <button
          id="${this.idPrefix}-add-question"
          type="button"
          class="btn btn-secondary btn-small"
          aria-disabled=${full ? 'true' : 'false'}
          aria-describedby=${full ? `${this.idPrefix}-questions-full` : nothing}
          @click=${() => (full ? undefined : void this.#add())}
        >
          ${t('admin.reg.q.add')}
        </button>
        ${full ? html`<p id="${this.idPrefix}-questions-full" class="hint">${t('admin.reg.q.max', { max: FORM_QUESTIONS_MAX })}</p>` : nothing}
      </div>
    </fieldset>`;
  }

  #renderQuestion(q: QuestionRow, i: number): TemplateResult {
    const { t } = this.i18n;
    const n = i + 1;
    const label = `questions.${i}.label`;
    const type = `questions.${i}.type`;
    const options = `questions.${i}.options`;
    const required = `questions.${i}.required`;
    return html`<fieldset class="question">
      <legend>${t('admin.reg.q', { n })}</legend>
      <div class="row">
        <div class="field">
          <label for=${this.#id(label)}>${t('admin.reg.q.label')} <span class="required">(${t('form.required')})</span></label>
          <input
            id=${this.#id(label)}
            type="text"
            autocomplete="off"
            maxlength=${FORM_LABEL_MAX_LENGTH}
            aria-describedby=${this.#described(label)}
            aria-invalid=${this.errors[label] ? 'true' : 'false'}
            .value=${live(q.label)}
            @input=${(e: Event) => this.#set(i, { label: (e.target as HTMLInputElement).value })}
          />
          ${this.#error(label)}
        </div>
        <div class="field">
          <label for=${this.#id(type)}>${t('admin.reg.q.type')}</label>
          <select id=${this.#id(type)} @change=${(e: Event) => this.#set(i, { type: (e.target as HTMLSelectElement).value as QuestionRow['type'] })}>
            <option value="text" ?selected=${q.type === 'text'}>${t('admin.reg.q.text')}</option>
            <option value="choice" ?selected=${q.type === 'choice'}>${t('admin.reg.q.choice')}</option>
          </select>
        </div>
      </div>
      ${q.type === 'choice'
        ? html`<div class="field">
            <label for=${this.#id(options)}>${t('admin.reg.q.options')}</label>
            <p id="${this.#id(options)}-hint" class="hint">${t('admin.reg.q.optionsHint', { max: FORM_OPTIONS_MAX })}</p>
            <textarea
              id=${this.#id(options)}
              rows="4"
              aria-describedby=${this.#described(options, `${this.#id(options)}-hint`)}
              aria-invalid=${this.errors[options] ? 'true' : 'false'}
              .value=${live(q.options)}
              @input=${(e: Event) => this.#set(i, { options: (e.target as HTMLTextAreaElement).value })}
            ></textarea>
            ${this.#error(options)}
          </div>`
        : nothing}
      <div class="choice">
        <input
          id=${this.#id(required)}
          type="checkbox"
          .checked=${live(q.required)}
          @change=${(e: Event) => this.#set(i, { required: (e.target as HTMLInputElement).checked })}
        />
        <label for=${this.#id(required)}>${t('admin.reg.q.required')}</label>
      </div>
      ${q.id ? html`<p class="hint">${t('admin.reg.q.savedHint')}</p>` : nothing}
      <div class="actions">
        <button
          type="button"
          class="btn btn-secondary btn-small"
          aria-label=${t('admin.reg.q.removeLabel', { n })}
          @click=${() => void this.#remove(i)}
        >
          ${t('admin.reg.q.remove')}
        </button>
      </div>
    </fieldset>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-form-questions-editor': ParvisFormQuestionsEditor;
  }
  interface HTMLElementEventMap {
    'parvis-questions-change': QuestionsChangeEvent;
  }
}
