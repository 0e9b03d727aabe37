import { consume } from '@lit/context';
import type { Event } from '#shared/domain/event';
import { QUESTION_MAX_LENGTH } from '#shared/domain/limits';
import type { Question } from '#shared/domain/question';
import { VOTABLE_STATES } from '#shared/domain/question-transitions';
import { closedBecause, isClosedToWriting } from '#shared/domain/writing';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { i18nContext, sessionContext, type SessionContextValue } from '../../app/contexts';
import { GuestSignInController } from '../../app/guest-sign-in-controller';
import { baseStyles } from '../../app/shared-styles';
import { roomPanelStyles } from '../event-room/room-panel-styles';
import { errorText } from '../../i18n/error-text';
import type { Translator } from '../../i18n/i18n';
import { newClientId } from '../chat/client-id';
import type { GuestNameSubmitEvent } from '../chat/parvis-guest-form';
import '../chat/parvis-guest-form';
import type { EventRoom, RoomState } from '../event-room/event-room';
import { sortQuestions, type QuestionSort } from './question-order';

const SORTS: readonly QuestionSort[] = ['votes', 'time'];

const byRecent = (a: Question, b: Question): number => b.createdAt.localeCompare(a.createdAt);

/**
 * The audience's questions of an event room: the question being answered, the approved ones to vote for, the
 * answered ones, the person's own questions with what became of each, and the form to ask. It asks and votes
 * through the room it is given; the room's state comes down as a property.
 */
@customElement('parvis-qa-panel')
export class ParvisQaPanel extends LitElement {
  static override styles = [
    baseStyles,
    roomPanelStyles,
    css`
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--space-2);
      }
      .question {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        gap: var(--space-1) var(--space-3);
        align-items: start;
        padding: var(--space-3);
        background: var(--color-surface);
        border: 1px solid var(--color-line);
        border-radius: var(--radius-s);
      }
      .question p {
        margin: 0;
        overflow-wrap: anywhere;
        white-space: pre-line;
      }
      .meta {
        font-size: 0.875rem;
        color: var(--color-ink-muted);
      }
      .live {
        display: grid;
        gap: var(--space-2);
        padding: var(--space-3);
        border: 2px solid var(--color-live);
        border-left-width: 8px;
        border-radius: var(--radius-m, var(--radius-s));
        background: var(--color-error-bg);
      }
      .live h3 {
        display: flex;
        align-items: center;
        gap: var(--space-2);
        font-family: var(--font-body);
        font-size: 0.9375rem;
        text-transform: uppercase;
        letter-spacing: 0.05em;
        color: var(--color-live);
      }
      .live h3::before {
        content: '';
        flex: none;
        width: 0.65em;
        height: 0.65em;
        border-radius: 50%;
        background: currentColor;
      }
      .live .question {
        border: 0;
        padding: 0;
        background: transparent;
        font-size: 1.125rem;
        font-weight: 600;
      }
      .list-head {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: var(--space-2);
      }
      .sort {
        display: flex;
        gap: var(--space-1);
      }
      .vote {
        display: grid;
        justify-items: center;
        gap: var(--space-1);
      }
      .sort button[aria-pressed='true'],
      .vote button[aria-pressed='true'] {
        background: var(--color-brand);
        color: var(--color-brand-ink);
      }
      .state {
        font-weight: 600;
      }
      .empty {
        color: var(--color-ink-muted);
      }
      form {
        display: grid;
        gap: var(--space-2);
      }
      textarea {
        min-height: 4.5rem;
        resize: vertical;
      }
      .check {
        display: flex;
        align-items: center;
        gap: var(--space-2);
      }
      .check input {
        width: auto;
      }
      .error {
        color: var(--color-error-ink);
        font-weight: 600;
      }
      details summary {
        cursor: pointer;
        font-weight: 600;
      }
      details ul {
        margin-top: var(--space-2);
      }
    `,
  ];

  @property({ attribute: false }) event: Event | null = null;
  /** The live room the questions belong to; null until it exists. */
  @property({ attribute: false }) room: EventRoom | null = null;
  @property({ attribute: false }) state: RoomState | null = null;
  /** Shown under a tab of the same name, which already says what it is (the heading is then for screen readers). */
  @property({ type: Boolean, reflect: true }) tabbed = false;
  /** `room` on the auditorium's phone page: the questions asked here are marked as coming from the room. */
  @property() origin: 'room' | null = null;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session!: SessionContextValue;

  /** How the approved questions are ordered; kept while the panel lives (switching tabs only hides it). */
  @state() private sort: QuestionSort = 'votes';
  @state() private draft = '';
  @state() private anonymous = false;
  @state() private asking = false;
  @state() private askError = '';
  @state() private askMessage = '';
  @state() private voteError = '';
  @state() private voting: ReadonlySet<string> = new Set();

  /** The idempotency key of the question being sent: reused as long as the same text is retried. */
  #pending: { text: string; anonymous: boolean; clientId: string } | null = null;

  readonly #guest = new GuestSignInController(this, {
    session: () => this.session,
    i18n: () => this.i18n,
    eventId: () => this.event?.id,
  });

  async #onGuestSubmit(event: GuestNameSubmitEvent): Promise<void> {
    event.stopPropagation();
    if (!(await this.#guest.signIn(event.displayName))) return;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLTextAreaElement>('#qa-text')?.focus();
  }

  async #onAsk(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const room = this.room;
    if (!room || this.asking) return;
    const { t } = this.i18n;
    const text = this.draft.trim();
    this.askMessage = '';
    if (text === '') {
      this.askError = t('qa.askEmpty');
      return;
    }
    if (text.length > QUESTION_MAX_LENGTH) {
      this.askError = t('qa.tooLong', { max: QUESTION_MAX_LENGTH });
      return;
    }
    const anonymous = this.anonymous;
    if (this.#pending?.text !== text || this.#pending.anonymous !== anonymous) {
      this.#pending = { text, anonymous, clientId: newClientId() };
    }
    const { clientId } = this.#pending;
    this.asking = true;
    this.askError = '';
    const ack = await room.askQuestion(text, anonymous, clientId, this.origin ?? undefined);
    this.asking = false;
    if (ack.ok) {
      if (this.draft.trim() === text) this.draft = '';
      if (this.#pending?.clientId === clientId) this.#pending = null;
      this.askMessage = t('qa.asked');
      return;
    }
    this.askError = errorText(this.i18n, ack.error, 'question');
    if (this.#guest.signedOutBy(ack.error)) this.askError = '';
  }

  /** Enter asks, as in the chat; Shift+Enter is a new line, and Enter that confirms an IME composition is neither. */
  #onAskKey(event: KeyboardEvent): void {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    (event.currentTarget as HTMLTextAreaElement).form?.requestSubmit();
  }

  async #onVote(question: Question): Promise<void> {
    const room = this.room;
    if (!room || this.voting.has(question.id)) return;
    this.voting = new Set([...this.voting, question.id]);
    this.voteError = '';
    const ack = await room.vote(question.id, !question.voted);
    const next = new Set(this.voting);
    next.delete(question.id);
    this.voting = next;
    if (!ack.ok) this.voteError = errorText(this.i18n, ack.error, 'vote');
  }

  #isMine(question: Question): boolean {
    const selfId = this.session.session?.user.id;
    return (selfId !== undefined && question.author?.id === selfId) || (this.state?.askedIds.includes(question.id) ?? false);
  }

  /** Ended or cancelled: the server takes no more questions or votes, and nothing is being answered any more. */
  get #closed(): boolean {
    return this.event ? isClosedToWriting(this.event.status) : false;
  }

  #stateText(question: Question): string {
    const { t } = this.i18n;
    // The question on air when the event ended was the last one answered.
    if (question.state === 'live' && this.#closed) return t('qa.state.answered');
    if (question.state === 'rejected') {
      return question.rejectedReason
        ? t('qa.state.rejectedWithReason', { reason: question.rejectedReason })
        : t('qa.state.rejected');
    }
    return t(`qa.state.${question.state}`);
  }

  override render() {
    const { t } = this.i18n;
    const questions = this.state?.questions ?? [];
    const closed = this.#closed;
    // Once the event is over, the question that was on air is shown with the answered ones, not as live.
    const live = closed ? undefined : questions.find((q) => q.state === 'live');
    const approved = sortQuestions(
      questions.filter((q) => q.state === 'approved'),
      this.sort,
    );
    const answered = questions.filter((q) => q.state === 'answered' || (closed && q.state === 'live')).sort(byRecent);
    const mine = questions.filter((q) => this.#isMine(q));
    const nothingYet = !live && approved.length === 0 && answered.length === 0 && mine.length === 0;
    return html`
      <section aria-labelledby="qa-title">
        <h2 id="qa-title">${t('qa.title')}</h2>
        ${live
          ? html`<div class="live" role="group" aria-labelledby="qa-live-title">
              <h3 id="qa-live-title">${t('qa.liveTitle')}</h3>
              ${this.#renderQuestion(live, 'live')}
            </div>`
          : nothing}
        ${this.#renderAsk()}
        ${nothingYet ? html`<p class="empty">${t('qa.empty')}</p>` : nothing}
        ${approved.length > 0
          ? html`<div>
              <div class="list-head">
                <h3 id="qa-approved-title">${t('qa.approved')}</h3>
                <div class="sort" role="group" aria-label=${t('qa.sortLabel')}>
                  ${SORTS.map(
                    (sort) =>
                      html`<button
                        type="button"
                        class="btn btn-small btn-secondary"
                        aria-pressed=${this.sort === sort ? 'true' : 'false'}
                        @click=${() => (this.sort = sort)}
                      >
                        ${sort === 'votes' ? t('qa.sortByVotes') : t('qa.sortTime')}
                      </button>`,
                  )}
                </div>
              </div>
              <ul aria-labelledby="qa-approved-title">
                ${approved.map((q) => html`<li>${this.#renderQuestion(q, 'approved')}</li>`)}
              </ul>
            </div>`
          : nothing}
        ${this.voteError ? html`<p class="error" role="alert">${this.voteError}</p>` : nothing}
        ${answered.length > 0
          ? html`<details>
              <summary>${t('qa.answered', { count: answered.length })}</summary>
              <ul>
                ${answered.map((q) => html`<li>${this.#renderQuestion(q, 'answered')}</li>`)}
              </ul>
            </details>`
          : nothing}
        ${mine.length > 0
          ? html`<div>
              <h3 id="qa-mine-title">${t('qa.mine')}</h3>
              <ul aria-labelledby="qa-mine-title">
                ${mine.map((q) => html`<li>${this.#renderQuestion(q, 'mine')}</li>`)}
              </ul>
            </div>`
          : nothing}
      </section>
    `;
  }

  #renderQuestion(question: Question, where: 'live' | 'approved' | 'answered' | 'mine') {
    const { t } = this.i18n;
    const textId = `qa-${where}-${question.id}`;
    const votable = where !== 'mine' && !this.#closed && VOTABLE_STATES.includes(question.state);
    const author = question.author && !question.anonymous ? question.author.displayName : t('qa.anonymous');
    return html`<div class="question">
      <div>
        <p id=${textId} lang=${this.event?.language || nothing}>${question.text}</p>
        <p class="meta">
          ${author} ·
          ${where === 'mine'
            ? html`<span class="state">${this.#stateText(question)}</span>`
            : this.i18n.plural('qa.votes', question.votes)}
        </p>
      </div>
      ${votable
        ? html`<div class="vote">
            <button
              type="button"
              class="btn btn-small btn-secondary"
              aria-pressed=${question.voted ? 'true' : 'false'}
              aria-label=${t('qa.vote')}
              aria-describedby=${textId}
              aria-disabled=${this.voting.has(question.id) ? 'true' : 'false'}
              @click=${() => void this.#onVote(question)}
            >
              <span aria-hidden="true">▲</span> ${question.votes}
            </button>
          </div>`
        : nothing}
    </div>`;
  }

  #renderAsk() {
    const { t } = this.i18n;
    const closed = this.event ? closedBecause(this.event.status) : null;
    if (closed) {
      return html`<p class="notice" role="note">${closed === 'ended' ? t('qa.closedEnded') : t('qa.closedCancelled')}</p>`;
    }
    if (!this.session.session) {
      return html`<parvis-guest-form
        purpose="questions"
        ?busy=${this.#guest.busy}
        .error=${this.#guest.error}
        @parvis-guest-name-submit=${this.#onGuestSubmit}
      ></parvis-guest-form>`;
    }
    const describedBy = this.askError ? 'qa-text-hint qa-text-error' : 'qa-text-hint';
    return html`<form novalidate @submit=${this.#onAsk}>
      <label for="qa-text">${t('qa.askLabel')}</label>
      <p id="qa-text-hint" class="hint">${t('qa.askHint', { max: QUESTION_MAX_LENGTH })}</p>
      <textarea
        id="qa-text"
        name="question"
        maxlength=${QUESTION_MAX_LENGTH}
        .value=${this.draft}
        aria-describedby=${describedBy}
        aria-invalid=${this.askError ? 'true' : 'false'}
        @input=${(e: InputEvent) => (this.draft = (e.target as HTMLTextAreaElement).value)}
        @keydown=${this.#onAskKey}
      ></textarea>
      <label class="check">
        <input
          type="checkbox"
          name="anonymous"
          .checked=${this.anonymous}
          @change=${(e: globalThis.Event) => (this.anonymous = (e.target as HTMLInputElement).checked)}
        />
        ${t('qa.anonymousLabel')}
      </label>
      <div>
        <button type="submit" class="btn" aria-disabled=${this.asking ? 'true' : 'false'}>${t('qa.ask')}</button>
      </div>
      ${this.askError ? html`<p id="qa-text-error" class="error" role="alert">${this.askError}</p>` : nothing}
      <p class="hint" role="status">${this.askMessage}</p>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-qa-panel': ParvisQaPanel;
  }
}
