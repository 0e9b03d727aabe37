import { consume } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { i18nContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import { CountdownController, countdownParts } from './countdown-controller';

/** A live countdown to an instant ("Début dans 2 j 3 h 04 min 05 s"). */
@customElement('parvis-countdown')
export class ParvisCountdown extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .label {
        display: block;
        font-size: 0.9375rem;
        opacity: 0.9;
      }
      [role='timer'] {
        font-size: clamp(1.5rem, 4vw, 2.25rem);
        font-weight: 700;
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  /** ISO instant to count down to. */
  @property() target = '';

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  readonly #countdown = new CountdownController(this, () => this.target);

  override render() {
    const { t } = this.i18n;
    const remaining = this.#countdown.remainingMs;
    if (remaining === null) return html``;
    if (remaining === 0) return html`<p>${t('event.startingNow')}</p>`;
    const { days, hours, minutes, seconds } = countdownParts(remaining);
    const pad = (n: number): string => String(n).padStart(2, '0');
    const parts = [
      days > 0 ? t('countdown.days', { n: days }) : null,
      days > 0 || hours > 0 ? t('countdown.hours', { n: hours }) : null,
      t('countdown.minutes', { n: days > 0 || hours > 0 ? pad(minutes) : minutes }),
      t('countdown.seconds', { n: pad(seconds) }),
    ].filter((p): p is string => p !== null);
    // role=timer is not announced on every tick (its live region is off by default), which is what we want.
    return html`<p><span class="label">${t('event.startsIn')}</span><span role="timer">${parts.join(' ')}</span></p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-countdown': ParvisCountdown;
  }
}
