import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AudienceDelay } from '#shared/protocol/events';
import { i18nContext, realtimeContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import type { RealtimeClient } from '../../realtime/realtime-client';

/**
 * How far behind real time the audience sees the live, for the moderators: the median and the largest delay of the
 * viewers' players, pushed every 5 s or so to the staff room (`audience:delay`). Not a live region: it changes too
 * often to be read out each time.
 */
@customElement('parvis-audience-delay')
export class ParvisAudienceDelay extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: inline-block;
      }
      p {
        margin: 0;
        font-weight: 600;
        color: var(--color-ink-muted);
      }
    `,
  ];

  @property() eventId = '';

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @consume({ context: realtimeContext })
  private realtime?: RealtimeClient;

  @state() private delay: AudienceDelay | null = null;
  #stop: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#stop = this.realtime?.on('audience:delay', (delay) => {
      if (delay.eventId === this.eventId) this.delay = delay;
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stop?.();
    this.#stop = undefined;
  }

  override render() {
    const { t } = this.i18n;
    const d = this.delay;
    // Nothing until the server first tells: "not measured" is what it says when no player can tell the delay.
    if (!d) return nothing;
    const seconds = (ms: number) => Math.round(ms / 1000);
    const text =
      d.p50Ms !== null && d.maxMs !== null
        ? t('figures.delay.value', {
            p50: seconds(d.p50Ms),
            max: seconds(d.maxMs),
            players: this.i18n.plural('figures.delay.players', d.viewers),
          })
        : t('figures.delay.none');
    return html`<p>${t('figures.delay.label')} ${text}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-audience-delay': ParvisAudienceDelay;
  }
}
