import { consume } from '@lit/context';
import { EventAccess, EventKind, type Series } from '#shared/domain/event';
import { SPEAKER_NAME_MAX_LENGTH, SPEAKER_TITLE_MAX_LENGTH } from '#shared/domain/limits';
import { timeZoneNames } from '#shared/time/zones';
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import type { EventInput } from '../../app/api-client';
import { i18nContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import { adminStyles } from './admin-styles';
import {
  fieldId,
  formFieldOrder,
  readEventForm,
  speakerRow,
  type EventFormValues,
  type FieldErrors,
  type FieldMessage,
  type FieldName,
} from './event-form';

/** The admin saves the form; `input` passed the same checks the server applies. */
export class EventFormSubmitEvent extends Event {
  static readonly eventName = 'parvis-event-form-submit';
  constructor(
    readonly input: EventInput,
    /** The form as it was, to place the server's `fields` against it. */
    readonly values: EventFormValues,
  ) {
    super(EventFormSubmitEvent.eventName, { bubbles: true, composed: true });
  }
}

/** Languages offered first; the event's own is added when it is another. */
const LANGUAGES = ['fr', 'en', 'es', 'de', 'it', 'pt', 'nl', 'pl', 'uk', 'ru', 'ar', 'fa', 'tr', 'zh', 'ja'];

/**
 * The event form: what, when (wall-clock times in the event's time zone), who may watch, who speaks, where the video
 * is. It keeps the draft, checks it on submit with the shared schema and shows each message next to its field, with
 * a summary above that links to them. Messages from the server come down in `serverErrors`.
 * @fires parvis-event-form-submit - when the admin saves a form that passed the checks
 */
@customElement('parvis-event-form')
export class ParvisEventForm extends LitElement {
  static override styles = [
    baseStyles,
    adminStyles,
    css`
      :host {
        display: block;
      }
      form {
        max-width: 48rem;
      }
      .row {
        display: grid;
        gap: var(--space-3);
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 14rem), 1fr));
      }
      .speaker {
        background: var(--color-surface-alt);
      }
      .speaker legend {
        font-size: 1rem;
        font-family: var(--font-body);
      }
      .summary {
        display: grid;
        gap: var(--space-2);
      }
      .summary:focus {
        outline: 3px solid var(--color-focus);
        outline-offset: 2px;
      }
      .summary ul {
        margin: 0;
        padding-left: 1.25rem;
      }
      .summary a {
        color: inherit;
      }
      textarea {
        min-height: 7rem;
        resize: vertical;
      }
    `,
  ];

  /** The form's starting values; a new object starts the draft over. */
  @property({ attribute: false }) initial!: EventFormValues;
  /** Creating an event (the address slug can be chosen) rather than editing one. */
  @property({ type: Boolean }) creating = false;
  @property({ attribute: false }) series: readonly Series[] = [];
  /** The server's messages for fields, from the last save. */
  @property({ attribute: false }) serverErrors: FieldErrors = {};
  /** A save is on its way. */
  @property({ type: Boolean }) busy = false;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private values!: EventFormValues;
  @state() private clientErrors: FieldErrors = {};
  /** The summary shows after a submit that found errors, until the next submit. */
  @state() private submitted = false;

  @query('.summary') private summaryBox!: HTMLElement | null;

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('initial') && this.initial) {
      this.values = { ...this.initial, speakers: this.initial.speakers.map((s) => ({ ...s })) };
      this.clientErrors = {};
      this.submitted = false;
    }
  }

  override updated(changed: PropertyValues<this>): void {
    // The server refused the save: take the person to the list of what to fix.
    if (changed.has('serverErrors') && Object.keys(this.serverErrors).length > 0) {
      this.submitted = true;
      void this.updateComplete.then(() => this.summaryBox?.focus());
    }
  }

  get #errors(): FieldErrors {
    return { ...this.serverErrors, ...this.clientErrors };
  }

  #message(m: FieldMessage): string {
    return 'key' in m ? this.i18n.t(m.key, m.params) : m.text;
  }

  #set<K extends keyof EventFormValues>(field: K, value: EventFormValues[K]): void {
    this.values = { ...this.values, [field]: value };
  }

  readonly #onInput = (event: Event): void => {
    const target = event.target as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
    const name = target.name;
    const speaker = /^speakers\.(\d+)\.(name|title)$/.exec(name);
    if (speaker) {
      const index = Number(speaker[1]);
      const key = speaker[2] as 'name' | 'title';
      this.#set(
        'speakers',
        this.values.speakers.map((row, i) => (i === index ? { ...row, [key]: target.value } : row)),
      );
      return;
    }
    if (name in this.values && name !== 'speakers') this.#set(name as Exclude<keyof EventFormValues, 'speakers'>, target.value as never);
  };

  async #addSpeaker(): Promise<void> {
    this.#set('speakers', [...this.values.speakers, speakerRow()]);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>(`#${fieldId(`speakers.${this.values.speakers.length - 1}.name`)}`)?.focus();
  }

  async #removeSpeaker(index: number): Promise<void> {
    this.#set(
      'speakers',
      this.values.speakers.filter((_row, i) => i !== index),
    );
    // The messages of the rows after it would point at the wrong rows now.
    this.clientErrors = {};
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('#add-speaker')?.focus();
  }

  async #onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const result = readEventForm(this.values, { creating: this.creating });
    this.submitted = true;
    if (!result.ok) {
      this.clientErrors = result.errors;
      await this.updateComplete;
      this.summaryBox?.focus();
      return;
    }
    this.clientErrors = {};
    this.dispatchEvent(new EventFormSubmitEvent(result.input, this.values));
  }

  #focusField(event: MouseEvent, field: FieldName): void {
    // The fields live in this shadow root, out of reach of the browser's own fragment navigation.
    event.preventDefault();
    const target = this.renderRoot.querySelector<HTMLElement>(`#${fieldId(field)}`);
    target?.focus();
    target?.scrollIntoView({ block: 'center' });
  }

  /** The ids that describe a field: its hint, then its error. */
  #describedBy(field: FieldName, hint: boolean | string): string | typeof nothing {
    const id = fieldId(field);
    const hintId = typeof hint === 'string' ? hint : hint ? `${id}-hint` : '';
    const ids = [hintId, this.#errors[field] ? `${id}-error` : ''].filter(Boolean);
    return ids.length > 0 ? ids.join(' ') : nothing;
  }

  #error(field: FieldName): TemplateResult | typeof nothing {
    const error = this.#errors[field];
    return error ? html`<p id="${fieldId(field)}-error" class="field-error">${this.#message(error)}</p>` : nothing;
  }

  #label(field: FieldName, text: string, required = false): TemplateResult {
    return html`<label for=${fieldId(field)}
      >${text}${required ? html` <span class="required">(${this.i18n.t('form.required')})</span>` : nothing}</label
    >`;
  }

  #hint(field: FieldName, text: string): TemplateResult {
    return html`<p id="${fieldId(field)}-hint" class="hint">${text}</p>`;
  }

  #text(
    field: 'slug' | 'title' | 'capacity' | 'streamUrl' | 'replayUrl',
    label: string,
    options: { required?: boolean; hint?: string; type?: string; inputmode?: string; autocomplete?: string } = {},
  ): TemplateResult {
    return html`<div class="field">
      ${this.#label(field, label, options.required)} ${options.hint ? this.#hint(field, options.hint) : nothing}
      <input
        id=${fieldId(field)}
        name=${field}
        type=${options.type ?? 'text'}
        inputmode=${options.inputmode ?? nothing}
        autocomplete="off"
        ?required=${options.required}
        aria-describedby=${this.#describedBy(field, !!options.hint)}
        aria-invalid=${this.#errors[field] ? 'true' : 'false'}
        .value=${live(this.values[field])}
        @input=${this.#onInput}
      />
      ${this.#error(field)}
    </div>`;
  }

  #dateTime(field: 'startsAt' | 'endsAt', label: string): TemplateResult {
    return html`<div class="field">
      ${this.#label(field, label, true)}
      <input
        id=${fieldId(field)}
        name=${field}
        type="datetime-local"
        step="60"
        required
        aria-describedby=${this.#describedBy(field, 'times-hint')}
        aria-invalid=${this.#errors[field] ? 'true' : 'false'}
        .value=${live(this.values[field])}
        @input=${this.#onInput}
        @change=${this.#onInput}
      />
      ${this.#error(field)}
    </div>`;
  }

  override render(): TemplateResult {
    const { t } = this.i18n;
    const v = this.values;
    return html`
      <form novalidate @submit=${this.#onSubmit}>
        ${this.#renderSummary()}
        <fieldset>
          <legend>${t('form.legend.about')}</legend>
          ${this.creating
            ? this.#text('slug', t('form.slug'), { hint: t('form.slugHint') })
            : nothing}
          ${this.#text('title', t('form.title'), { required: true })}
          <div class="field">
            ${this.#label('summary', t('form.summary'))}
            <textarea
              id=${fieldId('summary')}
              name="summary"
              rows="5"
              aria-describedby=${this.#describedBy('summary', false)}
              aria-invalid=${this.#errors.summary ? 'true' : 'false'}
              .value=${live(v.summary)}
              @input=${this.#onInput}
            ></textarea>
            ${this.#error('summary')}
          </div>
          <div class="row">
            <div class="field">
              ${this.#label('kind', t('form.kind'))}
              <select id=${fieldId('kind')} name="kind" @change=${this.#onInput}>
                ${EventKind.options.map((kind) => html`<option value=${kind} ?selected=${v.kind === kind}>${t(`kindOne.${kind}`)}</option>`)}
              </select>
            </div>
            <div class="field">
              ${this.#label('seriesId', t('form.series'))}
              <select
                id=${fieldId('seriesId')}
                name="seriesId"
                aria-describedby=${this.#describedBy('seriesId', false)}
                aria-invalid=${this.#errors.seriesId ? 'true' : 'false'}
                @change=${this.#onInput}
              >
                <option value="" ?selected=${v.seriesId === ''}>${t('form.noSeries')}</option>
                ${this.series.map((s) => html`<option value=${s.id} ?selected=${v.seriesId === s.id}>${s.title}</option>`)}
              </select>
              ${this.#error('seriesId')}
            </div>
            <div class="field">
              ${this.#label('language', t('form.language'))}
              <select
                id=${fieldId('language')}
                name="language"
                aria-describedby=${this.#describedBy('language', false)}
                aria-invalid=${this.#errors.language ? 'true' : 'false'}
                @change=${this.#onInput}
              >
                ${[...new Set([...LANGUAGES, v.language].filter(Boolean))].map(
                  (code) => html`<option value=${code} lang=${code} ?selected=${v.language === code}>${this.#languageLabel(code)}</option>`,
                )}
              </select>
              ${this.#error('language')}
            </div>
          </div>
        </fieldset>

        <fieldset>
          <legend>${t('form.legend.when')}</legend>
          <p id="times-hint" class="hint">${t('form.timesHint')}</p>
          <div class="row">${this.#dateTime('startsAt', t('form.startsAt'))} ${this.#dateTime('endsAt', t('form.endsAt'))}</div>
          <div class="field">
            ${this.#label('timezone', t('form.timezone'), true)}
            <select
              id=${fieldId('timezone')}
              name="timezone"
              aria-describedby=${this.#describedBy('timezone', false)}
              aria-invalid=${this.#errors.timezone ? 'true' : 'false'}
              @change=${this.#onInput}
            >
              ${timeZoneNames(v.timezone).map((zone) => html`<option value=${zone} ?selected=${v.timezone === zone}>${zone.replace(/_/g, ' ')}</option>`)}
            </select>
            ${this.#error('timezone')}
          </div>
        </fieldset>

        <fieldset>
          <legend>${t('form.legend.access')}</legend>
          <div class="choices" id=${fieldId('access')} tabindex="-1">
            ${EventAccess.options.map(
              (access) => html`<div class="choice">
                <input
                  type="radio"
                  id="access-${access}"
                  name="access"
                  value=${access}
                  aria-describedby="access-${access}-hint"
                  .checked=${live(v.access === access)}
                  @change=${this.#onInput}
                />
                <label for="access-${access}">${t(`access.${access}`)}</label>
                <p id="access-${access}-hint" class="hint">${t(`form.access.${access}Hint`)}</p>
              </div>`,
            )}
          </div>
          ${this.#error('access')}
          <div class="choice">
            <input
              type="checkbox"
              id=${fieldId('unlisted')}
              name="unlisted"
              aria-describedby="unlisted-hint"
              .checked=${live(v.unlisted)}
              @change=${(e: Event) => this.#set('unlisted', (e.target as HTMLInputElement).checked)}
            />
            <label for=${fieldId('unlisted')}>${t('form.unlisted')}</label>
            <p id="unlisted-hint" class="hint">${t('form.unlistedHint')}</p>
          </div>
          ${this.#text('capacity', t('form.capacity'), { hint: t('form.capacityHint'), inputmode: 'numeric' })}
        </fieldset>

        <fieldset>
          <legend>${t('form.legend.speakers')}</legend>
          ${v.speakers.length === 0 ? html`<p class="muted">${t('form.noSpeakers')}</p>` : nothing}
          ${repeat(
            v.speakers,
            (row) => row.key,
            (row, index) => this.#renderSpeaker(row.name, row.title, index),
          )}
          ${this.#error('speakers')}
          <div class="actions">
            <button id="add-speaker" type="button" class="btn btn-secondary btn-small" @click=${() => void this.#addSpeaker()}>
              ${t('form.addSpeaker')}
            </button>
          </div>
        </fieldset>

        <fieldset>
          <legend>${t('form.legend.video')}</legend>
          ${this.#text('streamUrl', t('form.streamUrl'), { hint: t('form.streamUrlHint'), type: 'url' })}
          ${this.#text('replayUrl', t('form.replayUrl'), { hint: t('form.replayUrlHint'), type: 'url' })}
        </fieldset>

        <div class="actions">
          <button type="submit" class="btn" aria-disabled=${this.busy ? 'true' : 'false'}>
            ${this.busy ? t('app.saving') : this.creating ? t('form.create') : t('app.save')}
          </button>
        </div>
      </form>
    `;
  }

  #languageLabel(code: string): string {
    const name = this.i18n.languageName(code);
    return name === code ? code : `${name.charAt(0).toLocaleUpperCase(this.i18n.lang)}${name.slice(1)}`;
  }

  #renderSpeaker(name: string, title: string, index: number): TemplateResult {
    const { t } = this.i18n;
    const n = index + 1;
    const nameField = `speakers.${index}.name`;
    const titleField = `speakers.${index}.title`;
    return html`<fieldset class="speaker">
      <legend>${t('form.speaker', { n })}</legend>
      <div class="row">
        <div class="field">
          ${this.#label(nameField, t('form.speakerName'))}
          <input
            id=${fieldId(nameField)}
            name=${nameField}
            type="text"
            autocomplete="off"
            maxlength=${SPEAKER_NAME_MAX_LENGTH}
            aria-describedby=${this.#describedBy(nameField, false)}
            aria-invalid=${this.#errors[nameField] ? 'true' : 'false'}
            .value=${live(name)}
            @input=${this.#onInput}
          />
          ${this.#error(nameField)}
        </div>
        <div class="field">
          ${this.#label(titleField, t('form.speakerTitle'))}
          <input
            id=${fieldId(titleField)}
            name=${titleField}
            type="text"
            autocomplete="off"
            maxlength=${SPEAKER_TITLE_MAX_LENGTH}
            aria-describedby=${this.#describedBy(titleField, false)}
            aria-invalid=${this.#errors[titleField] ? 'true' : 'false'}
            .value=${live(title)}
            @input=${this.#onInput}
          />
          ${this.#error(titleField)}
        </div>
      </div>
      <div class="actions">
        <button
          type="button"
          class="btn btn-secondary btn-small"
          aria-label=${t('form.removeSpeakerLabel', { n })}
          @click=${() => void this.#removeSpeaker(index)}
        >
          ${t('form.removeSpeaker')}
        </button>
      </div>
    </fieldset>`;
  }

  #renderSummary(): TemplateResult | typeof nothing {
    const errors = this.#errors;
    const fields = formFieldOrder(this.values).filter((field) => errors[field]);
    if (!this.submitted || fields.length === 0) return nothing;
    return html`<div class="notice notice-error summary" tabindex="-1" aria-labelledby="summary-title">
      <p id="summary-title"><strong>${this.i18n.plural('form.errorSummary', fields.length)}</strong></p>
      <ul>
        ${fields.map(
          (field) =>
            html`<li>
              <a href="#${fieldId(field)}" @click=${(e: MouseEvent) => this.#focusField(e, field)}
                >${this.#fieldLabel(field)} — ${this.#message(errors[field]!)}</a
              >
            </li>`,
        )}
      </ul>
    </div>`;
  }

  /** The label of a field as the summary names it. */
  #fieldLabel(field: FieldName): string {
    const { t } = this.i18n;
    const speaker = /^speakers\.(\d+)\.(name|title)$/.exec(field);
    if (speaker) {
      const n = Number(speaker[1]) + 1;
      return `${t('form.speaker', { n })}, ${speaker[2] === 'name' ? t('form.speakerName') : t('form.speakerTitle')}`;
    }
    const labels: Record<string, string> = {
      slug: t('form.slug'),
      title: t('form.title'),
      summary: t('form.summary'),
      kind: t('form.kind'),
      startsAt: t('form.startsAt'),
      endsAt: t('form.endsAt'),
      timezone: t('form.timezone'),
      access: t('form.legend.access'),
      capacity: t('form.capacity'),
      seriesId: t('form.series'),
      language: t('form.language'),
      streamUrl: t('form.streamUrl'),
      replayUrl: t('form.replayUrl'),
    };
    return labels[field] ?? field;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-event-form': ParvisEventForm;
  }
  interface HTMLElementEventMap {
    'parvis-event-form-submit': EventFormSubmitEvent;
  }
}
