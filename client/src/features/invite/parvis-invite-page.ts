import { consume } from '@lit/context';
import { DISPLAY_NAME_MAX_LENGTH } from '#shared/domain/limits';
import { DisplayName } from '#shared/domain/user';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { ApiError, type ApiClient, type InviteInfo } from '../../app/api-client';
import { apiContext, i18nContext, sessionContext, type SessionContextValue } from '../../app/contexts';
import { NavigateRequestEvent } from '../../app/events';
import { PageLoad } from '../../app/page-load';
import { captionsHref, moderateHref, stageHref } from '../../app/routes';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import { errorText } from '../../i18n/error-text';
import { inviteProblem, tokenFromHash, type InviteProblem } from './invite-errors';

/** What the load throws when the link has no token at all. */
const MISSING: InviteProblem = { kind: 'missing' };

/**
 * `/invite#<token>`: someone invited to moderate or speak at an event picks a name and comes in. The token travels in
 * the fragment (never sent to a server, never in its logs) and leaves the address bar at once. The invitation is
 * checked first, so a used, revoked or expired one says so before anyone types a name.
 */
@customElement('parvis-invite-page')
export class ParvisInvitePage extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: grid;
        gap: var(--space-4);
        max-width: 40rem;
      }
      h1 {
        font-size: clamp(1.5rem, 4vw, 2.125rem);
      }
      form {
        display: grid;
        gap: var(--space-3);
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-2);
      }
      .row input {
        flex: 1 1 12rem;
        width: auto;
      }
      .muted {
        color: var(--color-ink-muted);
      }
    `,
  ];

  @consume({ context: apiContext })
  private api!: ApiClient;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session!: SessionContextValue;

  /** The invitation became unusable while the page was open (used or revoked meanwhile). */
  @state() private spent: InviteProblem | null = null;
  @state() private busy = false;
  @state() private nameError = '';
  @state() private acceptError = '';

  @query('#accept-error') private acceptErrorBox!: HTMLElement | null;

  #token = '';

  readonly #invite = new PageLoad(this, {
    args: () => [] as const,
    load: async (): Promise<InviteInfo> => {
      if (!this.#token) throw MISSING;
      return this.api.inspectInvite(this.#token);
    },
  });

  override connectedCallback(): void {
    super.connectedCallback();
    this.#token = tokenFromHash(location.hash);
    if (location.hash) history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  }

  override updated(): void {
    document.title = `${this.i18n.t('invite.title')} — Parvis`;
  }

  async #onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const { t } = this.i18n;
    // Signed in as staff, the role goes to that account: no name to ask.
    const staff = this.session.session?.kind === 'staff';
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('displayName') as HTMLInputElement | null;
    const name = DisplayName.safeParse(input?.value ?? '');
    this.acceptError = '';
    if (!staff && !name.success) {
      this.nameError = t('form.error.name', { max: DISPLAY_NAME_MAX_LENGTH });
      input?.focus();
      return;
    }
    this.nameError = '';
    this.busy = true;
    try {
      const { eventId, role } = await this.session.acceptInvite(this.#token, staff ? undefined : name.data);
      // Straight to where the role is exercised: the console for a moderator, the caption desk for a captioner, the
      // stage view for a speaker.
      const where = role === 'moderator' ? moderateHref(eventId) : role === 'captioner' ? captionsHref(eventId) : stageHref(eventId);
      this.dispatchEvent(new NavigateRequestEvent(where));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'INVALID_PAYLOAD' && error.fields?.displayName) {
        this.nameError = t('form.error.name', { max: DISPLAY_NAME_MAX_LENGTH });
        input?.focus();
        return;
      }
      const problem = inviteProblem(error);
      if (problem.kind === 'other') {
        this.acceptError = errorText(this.i18n, error);
        await this.updateComplete;
        this.acceptErrorBox?.focus();
      } else {
        // Used or revoked in the meantime: the form has nothing left to offer.
        this.spent = problem;
      }
    } finally {
      this.busy = false;
    }
  }

  override render(): TemplateResult {
    const { t } = this.i18n;
    if (this.spent) return this.#renderProblem(this.spent);
    return html`${this.#invite.render({
      loading: () =>
        html`<h1>${t('invite.title')}</h1>
          <p class="load-status" role="status">${t('invite.checking')}</p>`,
      error: (error) => this.#renderProblem(error === MISSING ? MISSING : inviteProblem(error)),
      ready: (info) => this.#renderReady(info),
    })}`;
  }

  #renderProblem(problem: InviteProblem): TemplateResult {
    const { t } = this.i18n;
    const message = ((): string => {
      switch (problem.kind) {
        case 'missing':
          return t('invite.missing');
        case 'not-found':
          return t('invite.notFound');
        case 'used':
          return t('invite.used');
        case 'revoked':
          return t('invite.revoked');
        case 'expired':
          return t('invite.expired');
        case 'unusable':
          return t('invite.unusable', { message: problem.message });
        case 'other':
          return errorText(this.i18n, problem.error);
      }
    })();
    return html`<h1>${t('invite.unusableTitle')}</h1>
      <p class="notice notice-error" role="alert">${message}</p>
      ${problem.kind === 'other'
        ? html`<p><button type="button" class="btn btn-small" @click=${() => this.#retry()}>${t('app.retry')}</button></p>`
        : nothing}
      <p><a href="/">${t('app.backToProgramme')}</a></p>`;
  }

  #retry(): void {
    this.spent = null;
    void this.#invite.reload();
  }

  #renderReady(info: InviteInfo): TemplateResult {
    const { t } = this.i18n;
    const current = this.session.session;
    const describedBy = this.nameError ? 'invite-name-hint invite-name-error' : 'invite-name-hint';
    return html`
      <h1>${t(`invite.heading.${info.role}`, { event: info.eventTitle })}</h1>
      <p class="muted">${t('invite.expiresAt', { date: this.i18n.dateTime(info.expiresAt) })}</p>
      ${current?.kind === 'staff' ? html`<p class="notice">${t('invite.signedInNote', { name: current.user.displayName })}</p>` : nothing}
      ${this.acceptError
        ? html`<div id="accept-error" class="notice notice-error" role="alert" tabindex="-1">${this.acceptError}</div>`
        : nothing}
      <form novalidate @submit=${this.#onSubmit}>
        ${current?.kind === 'staff'
          ? html`<div class="row">
              <button type="submit" class="btn" aria-disabled=${this.busy ? 'true' : 'false'}>${t('invite.accept')}</button>
            </div>`
          : html`<label for="invite-name"><strong>${t('invite.nameLabel')}</strong></label>
              <p id="invite-name-hint" class="hint">${t('invite.nameHint', { max: DISPLAY_NAME_MAX_LENGTH })}</p>
              <div class="row">
                <input
                  id="invite-name"
                  name="displayName"
                  type="text"
                  maxlength=${DISPLAY_NAME_MAX_LENGTH}
                  autocomplete="name"
                  required
                  aria-describedby=${describedBy}
                  aria-invalid=${this.nameError ? 'true' : 'false'}
                />
                <button type="submit" class="btn" aria-disabled=${this.busy ? 'true' : 'false'}>${t('invite.accept')}</button>
              </div>
              ${this.nameError ? html`<p id="invite-name-error" class="field-error">${this.nameError}</p>` : nothing}`}
      </form>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-invite-page': ParvisInvitePage;
  }
}
