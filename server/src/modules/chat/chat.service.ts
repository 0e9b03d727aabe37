import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { CHAT_HISTORY_LIMIT, type ChatMessage } from '#shared/domain/chat';
import type { Event } from '#shared/domain/event';
import type { User } from '#shared/domain/user';
import type { ChatSnapshot } from '#shared/protocol/events';
import type { ChatSendPayload } from '#shared/protocol/payloads';
import { ErrorCode } from '#shared/protocol/errors';
import type { Store } from '../../store/store';
import { DomainError } from '../errors';
import type { AccessPolicy } from '../access/policy';

/** A client that missed more than this many messages gets the latest history and `reset: true` instead. */
export const CHAT_REPLAY_CAP = 1000;

export class ChatService {
  /**
   * @param limiter counts messages per person: in memory for one process, in Redis when processes share the load, so
   *   that the limit holds however a person's sockets are spread.
   */
  constructor(
    private readonly store: Store,
    private readonly limiter: RateLimiterAbstract,
    private readonly policy: AccessPolicy,
  ) {}

  /**
   * Stores a message and returns it with whether it is new. Sending the same clientId again returns the stored
   * message, so a client may retry after a lost ack without duplicating anything.
   */
  async send(user: User | null, event: Event, payload: ChatSendPayload): Promise<{ message: ChatMessage; created: boolean }> {
    if (!user) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Choose a display name to chat');
    // The author's role is the one they hold in this event now: a moderator's messages say so.
    const role = await this.policy.assertCanChat(user, event);
    try {
      await this.limiter.consume(user.id);
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) {
        throw new DomainError(ErrorCode.UNAVAILABLE, 'The chat is unavailable for a moment: try again');
      }
      throw new DomainError(
        ErrorCode.RATE_LIMITED,
        'Too many messages: wait a moment before sending again',
        Math.max(1, Math.ceil(res.msBeforeNext)),
      );
    }
    return this.store.appendChat({
      eventId: event.id,
      author: { id: user.id, displayName: user.displayName, role },
      text: payload.text,
      clientId: payload.clientId,
      sentAt: new Date().toISOString(),
    });
  }

  /**
   * What a joining client needs: with `since`, exactly the messages after it (up to the replay cap); without it, or
   * past the cap, the latest history with `reset: true`.
   */
  async snapshot(eventId: string, since: number | undefined): Promise<ChatSnapshot> {
    const lastOffset = await this.store.lastChatOffset(eventId);
    if (since !== undefined && since <= lastOffset) {
      const missed = await this.store.chatAfter(eventId, since, CHAT_REPLAY_CAP + 1);
      if (missed.length <= CHAT_REPLAY_CAP) {
        return { messages: missed, lastOffset: missed.at(-1)?.offset ?? since, reset: false };
      }
    }
    const messages = await this.store.chatTail(eventId, CHAT_HISTORY_LIMIT);
    return { messages, lastOffset: messages.at(-1)?.offset ?? 0, reset: true };
  }
}
