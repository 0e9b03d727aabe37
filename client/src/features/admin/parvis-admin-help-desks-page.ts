import { consume } from '@lit/context';
import { HELP_DESK_MODES, type AppointmentRequestRow, type HelpDesk, type HelpDeskMode, type HelpDeskRequest } from '#shared/domain/appointment';
import type { Weekday } from '#shared/domain/event';
import type { MailLanguage } from '#shared/domain/registration';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { ApiError, type ApiClient } from '../../app/api-client';
import { apiContext, i18nContext } from '../../app/contexts';
import { PageLoad, standardViews } from '../../app/page-load';
import { adminHelpDeskHref, adminHelpDesksHref, adminRegistrationsHref } from '../../app/routes';
import { baseStyles } from '../../app/shared-styles';
import { errorText } from '../../i18n/error-text';
import type { Translator } from '../../i18n/i18n';
import { adminStyles } from './admin-styles';
import './parvis-admin-nav';

const WEEKDAYS: readonly Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
/** A Monday, from which the weekdays' names are read in the page's language. */
const A_MONDAY = Date.UTC(2024, 0, 1, 12);

interface DeskValues {
  title: string;
  summary: string;
  byDay: Weekday[];
  startTime: string;
  endTime: string;
  slotMinutes: string;
  from: string;
  until: string;
  mode: HelpDeskMode;
  librarianName: string;
  librarianEmail: string;
}

const emptyDesk = (): DeskValues => ({
  title: '',
  summary: '',
  byDay: [],
  startTime: '14:00',
  endTime: '17:00',
  slotMinutes: '30',
  from: '',
  until: '',
  mode: 'room',
  librarianName: '',
  librarianEmail: '',
});

interface PartnerValues {
  name: string;
  email: string;
  phone: string;
  language: MailLanguage;
}

const emptyPartner = (): PartnerValues => ({ name: '', email: '', phone: '', language: 'fr' });

/** The server's field names, as the form's inputs are named. */
const FIELD_OF: Record<string, string> = { 'librarian.name': 'librarianName', 'librarian.email': 'librarianEmail' };

/**
 * `/admin/help-desks` and `/admin/help-desks/:id` (docs/appointments.md): the help desks, the form that makes one
 * (days, hours, length of a slot, room or phone, the librarian who gets the copies), and one desk's booked requests
 * with the reader's need, each with a form that gives it to a partner. Field errors show beside their field, and the
 * first one takes the focus.
 */
@customElement('parvis-admin-help-desks-page')
export class ParvisAdminHelpDesksPage extends LitElement {
  static override styles = [
    baseStyles,
    adminStyles,
    css`
      .days {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-3);
        border: 0;
        padding: 0;
        margin: 0;
      }
      .days label {
        display: inline-flex;
        gap: var(--space-1);
        align-items: center;
        font-weight: 400;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-3);
      }
      .row .field {
        flex: 1 1 10rem;
      }
      .need {
        white-space: pre-wrap;
        max-width: 24rem;
      }
      ul.desks {
        display: grid;
        gap: var(--space-2);
        padding-left: var(--space-4);
      }
    `,
  ];

  /** Null: the list and the form to make one. */
  @property({ attribute: false }) helpDeskId: string | null = null;

  @consume({ context: apiContext })
  private api!: ApiClient;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private desk: DeskValues = emptyDesk();
  @state() private errors: Record<string, string> = {};
  @state() private status = '';
  @state() private busy = false;
  /** The request whose assign form is open, its values and errors. */
  @state() private assigning: { registrationId: string; values: PartnerValues; errors: Record<string, string> } | null = null;

  readonly #desks = new PageLoad(this, {
    args: () => [this.helpDeskId] as const,
    load: async ([id], signal) => (id === null ? this.api.listHelpDesks(signal) : []),
  });

  readonly #requests = new PageLoad(this, {
    args: () => [this.helpDeskId] as const,
    load: async ([id], signal) => (id === null ? null : this.api.helpDeskRequests(id, signal)),
  });

  override updated(): void {
    const { t } = this.i18n;
    const title = this.helpDeskId === null ? t('admin.helpDesks.title') : (this.#requests.data?.helpDesk.title ?? t('admin.helpDesks.title'));
    document.title = `${title} — Parvis`;
  }

  #dayName(day: Weekday): string {
    const name = new Intl.DateTimeFormat(this.i18n.lang, { weekday: 'long', timeZone: 'UTC' }).format(A_MONDAY + WEEKDAYS.indexOf(day) * 86_400_000);
    return name.charAt(0).toLocaleUpperCase(this.i18n.lang) + name.slice(1);
  }

  async #focusFirstError(formId: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#${formId} [aria-invalid="true"]`)?.focus();
  }

  /** Field errors of a refusal, by input name; a refusal without fields becomes the form's own error. */
  #fieldErrors(error: unknown): Record<string, string> {
    if (error instanceof ApiError && error.fields) {
      return Object.fromEntries(Object.entries(error.fields).map(([field, message]) => [FIELD_OF[field] ?? field, message]));
    }
    return { form: errorText(this.i18n, error) };
  }

  async #create(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const d = this.desk;
    const request: HelpDeskRequest = {
      title: d.title,
      summary: d.summary,
      byDay: d.byDay,
      startTime: d.startTime,
      endTime: d.endTime,
      slotMinutes: Number(d.slotMinutes),
      from: d.from,
      until: d.until,
      mode: d.mode,
      language: this.i18n.lang === 'en' ? 'en' : 'fr',
      librarian: { name: d.librarianName, email: d.librarianEmail },
    };
    this.busy = true;
    try {
      const { helpDesk, slots } = await this.api.createHelpDesk(request);
      this.errors = {};
      this.desk = emptyDesk();
      this.status = this.i18n.plural('admin.helpDesks.created', slots, { title: helpDesk.title });
      await this.#desks.reload({ quiet: true });
    } catch (error) {
      this.errors = this.#fieldErrors(error);
      await this.#focusFirstError('desk-form');
    } finally {
      this.busy = false;
    }
  }

  async #assign(e: SubmitEvent, row: AppointmentRequestRow): Promise<void> {
    e.preventDefault();
    const a = this.assigning;
    if (!a || this.busy || this.helpDeskId === null) return;
    this.busy = true;
    try {
      const { name, email, phone, language } = a.values;
      await this.api.assignPartner(this.helpDeskId, row.registrationId, { name, email, language, ...(phone.trim() && { phone }) });
      this.assigning = null;
      this.status = this.i18n.t('admin.helpDesks.assigned', { partner: name, reader: row.reader.name ?? this.i18n.t('admin.regs.erased') });
      await this.#requests.reload({ quiet: true });
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.status-line')?.focus();
    } catch (error) {
      this.assigning = { ...a, errors: this.#fieldErrors(error) };
      await this.#focusFirstError('assign-form');
    } finally {
      this.busy = false;
    }
  }

  async #openAssign(row: AppointmentRequestRow): Promise<void> {
    this.assigning = {
      registrationId: row.registrationId,
      values: row.partner ? { name: row.partner.name, email: row.partner.email, phone: row.partner.phone ?? '', language: row.partner.language } : emptyPartner(),
      errors: {},
    };
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#assign-name')?.focus();
  }

  override render(): TemplateResult {
    const { t } = this.i18n;
    return html`<parvis-admin-nav current="help-desks"></parvis-admin-nav>
      <p class="notice notice-success status-line" role="status" tabindex="-1" ?hidden=${!this.status}>${this.status}</p>
      ${this.helpDeskId === null
        ? html`<h1 tabindex="-1">${t('admin.helpDesks.title')}</h1>
            <p class="lede">${t('admin.helpDesks.intro')}</p>
            ${this.#desks.render({
              ...standardViews(this.i18n, { failed: t('admin.helpDesks.loadError') }),
              ready: (desks) => this.#renderList(desks),
            })}
            ${this.#renderForm()}`
        : this.#requests.render({
            ...standardViews(this.i18n, { failed: t('admin.helpDesks.loadError') }),
            ready: (data) => (data ? this.#renderRequests(data.helpDesk, data.requests) : nothing),
          })}`;
  }

  #renderList(desks: readonly HelpDesk[]): TemplateResult {
    const { t } = this.i18n;
    if (desks.length === 0) return html`<p class="empty">${t('admin.helpDesks.empty')}</p>`;
    return html`<ul class="desks">
      ${desks.map(
        (d) => html`<li>
          <a href=${adminHelpDeskHref(d.id)}>${d.title}</a> —
          ${d.byDay.map((day) => this.#dayName(day)).join(', ')}, ${d.startTime}–${d.endTime},
          ${t(`admin.helpDesks.mode.${d.mode}`)}
        </li>`,
      )}
    </ul>`;
  }

  #field(form: 'desk' | 'assign', name: string, label: string, value: string, set: (v: string) => void, options: { type?: string; required?: boolean } = {}): TemplateResult {
    const { t } = this.i18n;
    const errors = form === 'desk' ? this.errors : (this.assigning?.errors ?? {});
    const id = `${form}-${name}`;
    const error = errors[name];
    return html`<div class="field">
      <label for=${id}>${label} <span class="required">(${options.required === false ? t('signup.optional') : t('form.required')})</span></label>
      <input
        id=${id}
        type=${options.type ?? 'text'}
        autocomplete="off"
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${error ? `${id}-error` : nothing}
        .value=${value}
        @input=${(e: Event) => set((e.target as HTMLInputElement).value)}
      />
      ${error ? html`<p id="${id}-error" class="field-error">${error}</p>` : nothing}
    </div>`;
  }

  #renderForm(): TemplateResult {
    const { t } = this.i18n;
    const d = this.desk;
    const set = (change: Partial<DeskValues>) => (this.desk = { ...this.desk, ...change });
    const daysError = this.errors.byDay;
    return html`<section class="panel" aria-labelledby="desk-form-title">
      <h2 id="desk-form-title">${t('admin.helpDesks.new')}</h2>
      <form id="desk-form" novalidate @submit=${(e: SubmitEvent) => void this.#create(e)}>
        ${this.#field('desk', 'title', t('admin.helpDesks.field.title'), d.title, (title) => set({ title }))}
        ${this.#field('desk', 'summary', t('admin.helpDesks.field.summary'), d.summary, (summary) => set({ summary }), { required: false })}
        <fieldset class="days" aria-invalid=${daysError ? 'true' : 'false'} aria-describedby=${daysError ? 'desk-byDay-error' : nothing}>
          <legend>${t('admin.helpDesks.field.days')}</legend>
          ${WEEKDAYS.map(
            (day) => html`<label
              ><input
                type="checkbox"
                .checked=${d.byDay.includes(day)}
                @change=${(e: Event) =>
                  set({ byDay: (e.target as HTMLInputElement).checked ? WEEKDAYS.filter((w) => w === day || d.byDay.includes(w)) : d.byDay.filter((w) => w !== day) })}
              />${this.#dayName(day)}</label
            >`,
          )}
        </fieldset>
        ${daysError ? html`<p id="desk-byDay-error" class="field-error">${daysError}</p>` : nothing}
        <div class="row">
          ${this.#field('desk', 'startTime', t('admin.helpDesks.field.start'), d.startTime, (startTime) => set({ startTime }), { type: 'time' })}
          ${this.#field('desk', 'endTime', t('admin.helpDesks.field.end'), d.endTime, (endTime) => set({ endTime }), { type: 'time' })}
          ${this.#field('desk', 'slotMinutes', t('admin.helpDesks.field.slot'), d.slotMinutes, (slotMinutes) => set({ slotMinutes }), { type: 'number' })}
        </div>
        <div class="row">
          ${this.#field('desk', 'from', t('admin.helpDesks.field.from'), d.from, (from) => set({ from }), { type: 'date' })}
          ${this.#field('desk', 'until', t('admin.helpDesks.field.until'), d.until, (until) => set({ until }), { type: 'date' })}
        </div>
        <fieldset class="days">
          <legend>${t('admin.helpDesks.field.mode')}</legend>
          ${HELP_DESK_MODES.map(
            (mode) => html`<label
              ><input type="radio" name="mode" .checked=${d.mode === mode} @change=${() => set({ mode })} />${t(`admin.helpDesks.mode.${mode}`)}</label
            >`,
          )}
        </fieldset>
        <div class="row">
          ${this.#field('desk', 'librarianName', t('admin.helpDesks.field.librarianName'), d.librarianName, (librarianName) => set({ librarianName }))}
          ${this.#field('desk', 'librarianEmail', t('admin.helpDesks.field.librarianEmail'), d.librarianEmail, (librarianEmail) => set({ librarianEmail }), {
            type: 'email',
          })}
        </div>
        ${this.errors.form ? html`<p class="notice notice-error" role="alert">${this.errors.form}</p>` : nothing}
        <div>
          <button type="submit" class="btn" aria-disabled=${this.busy ? 'true' : 'false'}>${t('admin.helpDesks.create')}</button>
        </div>
      </form>
    </section>`;
  }

  #renderRequests(desk: HelpDesk, requests: readonly AppointmentRequestRow[]): TemplateResult {
    const { t } = this.i18n;
    return html`<p><a href=${adminHelpDesksHref}>${t('admin.helpDesks.back')}</a></p>
      <h1 tabindex="-1">${desk.title}</h1>
      <p class="lede">
        ${desk.byDay.map((day) => this.#dayName(day)).join(', ')}, ${desk.startTime}–${desk.endTime}, ${t('admin.helpDesks.slotOf', { minutes: desk.slotMinutes })},
        ${t(`admin.helpDesks.mode.${desk.mode}`)}
      </p>
      <p><a href="/series/${encodeURIComponent(desk.id)}">${t('admin.helpDesks.publicPage')}</a></p>
      ${requests.length === 0
        ? html`<p class="empty">${t('admin.helpDesks.noRequests')}</p>`
        : html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="requests-caption">
            <table>
              <caption id="requests-caption">${t('admin.helpDesks.requests')}</caption>
              <thead>
                <tr>
                  <th scope="col">${t('admin.helpDesks.col.slot')}</th>
                  <th scope="col">${t('admin.helpDesks.col.reader')}</th>
                  <th scope="col">${t('admin.helpDesks.col.need')}</th>
                  <th scope="col">${t('admin.helpDesks.col.partner')}</th>
                </tr>
              </thead>
              <tbody>
                ${repeat(requests, (r) => r.registrationId, (r) => this.#renderRow(r))}
              </tbody>
            </table>
          </div>`}`;
  }

  #renderRow(r: AppointmentRequestRow): TemplateResult {
    const { t } = this.i18n;
    const open = this.assigning?.registrationId === r.registrationId;
    const reader = r.reader.name ?? t('admin.regs.erased');
    return html`<tr>
      <td class="nowrap">
        <a href=${adminRegistrationsHref(r.eventId)}><time datetime=${r.startsAt}>${this.i18n.shortDateTime(r.startsAt)}</time></a>
      </td>
      <td>
        ${reader}${r.reader.email ? html`<br /><span class="hint">${r.reader.email}</span>` : nothing}
        ${r.reader.phone ? html`<br /><span class="hint">${r.reader.phone}</span>` : nothing}
      </td>
      <td class="need">${r.need ?? t('admin.regs.erased')}</td>
      <td>
        ${r.partner ? html`${r.partner.name}<br /><span class="hint">${r.partner.email}</span>` : html`<span>${t('admin.helpDesks.unassigned')}</span>`}
        ${open
          ? this.#renderAssign(r)
          : html`<div>
              <button
                type="button"
                class="btn btn-small ${r.partner ? 'btn-secondary' : ''}"
                aria-label=${t(r.partner ? 'admin.helpDesks.reassignLabel' : 'admin.helpDesks.assignLabel', { reader })}
                @click=${() => void this.#openAssign(r)}
              >
                ${r.partner ? t('admin.helpDesks.reassign') : t('admin.helpDesks.assign')}
              </button>
            </div>`}
      </td>
    </tr>`;
  }

  #renderAssign(r: AppointmentRequestRow): TemplateResult {
    const { t } = this.i18n;
    const a = this.assigning!;
    const set = (change: Partial<PartnerValues>) => (this.assigning = { ...a, values: { ...a.values, ...change } });
    return html`<form id="assign-form" novalidate @submit=${(e: SubmitEvent) => void this.#assign(e, r)}>
      ${this.#field('assign', 'name', t('admin.helpDesks.partner.name'), a.values.name, (name) => set({ name }))}
      ${this.#field('assign', 'email', t('admin.helpDesks.partner.email'), a.values.email, (email) => set({ email }), { type: 'email' })}
      ${this.#field('assign', 'phone', t('admin.helpDesks.partner.phone'), a.values.phone, (phone) => set({ phone }), { type: 'tel', required: false })}
      <div class="field">
        <label for="assign-language">${t('signup.language')}</label>
        <select id="assign-language" @change=${(e: Event) => set({ language: (e.target as HTMLSelectElement).value as MailLanguage })}>
          <option value="fr" ?selected=${a.values.language === 'fr'}>Français</option>
          <option value="en" ?selected=${a.values.language === 'en'}>English</option>
        </select>
      </div>
      ${a.errors.form ? html`<p class="notice notice-error" role="alert">${a.errors.form}</p>` : nothing}
      <div class="row">
        <button type="submit" class="btn btn-small" aria-disabled=${this.busy ? 'true' : 'false'}>${t('admin.helpDesks.assignSubmit')}</button>
        <button type="button" class="btn btn-small btn-secondary" @click=${() => (this.assigning = null)}>${t('admin.helpDesks.cancel')}</button>
      </div>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-admin-help-desks-page': ParvisAdminHelpDesksPage;
  }
}
