import { consume } from '@lit/context';
import { Email, Password } from '#shared/domain/account';
import { DisplayName } from '#shared/domain/user';
import { DISPLAY_NAME_MAX_LENGTH } from '#shared/domain/limits';
import { LitElement, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { ApiError, type ApiClient } from '../../app/api-client';
import { apiContext, i18nContext, sessionContext, type SessionContextValue } from '../../app/contexts';
import { NavigateRequestEvent } from '../../app/events';
import { adminHref } from '../../app/routes';
import { baseStyles } from '../../app/shared-styles';
import type { Params, StringKey, Translator } from '../../i18n/i18n';
import { adminStyles } from './admin-styles';
import { errorText } from '../../i18n/error-text';

type SetupField = 'displayName' | 'email' | 'password';

/**
 * The first admin account, from the one-time link the server prints when it starts with no admin
 * (`/admin/setup#<token>`). The token is read from the fragment, which never reaches a server log, and removed from
 * the address bar at once.
 */
@customElement('parvis-admin-setup-page')
export class ParvisAdminSetupPage extends LitElement {
  static override styles = [baseStyles, adminStyles];

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session!: SessionContextValue;

  @consume({ context: apiContext })
  private api!: ApiClient;

  /** Whether the link still works, asked as the page opens: `null` while the answer is on its way (or failed). */
  @state() private open: boolean | null = null;

  @state() private token = '';
  @state() private busy = false;
  @state() private fieldErrors: Partial<Record<SetupField, { key: StringKey; params?: Params } | { text: string }>> = {};
  @state() private formError = '';

  @query('#setup-error') private errorBox!: HTMLElement | null;

  override connectedCallback(): void {
    super.connectedCallback();
    let token = '';
    try {
      token = decodeURIComponent(location.hash.replace(/^#/, ''));
    } catch {
      token = '';
    }
    if (location.hash) {
      this.token = token;
      history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    }
    void this.#checkOpen();
  }

  /** A link opened after the first admin exists says so at once, not after the whole form is filled in. */
  async #checkOpen(): Promise<void> {
    try {
      this.open = await this.api.setupOpen();
    } catch {
      // Unknown: the form stays, and the server still refuses a spent link when it is sent.
      this.open = null;
    }
  }

  override updated(): void {
    document.title = `${this.i18n.t('setup.title')} — Parvis`;
  }

  async #onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const { t } = this.i18n;
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const displayName = DisplayName.safeParse(String(data.get('displayName') ?? ''));
    const email = Email.safeParse(String(data.get('email') ?? ''));
    const password = Password.safeParse(String(data.get('password') ?? ''));
    const errors: typeof this.fieldErrors = {};
    if (!displayName.success) errors.displayName = { key: 'form.error.name', params: { max: DISPLAY_NAME_MAX_LENGTH } };
    if (!email.success) errors.email = { key: 'form.error.email' };
    if (!password.success) errors.password = { key: 'form.error.passwordShort' };
    this.fieldErrors = errors;
    this.formError = '';
    if (!displayName.success || !email.success || !password.success) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    this.busy = true;
    try {
      await this.session.setUp({ token: this.token, email: email.data, password: password.data, displayName: displayName.data });
      this.dispatchEvent(new NavigateRequestEvent('/admin'));
    } catch (error) {
      if (error instanceof ApiError && error.fields) {
        const placed: typeof this.fieldErrors = {};
        for (const field of ['displayName', 'email', 'password'] as const) {
          const text = error.fields[field];
          if (text) placed[field] = { text };
        }
        this.fieldErrors = placed;
      }
      const refused = error instanceof ApiError && ['UNAUTHENTICATED', 'FORBIDDEN', 'CONFLICT', 'NOT_FOUND'].includes(error.code);
      this.formError = refused ? t('setup.refused') : errorText(this.i18n, error);
      await this.updateComplete;
      this.errorBox?.focus();
    } finally {
      this.busy = false;
    }
  }

  #field(field: SetupField, label: string, type: string, autocomplete: string, hint: string | null) {
    const error = this.fieldErrors[field];
    const ids = [hint ? `${field}-hint` : '', error ? `${field}-error` : ''].filter(Boolean).join(' ');
    return html`<div class="field">
      <label for=${field}>${label}</label>
      ${hint ? html`<p id="${field}-hint" class="hint">${hint}</p>` : nothing}
      <input
        id=${field}
        name=${field}
        type=${type}
        autocomplete=${autocomplete}
        required
        aria-describedby=${ids || nothing}
        aria-invalid=${error ? 'true' : 'false'}
      />
      ${error ? html`<p id="${field}-error" class="field-error">${'key' in error ? this.i18n.t(error.key, error.params) : error.text}</p>` : nothing}
    </div>`;
  }

  override render() {
    const { t } = this.i18n;
    if (this.open === false) {
      return html`<h1>${t('setup.title')}</h1>
        <div class="notice" role="status">
          <p>${t('setup.done')}</p>
          <p><a href=${adminHref}>${t('setup.signIn')}</a></p>
        </div>`;
    }
    if (!this.token) {
      return html`<h1>${t('setup.title')}</h1>
        <p class="notice notice-error" role="alert">${t('setup.noToken')}</p>`;
    }
    return html`
      <h1>${t('setup.title')}</h1>
      <p class="lede">${t('setup.intro')}</p>
      <form class="narrow" novalidate @submit=${this.#onSubmit}>
        ${this.formError
          ? html`<div id="setup-error" class="notice notice-error" role="alert" tabindex="-1">${this.formError}</div>`
          : nothing}
        ${this.#field('displayName', t('setup.displayName'), 'text', 'name', t('setup.displayNameHint', { max: DISPLAY_NAME_MAX_LENGTH }))}
        ${this.#field('email', t('login.email'), 'email', 'username', null)}
        ${this.#field('password', t('login.password'), 'password', 'new-password', t('setup.passwordHint'))}
        <div class="actions">
          <button type="submit" class="btn" aria-disabled=${this.busy ? 'true' : 'false'}>${t('setup.submit')}</button>
        </div>
      </form>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-admin-setup-page': ParvisAdminSetupPage;
  }
}
