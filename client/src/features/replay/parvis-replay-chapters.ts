import { consume } from '@lit/context';
import type { Chapter } from '#shared/domain/chapters';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { i18nContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import { formatPosition, questionHref } from './deep-link';

/** The viewer picked a chapter: the replay should go to `seconds`. */
export class ReplaySeekEvent extends Event {
  static readonly eventName = 'parvis-replay-seek';
  constructor(readonly seconds: number) {
    super(ReplaySeekEvent.eventName, { bubbles: true, composed: true });
  }
}

/** The viewer asked for a link to the moment the video is at. */
export class ReplayCopyLinkEvent extends Event {
  static readonly eventName = 'parvis-replay-copy-link';
  constructor() {
    super(ReplayCopyLinkEvent.eventName, { bubbles: true, composed: true });
  }
}

/**
 * Under the replay: "copy a link to this moment", and the chapters, one per question that went on air, the one
 * playing marked. Each chapter is a link to its question's moment (`?q=`), so it can be opened elsewhere or copied; a
 * plain click or Enter moves this page's video there instead.
 * @fires parvis-replay-seek - a chapter was chosen ({@link ReplaySeekEvent})
 * @fires parvis-replay-copy-link - on "copy a link to this moment"
 */
@customElement('parvis-replay-chapters')
export class ParvisReplayChapters extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: grid;
        gap: var(--space-3);
      }
      .share {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--space-2) var(--space-3);
      }
      .share p {
        margin: 0;
        overflow-wrap: anywhere;
      }
      nav {
        display: grid;
        gap: var(--space-2);
      }
      h2 {
        font-size: 1.25rem;
      }
      ol {
        display: grid;
        gap: var(--space-1);
        margin: 0;
        padding: 0;
        list-style: none;
      }
      a {
        display: grid;
        grid-template-columns: 4rem minmax(0, 1fr);
        gap: var(--space-2);
        align-items: baseline;
        padding: var(--space-2) var(--space-3);
        border-radius: var(--radius-s);
        border: 1px solid var(--color-line);
        background: var(--color-surface);
        color: var(--color-ink);
        text-decoration: none;
      }
      a:hover {
        border-color: var(--color-brand);
      }
      a[aria-current='true'] {
        border: 2px solid var(--color-brand);
        border-left-width: 8px;
        background: var(--color-brand-soft);
        font-weight: 600;
      }
      .start {
        font-variant-numeric: tabular-nums;
        color: var(--color-link);
        font-weight: 700;
      }
      .title {
        overflow-wrap: anywhere;
      }
    `,
  ];

  @property() eventId = '';
  @property({ attribute: false }) chapters: readonly Chapter[] = [];
  /** Index of the chapter playing; -1 before the first. */
  @property({ type: Number }) current = -1;
  /** What became of the last "copy a link": the link, and whether it reached the clipboard. */
  @property({ attribute: false }) copied: { url: string; ok: boolean } | null = null;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  #choose(event: MouseEvent, chapter: Chapter): void {
    // A click that opens the link elsewhere (new tab, window) keeps the browser's behaviour.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    this.dispatchEvent(new ReplaySeekEvent(chapter.start));
  }

  override render() {
    const { t } = this.i18n;
    return html`
      <div class="share">
        <button type="button" class="btn btn-small btn-secondary" @click=${() => this.dispatchEvent(new ReplayCopyLinkEvent())}>
          ${t('replay.copyLink')}
        </button>
        <p role="status">
          ${this.copied ? t(this.copied.ok ? 'replay.copied' : 'replay.copyFailed', { url: this.copied.url }) : nothing}
        </p>
      </div>
      ${this.chapters.length > 0
        ? html`<nav aria-labelledby="chapters-title">
            <h2 id="chapters-title">${t('replay.chapters')}</h2>
            <p class="hint">${t('replay.chaptersHint')}</p>
            <ol>
              ${this.chapters.map(
                (chapter, i) =>
                  html`<li>
                    <a
                      href=${questionHref(this.eventId, chapter.questionId)}
                      aria-current=${i === this.current ? 'true' : 'false'}
                      @click=${(e: MouseEvent) => this.#choose(e, chapter)}
                      ><span class="start">${formatPosition(chapter.start)}</span><span class="title">${chapter.title}</span></a
                    >
                  </li>`,
              )}
            </ol>
          </nav>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-replay-chapters': ParvisReplayChapters;
  }
}
