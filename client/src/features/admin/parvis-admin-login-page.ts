import { consume } from '@lit/context';
import { Email } from '#shared/domain/account';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ApiError } from '../../app/api-client';
import { i18nContext, sessionContext, type SessionContextValue } from '../../app/contexts';
import { NavigateRequestEvent } from '../../app/events';
import { baseStyles } from '../../app/shared-styles';
import type { StringKey, Translator } from '../../i18n/i18n';
import { adminStyles } from './admin-styles';
import { errorText, waitText } from '../../i18n/error-text';

type LoginField = 'email' | 'password';

/** The staff sign-in: email and password, with the reason when it fails and the wait after too many attempts. */
@customElement('parvis-admin-login-page')
export class ParvisAdminLoginPage extends LitElement {
  static override styles = [
    baseStyles,
    adminStyles,
    css`
      :host {
        max-width: 30rem;
      }
    `,
  ];

  /** Where to go once signed in (already checked to be a page of this site). */
  @property({ attribute: false }) next: string | null = null;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session!: SessionContextValue;

  @state() private busy = false;
  @state() private fieldErrors: Partial<Record<LoginField, StringKey>> = {};
  /** Why the last attempt failed, already in words (set at that moment, so a wait is announced once). */
  @state() private formError = '';

  @query('#login-error') private errorBox!: HTMLElement | null;

  override updated(): void {
    document.title = `${this.i18n.t('login.title')} — Parvis`;
  }

  async #onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const { t } = this.i18n;
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const email = Email.safeParse(String(data.get('email') ?? ''));
    const password = String(data.get('password') ?? '');
    const errors: Partial<Record<LoginField, StringKey>> = {};
    if (!email.success) errors.email = 'form.error.email';
    if (password === '') errors.password = 'form.error.passwordRequired';
    this.fieldErrors = errors;
    this.formError = '';
    if (!email.success || password === '') {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    this.busy = true;
    try {
      const session = await this.session.signIn(email.data, password);
      this.dispatchEvent(new NavigateRequestEvent(this.next ?? (session.account.isAdmin ? '/admin' : '/')));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') this.formError = t('login.failed');
      else if (error instanceof ApiError && error.code === 'RATE_LIMITED') {
        this.formError = t('login.rateLimited', { time: waitText(t, error.retryAfterMs ?? 60_000) });
      } else this.formError = errorText(this.i18n, error);
      await this.updateComplete;
      this.errorBox?.focus();
    } finally {
      this.busy = false;
    }
  }

  #field(field: LoginField, label: string, input: (describedBy: string | typeof nothing, invalid: boolean) => unknown) {
    const error = this.fieldErrors[field];
    const errorId = `${field}-error`;
    return html`<div class="field">
      <label for=${field}>${label}</label>
      ${input(error ? errorId : nothing, !!error)}
      ${error ? html`<p id=${errorId} class="field-error">${this.i18n.t(error)}</p>` : nothing}
    </div>`;
  }

  override render() {
    const { t } = this.i18n;
    const current = this.session.session;
    return html`
      <h1>${t('login.title')}</h1>
      <p class="lede">${t('login.intro')}</p>
      ${current?.kind === 'staff' && !current.account.isAdmin
        ? html`<p class="notice">${t('login.signedInNotAdmin', { name: current.user.displayName })}</p>`
        : nothing}
      <form novalidate @submit=${this.#onSubmit}>
        ${this.formError
          ? html`<div id="login-error" class="notice notice-error" role="alert" tabindex="-1">${this.formError}</div>`
          : nothing}
        ${this.#field(
          'email',
          t('login.email'),
          (describedBy, invalid) =>
            html`<input
              id="email"
              name="email"
              type="email"
              autocomplete="username"
              required
              aria-describedby=${describedBy}
              aria-invalid=${invalid ? 'true' : 'false'}
            />`,
        )}
        ${this.#field(
          'password',
          t('login.password'),
          (describedBy, invalid) =>
            html`<input
              id="password"
              name="password"
              type="password"
              autocomplete="current-password"
              required
              aria-describedby=${describedBy}
              aria-invalid=${invalid ? 'true' : 'false'}
            />`,
        )}
        <div class="actions">
          <button type="submit" class="btn" aria-disabled=${this.busy ? 'true' : 'false'}>${t('login.submit')}</button>
        </div>
      </form>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-admin-login-page': ParvisAdminLoginPage;
  }
}
