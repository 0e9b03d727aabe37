import { consume } from '@lit/context';
import type { Poll } from '#shared/domain/poll';
import { LitElement, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { i18nContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import { PollAnnouncer, type PollAnnouncement } from './poll-announcer';
import { pollResults } from './poll-results';

/**
 * A polite live region, outside the tabs so that it speaks whichever tab is shown: "new poll", "poll closed" (with
 * the leading option), and now and then the results of the open polls while the polls are on screen. Never one
 * announcement per burst of votes.
 */
@customElement('parvis-polls-announcer')
export class ParvisPollsAnnouncer extends LitElement {
  static override styles = [baseStyles];

  @property({ attribute: false }) polls: readonly Poll[] = [];
  /** The polls are on screen: results updates are worth saying. */
  @property({ type: Boolean }) follow = false;
  /** The room has joined: the polls it holds from then on are the event's (before, they are just not known yet). */
  @property({ type: Boolean }) ready = false;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private message = '';

  readonly #announcer = new PollAnnouncer();

  override willUpdate(changed: PropertyValues<this>): void {
    // The first polls after the join are what was there already, not news: the announcer learns them silently.
    if (!this.ready || !(changed.has('polls') || changed.has('ready'))) return;
    const news = this.#announcer.next(this.polls, Date.now(), this.follow);
    if (news) this.message = this.#say(news);
  }

  #say(news: PollAnnouncement): string {
    const { t } = this.i18n;
    const question = news.poll.question;
    if (news.kind === 'opened') return t('room.poll.announceOpened', { question });
    const results = pollResults(news.poll);
    const leader = results?.rows.find((r) => r.leading);
    const summary = !results
      ? ''
      : leader
        ? t('room.poll.summaryLeading', { option: leader.option.text, percent: leader.percent })
        : t('room.poll.summaryNone');
    return t(news.kind === 'closed' ? 'room.poll.announceClosed' : 'room.poll.announceResults', { question, summary }).trim();
  }

  override render() {
    return html`<p class="visually-hidden" role="status">${this.message}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-polls-announcer': ParvisPollsAnnouncer;
  }
}
