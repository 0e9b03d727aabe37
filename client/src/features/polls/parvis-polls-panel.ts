import { consume } from '@lit/context';
import type { Event } from '#shared/domain/event';
import type { Poll } from '#shared/domain/poll';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { i18nContext, sessionContext, type SessionContextValue } from '../../app/contexts';
import { GuestSignInController } from '../../app/guest-sign-in-controller';
import { baseStyles } from '../../app/shared-styles';
import { roomPanelStyles } from '../event-room/room-panel-styles';
import { errorText } from '../../i18n/error-text';
import type { Translator } from '../../i18n/i18n';
import type { GuestNameSubmitEvent } from '../chat/parvis-guest-form';
import '../chat/parvis-guest-form';
import type { EventRoom, RoomState } from '../event-room/event-room';
import type { ParvisPollCard, PollVoteEvent } from './parvis-poll-card';
import './parvis-poll-card';
import { audiencePolls, hasVoted } from './poll-results';

/**
 * The polls of an event room for the audience: the open ones to vote in, then the closed ones with their final
 * results. It votes through the room it is given; the room's state comes down as a property. Drafts (which only
 * moderators receive) are left to the moderator console.
 */
@customElement('parvis-polls-panel')
export class ParvisPollsPanel extends LitElement {
  static override styles = [
    baseStyles,
    roomPanelStyles,
    css`
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--space-3);
      }
      .group {
        display: grid;
        gap: var(--space-2);
      }
      .empty {
        display: grid;
        gap: var(--space-1);
        padding: var(--space-4) var(--space-2);
        text-align: center;
      }
      .empty strong {
        font-size: 1.0625rem;
      }
      .sign-in {
        display: grid;
        gap: var(--space-2);
      }
    `,
  ];

  @property({ attribute: false }) event: Event | null = null;
  /** The live room these polls belong to; null until it exists. */
  @property({ attribute: false }) room: EventRoom | null = null;
  @property({ attribute: false }) state: RoomState | null = null;
  /** Shown under a tab of the same name, which already says what it is (the heading is then for screen readers). */
  @property({ type: Boolean, reflect: true }) tabbed = false;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session!: SessionContextValue;

  /** The poll whose vote is on its way. */
  @state() private voting: string | null = null;
  /** Why the last vote in a poll failed, in words, by poll id. */
  @state() private errors: Readonly<Record<string, string>> = {};
  @state() private status = '';

  readonly #guest = new GuestSignInController(this, {
    session: () => this.session,
    i18n: () => this.i18n,
    eventId: () => this.event?.id,
  });

  async #onVote(event: PollVoteEvent): Promise<void> {
    event.stopPropagation();
    const room = this.room;
    const { pollId, optionIds } = event;
    if (!room || this.voting) return;
    const { t } = this.i18n;
    if (!this.session.session) {
      this.errors = { ...this.errors, [pollId]: t('room.poll.signIn') };
      this.renderRoot.querySelector('parvis-guest-form')?.focus();
      return;
    }
    this.voting = pollId;
    this.errors = { ...this.errors, [pollId]: '' };
    this.status = '';
    const ack = await room.votePoll(pollId, optionIds);
    this.voting = null;
    if (ack.ok) {
      this.status = t('room.poll.voted');
      this.renderRoot.querySelector<ParvisPollCard>(`parvis-poll-card[data-poll-id="${CSS.escape(pollId)}"]`)?.focusQuestion();
      return;
    }
    this.errors = { ...this.errors, [pollId]: errorText(this.i18n, ack.error, 'poll') };
    // A guest's token that is no longer valid: ask for a name again.
    this.#guest.signedOutBy(ack.error);
  }

  async #onGuestSubmit(event: GuestNameSubmitEvent): Promise<void> {
    event.stopPropagation();
    if (!(await this.#guest.signIn(event.displayName))) return;
    this.errors = {};
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('parvis-poll-card')?.focus();
  }

  override render() {
    const { t } = this.i18n;
    const { open, closed } = audiencePolls(this.state?.polls ?? []);
    const needsName = !this.session.session && open.some((p) => !hasVoted(p));
    return html`<section aria-labelledby="polls-title" @parvis-poll-vote=${this.#onVote}>
      <h2 id="polls-title">${t('room.poll.title')}</h2>
      <p class="visually-hidden" role="status">${this.status}</p>
      ${open.length === 0 && closed.length === 0
        ? html`<div class="empty">
            <strong>${t('room.poll.empty')}</strong>
            <p class="hint">${t('room.poll.emptyHint')}</p>
          </div>`
        : nothing}
      ${open.length > 0
        ? html`<div class="group">
            <h3>${t('room.poll.openHeading')}</h3>
            ${needsName
              ? html`<div class="sign-in">
                  <p>${t('room.poll.signIn')}</p>
                  <parvis-guest-form
                    purpose="polls"
                    ?busy=${this.#guest.busy}
                    .error=${this.#guest.error}
                    @parvis-guest-name-submit=${this.#onGuestSubmit}
                  ></parvis-guest-form>
                </div>`
              : nothing}
            ${this.#renderList(open)}
          </div>`
        : nothing}
      ${closed.length > 0
        ? html`<div class="group">
            <h3>${t('room.poll.closedHeading')}</h3>
            ${this.#renderList(closed)}
          </div>`
        : nothing}
    </section>`;
  }

  #renderList(polls: readonly Poll[]) {
    return html`<ul>
      ${repeat(
        polls,
        (p) => p.id,
        (p) => html`<li>
          <parvis-poll-card
            data-poll-id=${p.id}
            .poll=${p}
            ?busy=${this.voting === p.id}
            .error=${this.errors[p.id] ?? ''}
          ></parvis-poll-card>
        </li>`,
      )}
    </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-polls-panel': ParvisPollsPanel;
  }
}
