import { consume } from '@lit/context';
import type { CaptionCue, CaptionEditRequest } from '#shared/domain/caption';
import { CAPTION_MAX_LENGTH } from '#shared/domain/caption';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { ApiClient } from '../../app/api-client';
import { apiContext, i18nContext } from '../../app/contexts';
import { PageLoad, standardViews } from '../../app/page-load';
import '../../app/parvis-confirm-dialog';
import type { ParvisConfirmDialog } from '../../app/parvis-confirm-dialog';
import { baseStyles } from '../../app/shared-styles';
import { errorText } from '../../i18n/error-text';
import type { Translator } from '../../i18n/i18n';
import { adminStyles } from '../admin/admin-styles';
import { atTimeOfDay, timeOfDay } from './caption-times';

interface Loaded {
  languages: string[];
  lang: string | null;
  cues: CaptionCue[];
}

/** The line being corrected, as its fields hold it. */
interface Draft {
  cue: CaptionCue;
  text: string;
  start: string;
  end: string;
}

/**
 * "Captions" on the edit page of an event (issue 12): the lines of one language, each with the time it was said,
 * and a simple editor to correct a line's text and times, or remove it, before or after the replay is published. The
 * replay's WebVTT file is made from these lines, so a correction shows there at once.
 */
@customElement('parvis-captions-editor')
export class ParvisCaptionsEditor extends LitElement {
  static override styles = [
    baseStyles,
    adminStyles,
    css`
      .lang {
        max-width: 18rem;
      }
      ol {
        display: grid;
        gap: var(--space-2);
        margin: 0;
        padding: 0;
        list-style: none;
        max-height: 32rem;
        overflow-y: auto;
      }
      li {
        display: grid;
        grid-template-columns: 7rem 1fr auto;
        gap: var(--space-2) var(--space-3);
        align-items: start;
        padding: var(--space-2) var(--space-3);
        border: 1px solid var(--color-line);
        border-radius: var(--radius-s);
      }
      li .text {
        white-space: pre-line;
        overflow-wrap: anywhere;
      }
      time {
        font-variant-numeric: tabular-nums;
        color: var(--color-ink-muted);
      }
      form {
        grid-column: 1 / -1;
        display: grid;
        gap: var(--space-3);
      }
      .times {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-3);
      }
      .times .field {
        width: 11rem;
      }
      .row-actions,
      .actions {
        display: flex;
        flex-wrap: wrap;
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

  @state() private chosenLang: string | undefined = undefined;
  @state() private draft: Draft | null = null;
  @state() private draftError = '';
  @state() private notice = '';
  @state() private busy = false;

  @query('parvis-confirm-dialog') private confirm!: ParvisConfirmDialog;

  readonly #captions = new PageLoad(this, {
    args: () => [this.eventId, this.chosenLang] as const,
    load: ([eventId, lang], signal): Promise<Loaded> => this.api.getAdminCaptions(eventId, lang, signal),
  });

  #edit(cue: CaptionCue): void {
    this.draft = { cue, text: cue.text, start: timeOfDay(cue.startAt), end: cue.endAt ? timeOfDay(cue.endAt) : '' };
    this.draftError = '';
    this.notice = '';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLTextAreaElement>('#caption-text')?.focus());
  }

  async #save(): Promise<void> {
    const draft = this.draft;
    if (!draft || this.busy) return;
    const { t } = this.i18n;
    const startAt = atTimeOfDay(draft.cue.startAt, draft.start);
    const endAt = draft.end.trim() === '' ? null : atTimeOfDay(draft.cue.endAt ?? draft.cue.startAt, draft.end);
    if (!startAt || (draft.end.trim() !== '' && !endAt)) {
      this.draftError = t('captions.editor.badTime');
      return;
    }
    const edit: CaptionEditRequest = {};
    if (draft.text !== draft.cue.text) edit.text = draft.text;
    if (startAt !== draft.cue.startAt) edit.startAt = startAt;
    if (endAt !== draft.cue.endAt) edit.endAt = endAt;
    if (Object.keys(edit).length === 0) {
      this.draft = null;
      return;
    }
    this.busy = true;
    this.draftError = '';
    try {
      const cue = await this.api.editCaption(this.eventId, draft.cue.id, edit);
      this.#captions.update((data) => ({
        ...data,
        cues: data.cues.map((c) => (c.id === cue.id ? cue : c)).sort((a, b) => Date.parse(a.startAt) - Date.parse(b.startAt)),
      }));
      this.draft = null;
      this.notice = t('captions.editor.saved');
    } catch (error) {
      this.draftError = errorText(this.i18n, error);
    } finally {
      this.busy = false;
    }
  }

  async #remove(cue: CaptionCue): Promise<void> {
    const { t } = this.i18n;
    const confirmed = await this.confirm.ask({
      heading: t('captions.editor.removeHeading'),
      body: t('captions.editor.removeBody', { text: cue.text }),
      confirmLabel: t('captions.editor.removeConfirm'),
      cancelLabel: t('captions.editor.removeCancel'),
      danger: true,
    });
    if (!confirmed) return;
    this.busy = true;
    try {
      await this.api.deleteCaption(this.eventId, cue.id);
      this.#captions.update((data) => ({ ...data, cues: data.cues.filter((c) => c.id !== cue.id) }));
      this.notice = t('captions.editor.removed');
    } catch (error) {
      this.notice = errorText(this.i18n, error);
    } finally {
      this.busy = false;
    }
  }

  override render(): TemplateResult {
    const { t } = this.i18n;
    return html`
      <section aria-labelledby="captions-heading">
        <h2 id="captions-heading">${t('captions.editor.title')}</h2>
        <p class="muted">${t('captions.editor.intro')}</p>
        <p role="status" class="muted">${this.notice}</p>
        ${this.#captions.render({
          ...standardViews(this.i18n, { failed: t('captions.editor.loadError') }),
          ready: (data) => this.#renderCaptions(data),
        })}
      </section>
      <parvis-confirm-dialog></parvis-confirm-dialog>
    `;
  }

  #renderCaptions({ languages, lang, cues }: Loaded): TemplateResult {
    const { t } = this.i18n;
    if (languages.length === 0 || !lang) return html`<p>${t('captions.editor.none')}</p>`;
    return html`
      <div class="field lang">
        <label for="captions-lang">${t('captions.editor.language')}</label>
        <select
          id="captions-lang"
          @change=${(e: { target: HTMLSelectElement }) => {
            this.draft = null;
            this.chosenLang = e.target.value;
          }}
        >
          ${languages.map((code) => html`<option value=${code} ?selected=${code === lang}>${this.i18n.languageName(code)} (${code})</option>`)}
        </select>
      </div>
      <p class="muted">${this.i18n.plural('captions.editor.count', cues.length)}</p>
      <ol aria-label=${t('captions.editor.listLabel', { language: this.i18n.languageName(lang) })}>
        ${cues.map((cue) => this.#renderCue(cue))}
      </ol>
    `;
  }

  #renderCue(cue: CaptionCue): TemplateResult {
    const { t } = this.i18n;
    const editing = this.draft?.cue.id === cue.id ? this.draft : null;
    return html`<li>
      <time datetime=${cue.startAt}>${timeOfDay(cue.startAt)}</time>
      <span class="text" lang=${cue.lang}>${cue.text}</span>
      <span class="row-actions">
        ${editing
          ? nothing
          : html`<button type="button" class="btn btn-small btn-secondary" aria-label=${t('captions.editor.editLabel', { time: timeOfDay(cue.startAt) })} @click=${() => this.#edit(cue)}>
                ${t('captions.editor.edit')}
              </button>
              <button type="button" class="btn btn-small btn-secondary" aria-label=${t('captions.editor.removeLabel', { time: timeOfDay(cue.startAt) })} ?disabled=${this.busy} @click=${() => void this.#remove(cue)}>
                ${t('captions.editor.remove')}
              </button>`}
      </span>
      ${editing ? this.#renderForm(editing) : nothing}
    </li>`;
  }

  #renderForm(draft: Draft): TemplateResult {
    const { t } = this.i18n;
    const set = (change: Partial<Draft>) => {
      this.draft = { ...draft, ...change };
    };
    return html`<form
      @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        void this.#save();
      }}
      @keydown=${(e: KeyboardEvent) => {
        if (e.key === 'Escape') this.draft = null;
      }}
    >
      <div class="field">
        <label for="caption-text">${t('captions.editor.text')}</label>
        <textarea id="caption-text" rows="2" maxlength=${CAPTION_MAX_LENGTH} lang=${draft.cue.lang} .value=${draft.text} @input=${(e: { target: HTMLTextAreaElement }) => set({ text: e.target.value })}></textarea>
      </div>
      <div class="times">
        <div class="field">
          <label for="caption-start">${t('captions.editor.start')}</label>
          <input id="caption-start" type="time" step="0.001" .value=${draft.start} @input=${(e: { target: HTMLInputElement }) => set({ start: e.target.value })} />
        </div>
        <div class="field">
          <label for="caption-end">${t('captions.editor.end')}</label>
          <input id="caption-end" type="time" step="0.001" aria-describedby="caption-end-hint" .value=${draft.end} @input=${(e: { target: HTMLInputElement }) => set({ end: e.target.value })} />
          <span class="hint" id="caption-end-hint">${t('captions.editor.endHint')}</span>
        </div>
      </div>
      ${this.draftError ? html`<p class="notice notice-error" role="alert">${this.draftError}</p>` : nothing}
      <div class="actions">
        <button type="submit" class="btn btn-small" ?disabled=${this.busy}>${t('captions.editor.save')}</button>
        <button type="button" class="btn btn-small btn-secondary" @click=${() => (this.draft = null)}>${t('captions.editor.cancel')}</button>
      </div>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-captions-editor': ParvisCaptionsEditor;
  }
}
