import { consume } from '@lit/context';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { i18nContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import { roomPanelStyles } from '../event-room/room-panel-styles';
import type { Translator } from '../../i18n/i18n';
import { formatPosition } from './deep-link';
import type { ReplayEntry, ReplayMoment } from './replay-timeline';

/** Within this many pixels of the end, the reader counts as "at the bottom" and the log follows the video. */
const STICK_THRESHOLD_PX = 32;

/**
 * The live's chat and Q&A at the replay's current moment: the question on air then, and the messages written up to
 * then (polls opening and closing among them). Only displays: the replay page feeds it the moment as the video plays.
 *
 * The log is not a live region, unlike the live chat: playing and seeking rewrite it many times a minute, and a
 * screen reader would read all of it over the talk. The question on air is one, since it changes rarely and is what
 * the speaker is answering.
 */
@customElement('parvis-replay-chat')
export class ParvisReplayChat extends LitElement {
  static override styles = [
    baseStyles,
    roomPanelStyles,
    css`
      section {
        display: flex;
        flex-direction: column;
        overflow: hidden;
      }
      .on-air {
        display: grid;
        gap: var(--space-1);
        padding: var(--space-3);
        border: 2px solid var(--color-live);
        border-left-width: 8px;
        border-radius: var(--radius-s);
        background: var(--color-error-bg);
      }
      .on-air.none {
        border: 1px dashed var(--color-line-strong);
        background: none;
        color: var(--color-ink-muted);
      }
      .on-air-label {
        font-size: 0.875rem;
        font-weight: 700;
        text-transform: uppercase;
        letter-spacing: 0.05em;
        color: var(--color-live);
      }
      .on-air p {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .asker {
        font-size: 0.875rem;
        color: var(--color-ink-muted);
      }
      .log {
        flex: 1;
        min-height: 12rem;
        overflow-y: auto;
        overscroll-behavior: contain;
        padding: var(--space-2) var(--space-3);
        background: var(--color-surface);
        border: 1px solid var(--color-line);
        border-radius: var(--radius-m);
      }
      ol {
        display: grid;
        gap: var(--space-2);
        margin: 0;
        padding: 0;
        list-style: none;
      }
      li {
        padding: var(--space-1) var(--space-2);
      }
      .meta {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: 0 var(--space-2);
        font-size: 0.875rem;
      }
      .author {
        font-weight: 700;
      }
      .at {
        color: var(--color-ink-muted);
        font-variant-numeric: tabular-nums;
      }
      .text {
        margin: 0;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      li.poll {
        border-left: 4px solid var(--color-brand);
        background: var(--color-brand-soft);
        border-radius: var(--radius-s);
      }
      .results {
        margin: var(--space-1) 0 0;
        padding-left: 1.25rem;
      }
      .empty,
      .earlier {
        padding: var(--space-3) var(--space-2);
        color: var(--color-ink-muted);
        text-align: center;
      }
    `,
  ];

  /** The live at the video's current moment; null before the timeline has loaded. */
  @property({ attribute: false }) moment: ReplayMoment | null = null;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @query('.log') private log!: HTMLElement | null;

  #stick = true;

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('moment') && this.log) {
      const log = this.log;
      this.#stick = log.scrollHeight - log.scrollTop - log.clientHeight <= STICK_THRESHOLD_PX;
    }
  }

  override updated(changed: PropertyValues<this>): void {
    const previous = changed.get('moment') as ReplayMoment | null | undefined;
    if (!changed.has('moment') || !this.log) return;
    // A seek rewrites the whole log: show its end, where the video is. Playing on follows only a reader at the end.
    const rewritten = !previous || this.moment?.entries[0] !== previous.entries[0] || (this.moment?.total ?? 0) < previous.total;
    if (this.#stick || rewritten) this.log.scrollTop = this.log.scrollHeight;
  }

  override render() {
    const { t } = this.i18n;
    const moment = this.moment;
    const onAir = moment?.onAir ?? null;
    const entries = moment?.entries ?? [];
    const earlier = (moment?.total ?? 0) - entries.length;
    return html`<section aria-labelledby="replay-chat-title">
      <h2 id="replay-chat-title">${t('qa.tabChat')}</h2>
      <p class="hint">${t('replay.chatHint')}</p>
      <div class="on-air ${onAir ? '' : 'none'}" aria-live="polite">
        ${onAir
          ? html`<span class="on-air-label">${t('replay.onAir')}</span>
              <p>${onAir.text}</p>
              <span class="asker">${onAir.author ? t('replay.askedBy', { name: onAir.author }) : t('replay.askedAnonymously')}</span>`
          : html`<p>${t('replay.noneOnAir')}</p>`}
      </div>
      <div class="log" role="region" aria-label=${t('replay.chatLabel')} tabindex="0">
        ${earlier > 0 ? html`<p class="earlier">${this.i18n.plural('replay.earlier', earlier)}</p>` : nothing}
        ${entries.length === 0
          ? html`<p class="empty">${t('replay.chatEmpty')}</p>`
          : html`<ol>
              ${repeat(entries, (e) => (e.type === 'chat' ? e.messageId : `${e.type}:${e.pollId}`), (e) => this.#renderEntry(e))}
            </ol>`}
      </div>
    </section>`;
  }

  #renderEntry(e: ReplayEntry) {
    const { t } = this.i18n;
    const position = formatPosition(e.offset);
    const at = html`<span class="at"
      ><span aria-hidden="true">${position}</span><span class="visually-hidden">${t('replay.atVideo', { time: position })}</span></span
    >`;
    switch (e.type) {
      case 'chat':
        return html`<li>
          <p class="meta"><span class="author">${e.author.displayName}</span>${at}</p>
          <p class="text">${e.text}</p>
        </li>`;
      case 'poll-open':
        return html`<li class="poll">
          <p class="meta">${at}</p>
          <p class="text">${t('replay.pollOpened', { question: e.question })}</p>
        </li>`;
      case 'poll-close':
        return html`<li class="poll">
          <p class="meta">${at}</p>
          <p class="text">${t('replay.pollClosed', { question: e.question })}</p>
          <ul class="results">
            ${e.options.map(
              (o) => html`<li>${t('replay.pollOption', { option: o.label, votes: this.i18n.plural('replay.pollVotes', o.votes) })}</li>`,
            )}
          </ul>
        </li>`;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-replay-chat': ParvisReplayChat;
  }
}
