import { consume } from '@lit/context';
import type { RegistrantRow } from '#shared/domain/registration';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ApiClient } from '../../app/api-client';
import { apiContext, i18nContext } from '../../app/contexts';
import { standardViews } from '../../app/page-load';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import { filterRegistrants, RegistrantsController } from '../signup/registrants';
import { panelStyles } from './moderate-styles';

/**
 * Attendance for a registration event held in an outside video room, where Parvis cannot see who came: a tick box per
 * confirmed registrant, saved at once (the same route as the admin's registrants page). Streamed events take
 * attendance by themselves when a registrant enters the room.
 */
@customElement('parvis-moderate-attendance')
export class ParvisModerateAttendance extends LitElement {
  static override styles = [
    baseStyles,
    panelStyles,
    css`
      li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--space-2);
      }
      li input {
        width: 1.25rem;
        height: 1.25rem;
        flex: none;
      }
      .count {
        font-weight: 600;
      }
      .error {
        color: var(--color-error-ink);
        font-weight: 600;
        font-size: 0.875rem;
        flex-basis: 100%;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--space-2);
      }
    `,
  ];

  @property() eventId = '';

  @consume({ context: apiContext })
  private api!: ApiClient;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  readonly #list = new RegistrantsController(this, {
    api: () => this.api,
    i18n: () => this.i18n,
    eventId: () => this.eventId,
  });

  override render(): TemplateResult {
    const { t } = this.i18n;
    return html`<section class="panel" aria-labelledby="attendance-title">
      <h2 id="attendance-title">${t('mod.attendance.title')}</h2>
      <p class="hint">${t('mod.attendance.hint')}</p>
      ${this.#list.load.render({
        ...standardViews(this.i18n, { failed: t('mod.attendance.loadError') }),
        ready: ({ registrants }) => this.#renderList(filterRegistrants(registrants, 'confirmed')),
      })}
    </section>`;
  }

  #renderList(rows: readonly RegistrantRow[]): TemplateResult {
    const { t } = this.i18n;
    if (rows.length === 0) return html`<p class="muted">${t('mod.attendance.empty')}</p>`;
    const present = rows.filter((r) => r.attendedAt !== null).length;
    const error = this.#list.error;
    return html`<p class="count" role="status">${t('mod.attendance.count', { present, total: rows.length })}</p>
      <ul>
        ${repeat(
          rows,
          (r) => r.id,
          (r) => {
            const name = r.name ?? t('admin.regs.erased');
            return html`<li>
              <input
                id="attended-${r.id}"
                type="checkbox"
                .checked=${r.attendedAt !== null}
                @change=${(e: Event) => void this.#list.setAttendance(r, (e.target as HTMLInputElement).checked)}
              />
              <label for="attended-${r.id}">${name}</label>
              ${error?.registrationId === r.id
                ? html`<span class="error" role="alert">${t('mod.attendance.failed', { name, reason: error.text })}</span>`
                : nothing}
            </li>`;
          },
        )}
      </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-moderate-attendance': ParvisModerateAttendance;
  }
}
