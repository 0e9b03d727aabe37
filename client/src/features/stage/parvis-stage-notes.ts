import { consume } from '@lit/context';
import type { BackstageNote } from '#shared/domain/moderation';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { i18nContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import { notesArrived, notesNewestFirst } from './stage-content';

/** How long a note that just arrived stays highlighted. */
const FRESH_MS = 12_000;

/**
 * The moderators' private notes to the speakers, newest on top. The notes held when the element first gets them are
 * shown plainly; each one that arrives afterwards is highlighted for a few seconds and read out politely by screen
 * readers.
 */
@customElement('parvis-stage-notes')
export class ParvisStageNotes extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: grid;
        align-content: start;
        gap: var(--space-3);
        min-height: 0;
      }
      h2 {
        font-family: var(--font-body);
        font-size: clamp(1rem, 1.4vw, 1.375rem);
        text-transform: uppercase;
        letter-spacing: 0.06em;
        color: var(--stage-muted, inherit);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--space-3);
        overflow-y: auto;
        min-height: 0;
      }
      li {
        display: grid;
        gap: var(--space-1);
        padding: var(--space-3) var(--space-4);
        border-left: 6px solid var(--stage-line, currentColor);
        border-radius: var(--radius-s);
        background: var(--stage-panel, transparent);
      }
      li.fresh {
        border-left-color: var(--stage-warning, currentColor);
        outline: 3px solid var(--stage-warning, currentColor);
        /* Inside the box: the list scrolls, and would clip an outline drawn outside. */
        outline-offset: -3px;
        animation: arrive 1.2s ease-out 3;
      }
      @keyframes arrive {
        from {
          background: var(--stage-fresh, transparent);
        }
      }
      @media (prefers-reduced-motion: reduce) {
        li.fresh {
          animation: none;
          background: var(--stage-fresh, transparent);
        }
      }
      .meta {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-1) var(--space-3);
        font-size: clamp(0.9375rem, 1.2vw, 1.125rem);
        color: var(--stage-muted, inherit);
      }
      .badge-new {
        font-weight: 700;
        color: var(--stage-warning, inherit);
        text-transform: uppercase;
      }
      .text {
        font-size: clamp(1.25rem, 2vw, 1.875rem);
        line-height: 1.3;
        overflow-wrap: anywhere;
        white-space: pre-line;
      }
      .empty {
        font-size: clamp(1rem, 1.4vw, 1.25rem);
        color: var(--stage-muted, inherit);
      }
    `,
  ];

  /** The notes, in any order. */
  @property({ attribute: false }) notes: readonly BackstageNote[] = [];

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  /** Ids of the notes highlighted as new. */
  @state() private fresh: ReadonlySet<string> = new Set();
  /** What the polite live region says: the last note that arrived. */
  @state() private announcement = '';

  /** Ids already shown; null until the first notes come, which are not news. */
  #seen: Set<string> | null = null;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();

  override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('notes')) return;
    if (this.#seen === null) {
      this.#seen = new Set(this.notes.map((n) => n.id));
      return;
    }
    const arrived = notesArrived(this.#seen, this.notes);
    if (arrived.length === 0) return;
    for (const note of arrived) this.#seen.add(note.id);
    const ids = arrived.map((n) => n.id);
    this.fresh = new Set([...this.fresh, ...ids]);
    const last = arrived[arrived.length - 1]!;
    this.announcement = this.i18n.t('stage.noteNew', { by: last.by, text: last.text });
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      const next = new Set(this.fresh);
      for (const id of ids) next.delete(id);
      this.fresh = next;
    }, FRESH_MS);
    this.#timers.add(timer);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.fresh = new Set();
  }

  override render() {
    const { t } = this.i18n;
    const notes = notesNewestFirst(this.notes);
    return html`
      <h2 id="notes-title">${t('stage.notes')}</h2>
      ${notes.length === 0
        ? html`<p class="empty">${t('stage.notesEmpty')}</p>`
        : html`<ul aria-labelledby="notes-title">
            ${repeat(
              notes,
              (note) => note.id,
              (note) => {
                const fresh = this.fresh.has(note.id);
                return html`<li class=${fresh ? 'fresh' : ''}>
                  <p class="meta">
                    <time datetime=${note.at}>${this.i18n.time(note.at)}</time>
                    <span>${note.by}</span>
                    ${fresh ? html`<span class="badge-new">${t('stage.noteFresh')}</span>` : nothing}
                  </p>
                  <p class="text">${note.text}</p>
                </li>`;
              },
            )}
          </ul>`}
      <p class="visually-hidden" role="status">${this.announcement}</p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-stage-notes': ParvisStageNotes;
  }
}
