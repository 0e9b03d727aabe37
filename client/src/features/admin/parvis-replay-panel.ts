import { consume } from '@lit/context';
import type { FilmRights } from '#shared/domain/broadcast';
import type { Event } from '#shared/domain/event';
import type { ReplayAdminInfo, ReplayThumbnail } from '#shared/protocol/replay';
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { ApiError, type ApiClient } from '../../app/api-client';
import { apiContext, i18nContext } from '../../app/contexts';
import { IntervalController } from '../../app/interval-controller';
import { PageLoad, standardViews } from '../../app/page-load';
import '../../app/parvis-confirm-dialog';
import type { ParvisConfirmDialog } from '../../app/parvis-confirm-dialog';
import { baseStyles } from '../../app/shared-styles';
import { errorText } from '../../i18n/error-text';
import type { Translator } from '../../i18n/i18n';
import '../../player/parvis-player';
import { adminStyles } from './admin-styles';
import { formatBytes, formatLength, formatPosition, parsePosition } from './replay-time';

/** Candidates taken at a time: enough to choose from, few enough for ffmpeg to take in a moment. */
const CANDIDATES = 6;
/** How often a replay being assembled is asked about again: an assembly takes seconds. */
const ASSEMBLING_POLL_MS = 3000;

interface Loaded {
  info: ReplayAdminInfo;
  thumbnails: ReplayThumbnail[];
}

/**
 * "Replay" on the edit page of an event: the state of the recording's replay, its length and disk use, a preview of
 * the untrimmed replay with the in and out points set from its position (or typed), publishing and unpublishing, the
 * film's rights of a ciné-conférence, and the pictures to choose the programme's from.
 */
@customElement('parvis-replay-panel')
export class ParvisReplayPanel extends LitElement {
  static override styles = [
    baseStyles,
    adminStyles,
    css`
      .facts {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-1) var(--space-4);
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .preview {
        max-width: 40rem;
      }
      .trim {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: var(--space-2) var(--space-3);
      }
      .trim .field {
        width: 9rem;
      }
      .thumbs {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr));
        gap: var(--space-3);
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .thumb {
        display: grid;
        gap: var(--space-1);
        width: 100%;
        padding: var(--space-1);
        font: inherit;
        text-align: left;
        color: inherit;
        background: var(--color-surface);
        border: 2px solid var(--color-line);
        border-radius: var(--radius-m);
        cursor: pointer;
      }
      .thumb[aria-pressed='true'] {
        border-color: var(--color-brand);
        box-shadow: 0 0 0 2px var(--color-brand);
      }
      .thumb:focus-visible {
        outline: 3px solid var(--color-focus);
        outline-offset: 2px;
      }
      .thumb img {
        display: block;
        width: 100%;
        height: auto;
        aspect-ratio: 16 / 9;
        object-fit: cover;
        border-radius: var(--radius-s);
        background: #000;
      }
      .thumb .chosen {
        font-weight: 700;
        color: var(--color-brand);
      }
      h3 {
        font-size: 1.125rem;
      }
    `,
  ];

  /** The event, kept up to date by the page (its status, replay and picture change as the replay does). */
  @property({ attribute: false }) event!: Event;

  @consume({ context: apiContext })
  private api!: ApiClient;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  /** The outcome of the last action, for the polite status line. */
  @state() private notice = '';
  @state() private actionError = '';
  @state() private busy = false;
  @state() private taking = false;
  @state() private trimIn = '';
  @state() private trimOut = '';
  @state() private trimError = '';

  @query('parvis-confirm-dialog') private confirm!: ParvisConfirmDialog;

  /** The answer the trim fields were last filled from: a new one fills them again, an edit in progress is kept. */
  #filledFrom: ReplayAdminInfo | undefined;

  readonly #replay = new PageLoad(this, {
    args: () => [this.event.id] as const,
    load: async ([eventId], signal): Promise<Loaded> => {
      const [info, thumbnails] = await Promise.all([this.api.getReplayAdmin(eventId, signal), this.api.listThumbnails(eventId, signal)]);
      return { info, thumbnails };
    },
  });

  constructor() {
    super();
    // The assembly may end without the event changing (a replay left unpublished), or before this page listened: while
    // it runs, ask.
    new IntervalController(
      this,
      ASSEMBLING_POLL_MS,
      () => {
        if (this.#replay.data?.info.state === 'assembling') void this.#replay.reload({ quiet: true });
      },
      { whenVisible: true },
    );
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const info = this.#replay.data?.info;
    if (info && info !== this.#filledFrom) {
      this.#filledFrom = info;
      this.trimIn = info.trimIn === null ? '' : formatPosition(info.trimIn);
      this.trimOut = info.trimOut === null ? '' : formatPosition(info.trimOut);
    }
    // The event ended, or the replay's assembly gave it its replay or picture: read the replay again, quietly.
    const before = changed.get('event');
    if (
      before &&
      before.id === this.event.id &&
      (before.status !== this.event.status || before.replayUrl !== this.event.replayUrl || before.thumbnailUrl !== this.event.thumbnailUrl)
    ) {
      void this.#replay.reload({ quiet: true });
    }
  }

  /** Runs an action on the replay, saying how it went. */
  async #act(work: () => Promise<string>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.actionError = '';
    this.notice = '';
    try {
      this.notice = await work();
    } catch (error) {
      this.actionError = errorText(this.i18n, error);
    } finally {
      this.busy = false;
    }
  }

  #show(info: ReplayAdminInfo): void {
    this.#replay.update((data) => ({ ...data, info }));
  }

  async #setPublished(published: boolean): Promise<void> {
    const { t } = this.i18n;
    await this.#act(async () => {
      this.#show(await this.api.updateReplay(this.event.id, { published }));
      return t(published ? 'replay.didPublish' : 'replay.didUnpublish');
    });
  }

  async #setFilmRights(info: ReplayAdminInfo, filmRights: FilmRights, input: HTMLInputElement): Promise<void> {
    const { t } = this.i18n;
    // Once the event is over, cutting the film deletes its footage: that is asked first.
    if (filmRights === 'live-only' && this.event.status === 'ended' && info.state === 'ready' && info.talkStartsAt) {
      const confirmed = await this.confirm.ask({
        heading: t('replay.film.confirmTitle'),
        body: t('replay.film.confirmBody'),
        confirmLabel: t('replay.film.confirm'),
        cancelLabel: t('replay.film.keep'),
        danger: true,
      });
      if (!confirmed) {
        input.checked = false;
        this.requestUpdate();
        return;
      }
    }
    await this.#act(async () => {
      this.#show(await this.api.updateReplay(this.event.id, { filmRights }));
      return t('replay.film.saved');
    });
  }

  /** The preview's position, in seconds of the untrimmed replay. */
  #position(): number | null {
    // The player keeps its <video> in its own shadow root; the position is all this panel reads of it.
    const video = this.renderRoot.querySelector('parvis-player')?.shadowRoot?.querySelector('video');
    return video && Number.isFinite(video.currentTime) ? video.currentTime : null;
  }

  #fromPreview(which: 'in' | 'out'): void {
    const position = this.#position();
    if (position === null) return;
    if (which === 'in') this.trimIn = formatPosition(position);
    else this.trimOut = formatPosition(position);
    this.trimError = '';
  }

  async #saveTrims(submit: SubmitEvent | null, clear = false): Promise<void> {
    submit?.preventDefault();
    const { t } = this.i18n;
    const trimIn = clear ? null : parsePosition(this.trimIn);
    const trimOut = clear ? null : parsePosition(this.trimOut);
    if (trimIn === undefined || trimOut === undefined) {
      this.trimError = t('replay.trim.invalid');
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>(trimIn === undefined ? '#trim-in' : '#trim-out')?.focus();
      return;
    }
    this.trimError = '';
    await this.#act(async () => {
      try {
        const info = await this.api.updateReplay(this.event.id, { trimIn, trimOut });
        this.#show(info);
        const duration = formatLength(info.durationSeconds);
        return t(clear ? 'replay.trim.cleared' : 'replay.trim.saved', { duration });
      } catch (error) {
        if (error instanceof ApiError && error.fields) {
          this.trimError = Object.values(error.fields).join(' ');
          return '';
        }
        throw error;
      }
    });
  }

  async #takeThumbnails(): Promise<void> {
    if (this.taking) return;
    const { t } = this.i18n;
    this.taking = true;
    this.actionError = '';
    this.notice = t('replay.thumbs.taking');
    try {
      const thumbnails = await this.api.takeThumbnails(this.event.id, CANDIDATES);
      this.#replay.update((data) => ({ ...data, thumbnails }));
      this.notice = '';
    } catch (error) {
      this.notice = '';
      this.actionError = errorText(this.i18n, error);
    } finally {
      this.taking = false;
    }
  }

  async #choose(thumbnail: ReplayThumbnail): Promise<void> {
    const { t } = this.i18n;
    await this.#act(async () => {
      this.#show(await this.api.chooseThumbnail(this.event.id, thumbnail.file));
      return t('replay.thumbs.didChoose');
    });
  }

  override render(): TemplateResult {
    const { t } = this.i18n;
    return html`
      <section aria-labelledby="replay-heading">
        <h2 id="replay-heading">${t('replay.title')}</h2>
        <p class="muted">${t('replay.intro')}</p>
        <p role="status" class="muted">${this.notice}</p>
        ${this.actionError ? html`<p class="notice notice-error" role="alert">${this.actionError}</p>` : nothing}
        ${this.#replay.render({
          ...standardViews(this.i18n, { failed: t('replay.loadError') }),
          ready: (data) => this.#renderReplay(data),
        })}
      </section>
      <parvis-confirm-dialog></parvis-confirm-dialog>
    `;
  }

  #renderReplay({ info, thumbnails }: Loaded): TemplateResult {
    const { t } = this.i18n;
    const ready = info.state === 'ready';
    return html`
      <p>${t(`replay.state.${info.state}`)}</p>
      ${ready || info.diskBytes > 0
        ? html`<ul class="facts">
            ${ready ? html`<li>${t('replay.duration', { duration: formatLength(info.durationSeconds) })}</li>` : nothing}
            <li>${t('replay.disk', { size: formatBytes(info.diskBytes, this.i18n.lang) })}</li>
          </ul>`
        : nothing}
      ${ready
        ? html`<div class="actions">
            <p>${t(info.published ? 'replay.published' : 'replay.unpublished')}</p>
            <button
              type="button"
              class="btn ${info.published ? 'btn-secondary' : ''}"
              ?disabled=${this.busy}
              @click=${() => void this.#setPublished(!info.published)}
            >
              ${t(info.published ? 'replay.unpublish' : 'replay.publish')}
            </button>
          </div>`
        : nothing}
      ${this.event.kind === 'cine_conference' || info.filmRights === 'live-only' ? this.#renderFilm(info) : nothing}
      ${ready && info.previewUrl ? this.#renderPreview(info) : nothing}
      ${ready ? this.#renderThumbnails(info, thumbnails) : nothing}
    `;
  }

  #renderFilm(info: ReplayAdminInfo): TemplateResult {
    const { t } = this.i18n;
    const choice = (value: FilmRights, label: string, hint: string) => html`<div class="choice">
      <input
        type="radio"
        id="film-${value}"
        name="film-rights"
        value=${value}
        .checked=${info.filmRights === value}
        ?disabled=${this.busy}
        aria-describedby="film-${value}-hint"
        @change=${(e: globalThis.Event) => void this.#setFilmRights(info, value, e.target as HTMLInputElement)}
      />
      <label for="film-${value}">${label}</label>
      <p id="film-${value}-hint" class="hint">${hint}</p>
    </div>`;
    return html`<fieldset>
      <legend>${t('replay.film.legend')}</legend>
      <div class="choices">
        ${choice('replay', t('replay.film.replay'), t('replay.film.replayHint'))}
        ${choice('live-only', t('replay.film.liveOnly'), t('replay.film.liveOnlyHint'))}
      </div>
      <p class="muted">
        ${info.talkStartsAt
          ? t('replay.film.talkStarts', { time: this.i18n.time(info.talkStartsAt, this.event.timezone) })
          : t('replay.film.noTalkStart')}
      </p>
    </fieldset>`;
  }

  #renderPreview(info: ReplayAdminInfo): TemplateResult {
    const { t } = this.i18n;
    const invalid = this.trimError !== '';
    const described = invalid ? 'trim-hint trim-error' : 'trim-hint';
    const field = (id: string, label: string, value: string, set: (v: string) => void, here: string, which: 'in' | 'out') =>
      html`<div class="field">
          <label for=${id}>${label}</label>
          <input
            id=${id}
            type="text"
            inputmode="decimal"
            autocomplete="off"
            .value=${value}
            aria-describedby=${described}
            aria-invalid=${invalid ? 'true' : 'false'}
            @input=${(e: InputEvent) => set((e.target as HTMLInputElement).value)}
          />
        </div>
        <button type="button" class="btn btn-secondary btn-small" @click=${() => this.#fromPreview(which)}>${here}</button>`;
    return html`
      <div class="preview">
        <h3>${t('replay.preview')}</h3>
        <parvis-player .src=${info.previewUrl!} .label=${this.event.title}></parvis-player>
      </div>
      <form novalidate @submit=${(e: SubmitEvent) => void this.#saveTrims(e)}>
        <fieldset>
          <legend>${t('replay.trim.legend')}</legend>
          <p id="trim-hint" class="hint">${t('replay.trim.hint')}</p>
          <div class="trim">
            ${field('trim-in', t('replay.trim.in'), this.trimIn, (v) => (this.trimIn = v), t('replay.trim.inHere'), 'in')}
          </div>
          <div class="trim">
            ${field('trim-out', t('replay.trim.out'), this.trimOut, (v) => (this.trimOut = v), t('replay.trim.outHere'), 'out')}
          </div>
          ${invalid ? html`<p id="trim-error" class="field-error">${this.trimError}</p>` : nothing}
          <div class="actions">
            <button type="submit" class="btn" ?disabled=${this.busy}>${t('replay.trim.save')}</button>
            <button type="button" class="btn btn-secondary" ?disabled=${this.busy} @click=${() => void this.#saveTrims(null, true)}>
              ${t('replay.trim.clear')}
            </button>
          </div>
        </fieldset>
      </form>
    `;
  }

  #renderThumbnails(info: ReplayAdminInfo, thumbnails: ReplayThumbnail[]): TemplateResult {
    const { t } = this.i18n;
    // Candidates of an unpublished replay are the admin's to see: the preview's token opens them.
    const token = info.previewUrl ? new URL(info.previewUrl, location.href).searchParams.get('preview') : null;
    const src = (thumbnail: ReplayThumbnail) => (token ? `${thumbnail.url}?${new URLSearchParams({ preview: token })}` : thumbnail.url);
    return html`<section aria-labelledby="thumbs-heading">
      <h3 id="thumbs-heading">${t('replay.thumbs.title')}</h3>
      <p class="muted">${t('replay.thumbs.intro')}</p>
      ${thumbnails.length === 0
        ? html`<p class="empty">${t('replay.thumbs.none')}</p>`
        : html`<ul class="thumbs" aria-label=${t('replay.thumbs.list')}>
            ${repeat(
              thumbnails,
              (thumbnail) => thumbnail.file,
              (thumbnail) => {
                const chosen = info.thumbnail?.file === thumbnail.file;
                const when =
                  thumbnail.offset === null ? t('replay.thumbs.chooseCut') : t('replay.thumbs.choose', { time: formatPosition(thumbnail.offset) });
                return html`<li>
                  <button type="button" class="thumb" aria-pressed=${chosen ? 'true' : 'false'} ?disabled=${this.busy} @click=${() => void this.#choose(thumbnail)}>
                    <img src=${src(thumbnail)} alt="" loading="lazy" width="320" height="180" />
                    <span>${when}</span>
                    ${chosen ? html`<span class="chosen">${t('replay.thumbs.chosen')}</span>` : nothing}
                  </button>
                </li>`;
              },
            )}
          </ul>`}
      <div class="actions">
        <button type="button" class="btn btn-secondary" ?disabled=${this.taking} @click=${() => void this.#takeThumbnails()}>
          ${this.taking ? t('replay.thumbs.taking') : t('replay.thumbs.take')}
        </button>
      </div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-replay-panel': ParvisReplayPanel;
  }
}
