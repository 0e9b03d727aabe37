import { consume } from '@lit/context';
import type { ChatMessage } from '#shared/domain/chat';
import type { HeldMessage, Sanction, StaffRoomState } from '#shared/domain/moderation';
import { isRoomStaff } from '#shared/domain/staff';
import type { Role } from '#shared/domain/user';
import type { ErrorBody } from '#shared/protocol/errors';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { IntervalController } from '../../app/interval-controller';
import { i18nContext } from '../../app/contexts';
import '../../app/parvis-confirm-dialog';
import type { ParvisConfirmDialog } from '../../app/parvis-confirm-dialog';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import type { EventRoom } from '../event-room/event-room';
import { actionFailedText } from '../../i18n/error-text';
import { DEFAULT_TIMEOUT_MINUTES, parseTimeoutMinutes } from './forms';
import { LatestById } from './latest';
import { panelStyles } from './moderate-styles';
import { excerpt } from './queues';

/** How many messages the console lists: the latest ones, newest first. */
const SHOWN_MESSAGES = 200;
/** People who cannot be timed out or banned: the server refuses it for moderators and admins. */

/**
 * The chat as moderators run it: each message with delete, time out (1–60 min) and ban; the messages the word filter
 * held, to show or drop; the people timed out or banned, to lift. Requests go through the room; acks update the lists
 * at once and the broadcasts that follow confirm them.
 */
@customElement('parvis-moderate-chat')
export class ParvisModerateChat extends LitElement {
  static override styles = [
    baseStyles,
    panelStyles,
    css`
      .log {
        max-height: min(36rem, 60vh);
        overflow-y: auto;
        padding-right: var(--space-1);
      }
      .author {
        font-weight: 700;
        color: var(--color-ink);
      }
      .deleted {
        font-style: italic;
        color: var(--color-ink-muted);
      }
      .item.held {
        border-color: #e8cf8a;
        background: var(--color-warning-bg);
      }
      .timeout-form {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: var(--space-2);
      }
      .timeout-form .field {
        flex: 1 1 12rem;
      }
      .timeout-form input {
        max-width: 8rem;
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
  @property({ attribute: false }) messages: readonly ChatMessage[] = [];
  @property({ attribute: false }) staff: StaffRoomState | null = null;
  /** The moderator's own user id: no sanction buttons on their own messages. */
  @property({ attribute: false }) selfId: string | null = null;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private busy: ReadonlySet<string> = new Set();
  @state() private error = '';
  @state() private message = '';
  /** The message whose timeout form is open, and the minutes typed. */
  @state() private timeoutFor: string | null = null;
  @state() private minutes = String(DEFAULT_TIMEOUT_MINUTES);
  @state() private minutesError = '';
  /** Messages deleted here, hidden at once (the room's `chat:deleted` may follow). */
  @state() private deletedHere: ReadonlySet<string> = new Set();
  @state() private now = Date.now();

  @query('parvis-confirm-dialog') private confirm!: ParvisConfirmDialog;

  readonly #held = new LatestById<HeldMessage>((h) => h.id);
  readonly #sanctions = new LatestById<Sanction>((s) => s.userId);

  constructor() {
    super();
    // Timeouts run out on their own: drop them from the list as they do.
    new IntervalController(this, 30_000, () => (this.now = Date.now()));
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('staff')) {
      this.#held.sync(this.staff?.held ?? []);
      this.#sanctions.sync(this.staff?.sanctions ?? []);
    }
  }

  /** Runs one request for `key` (a message, held message or person) with progress and a typed error. */
  async #request<T>(key: string, label: string, send: (room: EventRoom) => Promise<{ ok: true; data: T } | { ok: false; error: ErrorBody }>) {
    const room = this.room;
    if (!room || this.busy.has(key)) return null;
    const { t } = this.i18n;
    this.busy = new Set([...this.busy, key]);
    this.error = '';
    this.message = '';
    const ack = await send(room);
    const busy = new Set(this.busy);
    busy.delete(key);
    this.busy = busy;
    if (!ack.ok) {
      this.error = actionFailedText(this.i18n, label, ack.error);
      return null;
    }
    this.message = t('mod.done', { action: label });
    return ack.data;
  }

  async #delete(m: ChatMessage): Promise<void> {
    const done = await this.#request(m.id, this.i18n.t('mod.chat.delete'), (room) =>
      room.request('chat:delete', { eventId: room.eventId, messageId: m.id }),
    );
    if (done) this.deletedHere = new Set([...this.deletedHere, m.id]);
  }

  #openTimeout(m: ChatMessage): void {
    this.timeoutFor = m.id;
    this.minutes = String(DEFAULT_TIMEOUT_MINUTES);
    this.minutesError = '';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>(`#minutes-${CSS.escape(m.id)}`)?.focus());
  }

  #closeTimeout(): void {
    const id = this.timeoutFor;
    this.timeoutFor = null;
    if (id) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-timeout="${CSS.escape(id)}"]`)?.focus());
  }

  async #timeout(event: SubmitEvent, m: ChatMessage): Promise<void> {
    event.preventDefault();
    const minutes = parseTimeoutMinutes(this.minutes);
    if (minutes === null) {
      this.minutesError = this.i18n.t('mod.chat.minutesInvalid');
      return;
    }
    this.minutesError = '';
    const done = await this.#request(m.author.id, this.i18n.t('mod.chat.timeout'), (room) =>
      room.request('moderation:sanction', { eventId: room.eventId, userId: m.author.id, action: 'timeout', minutes }),
    );
    if (done?.sanction) this.#sanctions.put(done.sanction);
    if (done) this.#closeTimeout();
  }

  async #ban(m: ChatMessage): Promise<void> {
    const { t } = this.i18n;
    const name = m.author.displayName;
    const confirmed = await this.confirm.ask({
      heading: t('mod.chat.banTitle', { name }),
      body: t('mod.chat.banBody', { name }),
      confirmLabel: t('mod.chat.ban'),
      cancelLabel: t('mod.chat.banKeep'),
      danger: true,
    });
    if (!confirmed) return;
    const done = await this.#request(m.author.id, t('mod.chat.ban'), (room) =>
      room.request('moderation:sanction', { eventId: room.eventId, userId: m.author.id, action: 'ban' }),
    );
    if (done?.sanction) this.#sanctions.put(done.sanction);
    this.requestUpdate();
  }

  async #lift(s: Sanction): Promise<void> {
    const done = await this.#request(s.userId, this.i18n.t('mod.sanctions.lift'), (room) =>
      room.request('moderation:sanction', { eventId: room.eventId, userId: s.userId, action: 'lift' }),
    );
    if (done) {
      this.#sanctions.remove(s.userId);
      this.requestUpdate();
    }
  }

  async #review(h: HeldMessage, approve: boolean): Promise<void> {
    const label = this.i18n.t(approve ? 'mod.held.show' : 'mod.held.drop');
    const done = await this.#request(h.id, label, (room) =>
      room.request('chat:review', { eventId: room.eventId, heldId: h.id, approve }),
    );
    if (done) {
      this.#held.remove(h.id);
      this.requestUpdate();
    }
  }

  override render() {
    const { t } = this.i18n;
    const shown = this.messages.slice(-SHOWN_MESSAGES).reverse();
    const held = this.#held.values.sort((a, b) => a.sentAt.localeCompare(b.sentAt));
    const sanctions = this.#sanctions.values
      .filter((s) => s.kind === 'ban' || (s.until !== null && Date.parse(s.until) > this.now))
      .sort((a, b) => b.at.localeCompare(a.at));
    return html`
      <section class="panel" aria-labelledby="chat-title">
        <h2 id="chat-title">${t('mod.chat.title')}</h2>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <p class="done" role="status">${this.message}</p>
        <section class="sub" aria-labelledby="held-title">
          <h3 id="held-title">${t('mod.held.title')}</h3>
          ${held.length === 0
            ? html`<p class="empty">${t('mod.held.empty')}</p>`
            : html`<ul class="items">
                ${repeat(held, (h) => h.id, (h) => this.#renderHeld(h))}
              </ul>`}
        </section>
        <section class="sub" aria-labelledby="messages-title">
          <h3 id="messages-title">${t('mod.chat.messages')}</h3>
          <p class="hint">${t('mod.chat.order')}</p>
          ${shown.length === 0
            ? html`<p class="empty">${t('mod.chat.empty')}</p>`
            : html`<ul class="items log" aria-labelledby="messages-title">
                ${repeat(shown, (m) => m.id, (m) => this.#renderMessage(m))}
              </ul>`}
        </section>
        <section class="sub" aria-labelledby="sanctions-title">
          <h3 id="sanctions-title">${t('mod.sanctions.title')}</h3>
          ${sanctions.length === 0
            ? html`<p class="empty">${t('mod.sanctions.empty')}</p>`
            : html`<ul class="items">
                ${repeat(sanctions, (s) => s.userId, (s) => this.#renderSanction(s))}
              </ul>`}
        </section>
      </section>
      <parvis-confirm-dialog></parvis-confirm-dialog>
    `;
  }

  #roleLabel(role: Role): string | null {
    const { t } = this.i18n;
    return role === 'moderator' ? t('role.moderator') : role === 'speaker' ? t('role.speaker') : role === 'captioner' ? t('role.captioner') : role === 'admin' ? t('role.admin') : null;
  }

  #renderMessage(m: ChatMessage) {
    const { t } = this.i18n;
    const name = m.author.displayName;
    const role = this.#roleLabel(m.author.role);
    const meta = html`<p class="meta">
      <span class="author">${name}</span>${role ? html`<span>${role}</span>` : nothing}
      <time datetime=${m.sentAt}>${this.i18n.time(m.sentAt)}</time>
    </p>`;
    if (m.deleted || this.deletedHere.has(m.id)) {
      return html`<li class="item">${meta}<p class="deleted">${t('mod.chat.deleted')}</p></li>`;
    }
    const busy = this.busy.has(m.id) || this.busy.has(m.author.id);
    const sanctionable = !isRoomStaff(m.author.role) && m.author.id !== this.selfId;
    const disabled = busy ? 'true' : 'false';
    return html`<li class="item" aria-busy=${disabled}>
      ${meta}
      <p class="text">${m.text}</p>
      <div class="actions">
        <button
          type="button"
          class="btn btn-secondary"
          aria-label=${t('mod.chat.deleteNamed', { name, text: excerpt(m.text) })}
          aria-disabled=${disabled}
          @click=${() => void this.#delete(m)}
        >
          ${t('mod.chat.delete')}
        </button>
        ${sanctionable
          ? html`<button
                type="button"
                class="btn btn-secondary"
                data-timeout=${m.id}
                aria-label=${t('mod.chat.timeoutNamed', { name })}
                aria-expanded=${this.timeoutFor === m.id ? 'true' : 'false'}
                aria-disabled=${disabled}
                @click=${() => (this.timeoutFor === m.id ? this.#closeTimeout() : this.#openTimeout(m))}
              >
                ${t('mod.chat.timeout')}
              </button>
              <button
                type="button"
                class="btn btn-secondary"
                aria-label=${t('mod.chat.banNamed', { name })}
                aria-disabled=${disabled}
                @click=${() => void this.#ban(m)}
              >
                ${t('mod.chat.ban')}
              </button>`
          : nothing}
      </div>
      ${busy ? html`<p class="working" role="status">${t('mod.working')}</p>` : nothing}
      ${this.timeoutFor === m.id ? this.#renderTimeoutForm(m) : nothing}
    </li>`;
  }

  #renderTimeoutForm(m: ChatMessage) {
    const { t } = this.i18n;
    const id = `minutes-${m.id}`;
    return html`<form
      class="inline-form timeout-form"
      @submit=${(e: SubmitEvent) => void this.#timeout(e, m)}
      @keydown=${(e: KeyboardEvent) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          this.#closeTimeout();
        }
      }}
    >
      <div class="field">
        <label for=${id}>${t('mod.chat.minutes', { name: m.author.displayName })}</label>
        <input
          id=${id}
          type="number"
          min="1"
          max="60"
          step="1"
          required
          aria-invalid=${this.minutesError ? 'true' : 'false'}
          aria-describedby=${this.minutesError ? `${id}-error` : nothing}
          .value=${this.minutes}
          @input=${(e: Event) => (this.minutes = (e.target as HTMLInputElement).value)}
        />
        ${this.minutesError ? html`<p class="field-error" id="${id}-error">${this.minutesError}</p>` : nothing}
      </div>
      <div class="actions">
        <button type="submit" class="btn btn-danger">${t('mod.chat.confirmTimeout')}</button>
        <button type="button" class="btn btn-secondary" @click=${() => this.#closeTimeout()}>${t('mod.cancel')}</button>
      </div>
    </form>`;
  }

  #renderHeld(h: HeldMessage) {
    const { t } = this.i18n;
    const name = h.author.displayName;
    const busy = this.busy.has(h.id) ? 'true' : 'false';
    const text = excerpt(h.text);
    return html`<li class="item held" aria-busy=${busy}>
      <p class="meta">
        <span class="author">${name}</span>
        <time datetime=${h.sentAt}>${this.i18n.time(h.sentAt)}</time>
        ${h.matched.length > 0 ? html`<span>${t('mod.held.matched', { words: this.i18n.list(h.matched) })}</span>` : nothing}
      </p>
      <p class="text">${h.text}</p>
      <div class="actions">
        <button
          type="button"
          class="btn"
          aria-label=${t('mod.held.showNamed', { name, text })}
          aria-disabled=${busy}
          @click=${() => void this.#review(h, true)}
        >
          ${t('mod.held.show')}
        </button>
        <button
          type="button"
          class="btn btn-secondary"
          aria-label=${t('mod.held.dropNamed', { name, text })}
          aria-disabled=${busy}
          @click=${() => void this.#review(h, false)}
        >
          ${t('mod.held.drop')}
        </button>
      </div>
    </li>`;
  }

  #renderSanction(s: Sanction) {
    const { t } = this.i18n;
    const busy = this.busy.has(s.userId) ? 'true' : 'false';
    return html`<li class="item" aria-busy=${busy}>
      <p class="meta">
        <span class="author">${s.displayName}</span>
        <span>${s.kind === 'ban' || !s.until ? t('mod.sanctions.ban') : t('mod.sanctions.timeout', { time: this.i18n.time(s.until) })}</span>
        <span>${t('mod.sanctions.by', { name: s.by })}</span>
        ${s.reason ? html`<span>${t('mod.sanctions.reason', { reason: s.reason })}</span>` : nothing}
      </p>
      <div class="actions">
        <button
          type="button"
          class="btn btn-secondary"
          aria-label=${t('mod.sanctions.liftNamed', { name: s.displayName })}
          aria-disabled=${busy}
          @click=${() => void this.#lift(s)}
        >
          ${t('mod.sanctions.lift')}
        </button>
      </div>
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-moderate-chat': ParvisModerateChat;
  }
}
