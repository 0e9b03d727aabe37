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
import { encodeOnce } from '../../core/encoded-json';
import type { AccessPolicy } from '../access/policy';
import type { ModerationService } from '../moderation/moderation.service';
import { consumeOrRefuse } from '../../core/rate-limit';
import { matchWordFilter } from '../moderation/word-filter';

/** A client that missed more than this many messages gets the latest history and `reset: true` instead. */
export const CHAT_REPLAY_CAP = 1000;

/**
 * Events whose latest history one process keeps for joiners; past this, the event joined longest ago is forgotten
 * (it is read again from the store on its next join).
 */
export const HISTORY_CACHE_EVENTS = 256;

/** An event's latest history as read under one revision tag of the store (see `ChatRevision`). */
interface CachedHistory {
  tag: string;
  /**
   * Frozen, encoded once (`encodeOnce`) and shared by every joiner it is handed to; a promise, so that joiners
   * arriving together read it once.
   */
  messages: Promise<ChatMessage[]>;
}

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

  /** The latest history of each event recently joined on this process, by event id, least recently joined first. */
  private readonly history = new Map<string, CachedHistory>();

  /**
   * What a joining client needs: with `since`, exactly the messages after it (up to the replay cap); without it, or
   * past the cap, the latest history with `reset: true`.
   *
   * A join storm asks for the same latest history thousands of times a second, so it is read from the store once
   * per revision of the chat and handed to every joiner as the same array: each join costs one cheap revision read.
   * The revision comes from the store, not from this process's own writes, so a message appended or deleted through
   * any process (Redis, or several processes on one SQLite file) makes the next joiner read the history again.
   * Messages stored between the revision read and the history read may be in what is kept under the older tag:
   * joiners then get more than the tag promised, never less, and the next revision replaces it.
   */
  async snapshot(eventId: string, since: number | undefined): Promise<ChatSnapshot> {
    const { lastOffset, tag } = await this.store.chat.revision(eventId);
    if (since !== undefined && since <= lastOffset) {
      const latest = await this.latest(eventId, tag);
      // The latest history holds every message after `since` when it reaches back to it, or is the whole chat.
      if (latest.length < CHAT_HISTORY_LIMIT || latest[0]!.offset <= since + 1) {
        const missed = latest.filter((m) => m.offset > since);
        return { messages: missed, lastOffset: missed.at(-1)?.offset ?? since, reset: false };
      }
      const missed = await this.store.chat.after(eventId, since, CHAT_REPLAY_CAP + 1);
      if (missed.length <= CHAT_REPLAY_CAP) {
        return { messages: missed, lastOffset: missed.at(-1)?.offset ?? since, reset: false };
      }
    }
    const messages = await this.latest(eventId, tag);
    return { messages, lastOffset: messages.at(-1)?.offset ?? 0, reset: true };
  }

  /** The newest CHAT_HISTORY_LIMIT messages as of revision `tag` (or later), read from the store once per tag. */
  private latest(eventId: string, tag: string): Promise<ChatMessage[]> {
    const known = this.history.get(eventId);
    // Least recently joined first: taken out and put back at the end.
    this.history.delete(eventId);
    if (known?.tag === tag) {
      this.history.set(eventId, known);
      return known.messages;
    }
    const entry: CachedHistory = {
      tag,
      messages: this.store.chat.tail(eventId, CHAT_HISTORY_LIMIT).then((messages) => {
        for (const m of messages) Object.freeze(Object.freeze(m).author);
        // Encoded once too: the join acks of a storm carry this text rather than 100 messages encoded per joiner.
        return encodeOnce(Object.freeze(messages)) as ChatMessage[];
      }),
    };
    this.history.set(eventId, entry);
    if (this.history.size > HISTORY_CACHE_EVENTS) this.history.delete(this.history.keys().next().value!);
    // A failed read is not kept: the next joiner tries the store again.
    entry.messages.catch(() => {
      if (this.history.get(eventId) === entry) this.history.delete(eventId);
    });
    return entry.messages;
  }
}
