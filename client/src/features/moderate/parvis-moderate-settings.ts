import { consume } from '@lit/context';
import type { RoomSettings } from '#shared/domain/moderation';
import type { RoomConfigurePayload } from '#shared/protocol/payloads';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { i18nContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import type { EventRoom } from '../event-room/event-room';
import { actionFailedText } from '../../i18n/error-text';
import { checkText, parseWordFilter, PINNED_MAX, slowModeChoices, wordFilterChanged } from './forms';
import { Latest } from './latest';
import { panelStyles } from './moderate-styles';

type Busy = 'slow' | 'premod' | 'filter' | 'pin' | 'unpin';

/**
 * The room's settings: slow mode, pre-moderation of questions, the word filter and the pinned announcement. Each
 * change is one `room:configure` with only its own field; the ack's settings show at once.
 */
@customElement('parvis-moderate-settings')
export class ParvisModerateSettings extends LitElement {
  static override styles = [
    baseStyles,
    panelStyles,
    css`
      form,
      .group {
        display: grid;
        gap: var(--space-2);
      }
      .group + .group {
        padding-top: var(--space-3);
        border-top: 1px solid var(--color-line);
      }
      textarea {
        min-height: 6rem;
        font-family: ui-monospace, 'DejaVu Sans Mono', monospace;
      }
      .pinned {
        padding: var(--space-2) var(--space-3);
        border-left: 4px solid var(--color-brand);
        background: var(--color-surface);
        white-space: pre-line;
        overflow-wrap: anywhere;
      }
    `,
  ];

  @property({ attribute: false }) room: EventRoom | null = null;
  @property({ attribute: false }) settings: RoomSettings | null = null;
  /** The word filter in force (moderators only); null until known. */
  @property({ attribute: false }) wordFilter: readonly string[] | null = null;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private busy: Busy | null = null;
  @state() private error = '';
  @state() private message = '';
  /** The filter as typed; null while untouched (it then follows the one in force). */
  @state() private filterDraft: string | null = null;
  @state() private filterError = '';
  @state() private pinDraft = '';
  @state() private pinError = '';

  readonly #settings = new Latest<RoomSettings | null>(null);
  readonly #filter = new Latest<readonly string[] | null>(null);

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('settings')) this.#settings.sync(this.settings);
    if (changed.has('wordFilter')) this.#filter.sync(this.wordFilter);
  }

  async #configure(busy: Busy, label: string, change: Omit<RoomConfigurePayload, 'eventId'>): Promise<boolean> {
    const room = this.room;
    if (!room || this.busy) return false;
    const { t } = this.i18n;
    this.busy = busy;
    this.error = '';
    this.message = '';
    const ack = await room.request('room:configure', { eventId: room.eventId, ...change });
    this.busy = null;
    if (!ack.ok) {
      this.error = actionFailedText(this.i18n, label, ack.error);
      return false;
    }
    this.#settings.set(ack.data.settings);
    this.#filter.set(ack.data.wordFilter);
    this.message = t('mod.done', { action: label });
    return true;
  }

  async #saveFilter(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const { t } = this.i18n;
    const { entries, problem } = parseWordFilter(this.filterDraft ?? (this.#filter.value ?? []).join('\n'));
    if (problem) {
      this.filterError = t(problem.key, problem.params);
      return;
    }
    this.filterError = '';
    if (await this.#configure('filter', t('mod.filter.save'), { wordFilter: entries })) this.filterDraft = null;
  }

  async #pin(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const { t } = this.i18n;
    const { text, problem } = checkText(this.pinDraft, PINNED_MAX);
    if (problem) {
      this.pinError = t(problem.key, problem.params);
      return;
    }
    this.pinError = '';
    if (await this.#configure('pin', t('mod.pinned.set'), { pinned: text })) this.pinDraft = '';
  }

  #slowLabel(seconds: number): string {
    const { t } = this.i18n;
    if (seconds === 0) return t('mod.slow.off');
    return seconds >= 60 && seconds % 60 === 0 ? t('mod.slow.minutes', { n: seconds / 60 }) : t('mod.slow.seconds', { n: seconds });
  }

  override render() {
    const { t } = this.i18n;
    const settings = this.#settings.value;
    const filter = this.#filter.value;
    const slow = settings?.slowModeSeconds ?? 0;
    const filterText = this.filterDraft ?? (filter ?? []).join('\n');
    const typed = parseWordFilter(filterText).entries;
    const filterDirty = this.filterDraft !== null && wordFilterChanged(typed, filter ?? []);
    const aria = (b: Busy) => (this.busy === b ? 'true' : 'false');
    return html`
      <section class="panel" aria-labelledby="settings-title" aria-busy=${this.busy ? 'true' : 'false'}>
        <h2 id="settings-title">${t('mod.settings.title')}</h2>
        ${settings ? nothing : html`<p class="hint">${t('mod.settings.waiting')}</p>`}
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <p class="done" role="status">${this.busy ? t('mod.working') : this.message}</p>

        <div class="group">
          <div class="field">
            <label for="slow">${t('mod.slow.label')}</label>
            <select
              id="slow"
              aria-describedby="slow-hint"
              @change=${(e: Event) => {
                const select = e.target as HTMLSelectElement;
                void this.#configure('slow', t('mod.slow.label'), { slowModeSeconds: Number(select.value) }).then((ok) => {
                  if (!ok) select.value = String(slow);
                });
              }}
            >
              ${slowModeChoices(slow).map((s) => html`<option value=${s} ?selected=${s === slow}>${this.#slowLabel(s)}</option>`)}
            </select>
            <p class="hint" id="slow-hint">${t('mod.slow.hint')}</p>
          </div>
        </div>

        <div class="group">
          <label class="check">
            <input
              type="checkbox"
              .checked=${settings?.preModeration ?? false}
              aria-describedby="premod-hint"
              @change=${(e: Event) => {
                const input = e.target as HTMLInputElement;
                const wanted = input.checked;
                void this.#configure('premod', t('mod.premod.label'), { preModeration: wanted }).then((ok) => {
                  if (!ok) input.checked = !wanted;
                });
              }}
            />
            <span>${t('mod.premod.label')}</span>
          </label>
          <p class="hint" id="premod-hint">${t('mod.premod.hint')}</p>
        </div>

        <form class="group" @submit=${this.#saveFilter} aria-busy=${aria('filter')}>
          <div class="field">
            <label for="filter">${t('mod.filter.label')}</label>
            <p class="hint" id="filter-hint">
              ${t('mod.filter.hint')} ${this.i18n.plural('mod.filter.count', typed.length)}
            </p>
            <textarea
              id="filter"
              rows="5"
              spellcheck="false"
              aria-describedby=${this.filterError ? 'filter-hint filter-error' : 'filter-hint'}
              aria-invalid=${this.filterError ? 'true' : 'false'}
              .value=${filterText}
              @input=${(e: Event) => {
                this.filterDraft = (e.target as HTMLTextAreaElement).value;
                this.filterError = '';
              }}
            ></textarea>
            ${this.filterError ? html`<p class="field-error" id="filter-error">${this.filterError}</p>` : nothing}
          </div>
          <div class="actions">
            <button type="submit" class="btn btn-small" aria-disabled=${this.busy || !filterDirty ? 'true' : 'false'}>
              ${t('mod.filter.save')}
            </button>
          </div>
        </form>

        <form class="group" @submit=${this.#pin} aria-busy=${aria('pin')}>
          <h3>${t('mod.pinned.label')}</h3>
          ${settings?.pinned
            ? html`<p class="meta">${t('mod.pinned.current', { name: settings.pinned.by, time: this.i18n.time(settings.pinned.at) })}</p>
                <p class="pinned">${settings.pinned.text}</p>
                <div class="actions">
                  <button
                    type="button"
                    class="btn btn-secondary btn-small"
                    aria-disabled=${this.busy ? 'true' : 'false'}
                    @click=${() => void this.#configure('unpin', t('mod.pinned.clear'), { pinned: null })}
                  >
                    ${t('mod.pinned.clear')}
                  </button>
                </div>`
            : html`<p class="empty">${t('mod.pinned.none')}</p>`}
          <div class="field">
            <label for="pin" class="visually-hidden">${t('mod.pinned.label')}</label>
            <textarea
              id="pin"
              rows="2"
              maxlength=${PINNED_MAX}
              aria-invalid=${this.pinError ? 'true' : 'false'}
              aria-describedby=${this.pinError ? 'pin-error' : nothing}
              .value=${this.pinDraft}
              @input=${(e: Event) => {
                this.pinDraft = (e.target as HTMLTextAreaElement).value;
                this.pinError = '';
              }}
            ></textarea>
            ${this.pinError ? html`<p class="field-error" id="pin-error">${this.pinError}</p>` : nothing}
          </div>
          <div class="actions">
            <button type="submit" class="btn btn-small" aria-disabled=${this.busy ? 'true' : 'false'}>${t('mod.pinned.set')}</button>
          </div>
        </form>
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-moderate-settings': ParvisModerateSettings;
  }
}
