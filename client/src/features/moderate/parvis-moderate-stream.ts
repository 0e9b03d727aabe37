import { consume } from '@lit/context';
import type { IngestInfo } from '#shared/domain/broadcast';
import type { Event } from '#shared/domain/event';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { ApiClient } from '../../app/api-client';
import { systemClock } from '../../app/clock';
import { apiContext, i18nContext, realtimeContext } from '../../app/contexts';
import '../../app/parvis-confirm-dialog';
import type { ParvisConfirmDialog } from '../../app/parvis-confirm-dialog';
import { PageLoad, standardViews } from '../../app/page-load';
import { baseStyles } from '../../app/shared-styles';
import { errorText } from '../../i18n/error-text';
import type { Translator } from '../../i18n/i18n';
import type { RealtimeClient } from '../../realtime/realtime-client';
import { panelStyles } from './moderate-styles';
import './parvis-stream-preview';
import { healthFigures, streamPanelHidden, StreamWatch, streamStateText, warningText } from './stream-watch';

type Copied = 'server' | 'key';

/**
 * The moderator console's view of the broadcast from OBS (issue 11): whether OBS is connected, the figures of the
 * incoming stream with what to fix in OBS, the countdown while OBS may still come back, the server address and the
 * stream key (hidden until asked for, copied in one click, replaced after a confirmation), and a muted preview of
 * the live on demand. The figures come from `GET /api/events/:id/ingest`, then from the `ingest:health` pushes to the
 * staff room. A server without an ingest answers NOT_FOUND there, and the panel is left out.
 */
@customElement('parvis-moderate-stream')
export class ParvisModerateStream extends LitElement {
  static override styles = [
    baseStyles,
    panelStyles,
    css`
      :host([hidden]) {
        display: none;
      }
      .state {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--space-2);
        margin: 0;
      }
      .badge-ok {
        background: var(--color-ok);
        color: #fff;
        border-color: var(--color-ok);
      }
      dl {
        display: grid;
        grid-template-columns: max-content minmax(0, 1fr);
        gap: var(--space-1) var(--space-3);
        margin: 0;
      }
      dt {
        color: var(--color-ink-muted);
      }
      dd {
        margin: 0;
        font-weight: 600;
        font-variant-numeric: tabular-nums;
      }
      .warnings {
        margin: 0;
        padding-left: 1.25rem;
        display: grid;
        gap: var(--space-2);
      }
      .field {
        display: grid;
        gap: var(--space-1);
      }
      .field-label {
        font-weight: 600;
      }
      code {
        display: block;
        padding: var(--space-2);
        background: var(--color-surface);
        border: 1px solid var(--color-line);
        border-radius: var(--radius-s);
        overflow-wrap: anywhere;
        font-size: 0.9375rem;
      }
    `,
  ];

  @property() eventId = '';
  /** The event as the console holds it: its status and live stream, for the preview. */
  @property({ attribute: false }) event: Event | null = null;

  @consume({ context: apiContext })
  private api!: ApiClient;

  @consume({ context: realtimeContext })
  private realtime!: RealtimeClient;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private keyShown = false;
  @state() private previewOn = false;
  @state() private copied: { what: Copied; ok: boolean } | null = null;
  @state() private rotating = false;
  @state() private rotateMessage: { ok: boolean; text: string } | null = null;

  @query('parvis-confirm-dialog') private confirm!: ParvisConfirmDialog;

  readonly #load = new PageLoad(this, {
    args: () => [this.eventId] as const,
    load: ([eventId], signal) => this.api.getIngest(eventId, signal),
  });
  /** Made while the panel is in the page: its clock ticks for the countdown, and stops with it. */
  #watch = this.#newWatch();
  #shownInfo: IngestInfo | undefined;
  #stopListening: (() => void) | undefined;

  #newWatch(): StreamWatch {
    const watch = new StreamWatch({ clock: systemClock, reload: () => void this.#load.reload({ quiet: true }) });
    watch.subscribe(() => this.requestUpdate());
    return watch;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.#watch.closed) {
      this.#watch = this.#newWatch();
      this.#shownInfo = undefined;
    }
    this.#stopListening = this.realtime.on('ingest:health', ({ eventId, health }) => {
      if (eventId === this.eventId) this.#watch.setHealth(health);
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopListening?.();
    this.#stopListening = undefined;
    this.#watch.close();
  }

  override willUpdate(changed: PropertyValues<this>): void {
    const info = this.#load.data;
    if (info && info !== this.#shownInfo) {
      this.#shownInfo = info;
      this.#watch.setInfo(info);
    }
    // Going live or ending changes the broadcast's state, which only the ingest route tells.
    const previous = changed.get('event') as Event | null | undefined;
    if (changed.has('event') && previous && previous.status !== this.event?.status) void this.#load.reload({ quiet: true });
  }

  async #copy(what: Copied, text: string): Promise<void> {
    let ok = true;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      ok = false;
      // Shown, so that it can be selected and copied by hand.
      if (what === 'key') this.keyShown = true;
    }
    this.copied = { what, ok };
  }

  async #rotate(): Promise<void> {
    const { t } = this.i18n;
    if (this.rotating) return;
    const confirmed = await this.confirm.ask({
      heading: t('mod.stream.rotateHeading'),
      body: t('mod.stream.rotateBody'),
      confirmLabel: t('mod.stream.rotateConfirm'),
      cancelLabel: t('mod.stream.rotateCancel'),
      danger: true,
    });
    if (!confirmed) return;
    this.rotating = true;
    this.rotateMessage = null;
    try {
      const info = await this.api.rotateStreamKey(this.eventId);
      this.#load.update(() => info);
      this.copied = null;
      this.rotateMessage = { ok: true, text: t('mod.stream.rotated') };
    } catch (error) {
      this.rotateMessage = { ok: false, text: t('mod.stream.rotateFailed', { reason: errorText(this.i18n, error) }) };
    } finally {
      this.rotating = false;
    }
  }

  /** No ingest on this server (no RTMP_PORT), or not known yet: the panel takes no room in the console. */
  get #absent(): boolean {
    return streamPanelHidden(this.#load.view);
  }

  override updated(): void {
    this.hidden = this.#absent;
  }

  override render() {
    const { t } = this.i18n;
    if (this.#absent) return nothing;
    return html`<section class="panel" aria-labelledby="stream-title">
        <h2 id="stream-title">${t('mod.stream.title')}</h2>
        ${this.#load.render({
          ...standardViews(this.i18n, { failed: t('mod.stream.loadFailed') }),
          ready: (info) => this.#renderReady(info),
        })}
      </section>
      <parvis-confirm-dialog></parvis-confirm-dialog>`;
  }

  #renderReady(info: IngestInfo) {
    const { t } = this.i18n;
    const view = this.#watch.view;
    const state = view.info?.state ?? info.state;
    const health = view.health;
    const connected = health?.connected ?? state === 'live';
    return html`
      <p class="state">
        <span class="badge ${connected ? 'badge-ok' : ''}">${t(connected ? 'mod.stream.connected' : 'mod.stream.notConnected')}</span>
        <span>${streamStateText(this.i18n, state, view.secondsLeft)}</span>
      </p>
      ${health && (connected || state === 'live' || state === 'reconnecting') ? this.#renderHealth() : nothing}
      ${this.#renderSettings(info)} ${this.#renderPreview()}
    `;
  }

  #renderHealth() {
    const { t } = this.i18n;
    const { health, staleSeconds } = this.#watch.view;
    if (!health) return nothing;
    return html`
      <h3>${t('mod.stream.figures')}</h3>
      <dl>
        ${healthFigures(this.i18n, health).map((f) => html`<dt>${f.label}</dt><dd>${f.value}</dd>`)}
      </dl>
      <p class="hint">${t('mod.stream.measuredAt', { time: this.i18n.time(health.at) })}</p>
      ${staleSeconds !== null ? html`<p class="notice notice-warning">${t('mod.stream.stale', { seconds: staleSeconds })}</p>` : nothing}
      ${health.warnings.length > 0
        ? html`<h3>${t('mod.stream.warnings')}</h3>
            <ul class="warnings">
              ${health.warnings.map((w) => html`<li>${warningText(this.i18n, w, health)}</li>`)}
            </ul>`
        : health.connected
          ? html`<p class="notice notice-success">${t('mod.stream.noWarnings')}</p>`
          : nothing}
    `;
  }

  #renderSettings(info: IngestInfo) {
    const { t } = this.i18n;
    const copiedNote = (what: Copied) =>
      this.copied?.what === what
        ? html`<span role="status" class=${this.copied.ok ? 'hint' : 'field-error'}
            >${t(this.copied.ok ? 'mod.stream.copied' : 'mod.stream.copyFailed')}</span
          >`
        : nothing;
    return html`
      <p class="hint">${t('mod.stream.obsHint')}</p>
      <div class="field">
        <span class="field-label">${t('mod.stream.server')}</span>
        <code>${info.rtmpUrl}</code>
        <div class="actions">
          <button type="button" class="btn btn-secondary" @click=${() => void this.#copy('server', info.rtmpUrl)}>
            ${t('mod.stream.copyServer')}
          </button>
          ${copiedNote('server')}
        </div>
      </div>
      <div class="field">
        <span class="field-label">${t('mod.stream.key')}</span>
        ${this.keyShown
          ? html`<code>${info.streamKey}</code>`
          : html`<code
              ><span aria-hidden="true">••••••••••••••••</span
              ><span class="visually-hidden">${t('mod.stream.keyHidden')}</span></code
            >`}
        <div class="actions">
          <button
            type="button"
            class="btn btn-secondary"
            aria-pressed=${this.keyShown ? 'true' : 'false'}
            @click=${() => (this.keyShown = !this.keyShown)}
          >
            ${t('mod.stream.showKey')}
          </button>
          <button type="button" class="btn btn-secondary" @click=${() => void this.#copy('key', info.streamKey)}>
            ${t('mod.stream.copyKey')}
          </button>
          <button
            type="button"
            class="btn btn-secondary"
            aria-disabled=${this.rotating ? 'true' : 'false'}
            @click=${() => void this.#rotate()}
          >
            ${t('mod.stream.rotate')}
          </button>
          ${copiedNote('key')}
        </div>
        <p class="hint">
          ${t('mod.stream.validity', {
            from: this.i18n.shortDateTime(info.validFrom, this.event?.timezone),
            until: this.i18n.shortDateTime(info.validUntil, this.event?.timezone),
          })}
        </p>
        ${this.rotating ? html`<p class="hint" role="status">${t('mod.working')}</p>` : nothing}
        ${this.rotateMessage
          ? html`<p
              class=${this.rotateMessage.ok ? 'notice notice-success' : 'notice notice-error'}
              role=${this.rotateMessage.ok ? 'status' : 'alert'}
            >
              ${this.rotateMessage.text}
            </p>`
          : nothing}
      </div>
    `;
  }

  #renderPreview() {
    const { t } = this.i18n;
    const event = this.event;
    const src = event?.status === 'live' ? event.streamUrl : undefined;
    return html`
      <h3>${t('mod.stream.preview')}</h3>
      ${src
        ? html`<div class="actions">
              <button
                type="button"
                class="btn btn-secondary"
                aria-expanded=${this.previewOn ? 'true' : 'false'}
                @click=${() => (this.previewOn = !this.previewOn)}
              >
                ${t(this.previewOn ? 'mod.stream.hidePreview' : 'mod.stream.showPreview')}
              </button>
            </div>
            ${this.previewOn ? html`<parvis-stream-preview .src=${src} .label=${event!.title}></parvis-stream-preview>` : nothing}`
        : html`<p class="hint">${t('mod.stream.previewNone')}</p>`}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-moderate-stream': ParvisModerateStream;
  }
}
