import { consume } from '@lit/context';
import { EventAccess, EventKind, Weekday } from '#shared/domain/event';
import { SUMMARY_MAX_LENGTH, TITLE_MAX_LENGTH } from '#shared/domain/limits';
import { timeZoneNames } from '#shared/time/zones';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { i18nContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import { adminStyles } from './admin-styles';
import type { FieldErrors, FieldMessage } from './event-form';
import type { QuestionsChangeEvent } from './parvis-form-questions-editor';
import { addException, recurrenceFieldId, type RecurrenceValues } from './recurrence-form';
import './parvis-form-questions-editor';

/** The librarian changed the rule, the template of the dates, or the fair cap. */
export class RecurrenceChangeEvent extends Event {
  static readonly eventName = 'parvis-recurrence-change';
  constructor(readonly values: RecurrenceValues) {
    super(RecurrenceChangeEvent.eventName, { bubbles: true, composed: true });
  }
}

/** A Monday, from which the weekdays' names are read in the page's language. */
const A_MONDAY = Date.UTC(2024, 0, 1, 12);

/**
 * The part of the series form that makes its dates: the days of the week, the time and length in a time zone, the
 * first and last day and the days without a session, what each date is (kind, title, access, seats, waiting list,
 * language, questions), and the fair cap. It sits inside the series form and says when the librarian changes it.
 * @fires parvis-recurrence-change - a field of the rule changed
 */
@customElement('parvis-recurrence-editor')
export class ParvisRecurrenceEditor extends LitElement {
  static override styles = [
    baseStyles,
    adminStyles,
    css`
      :host {
        display: block;
      }
      .row {
        display: grid;
        gap: var(--space-3);
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 11rem), 1fr));
      }
      .days {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-2) var(--space-4);
      }
      .day {
        display: flex;
        align-items: center;
        gap: var(--space-1);
      }
      .day input {
        width: 1.1rem;
        height: 1.1rem;
      }
      .exceptions ul {
        margin: 0;
        padding: 0;
        list-style: none;
        display: grid;
        gap: var(--space-1);
      }
      .exceptions li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--space-2);
      }
      .add-exception {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: var(--space-2);
      }
      .add-exception .field {
        flex: 0 1 14rem;
      }
      .inner {
        background: var(--color-surface-alt);
      }
      .inner legend {
        font-size: 1rem;
        font-family: var(--font-body);
      }
      input[type='date'],
      input[type='time'] {
        width: 100%;
        min-height: 2.75rem;
        padding: var(--space-2) var(--space-3);
        border: 2px solid var(--color-line-strong);
        border-radius: var(--radius-s);
        background: var(--color-surface);
      }
      textarea {
        min-height: 5rem;
        resize: vertical;
      }
    `,
  ];

  @property({ attribute: false }) values!: RecurrenceValues;
  @property({ attribute: false }) errors: FieldErrors = {};

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private exceptionDraft = '';

  #change(change: Partial<RecurrenceValues>): void {
    this.dispatchEvent(new RecurrenceChangeEvent({ ...this.values, ...change }));
  }

  #template(change: Partial<RecurrenceValues['template']>): void {
    this.#change({ template: { ...this.values.template, ...change } });
  }

  #message(m: FieldMessage): string {
    return 'key' in m ? this.i18n.t(m.key, m.params) : m.text;
  }

  #error(field: string): TemplateResult | typeof nothing {
    const error = this.errors[field];
    return error ? html`<p id="${recurrenceFieldId(field)}-error" class="field-error">${this.#message(error)}</p>` : nothing;
  }

  #a11y(field: string, hint = '') {
    const error = this.errors[field];
    const ids = [hint, error ? `${recurrenceFieldId(field)}-error` : ''].filter(Boolean).join(' ');
    return { describedBy: ids || nothing, invalid: error ? 'true' : 'false' };
  }

  #dayName(day: Weekday): string {
    const index = Weekday.options.indexOf(day);
    const name = new Intl.DateTimeFormat(this.i18n.lang, { weekday: 'long', timeZone: 'UTC' }).format(A_MONDAY + index * 86_400_000);
    return name.charAt(0).toLocaleUpperCase(this.i18n.lang) + name.slice(1);
  }

  #addException(): void {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(this.exceptionDraft)) return;
    this.#change({ exceptions: addException(this.values.exceptions, this.exceptionDraft) });
    this.exceptionDraft = '';
  }

  async #removeException(day: string): Promise<void> {
    this.#change({ exceptions: this.values.exceptions.filter((d) => d !== day) });
    await new Promise((resolve) => requestAnimationFrame(resolve));
    this.renderRoot.querySelector<HTMLElement>('#series-exception-draft')?.focus();
  }

  override render(): TemplateResult {
    const { t } = this.i18n;
    const v = this.values;
    const cap = this.#a11y('fairCapPerWeek', 'series-fair-cap-hint');
    return html`<fieldset>
      <legend>${t('admin.recur.legend')}</legend>
      <div class="choice">
        <input
          id="series-recurrence-enabled"
          type="checkbox"
          aria-describedby="series-recurrence-hint"
          .checked=${live(v.enabled)}
          @change=${(e: Event) => this.#change({ enabled: (e.target as HTMLInputElement).checked })}
        />
        <label for="series-recurrence-enabled">${t('admin.recur.enable')}</label>
        <p id="series-recurrence-hint" class="hint">${t('admin.recur.enableHint')}</p>
      </div>
      ${v.enabled ? this.#renderRule(v) : nothing}
      <div class="field">
        <label for=${recurrenceFieldId('fairCapPerWeek')}>${t('admin.recur.fairCap')}</label>
        <p id="series-fair-cap-hint" class="hint">${t('admin.recur.fairCapHint')}</p>
        <input
          id=${recurrenceFieldId('fairCapPerWeek')}
          type="text"
          inputmode="numeric"
          autocomplete="off"
          maxlength="1"
          aria-describedby=${cap.describedBy}
          aria-invalid=${cap.invalid}
          .value=${live(v.fairCap)}
          @input=${(e: Event) => this.#change({ fairCap: (e.target as HTMLInputElement).value })}
        />
        ${this.#error('fairCapPerWeek')}
      </div>
    </fieldset>`;
  }

  #renderRule(v: RecurrenceValues): TemplateResult {
    const { t } = this.i18n;
    const days = this.#a11y('recurrence.byDay');
    const time = this.#a11y('recurrence.time', 'series-times-hint');
    const duration = this.#a11y('recurrence.durationMinutes');
    const zone = this.#a11y('recurrence.timezone');
    const from = this.#a11y('recurrence.from');
    const until = this.#a11y('recurrence.until');
    return html`<fieldset
        class="inner"
        id=${recurrenceFieldId('recurrence.byDay')}
        tabindex="-1"
        aria-describedby=${days.describedBy}
      >
        <legend>${t('admin.recur.days')} <span class="required">(${t('form.required')})</span></legend>
        <div class="days">
          ${Weekday.options.map(
            (day) => html`<div class="day">
              <input
                id="series-day-${day}"
                type="checkbox"
                .checked=${live(v.byDay.includes(day))}
                @change=${(e: Event) =>
                  this.#change({
                    byDay: (e.target as HTMLInputElement).checked ? [...v.byDay, day] : v.byDay.filter((d) => d !== day),
                  })}
              />
              <label for="series-day-${day}">${this.#dayName(day)}</label>
            </div>`,
          )}
        </div>
        ${this.#error('recurrence.byDay')}
      </fieldset>
      <p id="series-times-hint" class="hint">${t('admin.recur.timesHint')}</p>
      <div class="row">
        <div class="field">
          <label for=${recurrenceFieldId('recurrence.time')}>${t('admin.recur.time')}</label>
          <input
            id=${recurrenceFieldId('recurrence.time')}
            type="time"
            step="60"
            aria-describedby=${time.describedBy}
            aria-invalid=${time.invalid}
            .value=${live(v.time)}
            @input=${(e: Event) => this.#change({ time: (e.target as HTMLInputElement).value })}
          />
          ${this.#error('recurrence.time')}
        </div>
        <div class="field">
          <label for=${recurrenceFieldId('recurrence.durationMinutes')}>${t('admin.recur.duration')}</label>
          <input
            id=${recurrenceFieldId('recurrence.durationMinutes')}
            type="text"
            inputmode="numeric"
            autocomplete="off"
            aria-describedby=${duration.describedBy}
            aria-invalid=${duration.invalid}
            .value=${live(v.durationMinutes)}
            @input=${(e: Event) => this.#change({ durationMinutes: (e.target as HTMLInputElement).value })}
          />
          ${this.#error('recurrence.durationMinutes')}
        </div>
        <div class="field">
          <label for=${recurrenceFieldId('recurrence.timezone')}>${t('form.timezone')}</label>
          <select
            id=${recurrenceFieldId('recurrence.timezone')}
            aria-describedby=${zone.describedBy}
            aria-invalid=${zone.invalid}
            @change=${(e: Event) => this.#change({ timezone: (e.target as HTMLSelectElement).value })}
          >
            ${timeZoneNames(v.timezone).map((z) => html`<option value=${z} ?selected=${v.timezone === z}>${z.replace(/_/g, ' ')}</option>`)}
          </select>
          ${this.#error('recurrence.timezone')}
        </div>
      </div>
      <div class="row">
        <div class="field">
          <label for=${recurrenceFieldId('recurrence.from')}>${t('admin.recur.from')}</label>
          <input
            id=${recurrenceFieldId('recurrence.from')}
            type="date"
            aria-describedby=${from.describedBy}
            aria-invalid=${from.invalid}
            .value=${live(v.from)}
            @input=${(e: Event) => this.#change({ from: (e.target as HTMLInputElement).value })}
          />
          ${this.#error('recurrence.from')}
        </div>
        <div class="field">
          <label for=${recurrenceFieldId('recurrence.until')}>${t('admin.recur.until')}</label>
          <input
            id=${recurrenceFieldId('recurrence.until')}
            type="date"
            aria-describedby=${until.describedBy}
            aria-invalid=${until.invalid}
            .value=${live(v.until)}
            @input=${(e: Event) => this.#change({ until: (e.target as HTMLInputElement).value })}
          />
          ${this.#error('recurrence.until')}
        </div>
      </div>
      ${this.#renderExceptions(v)} ${this.#renderTemplate(v)}
      <p class="notice">${t('admin.recur.regenerateHint')}</p>`;
  }

  #renderExceptions(v: RecurrenceValues): TemplateResult {
    const { t } = this.i18n;
    return html`<fieldset class="inner exceptions" id=${recurrenceFieldId('recurrence.exceptions')} tabindex="-1" aria-describedby="series-exceptions-hint">
      <legend>${t('admin.recur.exceptions')}</legend>
      <p id="series-exceptions-hint" class="hint">${t('admin.recur.exceptionsHint')}</p>
      ${v.exceptions.length === 0
        ? html`<p class="muted">${t('admin.recur.noExceptions')}</p>`
        : html`<ul>
            ${v.exceptions.map((day) => {
              const name = this.i18n.day(`${day}T12:00:00Z`, 'UTC');
              return html`<li>
                <span>${name}</span>
                <button
                  type="button"
                  class="btn btn-secondary btn-small"
                  aria-label=${t('admin.recur.removeExceptionLabel', { date: name })}
                  @click=${() => void this.#removeException(day)}
                >
                  ${t('admin.recur.removeException')}
                </button>
              </li>`;
            })}
          </ul>`}
      ${this.#error('recurrence.exceptions')}
      <div class="add-exception">
        <div class="field">
          <label for="series-exception-draft">${t('admin.recur.exceptionDate')}</label>
          <input
            id="series-exception-draft"
            type="date"
            .value=${live(this.exceptionDraft)}
            @input=${(e: Event) => (this.exceptionDraft = (e.target as HTMLInputElement).value)}
            @keydown=${(e: KeyboardEvent) => {
              // Enter adds the day rather than saving the whole series.
              if (e.key === 'Enter') {
                e.preventDefault();
                this.#addException();
              }
            }}
          />
        </div>
        <button type="button" class="btn btn-secondary btn-small" @click=${() => this.#addException()}>${t('admin.recur.addException')}</button>
      </div>
    </fieldset>`;
  }

  #renderTemplate(v: RecurrenceValues): TemplateResult {
    const { t } = this.i18n;
    const tp = v.template;
    const title = this.#a11y('recurrence.template.title', 'series-template-title-hint');
    const capacity = this.#a11y('recurrence.template.capacity', 'series-template-capacity-hint');
    const questionErrors: Record<string, FieldMessage> = {};
    for (const [field, message] of Object.entries(this.errors)) {
      if (field.startsWith('recurrence.template.questions')) questionErrors[field.slice('recurrence.template.'.length)] = message;
    }
    return html`<fieldset class="inner">
      <legend>${t('admin.recur.template')}</legend>
      <div class="field">
        <label for=${recurrenceFieldId('recurrence.template.title')}>${t('form.title')}</label>
        <p id="series-template-title-hint" class="hint">${t('admin.recur.templateTitleHint')}</p>
        <input
          id=${recurrenceFieldId('recurrence.template.title')}
          type="text"
          autocomplete="off"
          maxlength=${TITLE_MAX_LENGTH}
          aria-describedby=${title.describedBy}
          aria-invalid=${title.invalid}
          .value=${live(tp.title)}
          @input=${(e: Event) => this.#template({ title: (e.target as HTMLInputElement).value })}
        />
        ${this.#error('recurrence.template.title')}
      </div>
      <div class="field">
        <label for="series-template-summary">${t('form.summary')}</label>
        <textarea
          id="series-template-summary"
          maxlength=${SUMMARY_MAX_LENGTH}
          .value=${live(tp.summary)}
          @input=${(e: Event) => this.#template({ summary: (e.target as HTMLTextAreaElement).value })}
        ></textarea>
      </div>
      <div class="row">
        <div class="field">
          <label for="series-template-kind">${t('form.kind')}</label>
          <select id="series-template-kind" @change=${(e: Event) => this.#template({ kind: (e.target as HTMLSelectElement).value as EventKind })}>
            ${EventKind.options.map((k) => html`<option value=${k} ?selected=${tp.kind === k}>${t(`kindOne.${k}`)}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="series-template-access">${t('form.legend.access')}</label>
          <select
            id="series-template-access"
            @change=${(e: Event) => this.#template({ access: (e.target as HTMLSelectElement).value as EventAccess })}
          >
            ${EventAccess.options.map((a) => html`<option value=${a} ?selected=${tp.access === a}>${t(`access.${a}`)}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="series-template-language">${t('form.language')}</label>
          <select id="series-template-language" @change=${(e: Event) => this.#template({ language: (e.target as HTMLSelectElement).value })}>
            ${[...new Set(['fr', 'en', tp.language])].map(
              (code) => html`<option value=${code} lang=${code} ?selected=${tp.language === code}>${this.i18n.languageName(code)}</option>`,
            )}
          </select>
        </div>
      </div>
      <div class="row">
        <div class="field">
          <label for=${recurrenceFieldId('recurrence.template.capacity')}>${t('form.capacity')}</label>
          <p id="series-template-capacity-hint" class="hint">${t('form.capacityHint')}</p>
          <input
            id=${recurrenceFieldId('recurrence.template.capacity')}
            type="text"
            inputmode="numeric"
            autocomplete="off"
            aria-describedby=${capacity.describedBy}
            aria-invalid=${capacity.invalid}
            .value=${live(tp.capacity)}
            @input=${(e: Event) => this.#template({ capacity: (e.target as HTMLInputElement).value })}
          />
          ${this.#error('recurrence.template.capacity')}
        </div>
      </div>
      <div class="choice">
        <input
          id="series-template-waitlist"
          type="checkbox"
          aria-describedby="series-template-waitlist-hint"
          .checked=${live(tp.waitlist)}
          @change=${(e: Event) => this.#template({ waitlist: (e.target as HTMLInputElement).checked })}
        />
        <label for="series-template-waitlist">${t('admin.reg.waitlist')}</label>
        <p id="series-template-waitlist-hint" class="hint">${t('admin.reg.waitlistHint')}</p>
      </div>
      <parvis-form-questions-editor
        idPrefix="series-q"
        .questions=${tp.questions}
        .errors=${questionErrors}
        @parvis-questions-change=${(e: QuestionsChangeEvent) => {
          e.stopPropagation();
          this.#template({ questions: e.questions });
        }}
      ></parvis-form-questions-editor>
    </fieldset>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-recurrence-editor': ParvisRecurrenceEditor;
  }
  interface HTMLElementEventMap {
    'parvis-recurrence-change': RecurrenceChangeEvent;
  }
}
