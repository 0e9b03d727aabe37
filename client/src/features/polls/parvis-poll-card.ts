import { consume } from '@lit/context';
import type { Poll } from '#shared/domain/poll';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { i18nContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import { hasVoted } from './poll-results';
import './parvis-poll-results';

/** The person votes in a poll with these options. */
export class PollVoteEvent extends Event {
  static readonly eventName = 'parvis-poll-vote';
  constructor(
    readonly pollId: string,
    readonly optionIds: readonly string[],
  ) {
    super(PollVoteEvent.eventName, { bubbles: true, composed: true });
  }
}

/**
 * One poll for the audience. Open and not voted yet: its question as the legend of a group of radio buttons (one
 * choice) or checkboxes (several), and a Vote button. Voted, or closed: the results (or when they will show).
 * @fires parvis-poll-vote - on Vote, with at least one option chosen
 */
@customElement('parvis-poll-card')
export class ParvisPollCard extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      article {
        display: grid;
        gap: var(--space-3);
        padding: var(--space-3) var(--space-4);
        background: var(--color-surface);
        border: 1px solid var(--color-line);
        border-radius: var(--radius-m);
      }
      article.open {
        border: 2px solid var(--color-brand);
      }
      h4 {
        margin: 0;
      }
      h4,
      legend {
        font-family: var(--font-display);
        font-size: 1.125rem;
        font-weight: 700;
        line-height: 1.3;
        color: var(--color-ink);
        overflow-wrap: anywhere;
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        justify-content: space-between;
        gap: var(--space-1) var(--space-2);
      }
      form {
        display: grid;
        gap: var(--space-3);
      }
      fieldset {
        display: grid;
        gap: var(--space-2);
        margin: 0;
        padding: 0;
        border: 0;
        min-width: 0;
      }
      legend {
        padding: 0;
        margin-bottom: var(--space-1);
      }
      .option {
        display: flex;
        align-items: center;
        gap: var(--space-2);
        min-height: 2.75rem;
        padding: var(--space-1) var(--space-3);
        border: 1px solid var(--color-line-strong);
        border-radius: var(--radius-s);
        cursor: pointer;
        overflow-wrap: anywhere;
      }
      .option:has(input:checked) {
        border-color: var(--color-brand);
        background: var(--color-brand-soft);
      }
      .option input {
        flex: none;
        width: 1.25rem;
        height: 1.25rem;
        margin: 0;
        accent-color: var(--color-brand);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--space-2) var(--space-3);
      }
      .error {
        color: var(--color-error-ink);
        font-weight: 600;
      }
      .done {
        color: var(--color-ok);
        font-weight: 600;
      }
    `,
  ];

  @property({ attribute: false }) poll!: Poll;
  /** The vote is on its way. */
  @property({ type: Boolean }) busy = false;
  /** Why the last vote failed, already in words. */
  @property() error = '';

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private chosen: readonly string[] = [];
  @state() private localError = '';

  override willUpdate(changed: PropertyValues<this>): void {
    // A different poll in this card: start afresh.
    const before = changed.get('poll') as Poll | undefined;
    if (changed.has('poll') && before && before.id !== this.poll.id) {
      this.chosen = [];
      this.localError = '';
    }
  }

  /** Focuses the first option (or the question, when the poll takes no vote from here). */
  override focus(options?: FocusOptions): void {
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLElement>('input, #poll-question')?.focus(options),
    );
  }

  /** Moves focus to the poll's question: after a vote, the form the focus was in gives way to the results. */
  focusQuestion(): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#poll-question')?.focus());
  }

  #onChange(event: Event): void {
    const input = event.target as HTMLInputElement;
    if (this.poll.multiple) {
      this.chosen = input.checked ? [...new Set([...this.chosen, input.value])] : this.chosen.filter((id) => id !== input.value);
    } else if (input.checked) {
      this.chosen = [input.value];
    }
    this.localError = '';
  }

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    if (this.busy) return;
    // Keep the options' order, whatever order they were ticked in.
    const optionIds = this.poll.options.map((o) => o.id).filter((id) => this.chosen.includes(id));
    if (optionIds.length === 0) {
      this.localError = this.i18n.t('room.poll.chooseOne');
      return;
    }
    this.dispatchEvent(new PollVoteEvent(this.poll.id, optionIds));
  }

  override render() {
    const poll = this.poll;
    const open = poll.state === 'open';
    return html`<article class=${open ? 'open' : ''} aria-labelledby="poll-question">
      ${open && !hasVoted(poll) ? this.#renderForm(poll) : this.#renderOutcome(poll)}
    </article>`;
  }

  #renderForm(poll: Poll) {
    const { t } = this.i18n;
    const error = this.localError || this.error;
    const type = poll.multiple ? 'checkbox' : 'radio';
    return html`<form @submit=${this.#onSubmit} novalidate>
      <fieldset aria-describedby="poll-hint" @change=${this.#onChange}>
        <legend id="poll-question">${poll.question}</legend>
        <p id="poll-hint" class="hint">${poll.multiple ? t('room.poll.multiple') : t('room.poll.single')}</p>
        ${poll.options.map(
          (option) => html`<label class="option">
            <input type=${type} name="choice" value=${option.id} .checked=${this.chosen.includes(option.id)} />
            <span>${option.text}</span>
          </label>`,
        )}
      </fieldset>
      <div class="actions">
        <button type="submit" class="btn" aria-disabled=${this.busy ? 'true' : 'false'}>${t('room.poll.vote')}</button>
        ${poll.results === 'after-close' ? html`<p class="hint">${t('room.poll.hidden')}</p>` : nothing}
      </div>
      ${error ? html`<p class="error" role="alert">${error}</p>` : nothing}
    </form>`;
  }

  #renderOutcome(poll: Poll) {
    const { t } = this.i18n;
    return html`<div class="head">
        <h4 id="poll-question" tabindex="-1">${poll.question}</h4>
        ${poll.state === 'closed' ? html`<span class="badge">${t('room.poll.closedBadge')}</span>` : nothing}
      </div>
      ${poll.state === 'open' && hasVoted(poll) ? html`<p class="done">${t('room.poll.voted')}</p>` : nothing}
      <parvis-poll-results .poll=${poll}></parvis-poll-results>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-poll-card': ParvisPollCard;
  }
  interface HTMLElementEventMap {
    'parvis-poll-vote': PollVoteEvent;
  }
}
