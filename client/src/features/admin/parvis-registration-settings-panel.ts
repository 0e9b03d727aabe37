import { consume } from '@lit/context';
import type { Event as ProgrammeEvent } from '#shared/domain/event';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type { RegistrationSettingsRequest } from '#shared/domain/registration';
import { ApiError, type ApiClient } from '../../app/api-client';
import { apiContext, i18nContext } from '../../app/contexts';
import { PageLoad } from '../../app/page-load';
import { adminRegistrationsHref } from '../../app/routes';
import { baseStyles } from '../../app/shared-styles';
import { errorText } from '../../i18n/error-text';
import type { Translator } from '../../i18n/i18n';
import { adminStyles } from './admin-styles';
import type { FieldErrors, FieldMessage } from './event-form';
import type { QuestionsChangeEvent } from './parvis-form-questions-editor';
import { readSettings, settingsFieldId, settingsValues, type RegistrationSettingsValues } from './registration-settings';
import './parvis-form-questions-editor';

/** The event as the server saved it, after a change made here. */
export class EventChangedEvent extends Event {
  static readonly eventName = 'parvis-event-changed';
  constructor(readonly event: ProgrammeEvent) {
    super(EventChangedEvent.eventName, { bubbles: true, composed: true });
  }
}

/**
 * Sign-up settings on the page of a registration event: the waiting list, the form's own questions, and the private
 * link of an outside video room (`PUT /api/admin/events/:id/registration-settings`), with a link to the people signed up.
 * @fires parvis-event-changed - the settings were saved; the event comes as the server answered it
 */
@customElement('parvis-registration-settings-panel')
export class ParvisRegistrationSettingsPanel extends LitElement {
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
    `,
  ];

  @property({ attribute: false }) event!: ProgrammeEvent;

  @consume({ context: apiContext })
  private api!: ApiClient;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private values: RegistrationSettingsValues | null = null;
  @state() private errors: FieldErrors = {};
  @state() private saving = false;
  @state() private status = '';
  @state() private formError = '';

  /** The saved join link: admins only, never in the public event. Null when it could not be read. */
  readonly #settings = new PageLoad(this, {
    args: () => [this.event.id] as const,
    load: ([id], signal): Promise<{ joinUrl: string | null } | null> => this.api.registrationSettings(id, signal).catch(() => null),
  });

  /** The saved settings the draft started from: a new copy of the event that changes them starts the draft over. */
  #basis = '';

  override willUpdate(): void {
    if (this.#settings.view.status !== 'ready') return;
    // Any change of the event (a status broadcast) comes as a new copy: only one of these settings resets the draft.
    const basis = JSON.stringify([this.event.waitlist, this.event.form, this.#settings.data?.joinUrl]);
    if (this.values === null || basis !== this.#basis) {
      this.#basis = basis;
      this.values = settingsValues(this.event, this.#settings.data?.joinUrl ?? null);
    }
  }

  /** Whether the saved join link was read: when it was not, an empty field leaves it as it is. */
  get #joinUrlKnown(): boolean {
    return this.#settings.data != null;
  }

  #message(m: FieldMessage): string {
    return 'key' in m ? this.i18n.t(m.key, m.params) : m.text;
  }

  async #onSubmit(submit: SubmitEvent): Promise<void> {
    submit.preventDefault();
    const values = this.values;
    if (this.saving || !values) return;
    const { t } = this.i18n;
    this.status = '';
    this.formError = '';
    const read = readSettings(values);
    if (!read.ok) {
      this.errors = read.errors;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    this.errors = {};
    this.saving = true;
    const input: RegistrationSettingsRequest = { ...read.input };
    if (!this.#joinUrlKnown && input.joinUrl === null) delete input.joinUrl;
    try {
      const saved = await this.api.saveRegistrationSettings(this.event.id, input);
      this.#settings.update(() => saved.settings);
      this.status = t('admin.reg.saved');
      this.dispatchEvent(new EventChangedEvent(saved.event));
    } catch (error) {
      if (error instanceof ApiError && error.fields) {
        const errors: Record<string, FieldMessage> = {};
        for (const [field, text] of Object.entries(error.fields)) {
          const name = field.replace(/^form\./, 'questions.');
          errors[/^questions\.\d+$/.test(name) ? `${name}.label` : name] = { text };
        }
        this.errors = errors;
      }
      this.formError = errorText(this.i18n, error);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.form-error')?.focus();
    } finally {
      this.saving = false;
    }
  }

  override render(): TemplateResult {
    const { t } = this.i18n;
    return html`<section class="panel" aria-labelledby="reg-settings-title">
      <h2 id="reg-settings-title">${t('admin.reg.settings.title')}</h2>
      <p><a href=${adminRegistrationsHref(this.event.id)}>${t('admin.reg.registrantsLink')}</a></p>
      ${this.values ? this.#renderForm(this.values) : html`<p class="load-status" role="status">${t('app.loading')}</p>`}
    </section>`;
  }

  #renderForm(v: RegistrationSettingsValues): TemplateResult {
    const { t } = this.i18n;
    const joinError = this.errors.joinUrl;
    return html`<form novalidate @submit=${this.#onSubmit}>
      ${this.formError ? html`<p class="notice notice-error form-error" role="alert" tabindex="-1">${this.formError}</p>` : nothing}
      <div class="choice">
        <input
          id=${settingsFieldId('waitlist')}
          type="checkbox"
          aria-describedby="reg-waitlist-hint"
          .checked=${live(v.waitlist)}
          @change=${(e: Event) => (this.values = { ...v, waitlist: (e.target as HTMLInputElement).checked })}
        />
        <label for=${settingsFieldId('waitlist')}>${t('admin.reg.waitlist')}</label>
        <p id="reg-waitlist-hint" class="hint">${t('admin.reg.waitlistHint')}</p>
      </div>
      <parvis-form-questions-editor
        .questions=${v.questions}
        .errors=${this.errors}
        @parvis-questions-change=${(e: QuestionsChangeEvent) => (this.values = { ...v, questions: e.questions })}
      ></parvis-form-questions-editor>
      <div class="field">
        <label for=${settingsFieldId('joinUrl')}>${t('admin.reg.joinUrl')}</label>
        <p id="reg-joinUrl-hint" class="hint">
          ${t('admin.reg.joinUrlHint')} ${this.#joinUrlKnown ? nothing : t('admin.reg.joinUrlUnread')}
        </p>
        <input
          id=${settingsFieldId('joinUrl')}
          type="url"
          inputmode="url"
          autocomplete="off"
          spellcheck="false"
          maxlength="2000"
          aria-describedby=${joinError ? 'reg-joinUrl-hint reg-joinUrl-error' : 'reg-joinUrl-hint'}
          aria-invalid=${joinError ? 'true' : 'false'}
          .value=${live(v.joinUrl)}
          @input=${(e: Event) => (this.values = { ...v, joinUrl: (e.target as HTMLInputElement).value })}
        />
        ${joinError ? html`<p id="reg-joinUrl-error" class="field-error">${this.#message(joinError)}</p>` : nothing}
      </div>
      <div class="actions">
        <button type="submit" class="btn" aria-disabled=${this.saving ? 'true' : 'false'}>
          ${this.saving ? t('app.saving') : t('admin.reg.save')}
        </button>
      </div>
      <p role="status" class=${this.status ? 'notice notice-success' : ''}>${this.status}</p>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-registration-settings-panel': ParvisRegistrationSettingsPanel;
  }
  interface HTMLElementEventMap {
    'parvis-event-changed': EventChangedEvent;
  }
}
