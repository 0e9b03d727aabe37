import { consume } from '@lit/context';
import type { MyRegistration, MyRegistrations } from '#shared/domain/registration';
import { isActive } from '#shared/domain/registration-rules';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { ApiError, type ApiClient } from '../../app/api-client';
import { apiContext, i18nContext } from '../../app/contexts';
import { standardViews } from '../../app/page-load';
import '../../app/parvis-confirm-dialog';
import type { ParvisConfirmDialog } from '../../app/parvis-confirm-dialog';
import { baseStyles } from '../../app/shared-styles';
import { errorText } from '../../i18n/error-text';
import type { Translator } from '../../i18n/i18n';
import { MyRegistrationsController } from './my-registrations-controller';
import type { MyRegistrationActionEvent } from './parvis-my-registration';
import { takePersonalLink } from './personal-link';
import './parvis-my-registration';
import './parvis-my-appointments';

const sessionStore = (): Storage | undefined => {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
};

/**
 * `/me#<token>`: "my registrations", reached from the personal link in every email. No password: the token in the
 * fragment is the key. It leaves the address bar at once (kept in this tab's sessionStorage for a reload), so that it
 * is not in the history, bookmarks or a screenshot of the address. `/me#<token>&not-me=<id>` is the page of one
 * button, "I did not sign up: cancel it": opening it changes nothing, since mail scanners open links.
 */
@customElement('parvis-me-page')
export class ParvisMePage extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: grid;
        gap: var(--space-5);
        max-width: 48rem;
      }
      h1 {
        font-size: clamp(1.75rem, 4.5vw, 2.5rem);
      }
      h1:focus {
        outline: none;
      }
      h2 {
        font-size: 1.375rem;
      }
      section {
        display: grid;
        gap: var(--space-3);
      }
      .list {
        display: grid;
        gap: var(--space-3);
      }
      .feed-url {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-2);
      }
      .feed-url input {
        flex: 1 1 16rem;
        width: auto;
      }
      .intro {
        display: grid;
        gap: var(--space-2);
      }
      .erase {
        border-top: 1px solid var(--color-line);
        padding-top: var(--space-4);
      }
      .notice-line:empty {
        display: none;
      }
      .notice-line:focus {
        outline: 3px solid var(--color-focus);
        outline-offset: 2px;
      }
    `,
  ];

  @consume({ context: apiContext })
  private api!: ApiClient;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private copyStatus = '';

  @query('parvis-confirm-dialog') private confirm!: ParvisConfirmDialog;

  readonly #page = new MyRegistrationsController(this, {
    api: () => this.api,
    i18n: () => this.i18n,
    storage: sessionStore,
  });

  override connectedCallback(): void {
    this.#page.use(this.#takeLink());
    super.connectedCallback();
    window.addEventListener('hashchange', this.#onHashChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.#onHashChange);
  }

  /** The link in the address (then taken out of it), or the one this tab remembers. */
  #takeLink() {
    const { link, fromFragment } = takePersonalLink(location.hash, sessionStore());
    // Out of the address bar, the history and whatever the person shares or bookmarks next.
    if (fromFragment) history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    return link;
  }

  /** A personal link followed while this page is open changes only the fragment: no page load tells the app. */
  readonly #onHashChange = (): void => {
    if (!location.hash) return;
    const link = this.#takeLink();
    if (link) void this.#page.restart(link);
  };

  override updated(): void {
    const view = this.#page.view;
    const { t } = this.i18n;
    const title =
      view.kind === 'link-expired'
        ? t('me.linkExpired.title')
        : view.kind === 'erased'
          ? t('me.erased.title')
          : this.#page.link?.notMe
            ? t('me.notMe.title')
            : t('me.title');
    document.title = `${title} — Parvis`;
  }

  async #focus(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  async #onAction(request: MyRegistrationActionEvent): Promise<void> {
    const { t } = this.i18n;
    const { registration: r, action } = request;
    const named = { title: r.event.title, date: this.i18n.shortDateTime(r.event.startsAt, r.event.timezone) };
    if (action === 'cancel' || action === 'decline') {
      const confirmed = await this.confirm.ask(
        action === 'cancel'
          ? { heading: t('me.cancelTitle'), body: t('me.cancelBody', named), confirmLabel: t('me.cancel'), cancelLabel: t('me.keep'), danger: true }
          : { heading: t('me.declineTitle'), body: t('me.declineBody', named), confirmLabel: t('me.decline'), cancelLabel: t('me.keepOffer'), danger: true },
      );
      if (!confirmed) return;
    }
    const ok = await this.#page.act(r.id, action);
    // The card changed section (or its buttons went): the focus goes to what happened.
    if (ok) await this.#focus('.notice-line');
    else if (this.#page.view.kind === 'link-expired') await this.#focus('h1');
  }

  async #erase(): Promise<void> {
    const { t } = this.i18n;
    const confirmed = await this.confirm.ask({
      heading: t('me.erase.confirmTitle'),
      body: t('me.erase.confirmBody'),
      confirmLabel: t('me.erase.button'),
      cancelLabel: t('me.erase.keep'),
      danger: true,
    });
    if (!confirmed) return;
    await this.#page.erase();
    await this.#focus(this.#page.view.kind === 'ready' ? '.page-error' : 'h1');
  }

  async #notMe(): Promise<void> {
    await this.#page.notMe();
    await this.#focus(this.#page.view.kind === 'ready' ? '.page-error' : 'h1');
  }

  async #copyFeed(url: string): Promise<void> {
    const { t } = this.i18n;
    try {
      await navigator.clipboard.writeText(url);
      this.copyStatus = t('me.feed.copied');
    } catch {
      // No clipboard API outside a secure context: select the link, so that the person copies it themselves.
      const field = this.renderRoot.querySelector<HTMLInputElement>('#feed-url');
      field?.focus();
      field?.select();
      this.copyStatus = t('me.feed.copyFailed');
    }
  }

  override render(): TemplateResult {
    const { t } = this.i18n;
    const view = this.#page.view;
    const message = (title: string, body: string, alert = false) =>
      html`<h1 tabindex="-1">${title}</h1>
        <p class=${alert ? 'notice notice-error' : ''} role=${alert ? 'alert' : nothing}>${body}</p>
        <p><a href="/">${t('app.backToProgramme')}</a></p>`;
    switch (view.kind) {
      case 'no-link':
        return message(t('me.noLink.title'), t('me.noLink.body'));
      case 'link-expired':
        return message(t('me.linkExpired.title'), t('me.linkExpired'), true);
      case 'erased':
        return message(t('me.erased.title'), t('me.erased.body'));
      case 'not-me-done':
        return message(t('me.notMe.done.title'), t('me.notMe.done.body'));
      case 'loading':
        return html`<h1 tabindex="-1">${this.#page.link?.notMe ? t('me.notMe.title') : t('me.title')}</h1>
          ${standardViews(this.i18n, { loading: t('me.loading'), failed: '' }).loading()}`;
      case 'error': {
        // A load has no registration to be "not found": only the network and the server's state are worth a word.
        const why = view.error instanceof ApiError && view.error.code === 'NOT_FOUND' ? t('app.error.generic') : errorText(this.i18n, view.error, 'personal');
        return html`<h1 tabindex="-1">${t('me.title')}</h1>
          <div class="notice notice-error load-failed" role="alert">
            <p>${t('me.error')} ${why}</p>
            <button type="button" class="btn btn-small" @click=${view.retry}>${t('app.retry')}</button>
          </div>`;
      }
      case 'ready':
        return this.#page.link?.notMe ? this.#renderNotMe(view.data, this.#page.link.notMe) : this.#renderReady(view.data);
    }
  }

  /** One button, and nothing done before it is pressed. */
  #renderNotMe(data: MyRegistrations, registrationId: string): TemplateResult {
    const { t } = this.i18n;
    const r = data.registrations.find((x) => x.id === registrationId);
    const error = this.#page.actionError;
    return html`<h1 tabindex="-1">${t('me.notMe.title')}</h1>
      <p>${t('me.notMe.body')}</p>
      ${r
        ? html`<p><strong>${t('me.notMe.event', { title: r.event.title, date: this.i18n.dateTime(r.event.startsAt, r.event.timezone) })}</strong></p>`
        : nothing}
      ${error ? html`<p class="notice notice-error page-error" role="alert" tabindex="-1">${error.text}</p>` : nothing}
      <div>
        <button type="button" class="btn btn-danger" aria-disabled=${this.#page.busy ? 'true' : 'false'} @click=${() => void this.#notMe()}>
          ${t('me.notMe.button')}
        </button>
      </div>`;
  }

  #renderReady(data: MyRegistrations): TemplateResult {
    const { t } = this.i18n;
    const now = Date.now();
    const upcoming = (r: MyRegistration) => isActive(r.status) && Date.parse(r.event.endsAt) > now;
    const active = data.registrations.filter(upcoming).sort((a, b) => a.event.startsAt.localeCompare(b.event.startsAt));
    const past = data.registrations.filter((r) => !upcoming(r)).sort((a, b) => b.event.startsAt.localeCompare(a.event.startsAt));
    const error = this.#page.actionError;
    const card = (r: MyRegistration, isPast: boolean) =>
      html`<parvis-my-registration
        .registration=${r}
        ?past=${isPast}
        ?busy=${this.#page.busy === r.id}
        error=${error?.registrationId === r.id ? error.text : ''}
        @parvis-my-registration-action=${(e: MyRegistrationActionEvent) => void this.#onAction(e)}
      ></parvis-my-registration>`;
    return html`<div class="intro">
        <h1 tabindex="-1">${t('me.title')}</h1>
        ${data.person.name ? html`<p>${t('me.hello', { name: data.person.name })}</p>` : nothing}
        <p>${t('me.intro')}</p>
      </div>
      <p class="notice notice-success notice-line" role="status" tabindex="-1">${this.#page.notice}</p>
      ${error && error.registrationId === null
        ? html`<p class="notice notice-error page-error" role="alert" tabindex="-1">${error.text}</p>`
        : nothing}
      <parvis-my-appointments .token=${this.#page.link?.token ?? ''}></parvis-my-appointments>
      ${data.registrations.length === 0 ? html`<p>${t('me.empty')}</p>` : nothing}
      ${active.length > 0
        ? html`<section aria-labelledby="upcoming-title">
            <h2 id="upcoming-title">${t('me.upcoming')}</h2>
            <div class="list">${active.map((r) => card(r, false))}</div>
          </section>`
        : nothing}
      ${past.length > 0
        ? html`<section aria-labelledby="past-title">
            <h2 id="past-title">${t('me.past')}</h2>
            <div class="list">${past.map((r) => card(r, true))}</div>
          </section>`
        : nothing}
      <section aria-labelledby="feed-title">
        <h2 id="feed-title">${t('me.feed.title')}</h2>
        <p id="feed-hint">${t('me.feed.body')}</p>
        <label for="feed-url">${t('me.feed.link')}</label>
        <div class="feed-url">
          <input id="feed-url" type="url" readonly aria-describedby="feed-hint" .value=${data.feedUrl} />
          <button type="button" class="btn btn-secondary btn-small" @click=${() => void this.#copyFeed(data.feedUrl)}>
            ${t('me.feed.copy')}
          </button>
        </div>
        <p role="status" class="hint">${this.copyStatus}</p>
      </section>
      <section class="erase" aria-labelledby="erase-title">
        <h2 id="erase-title">${t('me.erase.title')}</h2>
        <p>${t('me.erase.body')}</p>
        <div>
          <button type="button" class="btn btn-danger" aria-disabled=${this.#page.busy ? 'true' : 'false'} @click=${() => void this.#erase()}>
            ${t('me.erase.button')}
          </button>
        </div>
      </section>
      <parvis-confirm-dialog></parvis-confirm-dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-me-page': ParvisMePage;
  }
}
