import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { CHAT_HISTORY_LIMIT, type ChatMessage } from '#shared/domain/chat';
import type { Event } from '#shared/domain/event';
import type { HeldMessage } from '#shared/domain/moderation';
import { isRoomStaff } from '#shared/domain/staff';
import type { User } from '#shared/domain/user';
import type { ChatSnapshot } from '#shared/protocol/events';
import type { ChatSendPayload } from '#shared/protocol/payloads';
import { ErrorCode } from '#shared/protocol/errors';
import type { Store } from '../../store/store';
import { DomainError } from '../../core/errors';
import type { AccessPolicy } from '../access/policy';
import type { ModerationService } from '../moderation/moderation.service';
import { consumeOrRefuse } from '../../core/rate-limit';
import { matchWordFilter } from '../moderation/word-filter';

/** A client that missed more than this many messages gets the latest history and `reset: true` instead. */
export const CHAT_REPLAY_CAP = 1000;

/** What `send` answers: the stored message, or the held message when the word filter caught it. */
export type SendOutcome = ({ message: ChatMessage } | { held: HeldMessage }) & {
  /** False when this clientId was already sent (the first answer again); nothing is broadcast a second time. */
  created: boolean;
};

/** Counts chat messages: in memory for one process, in Redis when processes share the load, so that a limit holds
 * however sockets are spread. */
export interface ChatLimiters {
  /** Per person. */
  person: RateLimiterAbstract;
  /** Per address, as `addressKey` counts it: guests cost nothing to make, so a per-person limit alone does not hold. */
  address: RateLimiterAbstract;
}

export class ChatService {
  /** @param moderation the moderators' rules: sanctions, slow mode and the word filter. */
  constructor(
    private readonly store: Store,
    private readonly limiters: ChatLimiters,
    private readonly policy: AccessPolicy,
    private readonly moderation: ModerationService,
  ) {}

  /**
   * Stores a message and returns it with whether it is new. Sending the same clientId again returns the stored
   * message, so a client may retry after a lost ack without duplicating anything.
   *
   * Moderators and admins pass straight through. Anyone else is refused while banned or timed out, then counted by
   * the rate limits (the person's, then their address's: one person's flood does not use up what their neighbours
   * on the same Wi-Fi may say) and slow mode, whose refusals yield to a retry (a clientId already stored gets its
   * first answer), and a message that matches the word filter is held for review instead of being shown.
   *
   * @param address where the message comes from, as `addressKey` counts it.
   */
  async send(user: User | null, event: Event, payload: ChatSendPayload, address: string): Promise<SendOutcome> {
    if (!user) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Choose a display name to chat');
    // The author's role is the one they hold in this event now: a moderator's messages say so.
    const role = await this.policy.assertCanChat(user, event);
    const author = { id: user.id, displayName: user.displayName, role };
    const sentAt = new Date().toISOString();
    if (!isRoomStaff(role)) {
      const [, rules] = await Promise.all([
        this.moderation.assertMayTakePart(user, role, event.id),
        this.moderation.chatRules(event.id),
      ]);
      try {
        await consumeOrRefuse(this.limiters.person, user.id, 'Too many messages: wait a moment before sending again');
        await consumeOrRefuse(this.limiters.address, address, 'Too many messages from your network: wait a moment before sending again');
        await this.moderation.takeSlowModeTurn(event.id, user.id, payload.clientId, rules.slowModeSeconds);
      } catch (err) {
        if (err instanceof DomainError && err.code === ErrorCode.RATE_LIMITED) {
          const prior = await this.moderation.findSent(event.id, user.id, payload.clientId);
          if (prior) return { ...prior, created: false };
        }
        throw err;
      }
      const matched = matchWordFilter(payload.text, rules.wordFilter);
      if (matched.length > 0) {
        // A message already shown under this clientId (the filter changed since it was sent) stays what it was.
        const prior = await this.moderation.findSent(event.id, user.id, payload.clientId);
        if (prior) return { ...prior, created: false };
        return this.moderation.hold({ eventId: event.id, author, text: payload.text, clientId: payload.clientId, sentAt, matched });
      }
    }
    return this.store.chat.append({ eventId: event.id, author, text: payload.text, clientId: payload.clientId, sentAt });
  }

  /**
   * What a joining client needs: with `since`, exactly the messages after it (up to the replay cap); without it, or
   * past the cap, the latest history with `reset: true`.
   */
  async snapshot(eventId: string, since: number | undefined): Promise<ChatSnapshot> {
    const lastOffset = await this.store.chat.lastOffset(eventId);
    if (since !== undefined && since <= lastOffset) {
      const missed = await this.store.chat.after(eventId, since, CHAT_REPLAY_CAP + 1);
      if (missed.length <= CHAT_REPLAY_CAP) {
        return { messages: missed, lastOffset: missed.at(-1)?.offset ?? since, reset: false };
      }
    }
    const messages = await this.store.chat.tail(eventId, CHAT_HISTORY_LIMIT);
    return { messages, lastOffset: messages.at(-1)?.offset ?? 0, reset: true };
  }
}
