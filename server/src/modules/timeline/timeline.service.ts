import type { TimelineItem } from '#shared/domain/broadcast';
import type { ChatMessage } from '#shared/domain/chat';
import { AUDIENCE_STATES } from '#shared/domain/question';
import { offsetAtOrAfter, type ReplayMap } from '#shared/domain/replay-map';
import type { User } from '#shared/domain/user';
import { ms } from '../../store/instants';
import type { Store } from '../../store/store';
import type { ReplayMaps } from './replay-maps';

/** Chat messages read per store call while the timeline is built. */
const CHAT_PAGE = 1000;

/** What happened live, and the replay map it was placed with (null without a replay). */
export interface Timeline {
  items: TimelineItem[];
  map: ReplayMap | null;
}

/** The item's kind without its placement, as the builder collects it before the map is applied. */
type Unplaced = TimelineItem extends infer T ? (T extends TimelineItem ? Omit<T, 'offset'> : never) : never;

/**
 * Things that end come before things that begin at the same instant: putting a question on air answers the previous
 * one in the same store step, with the same instant, and the answer belongs before the new question.
 */
const TIE_RANK: Record<TimelineItem['type'], number> = {
  'question-answered': 0,
  'poll-close': 0,
  chat: 1,
  'question-live': 1,
  'poll-open': 1,
  reactions: 1,
};

/**
 * The live as the replay remembers it (issue 11): chat messages, questions going on air and answered, polls opening
 * and closing, reaction bursts, each with its instant and its offset in the replay. Only what the audience saw live
 * is there: no deleted or held messages, no question the moderators kept back, an anonymous asker's name never, and
 * a poll's results at its close (they are public from then on, even for a poll that hid them while open).
 */
export class TimelineService {
  constructor(
    private readonly store: Store,
    private readonly maps: ReplayMaps,
  ) {}

  /** The event's timeline as `viewer` may see it placed: only on a replay they may watch (see {@link ReplayMaps}). */
  async build(eventId: string, viewer: User | null): Promise<Timeline> {
    const [chat, questions, polls, reactions, found] = await Promise.all([
      this.allChat(eventId),
      this.store.questions.list(eventId),
      this.store.polls.listPolls(eventId),
      this.store.reactions.list(eventId),
      this.maps.map(eventId, viewer),
    ]);
    // A replay of no length (none assembled yet, or nothing left after the trims) places nothing.
    const map = found && found.spans.length > 0 ? found : null;
    const unplaced: Unplaced[] = [];
    for (const m of chat) {
      if (m.deleted) continue;
      unplaced.push({ type: 'chat', at: m.sentAt, messageId: m.id, author: { ...m.author }, text: m.text });
    }
    for (const q of questions) {
      // A question goes on air from approved (or pending, approving it): once there it is public for good.
      if (!AUDIENCE_STATES.includes(q.state) || q.liveAt === null) continue;
      const author = q.anonymous ? null : q.author.displayName;
      unplaced.push({ type: 'question-live', at: q.liveAt, questionId: q.id, text: q.text, author });
      if (q.answeredAt !== null) unplaced.push({ type: 'question-answered', at: q.answeredAt, questionId: q.id, text: q.text });
    }
    for (const p of polls) {
      if (p.openedAt === null) continue;
      unplaced.push({ type: 'poll-open', at: p.openedAt, pollId: p.id, question: p.question });
      if (p.closedAt === null) continue;
      const options = p.options.map((o, i) => ({ id: o.id, label: o.text, votes: p.counts[i] ?? 0 }));
      unplaced.push({ type: 'poll-close', at: p.closedAt, pollId: p.id, question: p.question, options });
    }
    for (const burst of reactions) unplaced.push({ type: 'reactions', at: burst.at, counts: burst.counts });

    // A stable sort: items of the same instant and rank keep the order above (chat by offset, questions as asked).
    unplaced.sort((a, b) => ms(a.at) - ms(b.at) || TIE_RANK[a.type] - TIE_RANK[b.type]);
    const items = unplaced.map((item) => ({ ...item, offset: map ? offsetAtOrAfter(map, item.at) : null }) as TimelineItem);
    return { items, map };
  }

  private async allChat(eventId: string): Promise<ChatMessage[]> {
    const all: ChatMessage[] = [];
    for (;;) {
      const page = await this.store.chat.after(eventId, all.at(-1)?.offset ?? 0, CHAT_PAGE);
      all.push(...page);
      if (page.length < CHAT_PAGE) return all;
    }
  }
}
