import { provide } from '@lit/context';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { query, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { loadMessages, loadTranslator, saveLang, type Lang, type Translator } from '../i18n/i18n';
import { RealtimeClient } from '../realtime/realtime-client';
import { ApiClient } from './api-client';
import { apiContext, i18nContext, realtimeContext, sessionContext, type SessionContextValue } from './contexts';
import { NavigateRequestEvent } from './events';
import { loadPageChunk, pageChunk, type PageChunk } from './pages';
import { RouterController } from './router-controller';
import type { Route } from './routes';
import { guardRoute, type GuardDecision } from './route-guard';
import { isAdminSession, SessionStore } from './session-store';
import { baseStyles } from './shared-styles';
import './parvis-not-found-page';

/**
 * The root of the app: builds the services (API client, session, realtime connection, language) and provides them to
 * every element below through context, lays out the page (skip link, header, main, footer) and shows the page of the
 * current route, loading its chunk (pages.ts) the first time. main.ts defines it once the first language's strings
 * are there (`ParvisApp.define`), so that it never shows a key.
 */
export class ParvisApp extends LitElement {
  static #firstI18n: Translator | null = null;

  static define(i18n: Translator): void {
    ParvisApp.#firstI18n = i18n;
    customElements.define('parvis-app', ParvisApp);
  }

  static override styles = [
    baseStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        min-height: 100vh;
      }
      .skip-link {
        position: absolute;
        left: var(--space-3);
        top: -10rem;
        z-index: 10;
        padding: var(--space-2) var(--space-4);
        background: var(--color-ink);
        color: var(--color-paper);
        border-radius: var(--radius-s);
        font-weight: 600;
      }
      .skip-link:focus {
        top: var(--space-3);
      }
      header {
        background: var(--color-surface);
        border-bottom: 1px solid var(--color-line);
      }
      .header-inner {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--space-2) var(--space-5);
        max-width: var(--page-width);
        margin: 0 auto;
        padding: var(--space-3) var(--space-4);
      }
      .brand {
        display: flex;
        flex-direction: column;
        text-decoration: none;
        color: var(--color-ink);
        margin-right: auto;
      }
      .brand-name {
        font-family: var(--font-display);
        font-size: 1.625rem;
        font-weight: 700;
        color: var(--color-brand);
        line-height: 1.1;
      }
      .brand-tagline {
        font-size: 0.875rem;
        color: var(--color-ink-muted);
      }
      .account {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--space-1) var(--space-3);
        font-size: 0.875rem;
      }
      .account a {
        font-weight: 600;
      }
      .who {
        color: var(--color-ink-muted);
      }
      .account .link-button {
        font-size: 0.875rem;
      }
      nav ul {
        display: flex;
        gap: var(--space-4);
        margin: 0;
        padding: 0;
        list-style: none;
      }
      nav a {
        display: inline-block;
        padding: var(--space-2) var(--space-1);
        font-weight: 600;
        color: var(--color-ink);
        text-decoration: none;
        border-bottom: 3px solid transparent;
      }
      nav a:hover,
      nav a[aria-current='page'] {
        border-bottom-color: var(--color-brand);
      }
      main {
        flex: 1;
        width: 100%;
        max-width: var(--page-width);
        margin: 0 auto;
        padding: var(--space-5) var(--space-4) var(--space-7);
      }
      main:focus {
        outline: none;
      }
      footer {
        border-top: 1px solid var(--color-line);
        background: var(--color-surface-alt);
        color: var(--color-ink-muted);
        font-size: 0.875rem;
      }
      footer p {
        max-width: var(--page-width);
        margin: 0 auto;
        padding: var(--space-4);
      }
      @media (max-width: 30rem) {
        .header-inner {
          gap: var(--space-2) var(--space-3);
        }
        .brand-tagline {
          display: none;
        }
        main {
          padding-inline: var(--space-3);
        }
      }
    `,
  ];

  readonly #api = new ApiClient();
  readonly #sessionStore = new SessionStore(this.#api);
  readonly #realtime = new RealtimeClient({ token: this.#sessionStore.current?.token ?? null });
  #guard: GuardDecision = { action: 'show' };
  /** The page whose chunk failed to load (offline, or a deploy replaced it), shown as an error with a reload. */
  @state() private pageFailed: string | null = null;
  /** The language asked for last: a slow dictionary must not win over a later click. */
  #wantedLang: Lang | null = null;
  #unsubscribe: Array<() => void> = [];

  @provide({ context: apiContext })
  api: ApiClient = this.#api;

  @provide({ context: realtimeContext })
  realtime: RealtimeClient = this.#realtime;

  @provide({ context: i18nContext })
  @state()
  i18n: Translator = ParvisApp.#firstTranslator();

  @provide({ context: sessionContext })
  @state()
  session: SessionContextValue = this.#sessionValue();

  @query('main') private main!: HTMLElement;

  readonly #router = new RouterController(this, (_route, kind) => this.#afterNavigation(kind));

  constructor() {
    super();
    this.#api.setAuth(this.#sessionStore);
    this.#realtime.setAuthRenewer((refused) => this.#sessionStore.handshakeRefused(refused));
    this.addEventListener(NavigateRequestEvent.eventName, (event) => {
      this.#router.navigate(event.href, { replace: event.replace });
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.documentElement.lang = this.i18n.lang;
    this.#unsubscribe = [
      this.#sessionStore.subscribe((session) => {
        this.session = this.#sessionValue();
        this.#realtime.setToken(session?.token ?? null);
      }),
    ];
    this.#sessionStore.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    this.#sessionStore.stop();
    this.#realtime.close();
  }

  #sessionValue(): SessionContextValue {
    const store = this.#sessionStore;
    return {
      session: store.current,
      signInAsGuest: (displayName, eventId) => store.signInAsGuest(displayName, eventId),
      signInAsRegistrant: (personToken, eventId) => store.signInAsRegistrant(personToken, eventId),
      signIn: (email, password) => store.signIn(email, password),
      setUp: (request) => store.setUp(request),
      acceptInvite: (token, displayName) => store.acceptInvite(token, displayName),
      signOut: () => store.signOut(),
    };
  }

  override willUpdate(): void {
    // Who may see the page, again at every render: a sign-in, a sign-out (here or in another tab) or a refused
    // renewal changes the answer without a navigation.
    this.#guard = guardRoute(this.#router.route, this.session.session, location);
    if (this.#guard.action === 'redirect') {
      // The new address renders in this same update: decide again for it (a redirect never leads to another).
      this.#router.navigate(this.#guard.href, { replace: true });
      this.#guard = guardRoute(this.#router.route, this.session.session, location);
      // Signed in or out on a page that sends elsewhere now: that is a new page, and focus goes to it. (On the first
      // load the browser has put focus nowhere yet, and nothing needs moving.)
      if (this.hasUpdated) this.#afterNavigation('push');
    }
    this.#loadPage();
  }

  static #firstTranslator(): Translator {
    if (!ParvisApp.#firstI18n) throw new Error('parvis-app is defined by ParvisApp.define, once its strings are loaded');
    return ParvisApp.#firstI18n;
  }

  /** The chunk of the page shown now (the forbidden page is in the staff chunk). */
  #chunk(): PageChunk | null {
    return this.#guard.action === 'forbidden' ? 'staff' : this.#guard.action === 'show' ? pageChunk(this.#router.route) : null;
  }

  #loadPage(): void {
    const chunk = this.#chunk();
    if (!chunk || this.pageFailed === chunk) return;
    loadPageChunk(chunk).catch(() => {
      // Offline, or a deploy replaced the chunk: a reload is the way out, and the page says so.
      this.pageFailed = chunk;
    });
  }

  /**
   * Shows the page in `lang` once its strings are there: until then the page keeps the language it has, never a key.
   * A dictionary that cannot be fetched leaves the language as it was.
   */
  async #setLang(lang: Lang): Promise<void> {
    this.#wantedLang = lang;
    let i18n: Translator;
    try {
      i18n = await loadTranslator(lang);
    } catch {
      return;
    }
    if (this.#wantedLang !== lang) return;
    this.i18n = i18n;
    saveLang(lang);
    document.documentElement.lang = lang;
  }

  #afterNavigation(kind: 'push' | 'pop' | 'replace'): void {
    if (kind === 'replace') return;
    // A new page: start at its top and move focus there, as a full page load would, so screen readers follow.
    void this.updateComplete.then(() => {
      if (kind === 'push') window.scrollTo(0, 0);
      this.main?.focus({ preventScroll: true });
    });
  }

  #skipToContent(event: Event): void {
    // The target lives in this shadow root, where the browser's own fragment navigation cannot see it.
    event.preventDefault();
    this.main.focus();
    this.main.scrollIntoView();
  }

  override render(): TemplateResult {
    const { t } = this.i18n;
    const route = this.#router.route;
    const session = this.session.session;
    const other: Lang = this.i18n.lang === 'fr' ? 'en' : 'fr';
    return html`
      <a class="skip-link" href="#main" @click=${this.#skipToContent}>${t('app.skipToContent')}</a>
      <header>
        <div class="header-inner">
          <a class="brand" href="/">
            <span class="brand-name">${t('app.name')}</span>
            <span class="brand-tagline">${t('app.tagline')}</span>
          </a>
          <nav aria-label=${t('app.mainNav')}>
            <ul>
              <li>
                <a href="/" aria-current=${route.name === 'programme' ? 'page' : nothing}>${t('app.nav.programme')}</a>
              </li>
              ${isAdminSession(session)
                ? html`<li>
                    <a href="/admin" aria-current=${route.name.startsWith('admin-') ? 'page' : nothing}>${t('app.nav.admin')}</a>
                  </li>`
                : nothing}
            </ul>
          </nav>
          ${this.#renderAccount()}
          <!-- The other dictionary is fetched as the pointer or focus comes to the button, so the click switches at once. -->
          <button
            type="button"
            class="btn btn-secondary btn-small"
            lang=${other}
            @pointerenter=${() => void loadMessages(other).catch(() => {})}
            @focus=${() => void loadMessages(other).catch(() => {})}
            @click=${() => void this.#setLang(other)}
          >
            ${t('app.switchLanguage')}
          </button>
        </div>
      </header>
      <main id="main" tabindex="-1">${this.#renderPage(route)}</main>
      <footer>
        <p>${t('app.footer')}</p>
      </footer>
    `;
  }

  /** Who is signed in, small: the audience should barely notice it. Guests sign in to nothing here. */
  #renderAccount(): TemplateResult {
    const { t } = this.i18n;
    const session = this.session.session;
    if (session?.kind === 'staff') {
      return html`<div class="account">
        <span class="who">${t('app.signedInAs', { name: session.user.displayName })}</span>
        <button type="button" class="link-button" @click=${() => void this.session.signOut()}>${t('app.signOut')}</button>
      </div>`;
    }
    const route = this.#router.route;
    if (route.name === 'login' || route.name === 'setup') return html``;
    return html`<div class="account"><a href="/admin/login">${t('app.signIn')}</a></div>`;
  }

  #renderPage(route: Route): unknown {
    if (this.#guard.action === 'redirect') return nothing;
    if (this.pageFailed !== null && this.pageFailed === this.#chunk()) {
      return html`<div class="notice notice-error" role="alert">
        <p>${this.i18n.t('app.error.network')}</p>
        <button type="button" class="btn btn-small" @click=${() => location.reload()}>${this.i18n.t('app.retry')}</button>
      </div>`;
    }
    if (this.#guard.action === 'forbidden') return html`<parvis-admin-forbidden-page></parvis-admin-forbidden-page>`;
    switch (route.name) {
      case 'programme':
        return html`<parvis-programme-page .kind=${route.kind}></parvis-programme-page>`;
      case 'event':
        // A fresh element per event: its room, player and chat all start over.
        return keyed(route.eventId, html`<parvis-event-page .eventId=${route.eventId}></parvis-event-page>`);
      case 'event-moderate':
        return keyed(route.eventId, html`<parvis-moderate-page .eventId=${route.eventId}></parvis-moderate-page>`);
      case 'event-stage':
        return keyed(route.eventId, html`<parvis-stage-page .eventId=${route.eventId}></parvis-stage-page>`);
      case 'event-ask':
        return keyed(route.eventId, html`<parvis-ask-page .eventId=${route.eventId}></parvis-ask-page>`);
      case 'event-display':
        return keyed(route.eventId, html`<parvis-display-page .eventId=${route.eventId}></parvis-display-page>`);
      case 'event-room':
        return keyed(route.eventId, html`<parvis-room-page .eventId=${route.eventId}></parvis-room-page>`);
      case 'event-captions':
        return keyed(route.eventId, html`<parvis-caption-desk-page .eventId=${route.eventId}></parvis-caption-desk-page>`);
      case 'series':
        return keyed(route.seriesId, html`<parvis-series-page .seriesId=${route.seriesId}></parvis-series-page>`);
      case 'me':
        return html`<parvis-me-page></parvis-me-page>`;
      case 'login':
        return html`<parvis-admin-login-page .next=${route.next}></parvis-admin-login-page>`;
      case 'setup':
        return html`<parvis-admin-setup-page></parvis-admin-setup-page>`;
      case 'invite':
        return html`<parvis-invite-page></parvis-invite-page>`;
      case 'admin-programme':
        return html`<parvis-admin-programme-page></parvis-admin-programme-page>`;
      case 'admin-event':
        // A fresh form per event (and for a new one), with nothing left over from the last.
        return keyed(route.eventId, html`<parvis-admin-event-page .eventId=${route.eventId}></parvis-admin-event-page>`);
      case 'admin-registrations':
        return keyed(route.eventId, html`<parvis-admin-registrations-page .eventId=${route.eventId}></parvis-admin-registrations-page>`);
      case 'admin-outbox':
        return html`<parvis-admin-outbox-page></parvis-admin-outbox-page>`;
      case 'admin-audit':
        return html`<parvis-admin-audit-page></parvis-admin-audit-page>`;
      case 'admin-figures':
        return html`<parvis-admin-figures-page></parvis-admin-figures-page>`;
      case 'admin-event-figures':
        return keyed(route.eventId, html`<parvis-admin-event-figures-page .eventId=${route.eventId}></parvis-admin-event-figures-page>`);
      case 'admin-help-desks':
        return keyed(route.helpDeskId, html`<parvis-admin-help-desks-page .helpDeskId=${route.helpDeskId}></parvis-admin-help-desks-page>`);
      case 'not-found':
        return html`<parvis-not-found-page></parvis-not-found-page>`;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-app': ParvisApp;
  }
}
