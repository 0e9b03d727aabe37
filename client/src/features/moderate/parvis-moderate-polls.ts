import { consume } from '@lit/context';
import { POLL_MAX_OPTIONS, POLL_MIN_OPTIONS, POLL_OPTION_MAX_LENGTH, POLL_QUESTION_MAX_LENGTH } from '#shared/domain/limits';
import type { Poll } from '#shared/domain/poll';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import { i18nContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import type { EventRoom } from '../event-room/event-room';
import { actionFailedText } from '../../i18n/error-text';
import { checkPollDraft, emptyPollDraft, pollShares, type FieldProblem, type PollDraft } from './forms';
import { LatestById } from './latest';
import { panelStyles } from './moderate-styles';
import { excerpt } from './queues';

const STATE_ORDER: Record<Poll['state'], number> = { open: 0, draft: 1, closed: 2 };

/**
 * The polls of the event: a form to prepare one (a draft), and each poll with its live counts and the buttons to
 * open, close or delete it. Requests go through the room; acks show at once and `polls:updated` keeps counts live.
 */
@customElement('parvis-moderate-polls')
export class ParvisModeratePolls extends LitElement {
  static override styles = [
    baseStyles,
    panelStyles,
    css`
      form {
        display: grid;
        gap: var(--space-3);
      }
      .option-row {
        display: flex;
        align-items: end;
        gap: var(--space-2);
      }
      .option-row .field {
        flex: 1;
      }
      .state {
        font-weight: 700;
      }
      .state.open {
        color: var(--color-live);
      }
      .results {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--space-1);
      }
      .result {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        gap: 0 var(--space-2);
      }
      .bar {
        grid-column: 1 / -1;
        height: 0.5rem;
        border-radius: 999px;
        background: var(--color-line);
        overflow: hidden;
      }
      .bar span {
        display: block;
        height: 100%;
        background: var(--color-brand);
      }
      .count {
        font-variant-numeric: tabular-nums;
        color: var(--color-ink-muted);
      }
      .sub {
        display: grid;
        gap: var(--space-2);
        padding-top: var(--space-2);
        border-top: 1px solid var(--color-line);
      }
    `,
  ];

  @property({ attribute: false }) room: EventRoom | null = null;
  @property({ attribute: false }) polls: readonly Poll[] = [];

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private draft: PollDraft = emptyPollDraft();
  @state() private problems: Record<string, FieldProblem> = {};
  @state() private creating = false;
  @state() private busy: ReadonlySet<string> = new Set();
  @state() private error = '';
  @state() private message = '';

  readonly #polls = new LatestById<Poll>((p) => p.id);

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('polls')) this.#polls.sync(this.polls);
  }

  #setDraft(patch: Partial<PollDraft>): void {
    this.draft = { ...this.draft, ...patch };
  }

  #setOption(index: number, text: string): void {
    const options = [...this.draft.options];
    options[index] = text;
    this.#setDraft({ options });
  }

  #addOption(): void {
    if (this.draft.options.length >= POLL_MAX_OPTIONS) return;
    const index = this.draft.options.length;
    this.#setDraft({ options: [...this.draft.options, ''] });
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>(`#poll-option-${index}`)?.focus());
  }

  #removeOption(index: number): void {
    if (this.draft.options.length <= POLL_MIN_OPTIONS) return;
    this.#setDraft({ options: this.draft.options.filter((_, i) => i !== index) });
    const next = Math.min(index, this.draft.options.length - 2);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>(`#poll-option-${next}`)?.focus());
  }

  async #create(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const room = this.room;
    if (!room || this.creating) return;
    const { t } = this.i18n;
    const check = checkPollDraft(this.draft);
    this.problems = check.problems;
    if (!check.ready) {
      const first = Object.keys(check.problems)[0];
      const id = first === 'question' ? 'poll-question' : first?.startsWith('option.') ? `poll-option-${first.slice(7)}` : 'poll-option-0';
      this.renderRoot.querySelector<HTMLElement>(`#${id}`)?.focus();
      return;
    }
    this.creating = true;
    this.error = '';
    this.message = '';
    const ack = await room.request('poll:create', { eventId: room.eventId, ...check.ready });
    this.creating = false;
    if (!ack.ok) {
      this.error = actionFailedText(this.i18n, t('mod.poll.create'), ack.error);
      return;
    }
    this.#polls.put(ack.data.poll);
    this.draft = emptyPollDraft();
    this.problems = {};
    this.message = t('mod.poll.created');
  }

  async #control(poll: Poll, action: 'open' | 'close' | 'delete'): Promise<void> {
    const room = this.room;
    if (!room || this.busy.has(poll.id)) return;
    const { t } = this.i18n;
    const label = t(action === 'open' ? 'mod.poll.open' : action === 'close' ? 'mod.poll.close' : 'mod.poll.delete');
    this.busy = new Set([...this.busy, poll.id]);
    this.error = '';
    this.message = '';
    const ack = await room.request('poll:control', { eventId: room.eventId, pollId: poll.id, action });
    const busy = new Set(this.busy);
    busy.delete(poll.id);
    this.busy = busy;
    if (!ack.ok) {
      this.error = actionFailedText(this.i18n, label, ack.error);
      return;
    }
    if (ack.data.poll) this.#polls.put(ack.data.poll);
    else this.#polls.remove(poll.id);
    this.message = t('mod.done', { action: label });
    this.requestUpdate();
  }

  override render() {
    const { t } = this.i18n;
    const polls = this.#polls.values.sort(
      (a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || b.createdAt.localeCompare(a.createdAt),
    );
    return html`
      <section class="panel" aria-labelledby="polls-title">
        <h2 id="polls-title">${t('mod.polls.title')}</h2>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <p class="done" role="status">${this.message}</p>
        ${polls.length === 0
          ? html`<p class="empty">${t('mod.polls.empty')}</p>`
          : html`<ul class="items">
              ${repeat(polls, (p) => p.id, (p) => this.#renderPoll(p))}
            </ul>`}
        <div class="sub">${this.#renderForm()}</div>
      </section>
    `;
  }

  #problem(key: string) {
    const p = this.problems[key];
    return p ? this.i18n.t(p.key, p.params) : '';
  }

  #renderForm() {
    const { t } = this.i18n;
    const d = this.draft;
    const questionError = this.#problem('question');
    const optionsError = this.#problem('options');
    return html`<form @submit=${this.#create} aria-labelledby="poll-new-title" novalidate>
      <h3 id="poll-new-title">${t('mod.poll.newTitle')}</h3>
      <div class="field">
        <label for="poll-question">${t('mod.poll.question')}</label>
        <input
          id="poll-question"
          type="text"
          maxlength=${POLL_QUESTION_MAX_LENGTH}
          aria-invalid=${questionError ? 'true' : 'false'}
          aria-describedby=${questionError ? 'poll-question-error' : nothing}
          .value=${d.question}
          @input=${(e: Event) => this.#setDraft({ question: (e.target as HTMLInputElement).value })}
        />
        ${questionError ? html`<p class="field-error" id="poll-question-error">${questionError}</p>` : nothing}
      </div>
      <fieldset aria-describedby=${optionsError ? 'poll-options-error' : nothing}>
        <legend>${t('mod.poll.options', { min: POLL_MIN_OPTIONS, max: POLL_MAX_OPTIONS })}</legend>
        ${d.options.map((option, i) => {
          const error = this.#problem(`option.${i}`);
          return html`<div class="option-row">
            <div class="field">
              <label for="poll-option-${i}">${t('mod.poll.option', { n: i + 1 })}</label>
              <input
                id="poll-option-${i}"
                type="text"
                maxlength=${POLL_OPTION_MAX_LENGTH}
                aria-invalid=${error ? 'true' : 'false'}
                aria-describedby=${error ? `poll-option-${i}-error` : nothing}
                .value=${option}
                @input=${(e: Event) => this.#setOption(i, (e.target as HTMLInputElement).value)}
              />
              ${error ? html`<p class="field-error" id="poll-option-${i}-error">${error}</p>` : nothing}
            </div>
            ${d.options.length > POLL_MIN_OPTIONS
              ? html`<button type="button" class="btn btn-secondary btn-small" @click=${() => this.#removeOption(i)}>
                  <span aria-hidden="true">✕</span><span class="visually-hidden">${t('mod.poll.removeOption', { n: i + 1 })}</span>
                </button>`
              : nothing}
          </div>`;
        })}
        ${optionsError ? html`<p class="field-error" id="poll-options-error">${optionsError}</p>` : nothing}
        ${d.options.length < POLL_MAX_OPTIONS
          ? html`<div class="actions">
              <button type="button" class="btn btn-secondary btn-small" @click=${() => this.#addOption()}>${t('mod.poll.addOption')}</button>
            </div>`
          : nothing}
      </fieldset>
      <label class="check">
        <input type="checkbox" .checked=${d.multiple} @change=${(e: Event) => this.#setDraft({ multiple: (e.target as HTMLInputElement).checked })} />
        <span>${t('mod.poll.multiple')}</span>
      </label>
      <fieldset>
        <legend>${t('mod.poll.results')}</legend>
        <label class="check">
          <input type="radio" name="poll-results" value="live" .checked=${d.results === 'live'} @change=${() => this.#setDraft({ results: 'live' })} />
          <span>${t('mod.poll.resultsLive')}</span>
        </label>
        <label class="check">
          <input
            type="radio"
            name="poll-results"
            value="after-close"
            .checked=${d.results === 'after-close'}
            @change=${() => this.#setDraft({ results: 'after-close' })}
          />
          <span>${t('mod.poll.resultsAfter')}</span>
        </label>
      </fieldset>
      <div class="actions">
        <button type="submit" class="btn" aria-disabled=${this.creating ? 'true' : 'false'}>${t('mod.poll.create')}</button>
        ${this.creating ? html`<span class="working" role="status">${t('mod.working')}</span>` : nothing}
      </div>
    </form>`;
  }

  #renderPoll(p: Poll) {
    const { t } = this.i18n;
    const busy = this.busy.has(p.id);
    const shares = pollShares(p.counts, p.voters);
    const text = excerpt(p.question);
    const control = (action: 'open' | 'close' | 'delete', label: string, named: string, cls: string) =>
      html`<button
        type="button"
        class="btn btn-small ${cls}"
        aria-label=${named}
        aria-disabled=${busy ? 'true' : 'false'}
        @click=${() => void this.#control(p, action)}
      >
        ${label}
      </button>`;
    return html`<li class="item" aria-busy=${busy ? 'true' : 'false'}>
      <p class="text"><strong>${p.question}</strong></p>
      <p class="meta">
        <span class="state ${p.state}">${t(`mod.poll.state.${p.state}`)}</span>
        <span>${p.multiple ? t('mod.poll.multipleShort') : t('mod.poll.single')}</span>
        ${p.results === 'after-close' && p.state !== 'closed' ? html`<span>${t('mod.poll.hiddenUntilClose')}</span>` : nothing}
        ${p.voters !== null ? html`<span>${this.i18n.plural('mod.poll.voters', p.voters)}</span>` : nothing}
      </p>
      <ul class="results">
        ${p.options.map((o, i) => {
          const count = p.counts?.[i] ?? null;
          const share = shares?.[i] ?? null;
          return html`<li class="result">
            <span>${o.text}</span>
            <span class="count"
              >${count !== null && share !== null
                ? t('mod.poll.share', { votes: this.i18n.plural('qa.votes', count), percent: share })
                : ''}</span
            >
            ${p.state !== 'draft' && share !== null
              ? html`<span class="bar" aria-hidden="true"><span style=${styleMap({ width: `${share}%` })}></span></span>`
              : nothing}
          </li>`;
        })}
      </ul>
      <div class="actions">
        ${p.state === 'draft'
          ? html`${control('open', t('mod.poll.open'), t('mod.poll.openNamed', { text }), '')}
            ${control('delete', t('mod.poll.delete'), t('mod.poll.deleteNamed', { text }), 'btn-secondary')}`
          : nothing}
        ${p.state === 'open' ? control('close', t('mod.poll.close'), t('mod.poll.closeNamed', { text }), '') : nothing}
      </div>
      ${busy ? html`<p class="working" role="status">${t('mod.working')}</p>` : nothing}
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-moderate-polls': ParvisModeratePolls;
  }
}
