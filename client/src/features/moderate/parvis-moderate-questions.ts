import { consume } from '@lit/context';
import { QUESTION_MAX_LENGTH, REJECT_REASON_MAX_LENGTH } from '#shared/domain/limits';
import type { Question } from '#shared/domain/question';
import { actionsFor } from '#shared/domain/question-transitions';
import type { QuestionModeratePayload } from '#shared/protocol/payloads';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { i18nContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { StringKey, Translator } from '../../i18n/i18n';
import type { EventRoom } from '../event-room/event-room';
import type { QuestionSort } from '../questions/question-order';
import { actionFailedText } from '../../i18n/error-text';
import { panelStyles } from './moderate-styles';
import './parvis-moderate-shortcuts';
import type { ParvisModerateShortcuts } from './parvis-moderate-shortcuts';
import {
  excerpt,
  isTyping,
  keyCommand,
  mergeTargets,
  moveSelection,
  ORIGIN_FILTERS,
  originCounts,
  QUEUES,
  reorderPlan,
  selectionAfterChange,
  toQueues,
  withOrigin,
  type KeyCommand,
  type OriginFilter,
  type QueueName,
  type Queues,
} from './queues';

type OpenForm = { kind: 'reject' | 'merge' | 'edit'; id: string };

const TITLES: Record<QueueName, StringKey> = {
  pending: 'mod.pending.title',
  approved: 'mod.approved.title',
  live: 'mod.live.title',
  answered: 'mod.answered.title',
};
const EMPTY: Record<QueueName, StringKey> = {
  pending: 'mod.pending.empty',
  approved: 'mod.approved.empty',
  live: 'mod.live.empty',
  answered: 'mod.answered.empty',
};

/**
 * The question queues of the moderator console: pending (oldest first), approved (by the moderators' order and votes,
 * or by time), the live question and the answered archive, with every action on each question and single-key
 * shortcuts on the selected one. It sends `question:moderate` through the room it is given; what changes comes back
 * in the room's state.
 */
@customElement('parvis-moderate-questions')
export class ParvisModerateQuestions extends LitElement {
  static override styles = [
    baseStyles,
    panelStyles,
    css`
      .queues {
        display: grid;
        gap: var(--space-4);
      }
      .queue {
        display: grid;
        gap: var(--space-2);
      }
      .queue-head {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        justify-content: space-between;
        gap: var(--space-2);
      }
      .count {
        font-family: var(--font-body);
        font-size: 0.875rem;
        font-weight: 600;
        color: var(--color-ink-muted);
        margin-left: var(--space-2);
      }
      .queue-body:focus {
        outline: none;
      }
      .queue-body:focus-visible {
        outline: 3px solid var(--color-focus);
      }
      .queue.live .item {
        border: 2px solid var(--color-live);
      }
      .queue.live .text {
        font-size: 1.125rem;
        font-weight: 600;
      }
      article.item {
        cursor: default;
      }
      article.item[aria-current='true'] {
        border-color: var(--color-focus);
        box-shadow: inset 4px 0 0 var(--color-focus);
      }
      .badges {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-1);
      }
      .badge-anon {
        background: var(--color-warning-bg);
        color: var(--color-warning-ink);
        border-color: #e8cf8a;
      }
      .badge-star {
        background: var(--color-brand-soft);
        color: var(--color-brand);
      }
      .badge-room {
        background: var(--color-ink);
        color: var(--color-surface, #fff);
        border-color: var(--color-ink);
      }
      .origin {
        display: inline-flex;
        flex-wrap: wrap;
        gap: var(--space-1);
      }
      .origin .btn[aria-pressed='true'] {
        background: var(--color-brand);
        color: var(--color-brand-ink);
      }
      .votes {
        font-weight: 700;
        color: var(--color-ink);
      }
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: var(--space-2);
      }
      .sort {
        display: inline-flex;
        gap: var(--space-1);
      }
      .sort .btn[aria-pressed='true'] {
        background: var(--color-brand);
        color: var(--color-brand-ink);
      }
      .star[aria-pressed='true'] {
        background: var(--color-brand-soft);
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

  /** The live room; null until it exists. */
  @property({ attribute: false }) room: EventRoom | null = null;
  @property({ attribute: false }) questions: readonly Question[] = [];
  /** Whether new questions wait for approval; null while unknown. Shown as a hint over the pending queue. */
  @property({ attribute: false }) preModeration: boolean | null = null;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private sort: QuestionSort = 'votes';
  /** Which questions are shown: all, or those of the auditorium or of the online audience only. */
  @state() private origin: OriginFilter = 'all';
  @state() private selected: Record<QueueName, string | null> = { pending: null, approved: null, live: null, answered: null };
  @state() private activeQueue: QueueName = 'pending';
  @state() private busy: ReadonlySet<string> = new Set();
  @state() private form: OpenForm | null = null;
  @state() private reason = '';
  @state() private mergeInto = '';
  @state() private editText = '';
  @state() private formError = '';
  @state() private error = '';
  @state() private message = '';

  @query('parvis-moderate-shortcuts') private shortcuts!: ParvisModerateShortcuts;

  #queues: Queues = toQueues([], 'votes');
  /** Each queue's ids as last rendered: where a question that left was, to select its neighbour. */
  #lastIds: Record<QueueName, readonly string[]> = { pending: [], approved: [], live: [], answered: [] };
  /** A queue whose focused question just left it: focus goes to its new selection after the render. */
  #refocus: QueueName | null = null;
  /** What had the focus before a render: the question and which of its buttons (`data-fk`), to restore it. */
  #focusBefore: { qid: string | null; key: string | null } | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this.#onKeydown);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.#onKeydown);
  }

  override willUpdate(changed: PropertyValues): void {
    const active = this.shadowRoot?.activeElement;
    const focusedId = active?.closest<HTMLElement>('[data-qid]')?.dataset.qid ?? null;
    this.#focusBefore = active instanceof HTMLElement ? { qid: focusedId, key: active.dataset.fk ?? null } : null;
    if (!changed.has('questions') && !changed.has('sort') && !changed.has('origin') && this.hasUpdated) return;
    this.#queues = toQueues(withOrigin(this.questions, this.origin), this.sort);
    let selected = this.selected;
    for (const queue of QUEUES) {
      const ids = this.#queues[queue].map((q) => q.id);
      const before = selected[queue];
      const after = selectionAfterChange(this.#lastIds[queue], ids, before);
      if (after !== before) {
        selected = { ...selected, [queue]: after };
        // The focused question left its queue (approved, rejected...): keep the focus in that queue, on its neighbour.
        if (before !== null && before === focusedId) this.#refocus = queue;
      }
      this.#lastIds[queue] = ids;
    }
    if (selected !== this.selected) this.selected = selected;
    if (this.form && !this.questions.some((q) => q.id === this.form!.id && actionsFor(q.state).size > 0)) this.form = null;
  }

  override updated(): void {
    const before = this.#focusBefore;
    const queue = this.#refocus;
    this.#focusBefore = null;
    this.#refocus = null;
    // Only when the render took the focus away (its element was removed or moved), never from where the person went.
    if (!before || this.shadowRoot?.activeElement) return;
    if (document.activeElement && document.activeElement !== document.body) return;
    if (queue !== null) {
      this.#focusQueue(queue);
      return;
    }
    const card = before.qid ? this.#card(before.qid) : null;
    if (!card) return;
    const button = before.key ? card.querySelector<HTMLElement>(`[data-fk="${CSS.escape(before.key)}"]`) : null;
    (button ?? card).focus();
  }

  #card(id: string): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(`article[data-qid="${CSS.escape(id)}"]`);
  }

  /** Focuses the selected question of a queue, or the queue itself when it is empty. */
  #focusQueue(queue: QueueName): void {
    const id = this.selected[queue];
    const target = (id && this.#card(id)) || this.renderRoot.querySelector<HTMLElement>(`#queue-${queue}`);
    target?.focus();
    target?.scrollIntoView?.({ block: 'nearest' });
  }

  #select(queue: QueueName, id: string | null, focus: boolean): void {
    this.activeQueue = queue;
    if (this.selected[queue] !== id) this.selected = { ...this.selected, [queue]: id };
    if (focus) void this.updateComplete.then(() => this.#focusQueue(queue));
  }

  #onFocusIn(event: FocusEvent): void {
    const target = event.composedPath()[0];
    if (!(target instanceof Element)) return;
    const card = target.closest<HTMLElement>('[data-qid]');
    const queue = target.closest<HTMLElement>('[data-queue]')?.dataset.queue as QueueName | undefined;
    if (!queue) return;
    this.activeQueue = queue;
    const id = card?.dataset.qid;
    if (id && this.selected[queue] !== id) this.selected = { ...this.selected, [queue]: id };
  }

  readonly #onKeydown = (event: KeyboardEvent): void => {
    if (event.defaultPrevented) return;
    const path = event.composedPath();
    if (isTyping(path) || path.some((t) => t instanceof HTMLDialogElement)) return;
    const command = keyCommand(event);
    if (command === null) return;
    if (command === 'help') {
      event.preventDefault();
      void this.shortcuts.open(this.#deepActive());
      return;
    }
    // Letters act from the queues, or from anywhere that is not a control (the page, the main region after a
    // navigation); never from another panel's buttons, where the moderator is doing something else. Arrows move only
    // inside the queues, and scroll the page elsewhere.
    const inside = path.includes(this);
    const target = path[0];
    const onControl = target instanceof Element && target.matches('button, a[href], summary, [role="button"], [role="tab"]');
    if (!inside && (onControl || event.key.startsWith('Arrow'))) return;
    event.preventDefault();
    this.#run(command);
  };

  #deepActive(): Element | null {
    let active: Element | null = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active;
  }

  #run(command: KeyCommand): void {
    const queue = this.activeQueue;
    const ids = this.#queues[queue].map((q) => q.id);
    if (command === 'next' || command === 'previous') {
      this.#select(queue, moveSelection(ids, this.selected[queue], command === 'next' ? 1 : -1), true);
      return;
    }
    const id = this.selected[queue] ?? ids[0] ?? null;
    const question = id ? this.questions.find((q) => q.id === id) : undefined;
    if (!question) return;
    const can = actionsFor(question.state);
    switch (command) {
      case 'approve':
        if (can.has('approve')) void this.#approve(question);
        break;
      case 'reject':
        if (can.has('reject')) void this.#reject(question, '');
        break;
      case 'rejectWithReason':
        if (can.has('reject')) this.#openForm('reject', question);
        break;
      case 'live':
        if (can.has('live')) void this.#setLive(question);
        break;
      case 'answered':
        if (can.has('answered')) void this.#answered(question);
        break;
      case 'star':
        if (can.has('star')) void this.#star(question);
        break;
      case 'edit':
        if (can.has('edit')) this.#openForm('edit', question);
        break;
    }
  }

  // ── requests ───────────────────────────────────────────────────────────────────────────────────────────────────

  /** Sends one or more `question:moderate` in a row for one question, showing progress; true when all succeeded. */
  async #send(question: Question, label: string, payloads: Array<Omit<QuestionModeratePayload, 'eventId'>>): Promise<boolean> {
    const room = this.room;
    if (!room || this.busy.has(question.id)) return false;
    const { t } = this.i18n;
    this.busy = new Set([...this.busy, question.id]);
    this.error = '';
    this.message = '';
    let ok = true;
    for (const payload of payloads) {
      const ack = await room.request('question:moderate', { eventId: room.eventId, ...payload });
      if (!ack.ok) {
        this.error = actionFailedText(this.i18n, label, ack.error);
        ok = false;
        break;
      }
    }
    const busy = new Set(this.busy);
    busy.delete(question.id);
    this.busy = busy;
    if (ok) this.message = t('mod.done', { action: label });
    return ok;
  }

  #approve(q: Question): Promise<boolean> {
    return this.#send(q, this.i18n.t('mod.q.approve'), [{ questionId: q.id, action: 'approve' }]);
  }

  async #reject(q: Question, reason: string): Promise<void> {
    const text = reason.trim();
    const ok = await this.#send(q, this.i18n.t('mod.q.reject'), [
      { questionId: q.id, action: 'reject', ...(text ? { reason: text.slice(0, REJECT_REASON_MAX_LENGTH) } : {}) },
    ]);
    if (ok && this.form?.id === q.id) this.form = null;
  }

  #setLive(q: Question): Promise<boolean> {
    // One request whether the question waits (pending) or was approved: the server approves it on the way.
    return this.#send(q, this.i18n.t('mod.q.live'), [{ questionId: q.id, action: 'live' }]);
  }

  #answered(q: Question): Promise<boolean> {
    return this.#send(q, this.i18n.t('mod.q.answered'), [{ questionId: q.id, action: 'answered' }]);
  }

  #star(q: Question): Promise<boolean> {
    return this.#send(q, this.i18n.t('mod.q.star'), [{ questionId: q.id, action: 'star', starred: !q.starred }]);
  }

  async #move(q: Question, delta: 1 | -1): Promise<void> {
    const plan = reorderPlan(this.#queues.approved, q.id, delta);
    if (plan.length === 0) return;
    const label = this.i18n.t(delta < 0 ? 'mod.q.moveUp' : 'mod.q.moveDown');
    const ok = await this.#send(
      q,
      label,
      plan.map((c) => ({ questionId: c.questionId, action: 'reorder', position: c.position })),
    );
    if (ok) void this.updateComplete.then(() => this.#card(q.id)?.querySelector<HTMLElement>(`[data-move="${delta}"]`)?.focus());
  }

  async #resetOrder(): Promise<void> {
    const placed = this.#queues.approved.filter((q) => q.position !== null);
    const first = placed[0];
    if (!first) return;
    await this.#send(
      first,
      this.i18n.t('mod.resetOrder'),
      placed.map((q) => ({ questionId: q.id, action: 'reorder', position: null })),
    );
  }

  #openForm(kind: OpenForm['kind'], q: Question): void {
    this.form = { kind, id: q.id };
    this.formError = '';
    if (kind === 'reject') this.reason = '';
    if (kind === 'edit') this.editText = q.text;
    if (kind === 'merge') this.mergeInto = '';
    void this.updateComplete.then(() =>
      this.#card(q.id)?.querySelector<HTMLElement>('.inline-form input, .inline-form textarea, .inline-form select')?.focus(),
    );
  }

  #closeForm(): void {
    const id = this.form?.id;
    this.form = null;
    this.formError = '';
    if (id) void this.updateComplete.then(() => this.#card(id)?.focus());
  }

  async #submitForm(event: SubmitEvent, q: Question): Promise<void> {
    event.preventDefault();
    const { t } = this.i18n;
    const form = this.form;
    if (!form) return;
    if (form.kind === 'reject') {
      await this.#reject(q, this.reason);
      return;
    }
    if (form.kind === 'merge') {
      if (!this.mergeInto) {
        this.formError = t('mod.q.mergeMissing');
        return;
      }
      const ok = await this.#send(q, t('mod.q.merge'), [{ questionId: q.id, action: 'merge', intoQuestionId: this.mergeInto }]);
      if (ok && this.form?.id === q.id) this.form = null;
      return;
    }
    const text = this.editText.trim();
    if (text === '') {
      this.formError = t('mod.textEmpty');
      return;
    }
    if (text.length > QUESTION_MAX_LENGTH) {
      this.formError = t('mod.tooLong', { max: QUESTION_MAX_LENGTH });
      return;
    }
    if (text === q.text) {
      this.#closeForm();
      return;
    }
    const ok = await this.#send(q, t('mod.q.edit'), [{ questionId: q.id, action: 'edit', text }]);
    if (ok && this.form?.id === q.id) this.#closeForm();
  }

  #onFormKey(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      this.#closeForm();
    }
  }

  // ── rendering ──────────────────────────────────────────────────────────────────────────────────────────────────

  override render() {
    const { t } = this.i18n;
    const q = this.#queues;
    return html`
      <section class="panel" aria-labelledby="questions-title" @focusin=${this.#onFocusIn}>
        <div class="toolbar">
          <h2 id="questions-title">${t('mod.queues')}</h2>
          <button type="button" class="btn btn-secondary btn-small" aria-keyshortcuts="?" @click=${(e: Event) =>
            void this.shortcuts.open(e.currentTarget as Element)}>
            ${t('mod.shortcuts')}
          </button>
        </div>
        <p class="hint">${t('mod.shortcuts.hint')}</p>
        ${this.#renderOriginFilter()}
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <p class="done" role="status">${this.message}</p>
        <div class="queues">
          ${this.#renderQueue('live', q.live)} ${this.#renderQueue('pending', q.pending)} ${this.#renderQueue('approved', q.approved)}
          ${this.#renderQueue('answered', q.answered)} ${this.#renderClosed(q.closed)}
        </div>
      </section>
      <parvis-moderate-shortcuts></parvis-moderate-shortcuts>
    `;
  }

  #renderQueue(queue: QueueName, questions: readonly Question[]) {
    const { t } = this.i18n;
    const selected = this.selected[queue] ?? questions[0]?.id ?? null;
    return html`
      <section class="queue ${queue}" aria-labelledby="title-${queue}" data-queue=${queue}>
        <div class="queue-head">
          <h3>
            <span id="title-${queue}">${t(TITLES[queue])}</span><span class="count">${this.i18n.plural(
              'mod.questionCount',
              questions.length,
            )}</span>
          </h3>
          ${queue === 'approved' ? this.#renderSort() : nothing}
        </div>
        ${queue === 'pending' && this.preModeration === false ? html`<p class="hint">${t('mod.pending.premodOff')}</p>` : nothing}
        <div class="queue-body" id="queue-${queue}" tabindex="-1">
          ${questions.length === 0
            ? html`<p class="empty">${t(EMPTY[queue])}</p>`
            : html`<ul class="items" aria-labelledby="title-${queue}">
                ${repeat(
                  questions,
                  (question) => question.id,
                  (question, index) => html`<li>${this.#renderQuestion(queue, question, index, questions.length, question.id === selected)}</li>`,
                )}
              </ul>`}
        </div>
      </section>
    `;
  }

  /** Filters the queues by where the questions were asked; the counts are of the questions still in the queues. */
  #renderOriginFilter() {
    const { t } = this.i18n;
    const counts = originCounts(this.questions);
    const label: Record<OriginFilter, string> = {
      all: t('hall.filter.all'),
      online: t('hall.filter.online'),
      room: t('hall.filter.room'),
    };
    return html`<div class="origin" role="group" aria-label=${t('hall.filter.label')}>
      ${ORIGIN_FILTERS.map(
        (origin) =>
          html`<button
            type="button"
            class="btn btn-secondary btn-small"
            aria-pressed=${this.origin === origin ? 'true' : 'false'}
            @click=${() => (this.origin = origin)}
          >
            ${label[origin]} (${counts[origin]})
          </button>`,
      )}
    </div>`;
  }

  #renderSort() {
    const { t } = this.i18n;
    const placed = this.sort === 'votes' && this.origin === 'all' && this.#queues.approved.some((q) => q.position !== null);
    const option = (sort: QuestionSort, label: string) =>
      html`<button
        type="button"
        class="btn btn-secondary btn-small"
        aria-pressed=${this.sort === sort ? 'true' : 'false'}
        @click=${() => (this.sort = sort)}
      >
        ${label}
      </button>`;
    return html`<div class="actions">
      <div class="sort" role="group" aria-label=${t('mod.sort.label')}>
        ${option('votes', t('mod.sort.votes'))} ${option('time', t('mod.sort.time'))}
      </div>
      ${placed
        ? html`<button type="button" class="link-button" @click=${() => void this.#resetOrder()}>${t('mod.resetOrder')}</button>`
        : nothing}
    </div>`;
  }

  #renderQuestion(queue: QueueName, q: Question, index: number, count: number, selected: boolean) {
    const { t } = this.i18n;
    const can = actionsFor(q.state);
    const busy = this.busy.has(q.id);
    const short = excerpt(q.text);
    const named = (action: string) => t('mod.q.named', { action, text: short });
    const button = (
      label: string,
      onClick: () => void,
      options: { key?: string; cls?: string; pressed?: boolean; move?: 1 | -1 } = {},
    ) => html`<button
      type="button"
      class="btn btn-small ${options.cls ?? 'btn-secondary'}"
      aria-label=${named(label)}
      aria-keyshortcuts=${options.key ?? nothing}
      aria-pressed=${options.pressed === undefined ? nothing : options.pressed ? 'true' : 'false'}
      aria-disabled=${busy ? 'true' : 'false'}
      data-move=${options.move ?? nothing}
      data-fk=${label}
      @click=${() => {
        if (!this.busy.has(q.id)) onClick();
      }}
    >
      ${label}
    </button>`;
    // The order is the whole queue's: moving a question among the room's only would misplace the hidden ones.
    const reorder = queue === 'approved' && this.sort === 'votes' && this.origin === 'all' && can.has('reorder');
    const time = (iso: string) => this.i18n.time(iso);
    return html`<article
      class="item"
      data-qid=${q.id}
      tabindex=${selected ? 0 : -1}
      aria-current=${selected && this.activeQueue === queue ? 'true' : nothing}
      aria-busy=${busy ? 'true' : 'false'}
      aria-labelledby="text-${q.id}"
      aria-describedby="meta-${q.id}"
      aria-keyshortcuts="J K ArrowDown ArrowUp"
    >
      <p class="text" id="text-${q.id}">${q.text}</p>
      <div class="meta" id="meta-${q.id}">
        <span class="votes">${this.i18n.plural('qa.votes', q.votes)}</span>
        <span>${q.author ? t('mod.q.by', { name: q.author.displayName }) : t('qa.anonymous')}</span>
        ${q.origin === 'room' ? html`<span class="badge badge-room">${t('hall.origin.room')}</span>` : nothing}
        ${q.anonymous ? html`<span class="badge badge-anon">${t('mod.q.anonymous')}</span>` : nothing}
        ${q.starred ? html`<span class="badge badge-star">★ ${t('mod.q.starredBadge')}</span>` : nothing}
        ${reorder && q.position !== null ? html`<span>${t('mod.q.placed', { n: index + 1 })}</span>` : nothing}
        <span>${t('mod.q.at', { time: time(q.createdAt) })}</span>
        ${q.state === 'live' && q.liveAt ? html`<span>${t('mod.q.liveSince', { time: time(q.liveAt) })}</span>` : nothing}
        ${q.state === 'answered' && q.answeredAt ? html`<span>${t('mod.q.answeredAt', { time: time(q.answeredAt) })}</span>` : nothing}
      </div>
      <div class="actions">
        ${can.has('approve') ? button(t('mod.q.approve'), () => void this.#approve(q), { key: 'A', cls: '' }) : nothing}
        ${can.has('live') ? button(t('mod.q.live'), () => void this.#setLive(q), { key: 'L', cls: q.state === 'approved' ? '' : undefined }) : nothing}
        ${can.has('answered') ? button(t('mod.q.answered'), () => void this.#answered(q), { key: 'D', cls: '' }) : nothing}
        ${can.has('reject') ? button(t('mod.q.reject'), () => this.#openForm('reject', q), { key: 'R Shift+R' }) : nothing}
        ${can.has('star') ? button(t('mod.q.star'), () => void this.#star(q), { key: 'S', cls: 'btn-secondary star', pressed: q.starred }) : nothing}
        ${can.has('edit') ? button(t('mod.q.edit'), () => this.#openForm('edit', q), { key: 'E' }) : nothing}
        ${can.has('merge') ? button(t('mod.q.merge'), () => this.#openForm('merge', q)) : nothing}
        ${reorder && index > 0 ? button(t('mod.q.moveUp'), () => void this.#move(q, -1), { move: -1 }) : nothing}
        ${reorder && index < count - 1 ? button(t('mod.q.moveDown'), () => void this.#move(q, 1), { move: 1 }) : nothing}
      </div>
      ${busy ? html`<p class="working" role="status">${t('mod.working')}</p>` : nothing}
      ${this.form?.id === q.id ? this.#renderForm(q) : nothing}
    </article>`;
  }

  #renderForm(q: Question) {
    const { t } = this.i18n;
    const form = this.form!;
    const busy = this.busy.has(q.id);
    const fieldId = `form-${form.kind}-${q.id}`;
    const errorId = `${fieldId}-error`;
    const invalid = this.formError ? 'true' : 'false';
    let field;
    let submit: string;
    if (form.kind === 'reject') {
      submit = t('mod.q.confirmReject');
      field = html`<div class="field">
        <label for=${fieldId}>${t('mod.q.rejectReason')}</label>
        <input
          id=${fieldId}
          type="text"
          maxlength=${REJECT_REASON_MAX_LENGTH}
          .value=${this.reason}
          @input=${(e: Event) => (this.reason = (e.target as HTMLInputElement).value)}
        />
      </div>`;
    } else if (form.kind === 'merge') {
      submit = t('mod.q.confirmMerge');
      const targets = mergeTargets(q, this.questions);
      if (targets.length === 0) {
        field = html`<p class="empty">${t('mod.q.mergeNone')}</p>`;
      } else {
        field = html`<div class="field">
          <label for=${fieldId}>${t('mod.q.mergeInto')}</label>
          <select
            id=${fieldId}
            aria-invalid=${invalid}
            aria-describedby=${this.formError ? errorId : nothing}
            @change=${(e: Event) => (this.mergeInto = (e.target as HTMLSelectElement).value)}
          >
            <option value="" ?selected=${this.mergeInto === ''}>${t('mod.q.mergeChoose')}</option>
            ${targets.map(
              (target) =>
                html`<option value=${target.id} ?selected=${this.mergeInto === target.id}>
                  ${excerpt(target.text, 80)} — ${t(`qa.state.${target.state}` as StringKey)}, ${this.i18n.plural('qa.votes', target.votes)}
                </option>`,
            )}
          </select>
        </div>`;
      }
    } else {
      submit = t('mod.q.saveEdit');
      field = html`<div class="field">
        <label for=${fieldId}>${t('mod.q.editLabel')}</label>
        <textarea
          id=${fieldId}
          rows="3"
          maxlength=${QUESTION_MAX_LENGTH}
          aria-invalid=${invalid}
          aria-describedby=${this.formError ? errorId : nothing}
          .value=${this.editText}
          @input=${(e: Event) => (this.editText = (e.target as HTMLTextAreaElement).value)}
        ></textarea>
      </div>`;
    }
    const noTarget = form.kind === 'merge' && mergeTargets(q, this.questions).length === 0;
    return html`<form class="inline-form" @submit=${(e: SubmitEvent) => void this.#submitForm(e, q)} @keydown=${this.#onFormKey}>
      ${field} ${this.formError ? html`<p class="field-error" id=${errorId}>${this.formError}</p>` : nothing}
      <div class="actions">
        ${noTarget
          ? nothing
          : html`<button type="submit" class="btn btn-small ${form.kind === 'reject' ? 'btn-danger' : ''}" aria-disabled=${busy ? 'true' : 'false'}>
              ${submit}
            </button>`}
        <button type="button" class="btn btn-secondary btn-small" @click=${() => this.#closeForm()}>${t('mod.cancel')}</button>
      </div>
    </form>`;
  }

  #renderClosed(questions: readonly Question[]) {
    const { t } = this.i18n;
    if (questions.length === 0) return nothing;
    const text = (id: string | null) => excerpt(this.questions.find((x) => x.id === id)?.text ?? '…');
    return html`<details>
      <summary>${t('mod.closed.title', { count: questions.length })}</summary>
      <ul class="items">
        ${repeat(
          questions,
          (q) => q.id,
          (q) => html`<li class="item">
            <p class="text">${q.text}</p>
            <p class="meta">
              <span>${q.author ? t('mod.q.by', { name: q.author.displayName }) : t('qa.anonymous')}</span>
              ${q.origin === 'room' ? html`<span class="badge badge-room">${t('hall.origin.room')}</span>` : nothing}
              <span
                >${q.state === 'merged'
                  ? t('mod.q.mergedInto', { text: text(q.mergedInto) })
                  : q.rejectedReason
                    ? t('qa.state.rejectedWithReason', { reason: q.rejectedReason })
                    : t('qa.state.rejected')}</span
              >
            </p>
          </li>`,
        )}
      </ul>
    </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-moderate-questions': ParvisModerateQuestions;
  }
}
