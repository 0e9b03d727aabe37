import { consume } from '@lit/context';
import type { Event } from '#shared/domain/event';
import { isEventStaff } from '#shared/domain/staff';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ApiError, type ApiClient, type PublicEvent } from '../../app/api-client';
import { apiContext, i18nContext, realtimeContext, sessionContext, type SessionContextValue } from '../../app/contexts';
import { PageLoad, standardViews } from '../../app/page-load';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import type { RealtimeClient } from '../../realtime/realtime-client';
import '../../app/parvis-confirm-dialog';
import type { ParvisConfirmDialog } from '../../app/parvis-confirm-dialog';
import { RegistrantEntry } from '../signup/registrant-entry';
import type { ReplayCopyLinkEvent, ReplaySeekEvent } from '../replay/parvis-replay-chapters';
import type { TranscriptLanguageEvent } from '../replay/parvis-replay-transcript';
import { ReplayCaptionsController } from '../replay/replay-captions-controller';
import { loadCaptionSettings, pickCaptionLanguage } from '../../player/caption-settings';
import type { PlayerTimeEvent } from '../../player/parvis-player';
import { ReplayController } from '../replay/replay-controller';
import type { ParvisEventStage } from './parvis-event-stage';
import { EventRoomController } from './event-room-controller';
import { EventStatusController } from './event-status-controller';
import type { RoomState } from './event-room';
import { ViewerMomentsController } from './viewer-moments-controller';
import { loadRoomPanels } from './room-panels-loader';
import './parvis-event-stage';
import './parvis-viewer-count';

/** The longest the panels wait for the player's first picture before they are fetched anyway. */
const PANELS_AT_THE_LATEST_MS = 1500;

/**
 * The polls are a third tab rather than a block above the tabs: on a phone a block above would push the chat below
 * the fold for the whole talk, for a poll that lasts a minute. A badge on the tab counts the open polls, and a polite
 * announcement outside the tabs says "new poll", so an opening is not missed from the chat.
 */
type RoomTab = 'chat' | 'qa' | 'polls';
const ROOM_TABS: readonly RoomTab[] = ['chat', 'qa', 'polls'];


/**
 * The page of one event: what it is, the video (live, countdown, replay), the viewer count and the chat. The event
 * is fetched over HTTP (so the page works even when the live room is refused), then kept current by the room.
 */
@customElement('parvis-event-page')
export class ParvisEventPage extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: grid;
        gap: var(--space-5);
      }
      .back {
        justify-self: start;
        display: inline-flex;
        align-items: center;
        gap: var(--space-1);
        font-weight: 600;
      }
      .head {
        display: grid;
        gap: var(--space-2);
      }
      .tags {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--space-2) var(--space-3);
      }
      .kind {
        font-size: 0.8125rem;
        font-weight: 700;
        text-transform: uppercase;
        letter-spacing: 0.06em;
        color: var(--color-brand);
      }
      h1 {
        font-size: clamp(1.75rem, 4.5vw, 2.5rem);
      }
      .when {
        display: flex;
        flex-wrap: wrap;
        gap: 0 var(--space-3);
      }
      .when time {
        font-weight: 600;
      }
      .local {
        color: var(--color-ink-muted);
      }
      .layout {
        display: grid;
        gap: var(--space-5);
        grid-template-columns: minmax(0, 1fr);
        grid-template-areas: 'stage' 'chat' 'about';
      }
      /* A registration event: the sign-up comes right after the video, before the chat (which is closed to non-registrants). */
      .layout.with-signup {
        grid-template-areas: 'stage' 'signup' 'chat' 'about';
      }
      .signup {
        grid-area: signup;
      }
      .calendar {
        margin-top: var(--space-1);
      }
      .stage {
        grid-area: stage;
        display: grid;
        gap: var(--space-3);
        align-content: start;
      }
      .chat {
        grid-area: chat;
      }
      .side {
        display: flex;
        flex-direction: column;
        gap: var(--space-2);
        min-height: 0;
      }
      /* One line of tabs at every width: wrapped, they pushed the panel down beside the video. */
      .tabs {
        display: flex;
        gap: var(--space-1);
        border-bottom: 2px solid var(--color-line);
      }
      [role='tab'] {
        flex: 0 1 auto;
        min-width: 0;
        white-space: nowrap;
        padding: var(--space-2) var(--space-3);
        border: 0;
        border-bottom: 3px solid transparent;
        margin-bottom: -2px;
        background: none;
        color: var(--color-ink-muted);
        font: inherit;
        font-weight: 600;
        cursor: pointer;
      }
      [role='tab'][aria-selected='true'] {
        color: var(--color-ink);
        border-bottom-color: var(--color-brand);
      }
      @media (max-width: 30rem), (min-width: 64rem) and (max-width: 80rem) {
        [role='tab'] {
          padding-inline: var(--space-2);
        }
      }
      .tab-count {
        display: inline-grid;
        place-items: center;
        min-width: 1.375rem;
        height: 1.375rem;
        margin-left: var(--space-1);
        padding: 0 0.35rem;
        border-radius: 999px;
        background: var(--color-live);
        color: var(--color-live-ink);
        font-size: 0.8125rem;
        font-weight: 700;
        line-height: 1;
      }
      .tabpanel {
        flex: 1;
        min-height: 0;
      }
      .video {
        position: relative;
      }
      .tabpanel[hidden] {
        display: none;
      }
      .tabpanel > * {
        height: 100%;
      }
      .about {
        grid-area: about;
        display: grid;
        gap: var(--space-3);
        align-content: start;
        max-width: 48rem;
      }
      .about h2 {
        font-size: 1.375rem;
      }
      .about h3 {
        font-size: 1.125rem;
        margin-top: var(--space-2);
      }
      .summary {
        white-space: pre-line;
      }
      .speakers {
        margin: 0;
        padding-left: 1.25rem;
      }
      .speaker-title {
        color: var(--color-ink-muted);
      }
      @media (min-width: 64rem) {
        .layout {
          grid-template-columns: minmax(0, 2fr) minmax(20rem, 1fr);
          grid-template-rows: auto 1fr;
          grid-template-areas: 'stage chat' 'about chat';
        }
        .layout.with-signup {
          grid-template-rows: auto auto 1fr;
          grid-template-areas: 'stage chat' 'signup chat' 'about chat';
        }
        .chat {
          position: sticky;
          top: var(--space-4);
          align-self: start;
          min-height: 0;
        }
        .chat.open {
          height: min(44rem, calc(100vh - 2 * var(--space-4)));
        }
      }
      .message {
        display: grid;
        gap: var(--space-3);
        justify-items: start;
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

  /** The tab shown beside the video: the chat or the questions. */
  @state() private tab: RoomTab = 'chat';

  @query('parvis-confirm-dialog') private confirm!: ParvisConfirmDialog;
  @query('parvis-event-stage') private stage!: ParvisEventStage | null;

  /** The event over HTTP: shown at once, before the live room answers (and for people the room refuses). */
  readonly #load = new PageLoad(this, {
    args: () => [this.eventId] as const,
    load: ([eventId], signal) => this.api.getEvent(eventId, signal),
  });
  readonly #room = new EventRoomController(this);
  // A status just changed here shows at once, even if the broadcast is still on its way.
  readonly #status = new EventStatusController(this, {
    event: () => this.#room.state?.event ?? this.#load.data ?? null,
    api: () => this.api,
    i18n: () => this.i18n,
    confirm: () => this.confirm,
  });

  /** An ended event's replay: the live's chat and chapters in step with the video, links to a moment. */
  readonly #replay = new ReplayController(this, {
    api: () => this.api,
    event: () => this.#event,
    search: location.search,
  });

  /** The question on air and poll openings, for a viewer, when their own video reaches them (issue 12). */
  readonly #moments = new ViewerMomentsController(this, () => this.stage?.programDate() ?? null);

  /**
   * The room as this person should see it in the questions and polls: the staff run the room in real time; a viewer
   * of the live gets what happened on stage when their picture shows it. The chat is never held back.
   */
  get #viewerState(): RoomState | null {
    const state = this.#room.state;
    if (!state || isEventStaff(state.role) || state.event?.status !== 'live') return state;
    return this.#moments.view(state);
  }

  /** An ended event's captions: the player's tracks and the transcript below it. */
  readonly #captions = new ReplayCaptionsController(this, {
    api: () => this.api,
    event: () => this.#event,
    preferred: (languages) => {
      let saved: string | null = null;
      try {
        saved = loadCaptionSettings(globalThis.localStorage).lang;
      } catch {
        // No storage: the page's language.
      }
      return pickCaptionLanguage(languages, saved, this.i18n.lang);
    },
  });

  readonly #onPlayerTime = (event: PlayerTimeEvent): void => {
    this.#replay.onTime(event);
    this.#captions.onTime(event);
  };

  /** The panels' chunk could not be fetched (offline, or a deploy replaced it): the page says so, with a reload. */
  @state() private panelsFailed = false;

  /**
   * The panels around the video come in their own chunk, never waited for: the page and its video show first, each
   * panel upgrades in place when its code arrives. When the page plays a video, the chunk is fetched once the player
   * has its first picture (or after {@link PANELS_AT_THE_LATEST_MS}), so that running and drawing the panels (and the
   * chat history they show) does not hold the first frame back: about 150 ms at the median in
   * `npm run bench -- --only=firstframe`. Without a video they are fetched at once.
   */
  #panelsRequested = false;
  #panelsTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #loadPanels = (): void => {
    clearTimeout(this.#panelsTimer);
    if (this.#panelsRequested) return;
    this.#panelsRequested = true;
    loadRoomPanels().catch(() => {
      this.panelsFailed = true;
    });
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.#panelsTimer = setTimeout(this.#loadPanels, PANELS_AT_THE_LATEST_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#panelsTimer);
  }

  override willUpdate(): void {
    this.#room.use(this.realtime, this.eventId || undefined);
  }

  // A registrant who came from their personal page enters the room under their registered name.
  readonly #registrant = new RegistrantEntry({
    session: () => this.session,
    storage: () => {
      try {
        return globalThis.sessionStorage;
      } catch {
        return undefined;
      }
    },
  });

  override updated(): void {
    const event = this.#event;
    if (event) void this.#registrant.enter(event);
    const title =
      event?.title ??
      (this.#isNotFound ? this.i18n.t('event.notFound.title') : this.#load.view.status === 'error' ? this.i18n.t('event.error') : null);
    if (title) document.title = `${title} — Parvis`;
  }

  /** The freshest copy: the room's (join ack, then live updates) once it has one, else the HTTP one. */
  get #event(): Event | null {
    return this.#status.event;
  }

  get #isNotFound(): boolean {
    const error = this.#load.error;
    const httpNotFound = error instanceof ApiError && error.code === 'NOT_FOUND';
    return httpNotFound && !this.#room.state?.event;
  }

  override render() {
    const { t } = this.i18n;
    const back = html`<a class="back" href="/"><span aria-hidden="true">←</span> ${t('app.backToProgramme')}</a>`;
    const event = this.#event;
    if (!event) {
      if (this.#isNotFound) {
        return html`${back}
          <div class="message">
            <h1>${t('event.notFound.title')}</h1>
            <p>${t('event.notFound.body')}</p>
          </div>`;
      }
      const views = standardViews(this.i18n, { loading: t('event.loading'), failed: '' });
      return html`${back}${this.#load.render({
        ...views,
        error: (error, retry) =>
          html`<div class="message">
            <h1>${t('event.error')}</h1>
            ${views.error(error, retry)}
          </div>`,
        // Never shown: with the HTTP copy loaded, the page has its event.
        ready: () => nothing,
      })}`;
    }
    const role = this.#room.state?.role ?? null;
    return html`${back} ${this.#renderHead(event)}
      ${this.panelsFailed
        ? html`<div class="notice notice-error" role="alert">
            <p>${t('app.error.network')}</p>
            <button type="button" class="btn btn-small" @click=${() => location.reload()}>${t('app.retry')}</button>
          </div>`
        : nothing}
      ${isEventStaff(role)
        ? html`<parvis-moderator-tools
              .status=${event.status}
              .eventId=${event.id}
              .eventRole=${role}
              ?busy=${this.#status.busy}
              .error=${this.#status.error}
              .message=${this.#status.message}
              @parvis-status-change-request=${this.#status.onRequest}
            ></parvis-moderator-tools>
            <parvis-confirm-dialog></parvis-confirm-dialog>`
        : nothing}
      ${this.#renderLayout(event)}`;
  }

  #renderHead(event: Event) {
    const { t } = this.i18n;
    const local = this.i18n.localIfDifferent(event.startsAt, event.timezone);
    // The end as a time of day only makes sense for events shorter than a day, which is nearly all of them.
    const sameDay = Date.parse(event.endsAt) - Date.parse(event.startsAt) < 24 * 3600 * 1000;
    return html`
      <div class="head">
        <div class="tags">
          ${event.status === 'live' ? html`<span class="badge badge-live">${t('status.live')}</span>` : nothing}
          <span class="kind">${t(`kindOne.${event.kind}`)}</span>
          ${event.access !== 'open' ? html`<span class="badge">${t(`access.${event.access}`)}</span>` : nothing}
          ${event.status === 'live'
            ? // Before and after the talk the count is of people on the page, often just oneself: no audience to tell.
              html`<parvis-viewer-count .viewers=${this.#room.state?.viewers ?? null}></parvis-viewer-count>`
            : nothing}
        </div>
        <h1 lang=${event.language || nothing}>${event.title}</h1>
        <p class="when">
          <span>
            <time datetime=${event.startsAt}>${this.i18n.dateTime(event.startsAt, event.timezone)}</time>${sameDay
              ? html` – <time datetime=${event.endsAt}>${this.i18n.time(event.endsAt, event.timezone)}</time>`
              : nothing}
          </span>
          ${local ? html`<span class="local">${t('event.localTime', { time: local })}</span>` : nothing}
        </p>
        ${event.status === 'scheduled' || event.status === 'live'
          ? html`<parvis-add-to-calendar class="calendar" .event=${event}></parvis-add-to-calendar>`
          : nothing}
      </div>
    `;
  }

  #onTabKey(event: KeyboardEvent): void {
    const index = ROOM_TABS.indexOf(this.tab);
    const last = ROOM_TABS.length - 1;
    const next =
      event.key === 'ArrowRight' ? (index + 1) % ROOM_TABS.length
      : event.key === 'ArrowLeft' ? (index + last) % ROOM_TABS.length
      : event.key === 'Home' ? 0
      : event.key === 'End' ? last
      : -1;
    if (next < 0) return;
    event.preventDefault();
    this.tab = ROOM_TABS[next]!;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${this.tab}`)?.focus());
  }

  /** The chat and the questions as two tabs beside the video (below it on phones). */
  #renderTabs(event: Event) {
    const { t } = this.i18n;
    const room = this.#room;
    const shown = this.#viewerState;
    const replay = this.#replay.timeline;
    const tab = (id: RoomTab, label: string, extra: unknown = nothing) =>
      html`<button
        type="button"
        role="tab"
        id="tab-${id}"
        aria-controls="panel-${id}"
        aria-selected=${this.tab === id ? 'true' : 'false'}
        tabindex=${this.tab === id ? 0 : -1}
        @click=${() => (this.tab = id)}
      >
        ${label}${extra}
      </button>`;
    const open = (shown?.polls ?? []).filter((p) => p.state === 'open').length;
    const pollsBadge =
      open > 0
        ? html`<span class="tab-count" aria-hidden="true">${open}</span
            ><span class="visually-hidden">, ${this.i18n.plural('room.poll.openCount', open)}</span>`
        : nothing;
    return html`<div class="chat open side">
      <div class="tabs" role="tablist" aria-label=${t('room.tabs')} @keydown=${this.#onTabKey}>
        ${tab('chat', t('qa.tabChat'))} ${tab('qa', t('qa.tabQuestions'))} ${tab('polls', t('room.tabPolls'), pollsBadge)}
      </div>
      <div class="tabpanel" role="tabpanel" id="panel-chat" aria-labelledby="tab-chat" ?hidden=${this.tab !== 'chat'}>
        ${replay
          ? // The replay plays the chat as it was at the video's moment, in place of the closed room's whole history.
            html`<parvis-replay-chat tabbed .moment=${replay.moment}></parvis-replay-chat>`
          : html`<parvis-chat-panel tabbed .event=${event} .room=${room.room} .state=${room.state}></parvis-chat-panel>`}
      </div>
      <div class="tabpanel" role="tabpanel" id="panel-qa" aria-labelledby="tab-qa" ?hidden=${this.tab !== 'qa'}>
        <parvis-qa-panel tabbed .event=${event} .room=${room.room} .state=${shown}></parvis-qa-panel>
      </div>
      <div class="tabpanel" role="tabpanel" id="panel-polls" aria-labelledby="tab-polls" ?hidden=${this.tab !== 'polls'}>
        <parvis-polls-panel tabbed .event=${event} .room=${room.room} .state=${shown}></parvis-polls-panel>
      </div>
      <parvis-polls-announcer
        .polls=${shown?.polls ?? []}
        ?ready=${room.state?.phase === 'joined'}
        ?follow=${this.tab === 'polls'}
      ></parvis-polls-announcer>
    </div>`;
  }

  #renderLayout(event: Event) {
    const { t } = this.i18n;
    // The stage shows a player for a live event with its stream and for an ended one with its replay (parvis-event-stage).
    const playing = (event.status === 'live' && Boolean(event.streamUrl)) || (event.status === 'ended' && Boolean(event.replayUrl));
    if (!playing && !this.#panelsRequested) queueMicrotask(this.#loadPanels);
    const room = this.#room;
    // Reactions belong to the live talk, and to the people in its room; a replay plays back those it recorded.
    const live = event.status === 'live' && room.state?.phase === 'joined';
    const replay = this.#replay.timeline;
    const hasReplay = event.status === 'ended' && Boolean(event.replayUrl);
    return html`
      <div class="layout ${event.access === 'registration' ? 'with-signup' : ''}">
        <section class="stage" aria-label=${t('event.videoRegion')}>
          <div class="video" @parvis-player-time=${this.#onPlayerTime} @parvis-player-settled=${this.#loadPanels}>
            <parvis-event-stage
              .event=${event}
              .replayStart=${this.#replay.startAt}
              .liveCaptions=${room.state?.captions ?? []}
              .captionFiles=${this.#captions.files}
              ?refused=${room.state?.phase === 'denied' && room.state.error?.code === 'FORBIDDEN'}
            ></parvis-event-stage>
            ${live ? html`<parvis-reactions-overlay .burst=${room.state?.reactions ?? null}></parvis-reactions-overlay>` : nothing}
            ${replay ? html`<parvis-reactions-overlay .burst=${replay.moment.burst}></parvis-reactions-overlay>` : nothing}
          </div>
          ${live ? html`<parvis-reactions-bar .room=${room.room}></parvis-reactions-bar>` : nothing}
          ${hasReplay
            ? html`<parvis-replay-chapters
                .eventId=${event.id}
                .chapters=${replay?.chapters ?? []}
                .current=${replay?.moment.chapter ?? -1}
                .copied=${this.#replay.copied}
                @parvis-replay-seek=${(e: ReplaySeekEvent) => this.stage?.seek(e.seconds)}
                @parvis-replay-copy-link=${(_: ReplayCopyLinkEvent) => void this.#replay.copyLink(event.id)}
              ></parvis-replay-chapters>`
            : nothing}
          ${hasReplay && this.#captions.lines.length > 0
            ? html`<parvis-replay-transcript
                .lines=${this.#captions.lines}
                .current=${this.#captions.current}
                .languages=${this.#captions.languages}
                .language=${this.#captions.lang}
                @parvis-replay-seek=${(e: ReplaySeekEvent) => this.stage?.seek(e.seconds)}
                @parvis-transcript-language=${(e: TranscriptLanguageEvent) => (this.#captions.lang = e.lang)}
              ></parvis-replay-transcript>`
            : nothing}
        </section>
        ${event.access === 'registration'
          ? html`<div class="signup">
              <parvis-signup-panel
                .event=${this.#withSeats(event)}
                @parvis-seats-stale=${() => void this.#load.reload({ quiet: true })}
              ></parvis-signup-panel>
            </div>`
          : nothing}
        ${room.state?.phase === 'denied'
          ? html`<parvis-chat-panel class="chat" .event=${event} .room=${room.room} .state=${room.state}></parvis-chat-panel>`
          : this.#renderTabs(event)}
        ${event.summary.trim() || event.speakers.length > 0 ? this.#renderAbout(event) : nothing}
      </div>
    `;
  }

  /**
   * The event as shown, with what its HTTP copy said of its sign-up: the seats, how long data is kept (the live
   * room's copy has none of it).
   */
  #withSeats(event: Event): PublicEvent {
    const loaded = this.#load.data;
    if (!loaded) return event;
    const { seats, retentionDays } = loaded;
    return { ...event, ...(seats && { seats }), ...(retentionDays !== undefined && { retentionDays }) };
  }

  /** What the event is about and who speaks; left out when the admin wrote neither, rather than an empty heading. */
  #renderAbout(event: Event) {
    const { t } = this.i18n;
    return html`<section class="about" aria-labelledby="about-title">
      <h2 id="about-title">${t('event.about')}</h2>
      ${event.summary.trim() ? html`<p class="summary" lang=${event.language || nothing}>${event.summary}</p>` : nothing}
      ${event.speakers.length > 0
        ? html`<h3>${t('event.speakers')}</h3>
            <ul class="speakers">
              ${event.speakers.map(
                (s) =>
                  html`<li>
                    <strong>${s.name}</strong>${s.title ? html`<span class="speaker-title">, ${s.title}</span>` : nothing}
                  </li>`,
              )}
            </ul>`
        : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-event-page': ParvisEventPage;
  }
}
