import { consume } from '@lit/context';
import type { CaptionCue } from '#shared/domain/caption';
import type { Event } from '#shared/domain/event';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { i18nContext, realtimeContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import type { RealtimeClient } from '../../realtime/realtime-client';
import { HeartbeatController } from '../audience/heartbeat-controller';
import '../../player/parvis-player';
import type { CaptionFile } from '../../player/parvis-player';
import './parvis-countdown';

/**
 * What the event shows in place of the video, by status: the live player, a countdown to the start, the replay (or
 * "no replay"), or the cancellation notice.
 */
@customElement('parvis-event-stage')
export class ParvisEventStage extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .card {
        display: grid;
        gap: var(--space-3);
        align-content: center;
        justify-items: start;
        min-height: 14rem;
        padding: var(--space-6) var(--space-5);
        border-radius: var(--radius-m);
        background: var(--color-brand);
        color: var(--color-brand-ink);
        background-image: radial-gradient(circle at 85% 20%, rgb(255 255 255 / 0.12), transparent 45%);
      }
      .card h2 {
        color: inherit;
        font-size: clamp(1.5rem, 4vw, 2rem);
      }
      .card.muted {
        background: var(--color-surface-alt);
        color: var(--color-ink);
        border: 1px solid var(--color-line);
        background-image: none;
      }
      .card.cancelled {
        background: var(--color-error-bg);
        color: var(--color-error-ink);
        border: 1px solid #e9b3ad;
      }
      .ended {
        display: grid;
        gap: var(--space-3);
      }
      .ended h2 {
        font-size: 1.25rem;
      }
    `,
  ];

  @property({ attribute: false }) event!: Event;
  /** The live room refused this person (an invite-only or registration event): no video will come for them. */
  @property({ type: Boolean }) refused = false;
  /** Where the replay starts, in seconds (a link to a moment of it); null: from the beginning. */
  @property({ attribute: false }) replayStart: number | null = null;
  /** The live room's caption cues, for the live player. */
  @property({ attribute: false }) liveCaptions: readonly CaptionCue[] = [];
  /** The replay's captions, one WebVTT file per language. */
  @property({ attribute: false }) captionFiles: readonly CaptionFile[] = [];

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @consume({ context: realtimeContext })
  private realtime?: RealtimeClient;

  // The player's heartbeats (audience figures, the moderators' view of the delay), live and replay alike: the socket
  // is in the event's room, which the server requires of them.
  readonly heartbeats = new HeartbeatController(this, {
    eventId: () => this.event?.id ?? null,
    player: () => this.renderRoot?.querySelector('parvis-player') ?? null,
    send: (payload) => this.realtime?.request('viewer:heartbeat', payload),
  });
  /**
   * The wall-clock instant of the live picture on screen, or null (no live player, no first frame yet). A replay's
   * program dates are those of the past live, so they are never given here.
   */
  programDate(): Date | null {
    if (this.event?.status !== 'live') return null;
    return this.renderRoot.querySelector('parvis-player')?.programDate() ?? null;
  }

  /** Moves the replay to `seconds` and plays it from there. */
  seek(seconds: number): void {
    this.renderRoot.querySelector('parvis-player')?.seek(seconds);
  }

  override render() {
    const { t } = this.i18n;
    const e = this.event;
    switch (e.status) {
      case 'live':
        if (e.streamUrl) {
          return html`<parvis-player .src=${e.streamUrl} live .label=${e.title} .liveCaptions=${this.liveCaptions}></parvis-player>`;
        }
        if (this.refused && e.access !== 'open') {
          const invite = e.access === 'invite';
          return html`<div class="card muted">
            <h2>${invite ? t('chat.inviteRequired') : t('chat.registrationRequired')}</h2>
            <p>${invite ? t('chat.inviteRequiredBody') : t('chat.registrationRequiredBody')}</p>
          </div>`;
        }
        return html`<div class="card"><p>${t('event.noStream')}</p></div>`;
      case 'scheduled':
        return html`
          <div class="card">
            <h2>${t('event.startingSoon')}</h2>
            <parvis-countdown .target=${e.startsAt}></parvis-countdown>
          </div>
        `;
      case 'ended':
        return e.replayUrl
          ? html`<div class="ended">
              <h2>${t('event.ended')} · ${t('event.replay')}</h2>
              <parvis-player
                .src=${e.replayUrl}
                .label=${e.title}
                .startAt=${this.replayStart}
                .captionFiles=${this.captionFiles}
              ></parvis-player>
            </div>`
          : html`<div class="card muted">
              <h2>${t('event.ended')}</h2>
              <p>${t('event.noReplay')}</p>
            </div>`;
      case 'cancelled':
        return html`<div class="card cancelled">
          <h2>${t('event.cancelled')}</h2>
          <p>${t('event.cancelledBody')}</p>
        </div>`;
      default:
        return nothing;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-event-stage': ParvisEventStage;
  }
}
