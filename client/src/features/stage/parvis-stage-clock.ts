import { consume } from '@lit/context';
import type { Event } from '#shared/domain/event';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { i18nContext } from '../../app/contexts';
import { IntervalController } from '../../app/interval-controller';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import { stageTime, stageTimeText } from './stage-time';

/**
 * The clock of the stage view: the time of day, large, and the time left before the event's scheduled end ("12 min
 * left", "Over by 3 min"). Ticks every second while it is on the page, so the minute turns when the wall clock does.
 *
 * @csspart clock - the time of day
 * @csspart remaining - the time left, with `data-level` `normal`, `warning` or `over`
 */
@customElement('parvis-stage-clock')
export class ParvisStageClock extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: var(--space-2) var(--space-6);
        font-variant-numeric: tabular-nums;
      }
      .item {
        display: grid;
        gap: 0;
      }
      .label {
        font-size: clamp(0.875rem, 1.2vw, 1.125rem);
        color: var(--stage-muted, inherit);
        text-transform: uppercase;
        letter-spacing: 0.06em;
      }
      time,
      [role='timer'] {
        font-size: clamp(1.75rem, min(3.4vw, 6vh), 3rem);
        font-weight: 700;
        line-height: 1.1;
      }
      [data-level='warning'] {
        color: var(--stage-warning, inherit);
      }
      [data-level='over'] {
        color: var(--stage-over, inherit);
      }
      .ends {
        font-size: clamp(0.875rem, 1.2vw, 1.125rem);
        color: var(--stage-muted, inherit);
      }
    `,
  ];

  @property({ attribute: false }) event: Event | null = null;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  /** Milliseconds since the epoch at the last tick. */
  @state() private now = Date.now();

  constructor() {
    super();
    new IntervalController(this, 1000, () => (this.now = Date.now()));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Back on the page (or on its first show): the right time at once, not a second late.
    this.now = Date.now();
  }

  override render() {
    const { t } = this.i18n;
    const nowIso = new Date(this.now).toISOString();
    const event = this.event;
    const time = event ? stageTime(event, this.now) : null;
    const text = time ? stageTimeText(t, time) : '';
    // role=timer is not announced on every tick, which is what a room full of people needs.
    const level = time?.phase === 'overtime' ? 'over' : time?.phase === 'running' && time.warning ? 'warning' : 'normal';
    return html`
      <p class="item">
        <span class="label">${t('stage.clock')}</span>
        <time part="clock" datetime=${nowIso}>${this.i18n.time(nowIso)}</time>
      </p>
      ${text
        ? html`<p class="item">
            <span class="label" id="remaining-label">${t('stage.remaining')}</span>
            <span role="timer" part="remaining" aria-labelledby="remaining-label" data-level=${level}>${text}</span>
            ${event && (time?.phase === 'running' || time?.phase === 'overtime')
              ? html`<span class="ends">${t('stage.endsAt', { time: this.i18n.time(event.endsAt) })}</span>`
              : nothing}
          </p>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-stage-clock': ParvisStageClock;
  }
}
