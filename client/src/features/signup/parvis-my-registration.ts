import { consume } from '@lit/context';
import type { MyRegistration } from '#shared/domain/registration';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { i18nContext } from '../../app/contexts';
import { ROOM_LEAD_MINUTES } from '#shared/domain/room';
import { eventHref, roomHref } from '../../app/routes';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import type { PersonalAction } from './my-registrations-controller';
import './parvis-add-to-calendar';

/** The person asks to cancel a registration, or to accept or decline the seat offered. */
export class MyRegistrationActionEvent extends Event {
  static readonly eventName = 'parvis-my-registration-action';
  constructor(
    readonly registration: MyRegistration,
    readonly action: PersonalAction,
  ) {
    super(MyRegistrationActionEvent.eventName, { bubbles: true, composed: true });
  }
}

/**
 * One registration on the personal page: the event and its date, where the registration stands (the position on the
 * waiting list, the offer and its deadline), the way in (the outside room's link when it is time, or when it will
 * show; the event's own room), add to calendar, and the buttons that change it.
 * @fires parvis-my-registration-action - the person cancels, accepts or declines
 */
@customElement('parvis-my-registration')
export class ParvisMyRegistration extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      article {
        display: grid;
        gap: var(--space-3);
        padding: var(--space-4);
        border: 1px solid var(--color-line);
        border-radius: var(--radius-l);
        background: var(--color-surface);
      }
      h3 {
        font-size: 1.1875rem;
      }
      .when {
        font-weight: 600;
      }
      .status {
        font-weight: 700;
      }
      .status.confirmed {
        color: var(--color-ok);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-2);
      }
      .join {
        display: grid;
        gap: var(--space-2);
        justify-items: start;
      }
      .join-url {
        overflow-wrap: anywhere;
      }
    `,
  ];

  @property({ attribute: false }) registration!: MyRegistration;
  /** An action on it is on its way. */
  @property({ type: Boolean }) busy = false;
  /** Why the last action on it failed, in words. */
  @property() error = '';
  /** Past or cancelled: shown without its buttons. */
  @property({ type: Boolean }) past = false;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  #ask(action: PersonalAction): void {
    if (this.busy) return;
    this.dispatchEvent(new MyRegistrationActionEvent(this.registration, action));
  }

  #statusText(): string {
    const { t } = this.i18n;
    const r = this.registration;
    switch (r.status) {
      case 'waitlisted':
        return t('me.status.waitlisted', { position: r.position ?? '?' });
      default:
        return t(`me.status.${r.status}`);
    }
  }

  override render(): TemplateResult {
    const { t } = this.i18n;
    const r = this.registration;
    const e = r.event;
    const date = this.i18n.dateTime(e.startsAt, e.timezone);
    const local = this.i18n.localIfDifferent(e.startsAt, e.timezone);
    const headingId = `reg-${r.id}`;
    return html`<article aria-labelledby=${headingId}>
      <h3 id=${headingId}><a href=${eventHref(e.id)} lang=${e.language || nothing}>${e.title}</a></h3>
      <p>
        <time class="when" datetime=${e.startsAt}>${date}</time>
        ${local ? html`<br /><span class="hint">${t('event.localTime', { time: local })}</span>` : nothing}
      </p>
      <p class="status ${r.status}">${this.#statusText()}</p>
      ${r.attendedAt ? html`<p>${t('me.attended')}</p>` : nothing} ${this.past ? nothing : this.#renderActive()}
      ${this.error ? html`<p class="notice notice-error" role="alert">${this.error}</p>` : nothing}
    </article>`;
  }

  #renderActive(): TemplateResult {
    const { t } = this.i18n;
    const r = this.registration;
    const e = r.event;
    const named = { title: e.title, date: this.i18n.shortDateTime(e.startsAt, e.timezone) };
    return html`${r.status === 'offered' && r.offerExpiresAt
        ? html`<p>${t('me.offerDeadline', { deadline: this.i18n.shortDateTime(r.offerExpiresAt, e.timezone) })}</p>`
        : nothing}
      ${r.status === 'confirmed' ? this.#renderWayIn() : nothing}
      ${r.status !== 'waitlisted' ? html`<parvis-add-to-calendar named .event=${e}></parvis-add-to-calendar>` : nothing}
      <div class="actions">
        ${r.status === 'offered'
          ? html`<button type="button" class="btn" aria-label=${t('me.acceptLabel', named)} aria-disabled=${this.busy ? 'true' : 'false'} @click=${() => this.#ask('accept')}>
                ${t('me.accept')}
              </button>
              <button
                type="button"
                class="btn btn-secondary"
                aria-label=${t('me.declineLabel', named)}
                aria-disabled=${this.busy ? 'true' : 'false'}
                @click=${() => this.#ask('decline')}
              >
                ${t('me.decline')}
              </button>`
          : html`<button
              type="button"
              class="btn btn-secondary"
              aria-label=${t('me.cancelLabel', named)}
              aria-disabled=${this.busy ? 'true' : 'false'}
              @click=${() => this.#ask('cancel')}
            >
              ${t('me.cancel')}
            </button>`}
      </div>`;
  }

  /**
   * How a confirmed registrant gets in: the event's video room when it is held in one and the rooms run (from its
   * opening, ROOM_LEAD_MINUTES before the start; when it will open before that), else the outside room's link (or when
   * it will show), else the event's own page.
   */
  #renderWayIn(): TemplateResult {
    const { t } = this.i18n;
    const r = this.registration;
    // `inRoom`: held in a Parvis room and the server's rooms run. When they do not (Janus missing), the server leaves
    // it out and sends the event's outside link instead, if it has one.
    if (r.inRoom) {
      const opensAt = Date.parse(r.event.startsAt) - ROOM_LEAD_MINUTES * 60_000;
      return Date.now() >= opensAt
        ? html`<div class="join"><a class="btn" href=${roomHref(r.event.id)} data-action="enter-room">${t('me.join')}</a></div>`
        : html`<p class="notice">${t('me.joinAt', { time: this.i18n.time(new Date(opensAt).toISOString()) })}</p>`;
    }
    if (r.joinUrl) {
      return html`<div class="join">
        <a class="btn" href=${r.joinUrl} target="_blank" rel="noopener noreferrer"
          >${t('me.join')}<span class="visually-hidden"> ${t('cal.newWindow')}</span></a
        >
        <p class="hint join-url">${r.joinUrl}</p>
        <p class="hint">${t('me.joinHint')}</p>
      </div>`;
    }
    if (r.joinOpensAt) {
      return html`<p class="notice">${t('me.joinAt', { time: this.i18n.time(r.joinOpensAt) })}</p>`;
    }
    return html`<p><a href=${eventHref(r.event.id)}>${t('me.room')}</a></p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-my-registration': ParvisMyRegistration;
  }
  interface HTMLElementEventMap {
    'parvis-my-registration-action': MyRegistrationActionEvent;
  }
}
