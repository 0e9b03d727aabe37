import { consume } from '@lit/context';
import type { Series } from '#shared/domain/event';
import { TITLE_MAX_LENGTH } from '#shared/domain/limits';
import { SeriesCreateRequest } from '#shared/protocol/admin';
import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { ApiError, type ApiClient } from '../../app/api-client';
import { apiContext, i18nContext } from '../../app/contexts';
import { PageLoad, standardViews } from '../../app/page-load';
import '../../app/parvis-confirm-dialog';
import type { ParvisConfirmDialog } from '../../app/parvis-confirm-dialog';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import { adminStyles } from './admin-styles';
import { errorText } from '../../i18n/error-text';
import type { FieldErrors, FieldMessage } from './event-form';
import type { RecurrenceChangeEvent } from './parvis-recurrence-editor';
import { readRecurrence, recurrenceFieldId, recurrenceValues, type RecurrenceValues } from './recurrence-form';
import { seriesHref } from '../../app/routes';
import './parvis-recurrence-editor';

type SeriesField = 'title' | 'summary';

/** The series being written: a new one, or one of the list. */
type Editing = { mode: 'new' } | { mode: 'edit'; series: Series };

/**
 * The series of the programme on `/admin`: the list, and a form to create one or edit one; deleting asks first. Its
 * own container: it reads and writes series through the API.
 */
@customElement('parvis-series-section')
export class ParvisSeriesSection extends LitElement {
  static override styles = [baseStyles, adminStyles];

  @consume({ context: apiContext })
  private api!: ApiClient;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private editing: Editing | null = null;
  @state() private busy = false;
  @state() private fieldErrors: Partial<Record<SeriesField, FieldMessage>> = {};
  /** The rule of the series being written, its dates' template and its fair cap. */
  @state() private recurrence: RecurrenceValues | null = null;
  @state() private recurrenceErrors: FieldErrors = {};
  @state() private formError = '';
  /** The outcome of the last action, for the polite status line. */
  @state() private status = '';

  @query('parvis-confirm-dialog') private confirm!: ParvisConfirmDialog;

  readonly #series = new PageLoad(this, { args: () => [] as const, load: (_, signal) => this.api.listSeries(signal) });

  async #open(editing: Editing): Promise<void> {
    this.editing = editing;
    this.recurrence = recurrenceValues(editing.mode === 'edit' ? editing.series : null, Date.now());
    this.recurrenceErrors = {};
    this.fieldErrors = {};
    this.formError = '';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('#series-title')?.focus();
  }

  async #close(focusSelector: string): Promise<void> {
    this.editing = null;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(focusSelector)?.focus();
  }

  async #onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const editing = this.editing;
    if (this.busy || !editing) return;
    const { t } = this.i18n;
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const input = { title: String(data.get('title') ?? '').trim(), summary: String(data.get('summary') ?? '').trim() };
    const parsed = SeriesCreateRequest.safeParse(input);
    const rule = readRecurrence(this.recurrence ?? recurrenceValues(null, Date.now()), input.title);
    this.recurrenceErrors = rule.ok ? {} : rule.errors;
    if (!parsed.success) {
      const errors: typeof this.fieldErrors = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] === 'summary' ? 'summary' : 'title';
        errors[field] ??=
          issue.code === 'too_big' && typeof issue.maximum === 'number'
            ? { key: 'form.error.tooLong', params: { max: Number(issue.maximum) } }
            : { key: 'form.error.required' };
      }
      this.fieldErrors = errors;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    if (!rule.ok) {
      this.fieldErrors = {};
      await this.#focusRuleError(rule.errors);
      return;
    }
    const before = editing.mode === 'edit' ? editing.series : null;
    // A rule or a cap left out stays as it was; one taken away is sent as null.
    const ruleChange = {
      ...(rule.recurrence ? { recurrence: rule.recurrence } : before?.recurrence ? { recurrence: null } : {}),
      ...(rule.fairCapPerWeek !== null
        ? { fairCapPerWeek: rule.fairCapPerWeek }
        : before?.fairCapPerWeek !== undefined
          ? { fairCapPerWeek: null }
          : {}),
    };
    this.busy = true;
    this.fieldErrors = {};
    this.formError = '';
    try {
      if (editing.mode === 'new') {
        const created = await this.api.createSeries({
          ...input,
          ...(rule.recurrence ? { recurrence: rule.recurrence } : {}),
          ...(rule.fairCapPerWeek !== null ? { fairCapPerWeek: rule.fairCapPerWeek } : {}),
        });
        this.#series.update((series) => [...series, created]);
        this.status = t('admin.series.created', { title: created.title });
        await this.#close('#new-series');
      } else {
        const saved = await this.api.updateSeries(editing.series.id, { ...input, ...ruleChange });
        this.#series.update((series) => series.map((s) => (s.id === saved.id ? saved : s)));
        this.status = t('admin.series.saved', { title: saved.title });
        await this.#close(`#edit-${CSS.escape(saved.id)}`);
      }
    } catch (error) {
      if (error instanceof ApiError && error.fields) {
        const errors: typeof this.fieldErrors = {};
        for (const field of ['title', 'summary'] as const) if (error.fields[field]) errors[field] = { text: error.fields[field] };
        this.fieldErrors = errors;
        const ruleErrors: Record<string, FieldMessage> = {};
        for (const [field, text] of Object.entries(error.fields)) {
          if (field.startsWith('recurrence') || field === 'fairCapPerWeek') ruleErrors[field] = { text };
        }
        this.recurrenceErrors = ruleErrors;
      }
      this.formError = errorText(this.i18n, error);
    } finally {
      this.busy = false;
    }
  }

  /** Takes the librarian to the first problem of the rule, inside its editor. */
  async #focusRuleError(errors: FieldErrors): Promise<void> {
    await this.updateComplete;
    const editor = this.renderRoot.querySelector('parvis-recurrence-editor');
    await editor?.updateComplete;
    const first = Object.keys(errors)[0];
    if (!first || !editor?.shadowRoot) return;
    const target =
      editor.shadowRoot.querySelector<HTMLElement>(`#${recurrenceFieldId(first)}`) ??
      editor.shadowRoot.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      editor.shadowRoot.querySelector<HTMLElement>('parvis-form-questions-editor');
    target?.focus();
    target?.scrollIntoView({ block: 'center' });
  }

  async #delete(series: Series): Promise<void> {
    const { t } = this.i18n;
    const confirmed = await this.confirm.ask({
      heading: t('admin.series.deleteTitle', { title: series.title }),
      body: t('admin.series.deleteBody'),
      confirmLabel: t('app.delete'),
      cancelLabel: t('admin.series.keep'),
      danger: true,
    });
    if (!confirmed) return;
    try {
      await this.api.deleteSeries(series.id);
      this.#series.update((all) => all.filter((s) => s.id !== series.id));
      if (this.editing?.mode === 'edit' && this.editing.series.id === series.id) this.editing = null;
      this.status = t('admin.series.deleted', { title: series.title });
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#new-series')?.focus();
    } catch (error) {
      this.status = errorText(this.i18n, error);
    }
  }

  override render(): TemplateResult {
    const { t } = this.i18n;
    return html`
      <section aria-labelledby="series-heading">
        <h2 id="series-heading">${t('admin.series.title')}</h2>
        <p class="muted">${t('admin.series.intro')}</p>
        <p role="status" class="muted">${this.status}</p>
        ${this.#renderList()}
        ${this.editing
          ? this.#renderForm(this.editing)
          : html`<div class="actions">
              <button id="new-series" type="button" class="btn btn-secondary" @click=${() => void this.#open({ mode: 'new' })}>
                ${t('admin.series.new')}
              </button>
            </div>`}
      </section>
      <parvis-confirm-dialog></parvis-confirm-dialog>
    `;
  }

  #renderList(): unknown {
    return this.#series.render({
      ...standardViews(this.i18n, { failed: '' }),
      ready: (series) => this.#renderSeries(series),
    });
  }

  #renderSeries(all: Series[]): TemplateResult {
    const { t } = this.i18n;
    if (all.length === 0) return html`<p class="empty">${t('admin.series.empty')}</p>`;
    return html`<div class="table-wrap">
      <table>
        <caption class="visually-hidden">
          ${t('admin.series.title')}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t('admin.series.name')}</th>
            <th scope="col">${t('admin.series.summary')}</th>
            <th scope="col">${t('admin.series.rule')}</th>
            <th scope="col"><span class="visually-hidden">${t('app.edit')}</span></th>
          </tr>
        </thead>
        <tbody>
          ${repeat(
            all,
            (s) => s.id,
            (s) => html`<tr>
              <th scope="row"><a href=${seriesHref(s.id)} aria-label=${t('admin.series.publicPage', { title: s.title })}>${s.title}</a></th>
              <td>${s.summary}</td>
              <td>${this.#ruleText(s)}</td>
              <td class="nowrap">
                <div class="actions">
                  <button
                    id="edit-${s.id}"
                    type="button"
                    class="btn btn-secondary btn-small"
                    aria-label=${t('admin.series.editLabel', { title: s.title })}
                    @click=${() => void this.#open({ mode: 'edit', series: s })}
                  >
                    ${t('app.edit')}
                  </button>
                  <button
                    type="button"
                    class="btn btn-secondary btn-small"
                    aria-label=${t('admin.series.deleteLabel', { title: s.title })}
                    @click=${() => void this.#delete(s)}
                  >
                    ${t('app.delete')}
                  </button>
                </div>
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  /** "Monday, Friday at 14:00, 4 Jan 2027 to 30 Jun 2027", and the fair cap. */
  #ruleText(series: Series): string {
    const { t, plural } = this.i18n;
    const r = series.recurrence;
    const cap = series.fairCapPerWeek ? ` · ${plural('admin.series.fairCapShort', series.fairCapPerWeek)}` : '';
    if (!r) return t('admin.series.noRule') + cap;
    const dayNames = new Intl.DateTimeFormat(this.i18n.lang, { weekday: 'short', timeZone: 'UTC' });
    const order = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
    const days = r.byDay.map((d) => dayNames.format(Date.UTC(2024, 0, 1 + order.indexOf(d), 12)));
    const date = (day: string) => this.i18n.shortDay(`${day}T12:00:00Z`, 'UTC');
    return t('admin.series.ruleText', { days: this.i18n.list(days), time: r.time, from: date(r.from), until: date(r.until) }) + cap;
  }

  #renderForm(editing: Editing): TemplateResult {
    const { t } = this.i18n;
    const initial = editing.mode === 'edit' ? editing.series : { title: '', summary: '' };
    const heading = editing.mode === 'edit' ? t('admin.series.editing', { title: editing.series.title }) : t('admin.series.new');
    const message = (m: FieldMessage) => ('key' in m ? t(m.key, m.params) : m.text);
    const field = (name: SeriesField) => {
      const error = this.fieldErrors[name];
      return {
        describedBy: error ? `series-${name}-error` : nothing,
        invalid: error ? 'true' : 'false',
        error: error ? html`<p id="series-${name}-error" class="field-error">${message(error)}</p>` : nothing,
      };
    };
    const title = field('title');
    const summary = field('summary');
    return html`<form class="panel" novalidate aria-labelledby="series-form-heading" @submit=${this.#onSubmit}>
      <h3 id="series-form-heading">${heading}</h3>
      ${this.formError ? html`<p class="notice notice-error" role="alert">${this.formError}</p>` : nothing}
      <div class="field">
        <label for="series-title">${t('admin.series.name')} <span class="required">(${t('form.required')})</span></label>
        <input
          id="series-title"
          name="title"
          type="text"
          required
          maxlength=${TITLE_MAX_LENGTH}
          .value=${initial.title}
          aria-describedby=${title.describedBy}
          aria-invalid=${title.invalid}
        />
        ${title.error}
      </div>
      <div class="field">
        <label for="series-summary">${t('admin.series.summary')}</label>
        <textarea id="series-summary" name="summary" rows="3" .value=${initial.summary} aria-describedby=${summary.describedBy} aria-invalid=${summary.invalid}></textarea>
        ${summary.error}
      </div>
      ${this.recurrence
        ? html`<parvis-recurrence-editor
            .values=${this.recurrence}
            .errors=${this.recurrenceErrors}
            @parvis-recurrence-change=${(e: RecurrenceChangeEvent) => (this.recurrence = e.values)}
          ></parvis-recurrence-editor>`
        : nothing}
      <div class="actions">
        <button type="submit" class="btn" aria-disabled=${this.busy ? 'true' : 'false'}>
          ${editing.mode === 'new' ? t('admin.series.create') : t('app.save')}
        </button>
        <button
          type="button"
          class="btn btn-secondary"
          @click=${() => void this.#close(editing.mode === 'edit' ? `#edit-${CSS.escape(editing.series.id)}` : '#new-series')}
        >
          ${t('app.discard')}
        </button>
      </div>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-series-section': ParvisSeriesSection;
  }
}
