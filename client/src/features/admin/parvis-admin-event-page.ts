import { consume } from '@lit/context';
import type { Event, Series } from '#shared/domain/event';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ApiError, type ApiClient } from '../../app/api-client';
import { apiContext, i18nContext, realtimeContext } from '../../app/contexts';
import { NavigateRequestEvent } from '../../app/events';
import { PageLoad, standardViews } from '../../app/page-load';
import '../../app/parvis-confirm-dialog';
import type { ParvisConfirmDialog } from '../../app/parvis-confirm-dialog';
import { adminEventFiguresHref, adminEventHref, adminRegistrationsHref, eventHref, moderateHref, stageHref } from '../../app/routes';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import type { RealtimeClient } from '../../realtime/realtime-client';
import { ProgrammeFeedController } from '../programme/programme-feed-controller';
import { adminStyles } from './admin-styles';
import { errorText } from '../../i18n/error-text';
import { eventPatch, eventToForm, newEventForm, placeServerFields, type EventFormValues, type FieldErrors } from './event-form';
import type { EventFormSubmitEvent } from './parvis-event-form';
import './parvis-admin-nav';
import './parvis-event-form';
import './parvis-invites-panel';
import './parvis-registration-settings-panel';
import type { EventChangedEvent } from './parvis-registration-settings-panel';
import './parvis-roles-panel';
import './parvis-replay-panel';
import '../captions/parvis-captions-editor';

/** What the page loads: the event (null for a new one), the form's first values, and the series to choose from. */
interface Loaded {
  event: Event | null;
  initial: EventFormValues;
  series: Series[];
}

/**
 * `/admin/events/new` and `/admin/events/:id`: the event form, and on an existing event its invitations, its roles,
 * its replay, and cancelling or deleting it (after asking). Saves go through the API; the server's messages for fields go back
 * down to the form.
 */
@customElement('parvis-admin-event-page')
export class ParvisAdminEventPage extends LitElement {
  static override styles = [
    baseStyles,
    adminStyles,
    css`
      .head {
        display: grid;
        gap: var(--space-2);
      }
      .meta {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-2) var(--space-4);
        align-items: center;
      }
      .manage {
        border-top: 1px solid var(--color-line);
        padding-top: var(--space-4);
      }
    `,
  ];

  /** The event edited, or null for a new one. */
  @property({ attribute: false }) eventId: string | null = null;

  @consume({ context: apiContext })
  private api!: ApiClient;

  @consume({ context: realtimeContext })
  private realtime!: RealtimeClient;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private saving = false;
  @state() private serverErrors: FieldErrors = {};
  @state() private formError = '';
  /** The outcome of the last action, for the polite status line. */
  @state() private notice = '';
  @state() private actionError = '';

  @query('parvis-confirm-dialog') private confirm!: ParvisConfirmDialog;
  @query('#form-error') private formErrorBox!: HTMLElement | null;

  readonly #page = new PageLoad(this, {
    args: () => [this.eventId] as const,
    load: async ([eventId], signal): Promise<Loaded> => {
      // Without the series, the form still works: it only offers none.
      const series = this.api.listSeries().catch(() => [] as Series[]);
      if (eventId === null) return { event: null, initial: newEventForm(Date.now()), series: await series };
      const event = await this.api.getEvent(eventId, signal);
      return { event, initial: eventToForm(event), series: await series };
    },
  });

  // Someone may go live or end the event while it is open here: the status shown follows. The draft is left alone.
  readonly #feed = new ProgrammeFeedController(this, {
    updated: (event) => this.#page.update((page) => (page.event?.id === event.id ? { ...page, event } : page)),
    deleted: () => undefined,
    resync: () => undefined,
  });

  override connectedCallback(): void {
    super.connectedCallback();
    this.#feed.use(this.realtime);
    const url = new URL(location.href);
    if (url.searchParams.has('created')) {
      this.notice = this.i18n.t('admin.event.created');
      url.searchParams.delete('created');
      history.replaceState(history.state, '', url);
    }
  }

  override updated(): void {
    const { t } = this.i18n;
    const title =
      this.eventId === null
        ? t('admin.event.newTitle')
        : this.#page.data?.event
          ? t('admin.event.editTitle', { title: this.#page.data.event.title })
          : t('admin.programme.title');
    document.title = `${title} — Parvis`;
  }

  async #onSubmit(submit: EventFormSubmitEvent): Promise<void> {
    submit.stopPropagation();
    const page = this.#page.data;
    if (this.saving || !page) return;
    const { t } = this.i18n;
    const before = page.event;
    this.saving = true;
    this.serverErrors = {};
    this.formError = '';
    this.notice = '';
    try {
      if (!before) {
        const created = await this.api.createEvent(submit.input);
        this.dispatchEvent(new NavigateRequestEvent(`${adminEventHref(created.id)}?created`));
        return;
      }
      const patch = eventPatch(before, submit.input);
      const saved = Object.keys(patch).length > 0 ? await this.api.updateEvent(before.id, patch) : before;
      this.#page.update((current) => ({ ...current, event: saved, initial: eventToForm(saved) }));
      this.notice = t('admin.event.saved');
    } catch (error) {
      if (error instanceof ApiError && error.fields) {
        const { errors, elsewhere } = placeServerFields(error.fields, submit.values);
        this.serverErrors = errors;
        if (elsewhere.length > 0 || Object.keys(errors).length === 0) {
          this.formError = t('form.refused', { message: [error.message, ...elsewhere].join(' ') });
        }
      } else {
        this.formError = errorText(this.i18n, error);
      }
      if (Object.keys(this.serverErrors).length === 0) {
        await this.updateComplete;
        this.formErrorBox?.focus();
      }
    } finally {
      this.saving = false;
    }
  }

  async #cancelEvent(event: Event): Promise<void> {
    const { t } = this.i18n;
    const confirmed = await this.confirm.ask({
      heading: t('admin.event.cancelTitle', { title: event.title }),
      body: t('admin.event.cancelBody'),
      confirmLabel: t('admin.event.cancel'),
      cancelLabel: t('admin.event.keep'),
      danger: true,
    });
    if (!confirmed) return;
    this.actionError = '';
    try {
      const cancelled = await this.api.cancelEvent(event.id);
      this.#page.update((current) => ({ ...current, event: cancelled }));
      this.notice = t('admin.event.cancelled');
    } catch (error) {
      this.actionError = errorText(this.i18n, error);
    }
  }

  async #deleteEvent(event: Event): Promise<void> {
    const { t } = this.i18n;
    const confirmed = await this.confirm.ask({
      heading: t('admin.event.deleteTitle', { title: event.title }),
      body: t('admin.event.deleteBody'),
      confirmLabel: t('admin.event.delete'),
      cancelLabel: t('admin.event.keep'),
      danger: true,
    });
    if (!confirmed) return;
    this.actionError = '';
    try {
      await this.api.deleteEvent(event.id);
      this.dispatchEvent(new NavigateRequestEvent('/admin?deleted'));
    } catch (error) {
      this.actionError = errorText(this.i18n, error);
    }
  }

  override render(): TemplateResult {
    const { t } = this.i18n;
    const nav = html`<parvis-admin-nav current="events"></parvis-admin-nav>`;
    const views = standardViews(this.i18n, { failed: '' });
    return html`${this.#page.render({
      loading: () => html`${nav}${views.loading()}`,
      error: (error, retry) => {
        const notFound = error instanceof ApiError && error.code === 'NOT_FOUND';
        return notFound
          ? html`${nav}
              <h1>${t('event.notFound.title')}</h1>
              <div class="notice notice-error" role="alert"><p>${t('admin.event.notFound')}</p></div>`
          : html`${nav}
              <h1>${t('admin.event.loadError')}</h1>
              ${views.error(error, retry)}`;
      },
      ready: ({ event, initial, series }) => this.#renderReady(event, initial, series),
    })}`;
  }

  #renderReady(event: Event | null, initial: EventFormValues, series: Series[]): TemplateResult {
    const { t } = this.i18n;
    return html`
      <parvis-admin-nav current="events"></parvis-admin-nav>
      <div class="head">
        <h1>${event ? t('admin.event.editTitle', { title: event.title }) : t('admin.event.newTitle')}</h1>
        ${event
          ? html`<p class="meta">
              <span class="badge badge-${event.status}">${t('admin.event.currentStatus', { status: t(`status.${event.status}`) })}</span>
              <a href=${eventHref(event.id)}>${t('admin.event.viewPublic')}</a>
              <a href=${moderateHref(event.id)}>${t('room.tools.console')}</a>
              <a href=${stageHref(event.id)}>${t('room.tools.stage')}</a>
              ${event.access === 'registration'
                ? html`<a href=${adminRegistrationsHref(event.id)}>${t('admin.reg.registrantsLink')}</a>`
                : nothing}
              <a href=${adminEventFiguresHref(event.id)}>${t('figures.link')}</a>
              ${event.unlisted ? html`<span class="muted">${t('admin.unlisted')}</span>` : nothing}
            </p>`
          : nothing}
      </div>
      <p role="status" class=${this.notice ? 'notice notice-success' : 'visually-hidden'}>${this.notice}</p>
      ${this.formError
        ? html`<div id="form-error" class="notice notice-error" role="alert" tabindex="-1">${this.formError}</div>`
        : nothing}
      <parvis-event-form
        .initial=${initial}
        ?creating=${!event}
        .series=${series}
        .serverErrors=${this.serverErrors}
        ?busy=${this.saving}
        @parvis-event-form-submit=${this.#onSubmit}
      ></parvis-event-form>
      ${!event ? html`<p class="muted">${t('admin.reg.newEventHint')}</p>` : nothing}
      ${event?.access === 'registration'
        ? html`<parvis-registration-settings-panel
            .event=${event}
            @parvis-event-changed=${(e: EventChangedEvent) =>
              // The form's draft stays: only the event shown (and what the next save compares with) changes.
              this.#page.update((current) => ({ ...current, event: e.event }))}
          ></parvis-registration-settings-panel>`
        : nothing}
      ${event
        ? html`
            <parvis-invites-panel .eventId=${event.id}></parvis-invites-panel>
            <parvis-roles-panel .eventId=${event.id}></parvis-roles-panel>
            <parvis-replay-panel .event=${event}></parvis-replay-panel>
            <parvis-captions-editor .eventId=${event.id}></parvis-captions-editor>
            <section class="manage" aria-labelledby="manage-heading">
              <h2 id="manage-heading">${t('admin.event.manage')}</h2>
              ${this.actionError ? html`<p class="notice notice-error" role="alert">${this.actionError}</p>` : nothing}
              <div class="actions">
                ${event.status === 'cancelled'
                  ? html`<p>${t('admin.event.alreadyCancelled')}</p>`
                  : html`<button type="button" class="btn btn-secondary" @click=${() => void this.#cancelEvent(event)}>
                      ${t('admin.event.cancel')}
                    </button>`}
                <button type="button" class="btn btn-danger" @click=${() => void this.#deleteEvent(event)}>
                  ${t('admin.event.delete')}
                </button>
              </div>
            </section>
            <parvis-confirm-dialog></parvis-confirm-dialog>
          `
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-admin-event-page': ParvisAdminEventPage;
  }
}
