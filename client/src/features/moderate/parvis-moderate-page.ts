import { consume } from '@lit/context';
import type { Event } from '#shared/domain/event';
import { isRoomStaff } from '#shared/domain/staff';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ApiError, type ApiClient } from '../../app/api-client';
import { apiContext, i18nContext, realtimeContext, sessionContext, type SessionContextValue } from '../../app/contexts';
import { PageLoad } from '../../app/page-load';
import '../../app/parvis-confirm-dialog';
import type { ParvisConfirmDialog } from '../../app/parvis-confirm-dialog';
import { displayHref, eventHref, loginHref, moderateHref, roomHref, stageHref } from '../../app/routes';
import { baseStyles } from '../../app/shared-styles';
import type { StringKey, Translator } from '../../i18n/i18n';
import type { RealtimeClient } from '../../realtime/realtime-client';
import { errorText } from '../../i18n/error-text';
import { EventRoomController } from '../event-room/event-room-controller';
import { EventStatusController } from '../event-room/event-status-controller';
import '../event-room/parvis-moderator-tools';
import '../event-room/parvis-viewer-count';
import { EXPORTS, exportFileName, exportUrl, type ExportName } from './exports';
import './parvis-moderate-attendance';
import './parvis-moderate-backstage';
import './parvis-moderate-talk';
import './parvis-moderate-chat';
import './parvis-moderate-polls';
import './parvis-moderate-questions';
import './parvis-moderate-settings';
import './parvis-moderate-stream';
import '../audience/parvis-audience-delay';

const EXPORT_LABELS: Record<ExportName, StringKey> = {
  'questions.csv': 'mod.exports.questionsCsv',
  'questions.md': 'mod.exports.questionsMd',
  'polls.csv': 'mod.exports.pollsCsv',
  'polls.md': 'mod.exports.pollsMd',
};

/**
 * The moderator console of one event, at `/events/:id/moderate`: the question queues, the chat with its moderation,
 * and the controls (event status, exports, polls, room settings, notes to the speakers), side by side on a laptop.
 * It joins the event's live room like the audience does; the server gives moderators and admins every question and
 * the staff state, and refuses their actions to anyone else, so the page only shows the console to those roles.
 */
@customElement('parvis-moderate-page')
export class ParvisModeratePage extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: grid;
        gap: var(--space-4);
      }
      .links {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-2) var(--space-4);
        font-weight: 600;
      }
      .head {
        display: grid;
        gap: var(--space-1);
      }
      h1 {
        font-size: clamp(1.5rem, 3.5vw, 2rem);
      }
      .event-title {
        font-size: 1.125rem;
        font-weight: 600;
      }
      .tags {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--space-2) var(--space-3);
      }
      .layout {
        container-type: inline-size;
      }
      .grid {
        display: grid;
        gap: var(--space-4);
        grid-template-columns: minmax(0, 1fr);
        align-items: start;
      }
      .column {
        display: grid;
        gap: var(--space-4);
        align-content: start;
        min-width: 0;
      }
      @container (min-width: 48rem) {
        .grid {
          grid-template-columns: minmax(0, 1.2fr) minmax(0, 1fr);
        }
        .controls {
          grid-column: 1 / -1;
          grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr));
        }
      }
      @container (min-width: 68rem) {
        .grid {
          grid-template-columns: minmax(0, 1.25fr) minmax(0, 1fr) minmax(0, 1fr);
        }
        .controls {
          grid-column: auto;
          grid-template-columns: minmax(0, 1fr);
        }
      }
      .panel {
        display: grid;
        gap: var(--space-3);
        padding: var(--space-4);
        background: var(--color-surface-alt);
        border: 1px solid var(--color-line);
        border-radius: var(--radius-l);
      }
      .panel h2 {
        font-size: 1.25rem;
      }
      .exports {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-2);
      }
      .message {
        display: grid;
        gap: var(--space-3);
        justify-items: start;
        max-width: 44rem;
      }
      .loading {
        color: var(--color-ink-muted);
      }
      .error {
        color: var(--color-error-ink);
        font-weight: 600;
      }
    `,
  ];

  @property() eventId = '';

  @consume({ context: apiContext })
  private api!: ApiClient;

  @consume({ context: realtimeContext })
  private realtime!: RealtimeClient;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session!: SessionContextValue;

  @state() private exporting: ExportName | null = null;
  @state() private exportError = '';

  @query('parvis-confirm-dialog') private confirm!: ParvisConfirmDialog;

  readonly #room = new EventRoomController(this);
  readonly #status = new EventStatusController(this, {
    event: () => this.#room.state?.event ?? null,
    api: () => this.api,
    i18n: () => this.i18n,
    confirm: () => this.confirm,
  });

  /*
   * Whether a registration event is held in an outside video room: public beside the event in its HTTP answer
   * (`outsideRoom`, never the room's link), not in the live room's copy. Asked once per event; without an answer
   * (the network, an older server) the console simply shows no attendance panel.
   */
  readonly #signUp = new PageLoad(this, {
    args: () => [this.#event?.access === 'registration' ? this.#event.id : null] as const,
    load: async ([id], signal) => (id ? this.api.getEvent(id, signal).catch(() => null) : null),
  });

  override willUpdate(): void {
    this.#room.use(this.realtime, this.eventId || undefined);
  }

  override updated(): void {
    const { t } = this.i18n;
    const event = this.#event;
    document.title = `${event ? t('mod.docTitle', { title: event.title }) : t('mod.pageTitle')} — Parvis`;
  }

  /** The freshest copy of the event: the room's, or the one the status route just answered. */
  get #event(): Event | null {
    return this.#status.event;
  }

  /** Downloads an export with the person's token (the route is for moderators), then saves it as a file. */
  async #download(name: ExportName): Promise<void> {
    if (this.exporting) return;
    const { t } = this.i18n;
    this.exporting = name;
    this.exportError = '';
    try {
      const token = this.session.session?.token;
      const response = await fetch(exportUrl(this.eventId, name), {
        headers: token ? { authorization: `Bearer ${token}` } : {},
        credentials: 'same-origin',
      });
      if (!response.ok) {
        type ErrorReply = { error?: { code?: string; message?: string } } | null;
        const body = (await response.json().catch(() => null)) as ErrorReply;
        const code = body?.error?.code ?? (response.status === 401 ? 'UNAUTHENTICATED' : response.status === 404 ? 'NOT_FOUND' : 'INTERNAL');
        throw new ApiError(code as ApiError['code'], body?.error?.message ?? response.statusText, response.status);
      }
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = exportFileName(this.eventId, name, response.headers.get('content-disposition'));
      link.hidden = true;
      this.renderRoot.appendChild(link);
      link.click();
      link.remove();
      // The browser has taken the file; the object URL can go once the click has been handled.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError('NETWORK', error instanceof Error ? error.message : 'network error');
      this.exportError = t('mod.exports.failed', { reason: errorText(this.i18n, apiError) });
    } finally {
      this.exporting = null;
    }
  }

  override render() {
    const { t } = this.i18n;
    const state = this.#room.state;
    const event = this.#event;
    const links = html`<nav class="links" aria-label=${t('mod.pageTitle')}>
      <a href=${eventHref(this.eventId)}><span aria-hidden="true">←</span> ${t('mod.backToEvent')}</a>
      ${event && state && isRoomStaff(state.role) ? html`<a href=${stageHref(this.eventId)}>${t('mod.stageLink')}</a>` : nothing}
      ${event && state && isRoomStaff(state.role) ? html`<a href=${displayHref(this.eventId)}>${t('hall.stage.display')}</a>` : nothing}
      ${event && (event as { room?: string }).room === 'parvis' ? html`<a href=${roomHref(this.eventId)}>${t('mod.roomLink')}</a>` : nothing}
    </nav>`;

    if (!state || (state.phase === 'joining' && !state.event)) {
      return html`${links}
        <div class="message">
          <h1>${t('mod.pageTitle')}</h1>
          <p class="loading" role="status">${t('mod.joining')}</p>
          ${state?.error ? html`<p class="notice notice-warning">${t('mod.joinRetry')}</p>` : nothing}
        </div>`;
    }
    if (state.phase === 'denied') {
      const code = state.error?.code;
      if (code === 'NOT_FOUND') {
        return html`${links}
          <div class="message">
            <h1>${t('event.notFound.title')}</h1>
            <p>${t('event.notFound.body')}</p>
            <a href="/">${t('app.backToProgramme')}</a>
          </div>`;
      }
      if (code === 'FORBIDDEN' || code === 'UNAUTHENTICATED') return this.#renderReserved(links);
      return html`${links}
        <div class="message">
          <h1>${t('mod.pageTitle')}</h1>
          <p class="notice notice-error" role="alert">${t('mod.denied')}</p>
        </div>`;
    }
    if (!isRoomStaff(state.role)) return this.#renderReserved(links);
    return this.#renderConsole(links);
  }

  #renderReserved(links: unknown) {
    const { t } = this.i18n;
    const session = this.session.session;
    return html`${links}
      <div class="message">
        <h1>${t('mod.reserved.title')}</h1>
        <p>${t('mod.reserved.body')}</p>
        ${session?.kind === 'staff' ? html`<p class="hint">${t('mod.reserved.signedIn', { name: session.user.displayName })}</p>` : nothing}
        <p class="links">
          <a class="btn" href=${loginHref(moderateHref(this.eventId))}>${t('mod.reserved.signIn')}</a>
          <a class="btn btn-secondary" href=${eventHref(this.eventId)}>${t('mod.backToEvent')}</a>
        </p>
      </div>`;
  }

  #renderConsole(links: unknown) {
    const { t } = this.i18n;
    const state = this.#room.state!;
    const room = this.#room.room;
    const event = this.#event!;
    const offline = state.connection !== 'connected';
    return html`${links}
      <header class="head">
        <h1>${t('mod.pageTitle')}</h1>
        <p class="event-title" lang=${event.language || nothing}>${event.title}</p>
        <div class="tags">
          <span class="badge ${event.status === 'live' ? 'badge-live' : event.status === 'cancelled' ? 'badge-cancelled' : ''}"
            ><span class="visually-hidden">${t('mod.event.status', { status: '' })}</span>${t(`status.${event.status}`)}</span
          >
          <parvis-viewer-count .viewers=${state.viewers}></parvis-viewer-count>
          ${event.status === 'live' ? html`<parvis-audience-delay .eventId=${event.id}></parvis-audience-delay>` : nothing}
        </div>
      </header>
      ${offline ? html`<p class="notice notice-warning" role="status">${t('mod.offline')}</p>` : nothing}
      <div class="layout">
        <div class="grid">
          <div class="column">
            <parvis-moderate-questions
              .room=${room}
              .questions=${state.questions}
              .preModeration=${state.settings?.preModeration ?? null}
            ></parvis-moderate-questions>
          </div>
          <div class="column">
            <parvis-moderate-chat
              .room=${room}
              .messages=${state.messages}
              .staff=${state.staff}
              .selfId=${this.session.session?.user.id ?? null}
            ></parvis-moderate-chat>
          </div>
          <div class="column controls">
            <parvis-moderate-stream .eventId=${event.id} .event=${event}></parvis-moderate-stream>
            <parvis-moderator-tools
              .status=${event.status}
              .eventRole=${state.role}
              ?busy=${this.#status.busy}
              .error=${this.#status.error}
              .message=${this.#status.message}
              @parvis-status-change-request=${this.#status.onRequest}
            ></parvis-moderator-tools>
            ${event.access === 'registration' && this.#signUp.data?.outsideRoom
              ? // Held in an outside room: Parvis cannot see who came, so the moderators tick them.
                html`<parvis-moderate-attendance .eventId=${event.id}></parvis-moderate-attendance>`
              : nothing}
            ${event.kind === 'cine_conference'
              ? html`<parvis-moderate-talk .eventId=${event.id} .status=${event.status} .timezone=${event.timezone}></parvis-moderate-talk>`
              : nothing}
            <parvis-moderate-polls .room=${room} .polls=${state.polls}></parvis-moderate-polls>
            <parvis-moderate-settings
              .room=${room}
              .settings=${state.settings}
              .wordFilter=${state.staff?.wordFilter ?? null}
            ></parvis-moderate-settings>
            <parvis-moderate-backstage .room=${room} .notes=${state.backstage}></parvis-moderate-backstage>
            ${this.#renderExports()}
          </div>
        </div>
      </div>
      <parvis-confirm-dialog></parvis-confirm-dialog>`;
  }

  #renderExports() {
    const { t } = this.i18n;
    return html`<section class="panel" aria-labelledby="exports-title">
      <h2 id="exports-title">${t('mod.exports.title')}</h2>
      <p class="hint">${t('mod.exports.hint')}</p>
      <div class="exports">
        ${EXPORTS.map(
          (name) =>
            html`<button
              type="button"
              class="btn btn-secondary btn-small"
              aria-disabled=${this.exporting ? 'true' : 'false'}
              @click=${() => void this.#download(name)}
            >
              ${t(EXPORT_LABELS[name])}
            </button>`,
        )}
      </div>
      ${this.exporting ? html`<p class="hint" role="status">${t('mod.working')}</p>` : nothing}
      ${this.exportError ? html`<p class="error" role="alert">${this.exportError}</p>` : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-moderate-page': ParvisModeratePage;
  }
}
