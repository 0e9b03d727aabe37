import { consume } from '@lit/context';
import type { MyAppointment } from '#shared/domain/appointment';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ApiClient } from '../../app/api-client';
import { apiContext, i18nContext } from '../../app/contexts';
import { PageLoad } from '../../app/page-load';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';

/**
 * The personal page's help-desk appointments (docs/appointments.md): for a reader, who their partner is and how the
 * appointment is held (the room's link, or "you will be called at <number>"); for a partner, who they meet, the
 * reader's need, and the room's link or the number to call. Nothing shows when the person has none, and a failure to
 * load says so quietly: the rest of the page does not depend on it.
 */
@customElement('parvis-my-appointments')
export class ParvisMyAppointments extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: grid;
        gap: var(--space-3);
      }
      h2 {
        font-size: 1.375rem;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--space-3);
      }
      li {
        display: grid;
        gap: var(--space-2);
        padding: var(--space-4);
        border: 1px solid var(--color-line);
        border-radius: var(--radius-l);
        background: var(--color-surface);
      }
      h3 {
        font-size: 1.125rem;
        margin: 0;
      }
      .need {
        white-space: pre-wrap;
      }
    `,
  ];

  /** The personal link's token. */
  @property({ attribute: false }) token = '';

  @consume({ context: apiContext })
  private api!: ApiClient;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  readonly #load = new PageLoad(this, {
    args: () => [this.token] as const,
    load: async ([token], signal) => (token ? this.api.myAppointments(token, signal) : []),
  });

  override render(): unknown {
    const { t } = this.i18n;
    return this.#load.render({
      loading: () => nothing,
      error: (_error, retry) => html`<p class="hint" role="status">
        ${t('me.appointments.loadError')}
        <button type="button" class="btn btn-small btn-secondary" @click=${retry}>${t('app.retry')}</button>
      </p>`,
      ready: (appointments) =>
        appointments.length === 0
          ? nothing
          : html`<h2 id="appointments-title">${t('me.appointments.title')}</h2>
              <ul aria-labelledby="appointments-title">
                ${appointments.map((a) => this.#renderOne(a))}
              </ul>`,
    });
  }

  #renderOne(a: MyAppointment): TemplateResult {
    const { t } = this.i18n;
    const when = this.i18n.dateTime(a.event.startsAt, a.event.timezone);
    const who =
      a.role === 'reader'
        ? a.with
          ? t('me.appointments.withPartner', { name: a.with })
          : t('me.appointments.notYetAssigned')
        : t('me.appointments.withReader', { name: a.with ?? t('me.appointments.erased') });
    let how: TemplateResult | typeof nothing = nothing;
    if (a.mode === 'room' && a.roomPath) {
      how = html`<p><a class="btn" href=${a.roomPath}>${t('me.appointments.openRoom')}</a></p>
        <p class="hint">${t('me.appointments.roomHint')}</p>`;
    } else if (a.mode === 'phone') {
      how =
        a.role === 'reader'
          ? html`<p>${a.phone ? t('me.appointments.willBeCalled', { phone: a.phone }) : t('me.appointments.byPhone')}</p>`
          : html`<p>${a.phone ? html`${t('me.appointments.call')} <a href="tel:${a.phone.replace(/[^\d+]/g, '')}">${a.phone}</a>` : t('me.appointments.byPhone')}</p>`;
    }
    return html`<li>
      <h3>${a.event.title}</h3>
      <p><time datetime=${a.event.startsAt}>${when}</time></p>
      <p>${who}</p>
      ${a.role === 'partner' && a.need
        ? html`<p><strong>${t('me.appointments.need')}</strong></p>
            <p class="need">${a.need}</p>`
        : nothing}
      ${how}
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-my-appointments': ParvisMyAppointments;
  }
}
