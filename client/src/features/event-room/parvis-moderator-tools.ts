import { consume } from '@lit/context';
import type { EventStatus } from '#shared/domain/event';
import { isEventStaff, isRoomStaff } from '#shared/domain/staff';
import type { Role } from '#shared/domain/user';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { i18nContext } from '../../app/contexts';
import { moderateHref, stageHref } from '../../app/routes';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';

/** The moderator asks to start or end the event. */
export class StatusChangeRequestEvent extends Event {
  static readonly eventName = 'parvis-status-change-request';
  constructor(readonly status: 'live' | 'ended') {
    super(StatusChangeRequestEvent.eventName, { bubbles: true, composed: true });
  }
}

/**
 * The tools of the people who run an event's live room: go live while it is scheduled, end it while it is live, and
 * the links to the moderation console and the stage view. The page does the asking (ending asks first) and the
 * calling; this only shows. For a speaker, only the link to the stage view.
 * @fires parvis-status-change-request - on "Passer en direct" or "Terminer l'événement"
 */
@customElement('parvis-moderator-tools')
export class ParvisModeratorTools extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      section {
        display: grid;
        gap: var(--space-3);
        padding: var(--space-4);
        border: 2px solid var(--color-brand);
        border-radius: var(--radius-l);
        background: var(--color-surface);
      }
      h2 {
        font-size: 1.25rem;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--space-2) var(--space-4);
      }
      .hint {
        color: var(--color-ink-muted);
      }
      .error {
        color: var(--color-error-ink);
        font-weight: 600;
      }
      .links {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-2) var(--space-3);
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .links a {
        display: inline-flex;
        align-items: center;
        gap: var(--space-1);
        min-height: 2.75rem;
        font-weight: 600;
      }
    `,
  ];

  @property() status: EventStatus = 'scheduled';
  @property() eventId = '';
  @property({ attribute: false }) eventRole: Role | null = null;
  /** A change is on its way. */
  @property({ type: Boolean }) busy = false;
  /** Why the last change failed, already in words. */
  @property() error = '';
  /** What the last change did, for the status line. */
  @property() message = '';

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  #request(status: 'live' | 'ended'): void {
    if (!this.busy) this.dispatchEvent(new StatusChangeRequestEvent(status));
  }

  #renderLinks() {
    const { t } = this.i18n;
    const role = this.eventRole;
    if (!this.eventId || !isEventStaff(role)) return nothing;
    return html`<ul class="links" aria-label=${t('room.tools.links')}>
      ${isRoomStaff(role)
        ? html`<li><a href=${moderateHref(this.eventId)}>${t('room.tools.console')} <span aria-hidden="true">→</span></a></li>`
        : nothing}
      <li><a href=${stageHref(this.eventId)}>${t('room.tools.stage')} <span aria-hidden="true">→</span></a></li>
    </ul>`;
  }

  override render() {
    const { t } = this.i18n;
    if (!isRoomStaff(this.eventRole)) {
      // A speaker: nothing to run here, only the way to their stage view.
      if (!isEventStaff(this.eventRole)) return nothing;
      return html`<section aria-labelledby="moderation-title">
        <h2 id="moderation-title">${t('room.tools.speakerTitle')}</h2>
        <p class="hint">${t('room.tools.speakerHint')}</p>
        ${this.#renderLinks()}
      </section>`;
    }
    const busy = this.busy ? 'true' : 'false';
    const hint = {
      scheduled: t('moderation.scheduledHint'),
      live: t('moderation.liveHint'),
      ended: t('moderation.endedHint'),
      cancelled: t('moderation.cancelledHint'),
    }[this.status];
    const roleName = this.eventRole === 'moderator' ? t('eventRole.moderator') : this.eventRole === 'admin' ? t('app.nav.admin') : '';
    return html`
      <section aria-labelledby="moderation-title">
        <h2 id="moderation-title">${t('moderation.title')}</h2>
        ${roleName ? html`<p class="hint">${t('moderation.role', { role: roleName })}</p>` : nothing}
        <div class="row">
          ${this.status === 'scheduled'
            ? html`<button type="button" class="btn" aria-disabled=${busy} @click=${() => this.#request('live')}>
                ${t('moderation.goLive')}
              </button>`
            : nothing}
          ${this.status === 'live'
            ? html`<button type="button" class="btn btn-danger" aria-disabled=${busy} @click=${() => this.#request('ended')}>
                ${t('moderation.end')}
              </button>`
            : nothing}
          <p class="hint">${hint}</p>
        </div>
        ${this.#renderLinks()}
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <p role="status" class="visually-hidden">${this.message}</p>
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-moderator-tools': ParvisModeratorTools;
  }
  interface HTMLElementEventMap {
    'parvis-status-change-request': StatusChangeRequestEvent;
  }
}
