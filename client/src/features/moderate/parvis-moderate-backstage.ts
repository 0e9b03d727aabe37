import { consume } from '@lit/context';
import type { BackstageNote } from '#shared/domain/moderation';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { i18nContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import type { EventRoom } from '../event-room/event-room';
import { actionFailedText } from '../../i18n/error-text';
import { checkText, NOTE_MAX } from './forms';
import { LatestById } from './latest';
import { panelStyles } from './moderate-styles';

/** The backstage channel: private notes from the moderators to the speakers' stage view, and the notes sent so far. */
@customElement('parvis-moderate-backstage')
export class ParvisModerateBackstage extends LitElement {
  static override styles = [
    baseStyles,
    panelStyles,
    css`
      form {
        display: grid;
        gap: var(--space-2);
      }
      .notes {
        max-height: 18rem;
        overflow-y: auto;
      }
    `,
  ];

  @property({ attribute: false }) room: EventRoom | null = null;
  @property({ attribute: false }) notes: readonly BackstageNote[] = [];

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private draft = '';
  @state() private problem = '';
  @state() private sending = false;
  @state() private error = '';
  @state() private message = '';

  readonly #notes = new LatestById<BackstageNote>((n) => n.id);

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('notes')) this.#notes.sync(this.notes);
  }

  async #send(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const room = this.room;
    if (!room || this.sending) return;
    const { t } = this.i18n;
    const { text, problem } = checkText(this.draft, NOTE_MAX);
    if (problem) {
      this.problem = t(problem.key, problem.params);
      return;
    }
    this.problem = '';
    this.sending = true;
    this.error = '';
    this.message = '';
    const ack = await room.request('backstage:note', { eventId: room.eventId, text });
    this.sending = false;
    if (!ack.ok) {
      this.error = actionFailedText(this.i18n, t('mod.backstage.send'), ack.error);
      return;
    }
    this.#notes.put(ack.data.note);
    if (this.draft.trim() === text) this.draft = '';
    this.message = t('mod.backstage.sent');
  }

  override render() {
    const { t } = this.i18n;
    const notes = this.#notes.values.sort((a, b) => b.at.localeCompare(a.at));
    return html`
      <section class="panel" aria-labelledby="backstage-title">
        <h2 id="backstage-title">${t('mod.backstage.title')}</h2>
        <form @submit=${this.#send}>
          <div class="field">
            <label for="note">${t('mod.backstage.label')}</label>
            <textarea
              id="note"
              rows="3"
              maxlength=${NOTE_MAX}
              aria-invalid=${this.problem ? 'true' : 'false'}
              aria-describedby=${this.problem ? 'note-error' : nothing}
              .value=${this.draft}
              @input=${(e: Event) => {
                this.draft = (e.target as HTMLTextAreaElement).value;
                this.problem = '';
              }}
              @keydown=${(e: KeyboardEvent) => {
                // Ctrl/⌘ + Enter sends, as in most chat tools; Enter alone writes a new line.
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                  e.preventDefault();
                  (e.target as HTMLTextAreaElement).form?.requestSubmit();
                }
              }}
            ></textarea>
            ${this.problem ? html`<p class="field-error" id="note-error">${this.problem}</p>` : nothing}
          </div>
          <div class="actions">
            <button type="submit" class="btn btn-small" aria-disabled=${this.sending ? 'true' : 'false'}>${t('mod.backstage.send')}</button>
          </div>
        </form>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <p class="done" role="status">${this.sending ? t('mod.working') : this.message}</p>
        ${notes.length === 0
          ? html`<p class="empty">${t('mod.backstage.empty')}</p>`
          : html`<ul class="items notes" aria-labelledby="backstage-title">
              ${repeat(
                notes,
                (n) => n.id,
                (n) => html`<li class="item">
                  <p class="text">${n.text}</p>
                  <p class="meta">${t('mod.backstage.by', { name: n.by, time: this.i18n.time(n.at) })}</p>
                </li>`,
              )}
            </ul>`}
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-moderate-backstage': ParvisModerateBackstage;
  }
}
