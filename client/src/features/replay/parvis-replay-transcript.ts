import { consume } from '@lit/context';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { i18nContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import { formatPosition } from './deep-link';
import { ReplaySeekEvent } from './parvis-replay-chapters';
import { searchTranscript, type TranscriptLine } from './transcript';

/** The viewer chose another language for the transcript. */
export class TranscriptLanguageEvent extends Event {
  static readonly eventName = 'parvis-transcript-language';
  constructor(readonly lang: string) {
    super(TranscriptLanguageEvent.eventName, { bubbles: true, composed: true });
  }
}

/**
 * Below the replay: what was said, from its captions, line by line. The line being said is marked and kept in view
 * (the list scrolls, not the page); a search keeps the lines holding its words; a line is a button that moves the
 * video to the moment it was said.
 * @fires parvis-replay-seek - a line was chosen ({@link ReplaySeekEvent})
 * @fires parvis-transcript-language - another language was chosen ({@link TranscriptLanguageEvent})
 */
@customElement('parvis-replay-transcript')
export class ParvisReplayTranscript extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      section {
        display: grid;
        gap: var(--space-2);
      }
      h2 {
        font-size: 1.25rem;
      }
      .tools {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-2) var(--space-4);
        align-items: end;
      }
      .tools label {
        display: grid;
        gap: var(--space-1);
        font-weight: 600;
      }
      .tools div {
        display: grid;
        gap: var(--space-1);
      }
      ol {
        display: grid;
        gap: 2px;
        max-height: 20rem;
        overflow-y: auto;
        margin: 0;
        padding: var(--space-1);
        list-style: none;
        border: 1px solid var(--color-line);
        border-radius: var(--radius-s);
        background: var(--color-surface);
      }
      button.line {
        display: grid;
        grid-template-columns: 4.5rem minmax(0, 1fr);
        gap: var(--space-2);
        width: 100%;
        padding: var(--space-1) var(--space-2);
        border: 1px solid transparent;
        border-radius: var(--radius-s);
        background: none;
        color: var(--color-ink);
        font: inherit;
        text-align: start;
        cursor: pointer;
      }
      button.line:hover {
        border-color: var(--color-brand);
      }
      button.line[aria-current='true'] {
        border: 2px solid var(--color-brand);
        background: var(--color-brand-soft);
        font-weight: 600;
      }
      .time {
        font-variant-numeric: tabular-nums;
        color: var(--color-link);
        font-weight: 700;
      }
      .text {
        white-space: pre-line;
        overflow-wrap: anywhere;
      }
      .empty {
        color: var(--color-ink-muted);
      }
    `,
  ];

  @property({ attribute: false }) lines: readonly TranscriptLine[] = [];
  /** Index of the line being said; -1 when none. */
  @property({ type: Number }) current = -1;
  @property({ attribute: false }) languages: readonly string[] = [];
  @property() language: string | null = null;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private query = '';

  @query('ol') private list!: HTMLOListElement | null;

  override updated(changed: PropertyValues<this>): void {
    if (changed.has('current') || changed.has('lines')) this.#follow();
  }

  /** Keeps the line being said in view inside the list, without moving the page. */
  #follow(): void {
    const list = this.list;
    const line = list?.querySelector<HTMLElement>('[aria-current="true"]');
    if (!list || !line) return;
    const top = line.offsetTop - list.offsetTop;
    if (top < list.scrollTop || top + line.offsetHeight > list.scrollTop + list.clientHeight) {
      list.scrollTop = Math.max(0, top - list.clientHeight / 3);
    }
  }

  override render() {
    const { t } = this.i18n;
    if (this.lines.length === 0) return nothing;
    const found = searchTranscript(this.lines, this.query);
    const searching = this.query.trim() !== '';
    return html`<section aria-labelledby="transcript-title">
      <h2 id="transcript-title">${t('viewerClock.transcript.title')}</h2>
      <p class="hint">${t('viewerClock.transcript.hint')}</p>
      <div class="tools">
        <label
          >${t('viewerClock.transcript.search')}
          <input
            type="search"
            .value=${this.query}
            @input=${(e: InputEvent) => (this.query = (e.target as HTMLInputElement).value)}
        /></label>
        ${this.languages.length > 1
          ? html`<div>
              <label for="transcript-lang">${t('viewerClock.transcript.language')}</label>
              <select
                id="transcript-lang"
                @change=${(e: Event) => this.dispatchEvent(new TranscriptLanguageEvent((e.target as HTMLSelectElement).value))}
              >
                ${this.languages.map(
                  (l) => html`<option value=${l} ?selected=${l === this.language}>${this.i18n.languageName(l)}</option>`,
                )}
              </select>
            </div>`
          : nothing}
      </div>
      <p class="visually-hidden" role="status">${searching ? this.i18n.plural('viewerClock.transcript.found', found.length) : ''}</p>
      ${found.length === 0
        ? html`<p class="empty">${t('viewerClock.transcript.none')}</p>`
        : html`<ol aria-labelledby="transcript-title" lang=${this.language ?? nothing}>
            ${found.map((i) => {
              const line = this.lines[i]!;
              return html`<li>
                <button
                  type="button"
                  class="line"
                  aria-current=${i === this.current ? 'true' : 'false'}
                  @click=${() => this.dispatchEvent(new ReplaySeekEvent(line.start))}
                >
                  <span class="time">${formatPosition(line.start)}</span><span class="text">${line.text}</span>
                </button>
              </li>`;
            })}
          </ol>`}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-replay-transcript': ParvisReplayTranscript;
  }
}
