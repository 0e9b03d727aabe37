import { consume } from '@lit/context';
import type { Event as ProgrammeEvent } from '#shared/domain/event';
import { EMAIL_MAX_LENGTH, PERSON_NAME_MAX_LENGTH, PHONE_MAX_LENGTH } from '#shared/domain/limits';
import { isActive, type MailLanguage, type RegistrantRow, type SeatCounts } from '#shared/domain/registration';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { ApiError, type ApiClient } from '../../app/api-client';
import { apiContext, i18nContext } from '../../app/contexts';
import { PageLoad, standardViews } from '../../app/page-load';
import '../../app/parvis-confirm-dialog';
import type { ParvisConfirmDialog } from '../../app/parvis-confirm-dialog';
import { adminEventHref, eventHref } from '../../app/routes';
import { saveDownload } from '../../app/save-download';
import { baseStyles } from '../../app/shared-styles';
import { errorText } from '../../i18n/error-text';
import type { Translator } from '../../i18n/i18n';
import {
  filterRegistrants,
  readDeskForm,
  readEmailForm,
  REGISTRANT_FILTERS,
  RegistrantsController,
  statusCounts,
  type DeskValues,
  type RegistrantFilter,
} from '../signup/registrants';
import { adminStyles } from './admin-styles';
import type { FieldErrors, FieldMessage } from './event-form';
import './parvis-admin-nav';

const emptyDesk = (): DeskValues => ({ name: '', email: '', phone: '', language: 'fr' });

/**
 * `/admin/events/:id/registrations`: who signed up for an event, and what the library does about it. A table with each
 * person's status (position, offer), answers, attendance (a tick box), past no-shows (shown, never acted on) and how
 * they signed up; filters by status; the CSV export; signing someone up at the desk; cancelling or confirming by
 * hand (after asking); and a message to everyone confirmed.
 */
@customElement('parvis-admin-registrations-page')
export class ParvisAdminRegistrationsPage extends LitElement {
  static override styles = [
    baseStyles,
    adminStyles,
    css`
      .counts {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-2) var(--space-5);
        margin: 0;
      }
      .counts div {
        display: flex;
        gap: var(--space-1);
      }
      .counts dt {
        color: var(--color-ink-muted);
      }
      .counts dd {
        margin: 0;
        font-weight: 700;
      }
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        justify-content: space-between;
        gap: var(--space-3);
      }
      .toolbar .field {
        min-width: 14rem;
      }
      .answers {
        margin: 0;
        display: grid;
        gap: var(--space-1);
      }
      .answers dt {
        font-size: 0.875rem;
        color: var(--color-ink-muted);
      }
      .answers dd {
        margin: 0;
      }
      .erased {
        font-style: italic;
        color: var(--color-ink-muted);
      }
      td input[type='checkbox'] {
        width: 1.25rem;
        height: 1.25rem;
      }
      .contact {
        overflow-wrap: anywhere;
        min-width: 10rem;
      }
      .row-error {
        color: var(--color-error-ink);
        font-weight: 600;
        font-size: 0.875rem;
      }
      .forms {
        display: grid;
        gap: var(--space-5);
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 22rem), 1fr));
        align-items: start;
      }
      input[type='tel'] {
        width: 100%;
        min-height: 2.75rem;
        padding: var(--space-2) var(--space-3);
        border: 2px solid var(--color-line-strong);
        border-radius: var(--radius-s);
        background: var(--color-surface);
      }
      textarea {
        min-height: 8rem;
        resize: vertical;
      }
    `,
  ];

  @property({ attribute: false }) eventId = '';

  @consume({ context: apiContext })
  private api!: ApiClient;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private filter: RegistrantFilter = 'active';
  @state() private desk: DeskValues = emptyDesk();
  @state() private deskErrors: FieldErrors = {};
  @state() private mail = { subject: '', body: '' };
  @state() private mailErrors: FieldErrors = {};
  @state() private exportError = '';

  @query('parvis-confirm-dialog') private confirm!: ParvisConfirmDialog;

  readonly #event = new PageLoad(this, {
    args: () => [this.eventId] as const,
    load: ([id], signal) => this.api.getEvent(id, signal),
  });

  readonly #list = new RegistrantsController(this, {
    api: () => this.api,
    i18n: () => this.i18n,
    eventId: () => this.eventId,
  });

  override updated(): void {
    const { t } = this.i18n;
    const event = this.#event.data;
    document.title = `${event ? t('admin.regs.title', { title: event.title }) : t('admin.regs.heading')} — Parvis`;
  }

  #message(m: FieldMessage): string {
    return 'key' in m ? this.i18n.t(m.key, m.params) : m.text;
  }

  #nameOf(row: RegistrantRow): string {
    return row.name ?? this.i18n.t('admin.regs.erased');
  }

  async #focusStatus(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.page-status')?.focus();
  }

  async #cancel(row: RegistrantRow): Promise<void> {
    const { t } = this.i18n;
    const name = this.#nameOf(row);
    const ok = await this.confirm.ask({
      heading: t('admin.regs.cancelTitle', { name }),
      body: t('admin.regs.cancelBody'),
      confirmLabel: t('admin.regs.cancel'),
      cancelLabel: t('admin.regs.keep'),
      danger: true,
    });
    if (ok && (await this.#list.act(row, 'cancel', t('admin.regs.cancelled', { name })))) await this.#focusStatus();
  }

  async #promote(row: RegistrantRow): Promise<void> {
    const { t } = this.i18n;
    const name = this.#nameOf(row);
    const ok = await this.confirm.ask({
      heading: t('admin.regs.promoteTitle', { name }),
      body: t('admin.regs.promoteBody'),
      confirmLabel: t('admin.regs.promote'),
      cancelLabel: t('admin.regs.keepWaiting'),
    });
    if (ok && (await this.#list.act(row, 'promote', t('admin.regs.promoted', { name })))) await this.#focusStatus();
  }

  async #addAtDesk(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const read = readDeskForm(this.desk);
    if (!read.ok) {
      this.deskErrors = read.errors;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#desk-form [aria-invalid="true"]')?.focus();
      return;
    }
    this.deskErrors = {};
    const name = this.desk.name.trim();
    if (await this.#list.addAtDesk(read.request, this.i18n.t('admin.regs.desk.done', { name }))) {
      this.desk = emptyDesk();
      await this.#focusStatus();
    }
  }

  async #sendEmail(event: SubmitEvent, confirmed: number): Promise<void> {
    event.preventDefault();
    const { t } = this.i18n;
    const read = readEmailForm(this.mail);
    if (!read.ok) {
      this.mailErrors = read.errors;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#email-form [aria-invalid="true"]')?.focus();
      return;
    }
    this.mailErrors = {};
    const ok = await this.confirm.ask({
      heading: this.i18n.plural('admin.regs.email.confirmTitle', confirmed),
      body: t('admin.regs.email.confirmBody', { subject: read.request.subject }),
      confirmLabel: t('admin.regs.email.send'),
      cancelLabel: t('admin.regs.email.keep'),
    });
    if (!ok) return;
    if (await this.#list.email(read.request)) {
      this.mail = { subject: '', body: '' };
      await this.#focusStatus();
    }
  }

  async #exportCsv(): Promise<void> {
    const { t } = this.i18n;
    this.exportError = '';
    try {
      const file = await this.api.download(`/api/admin/events/${encodeURIComponent(this.eventId)}/registrations.csv`);
      saveDownload(file, `${this.eventId.replace(/[^\w.-]+/g, '-')}-registrants.csv`, this.renderRoot);
    } catch (error) {
      this.exportError = t('mod.exports.failed', { reason: errorText(this.i18n, error) });
    }
  }

  override render(): TemplateResult {
    const { t } = this.i18n;
    const nav = html`<parvis-admin-nav current="events"></parvis-admin-nav>`;
    const views = standardViews(this.i18n, { failed: '' });
    return html`${nav}
    ${this.#event.render({
      loading: views.loading,
      error: (error, retry) =>
        error instanceof ApiError && error.code === 'NOT_FOUND'
          ? html`<h1>${t('event.notFound.title')}</h1>
              <p class="notice notice-error" role="alert">${t('admin.event.notFound')}</p>`
          : html`<h1>${t('admin.regs.heading')}</h1>
              ${views.error(error, retry)}`,
      ready: (event) => this.#renderReady(event),
    })}
    <parvis-confirm-dialog></parvis-confirm-dialog>`;
  }

  #renderReady(event: ProgrammeEvent): TemplateResult {
    const { t } = this.i18n;
    return html`<div class="page-head">
        <div>
          <p><a href=${adminEventHref(event.id)}><span aria-hidden="true">←</span> ${t('admin.regs.back')}</a></p>
          <h1>${t('admin.regs.title', { title: event.title })}</h1>
          <p class="muted">
            <time datetime=${event.startsAt}>${this.i18n.dateTime(event.startsAt, event.timezone)}</time> ·
            <a href=${eventHref(event.id)}>${t('admin.event.viewPublic')}</a>
          </p>
        </div>
      </div>
      ${event.access !== 'registration' ? html`<p class="notice">${t('admin.regs.notRegistration')}</p>` : nothing}
      <p class="page-status ${this.#list.notice ? 'notice notice-success' : ''}" role="status" tabindex="-1">${this.#list.notice}</p>
      ${this.#list.error && this.#list.error.registrationId === null
        ? html`<p class="notice notice-error" role="alert">${this.#list.error.text}</p>`
        : nothing}
      ${this.#list.load.render({
        ...standardViews(this.i18n, { failed: t('admin.regs.loadError') }),
        ready: ({ registrants, seats }) => this.#renderList(event, registrants, seats),
      })}`;
  }

  #renderCounts(rows: readonly RegistrantRow[], seats: SeatCounts | null): TemplateResult {
    const { t } = this.i18n;
    const counts = statusCounts(rows);
    const item = (label: string, value: number) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`;
    return html`<dl class="counts" aria-label=${t('admin.regs.countsLabel')}>
      ${seats ? item(t('admin.regs.capacity'), seats.capacity) : nothing} ${item(t('regStatus.confirmed'), counts.confirmed)}
      ${item(t('regStatus.offered'), counts.offered)} ${item(t('regStatus.waitlisted'), counts.waitlisted)}
      ${seats ? item(t('admin.regs.free'), seats.free) : nothing} ${item(t('regStatus.cancelled'), counts.cancelled + counts.expired)}
    </dl>`;
  }

  #renderList(event: ProgrammeEvent, rows: readonly RegistrantRow[], seats: SeatCounts | null): TemplateResult {
    const { t } = this.i18n;
    const shown = filterRegistrants(rows, this.filter);
    const counts = statusCounts(rows);
    const filterLabel = (f: RegistrantFilter): string => {
      const n =
        f === 'all' ? rows.length : f === 'active' ? counts.confirmed + counts.offered + counts.waitlisted : counts[f];
      const name = f === 'all' ? t('admin.regs.filter.all') : f === 'active' ? t('admin.regs.filter.active') : t(`regStatus.${f}`);
      return `${name} (${n})`;
    };
    return html`${this.#renderCounts(rows, seats)}
      <div class="toolbar">
        <div class="field">
          <label for="regs-filter">${t('admin.regs.filter')}</label>
          <select id="regs-filter" @change=${(e: Event) => (this.filter = (e.target as HTMLSelectElement).value as RegistrantFilter)}>
            ${REGISTRANT_FILTERS.map((f) => html`<option value=${f} ?selected=${this.filter === f}>${filterLabel(f)}</option>`)}
          </select>
        </div>
        <div>
          <button type="button" class="btn btn-secondary" @click=${() => void this.#exportCsv()}>${t('admin.regs.csv')}</button>
          ${this.exportError ? html`<p class="field-error" role="alert">${this.exportError}</p>` : nothing}
        </div>
      </div>
      ${shown.length === 0
        ? html`<p class="empty">${rows.length === 0 ? t('admin.regs.empty') : t('admin.regs.emptyFilter')}</p>`
        : this.#renderTable(event, shown)}
      <p class="hint">${t('admin.regs.noShowsHint')}</p>
      <div class="forms">${this.#renderDesk()} ${this.#renderEmail(counts.confirmed)}</div>`;
  }

  #renderTable(event: ProgrammeEvent, rows: readonly RegistrantRow[]): TemplateResult {
    const { t } = this.i18n;
    const labels = new Map((event.form ?? []).map((q) => [q.id, q.label]));
    return html`<div class="table-wrap">
      <table>
        <caption>
          ${t('admin.regs.caption', { title: event.title })}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t('admin.regs.col.name')}</th>
            <th scope="col">${t('admin.regs.col.status')}</th>
            <th scope="col">${t('admin.regs.col.contact')}</th>
            <th scope="col">${t('admin.regs.col.answers')}</th>
            <th scope="col">${t('admin.regs.col.attended')}</th>
            <th scope="col">${t('admin.regs.col.noShows')}</th>
            <th scope="col">${t('admin.regs.col.source')}</th>
            <th scope="col"><span class="visually-hidden">${t('admin.regs.col.actions')}</span></th>
          </tr>
        </thead>
        <tbody>
          ${repeat(
            rows,
            (r) => r.id,
            (r) => this.#renderRow(event, r, labels),
          )}
        </tbody>
      </table>
    </div>`;
  }

  #statusText(event: ProgrammeEvent, r: RegistrantRow): string {
    const { t } = this.i18n;
    if (r.status === 'waitlisted') return t('admin.regs.waitlistedAt', { position: r.position ?? '?' });
    if (r.status === 'offered' && r.offerExpiresAt) {
      return t('admin.regs.offeredUntil', { deadline: this.i18n.shortDateTime(r.offerExpiresAt, event.timezone) });
    }
    return t(`regStatus.${r.status}`);
  }

  #renderRow(event: ProgrammeEvent, r: RegistrantRow, labels: ReadonlyMap<string, string>): TemplateResult {
    const { t } = this.i18n;
    const name = this.#nameOf(r);
    const busy = this.#list.busy === r.id;
    const error = this.#list.error?.registrationId === r.id ? this.#list.error.text : '';
    const answers = Object.entries(r.answers);
    return html`<tr>
      <th scope="row">
        <span class=${r.name === null ? 'erased' : ''}>${name}</span>
        <br /><span class="hint">${t('admin.regs.registeredAt', { date: this.i18n.shortDateTime(r.createdAt, event.timezone) })}</span>
      </th>
      <td>${this.#statusText(event, r)}</td>
      <td class="contact">
        ${r.email ? html`<a href="mailto:${r.email}">${r.email}</a>` : nothing} ${r.email && r.phone ? html`<br />` : nothing}
        ${r.phone ?? nothing}
      </td>
      <td>
        ${answers.length > 0
          ? html`<dl class="answers">
              ${answers.map(([id, value]) => html`<div><dt>${labels.get(id) ?? id}</dt><dd>${value}</dd></div>`)}
            </dl>`
          : nothing}
      </td>
      <td>
        ${r.status === 'confirmed'
          ? html`<input
              type="checkbox"
              aria-label=${t('admin.regs.attendedLabel', { name })}
              .checked=${r.attendedAt !== null}
              @change=${(e: Event) => void this.#list.setAttendance(r, (e.target as HTMLInputElement).checked)}
            />`
          : r.attendedAt
            ? t('admin.regs.attendedYes')
            : nothing}
      </td>
      <td>${r.noShows}</td>
      <td>${t(`admin.regs.source.${r.source}`)}</td>
      <td class="nowrap">
        ${isActive(r.status)
          ? html`<div class="actions">
              ${r.status !== 'confirmed'
                ? html`<button
                    type="button"
                    class="btn btn-secondary btn-small"
                    aria-label=${t('admin.regs.promoteLabel', { name })}
                    aria-disabled=${busy ? 'true' : 'false'}
                    @click=${() => void this.#promote(r)}
                  >
                    ${t('admin.regs.promote')}
                  </button>`
                : nothing}
              <button
                type="button"
                class="btn btn-secondary btn-small"
                aria-label=${t('admin.regs.cancelLabel', { name })}
                aria-disabled=${busy ? 'true' : 'false'}
                @click=${() => void this.#cancel(r)}
              >
                ${t('admin.regs.cancel')}
              </button>
            </div>`
          : nothing}
        ${error ? html`<p class="row-error" role="alert">${error}</p>` : nothing}
      </td>
    </tr>`;
  }

  #field(
    form: 'desk' | 'email',
    field: string,
    label: string,
    value: string,
    set: (value: string) => void,
    options: { type?: string; required?: boolean; max?: number; autocomplete?: string; textarea?: boolean } = {},
  ): TemplateResult {
    const { t } = this.i18n;
    const errors = form === 'desk' ? this.deskErrors : this.mailErrors;
    const id = `${form}-${field}`;
    const error = errors[field];
    const input = (e: Event) => set((e.target as HTMLInputElement | HTMLTextAreaElement).value);
    return html`<div class="field">
      <label for=${id}
        >${label} <span class="required">(${options.required ? t('form.required') : t('signup.optional')})</span></label
      >
      ${options.textarea
        ? html`<textarea
            id=${id}
            maxlength=${options.max ?? nothing}
            aria-invalid=${error ? 'true' : 'false'}
            aria-describedby=${error ? `${id}-error` : nothing}
            .value=${value}
            @input=${input}
          ></textarea>`
        : html`<input
            id=${id}
            type=${options.type ?? 'text'}
            autocomplete=${options.autocomplete ?? 'off'}
            maxlength=${options.max ?? nothing}
            aria-invalid=${error ? 'true' : 'false'}
            aria-describedby=${error ? `${id}-error` : nothing}
            .value=${value}
            @input=${input}
          />`}
      ${error ? html`<p id="${id}-error" class="field-error">${this.#message(error)}</p>` : nothing}
    </div>`;
  }

  #renderDesk(): TemplateResult {
    const { t } = this.i18n;
    const d = this.desk;
    return html`<section class="panel" aria-labelledby="desk-title">
      <h2 id="desk-title">${t('admin.regs.desk.title')}</h2>
      <p class="hint">${t('admin.regs.desk.hint')}</p>
      <form id="desk-form" novalidate @submit=${(e: SubmitEvent) => void this.#addAtDesk(e)}>
        ${this.#field('desk', 'name', t('signup.name'), d.name, (name) => (this.desk = { ...d, name }), {
          required: true,
          max: PERSON_NAME_MAX_LENGTH,
        })}
        ${this.#field('desk', 'email', t('signup.email'), d.email, (email) => (this.desk = { ...d, email }), {
          type: 'email',
          max: EMAIL_MAX_LENGTH,
        })}
        ${this.#field('desk', 'phone', t('admin.regs.desk.phone'), d.phone, (phone) => (this.desk = { ...d, phone }), {
          type: 'tel',
          max: PHONE_MAX_LENGTH,
        })}
        <div class="field">
          <label for="desk-language">${t('signup.language')}</label>
          <select id="desk-language" @change=${(e: Event) => (this.desk = { ...d, language: (e.target as HTMLSelectElement).value as MailLanguage })}>
            <option value="fr" lang="fr" ?selected=${d.language === 'fr'}>Français</option>
            <option value="en" lang="en" ?selected=${d.language === 'en'}>English</option>
          </select>
        </div>
        <div class="actions">
          <button type="submit" class="btn" aria-disabled=${this.#list.busy === 'desk' ? 'true' : 'false'}>${t('admin.regs.desk.submit')}</button>
        </div>
      </form>
    </section>`;
  }

  #renderEmail(confirmed: number): TemplateResult {
    const { t } = this.i18n;
    const m = this.mail;
    return html`<section class="panel" aria-labelledby="email-title">
      <h2 id="email-title">${t('admin.regs.email.title')}</h2>
      <p class="hint">${this.i18n.plural('admin.regs.email.hint', confirmed)}</p>
      <form id="email-form" novalidate @submit=${(e: SubmitEvent) => void this.#sendEmail(e, confirmed)}>
        ${this.#field('email', 'subject', t('admin.regs.email.subject'), m.subject, (subject) => (this.mail = { ...m, subject }), {
          required: true,
          max: 200,
        })}
        ${this.#field('email', 'body', t('admin.regs.email.body'), m.body, (body) => (this.mail = { ...m, body }), {
          required: true,
          max: 5000,
          textarea: true,
        })}
        <div class="actions">
          <button type="submit" class="btn" aria-disabled=${this.#list.busy === 'email' || confirmed === 0 ? 'true' : 'false'}>
            ${t('admin.regs.email.send')}
          </button>
        </div>
      </form>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-admin-registrations-page': ParvisAdminRegistrationsPage;
  }
}
