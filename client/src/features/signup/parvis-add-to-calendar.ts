import { consume } from '@lit/context';
import type { Event } from '#shared/domain/event';
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { i18nContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import { calendarLinks } from './calendar-links';

/**
 * "Add to my calendar": the event's `.ics` file (any calendar app), and Google Calendar and Outlook on the web with
 * the event filled in (they open in a new window, which their link says).
 */
@customElement('parvis-add-to-calendar')
export class ParvisAddToCalendar extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .label {
        font-weight: 600;
        margin-bottom: var(--space-1);
      }
      ul {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-1) var(--space-4);
        margin: 0;
        padding: 0;
        list-style: none;
      }
      a {
        display: inline-block;
        padding: var(--space-1) 0;
      }
    `,
  ];

  @property({ attribute: false }) event!: Pick<Event, 'id' | 'title' | 'summary' | 'startsAt' | 'endsAt'>;
  /** Names the event in the group's label, where several events are listed (the personal page). */
  @property({ type: Boolean }) named = false;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  override render() {
    const { t } = this.i18n;
    const links = calendarLinks(this.event, location.origin);
    const label = this.named ? t('cal.titleNamed', { title: this.event.title }) : t('cal.title');
    const newWindow = html`<span class="visually-hidden"> ${t('cal.newWindow')}</span>`;
    return html`<div role="group" aria-label=${label}>
      <p class="label" aria-hidden="true">${t('cal.title')}</p>
      <ul>
        <li><a href=${links.ics} download>${t('cal.ics')}</a></li>
        <li><a href=${links.google} target="_blank" rel="noopener noreferrer">${t('cal.google')}${newWindow}</a></li>
        <li><a href=${links.outlook} target="_blank" rel="noopener noreferrer">${t('cal.outlook')}${newWindow}</a></li>
      </ul>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-add-to-calendar': ParvisAddToCalendar;
  }
}
