import { consume } from '@lit/context';
import type { EventStatus } from '#shared/domain/event';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ApiClient } from '../../app/api-client';
import { apiContext, i18nContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import { actionFailedText } from '../../i18n/error-text';
import type { Translator } from '../../i18n/i18n';
import { panelStyles } from './moderate-styles';

/**
 * A ciné-conférence's "the film ends, the talk begins", for its moderators: the instant is recorded, and a film shown
 * under live-only rights is cut from the replay there (docs/broadcasting.md). Pressing it again moves the mark to now.
 */
@customElement('parvis-moderate-talk')
export class ParvisModerateTalk extends LitElement {
  static override styles = [baseStyles, panelStyles];

  @property() eventId = '';
  @property() status: EventStatus = 'scheduled';
  /** The event's time zone, to say when the mark was set. */
  @property() timezone = 'Europe/Paris';

  @consume({ context: apiContext })
  private api!: ApiClient;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private marking = false;
  @state() private message = '';
  @state() private error = '';

  async #mark(): Promise<void> {
    if (this.marking || this.status !== 'live') return;
    const { t } = this.i18n;
    this.marking = true;
    this.error = '';
    this.message = '';
    try {
      const { talkStartsAt } = await this.api.markTalkStarts(this.eventId);
      this.message = t('mod.talk.marked', { time: this.i18n.time(talkStartsAt, this.timezone) });
    } catch (error) {
      this.error = actionFailedText(this.i18n, t('mod.talk.mark'), error);
    } finally {
      this.marking = false;
    }
  }

  override render() {
    const { t } = this.i18n;
    return html`<section class="panel" aria-labelledby="talk-title">
      <h2 id="talk-title">${t('mod.talk.title')}</h2>
      <p class="hint" id="talk-hint">${t('mod.talk.hint')}</p>
      <div class="actions">
        <button
          type="button"
          class="btn btn-small"
          aria-describedby="talk-hint"
          aria-disabled=${this.status !== 'live' || this.marking ? 'true' : 'false'}
          @click=${() => void this.#mark()}
        >
          ${t('mod.talk.mark')}
        </button>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <p class="done" role="status">${this.marking ? t('mod.working') : this.message}</p>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-moderate-talk': ParvisModerateTalk;
  }
}
