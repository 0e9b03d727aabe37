import { provide } from '@lit/context';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { createTranslator, loadLang, saveLang, type Lang, type Translator } from '../i18n/i18n';
import { RealtimeClient } from '../realtime/realtime-client';
import { ApiClient } from './api-client';
import { apiContext, i18nContext, realtimeContext, sessionContext, type SessionContextValue } from './contexts';
import { NavigateRequestEvent } from './events';
import { RouterController } from './router-controller';
import type { Route } from './routes';
import { SessionStore } from './session-store';
import { baseStyles } from './shared-styles';
import '../features/programme/parvis-programme-page';
import '../features/event-room/parvis-event-page';
import './parvis-not-found-page';

/**
 * The root of the app: builds the services (API client, session, realtime connection, language) and provides them to
 * every element below through context, lays out the page (skip link, header, main, footer) and shows the page of the
 * current route.
 */
@customElement('parvis-app')
export class ParvisApp extends LitElement {
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
  #unsubscribe: Array<() => void> = [];

  @provide({ context: apiContext })
  api: ApiClient = this.#api;

  @provide({ context: realtimeContext })
  realtime: RealtimeClient = this.#realtime;

  @provide({ context: i18nContext })
  @state()
  i18n: Translator = createTranslator(loadLang());

  @provide({ context: sessionContext })
  session: SessionContextValue = this.#sessionValue();

  @query('main') private main!: HTMLElement;

  readonly #router = new RouterController(this, (_route, kind) => this.#afterNavigation(kind));

  constructor() {
    super();
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
      this.#realtime.onAuthRejected(() => this.#sessionStore.clear()),
    ];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    this.#realtime.close();
  }

  #sessionValue(): SessionContextValue {
    const store = this.#sessionStore;
    return {
      session: store.current,
      signInAsGuest: (displayName) => store.signInAsGuest(displayName),
      signOut: () => store.clear(),
    };
  }

  #setLang(lang: Lang): void {
    this.i18n = createTranslator(lang);
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
            </ul>
          </nav>
          <button type="button" class="btn btn-secondary btn-small" lang=${other} @click=${() => this.#setLang(other)}>
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

  #renderPage(route: Route): unknown {
    switch (route.name) {
      case 'programme':
        return html`<parvis-programme-page .kind=${route.kind}></parvis-programme-page>`;
      case 'event':
        // A fresh element per event: its room, player and chat all start over.
        return keyed(route.eventId, html`<parvis-event-page .eventId=${route.eventId}></parvis-event-page>`);
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
