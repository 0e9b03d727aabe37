import type { ChatMessage } from '#shared/domain/chat';

/** Keeps the chat memory of a long event bounded; older messages scroll out of the page. */
export const CHAT_LOG_LIMIT = 500;

/**
 * The chat messages of one event as the client holds them: keyed by `offset`, sorted, each message once.
 *
 * Messages reach the client from three places that overlap: the join ack (history, or what was missed since an
 * offset), the `chat:messages` broadcasts, and the ack of one's own `chat:send`. Merging all of them here, by offset
 * and by id, is what makes "shown once, in order, none lost" hold.
 */
export class ChatLog {
  #byOffset = new Map<number, ChatMessage>();
  #ids = new Set<string>();
  #sorted: readonly ChatMessage[] = [];
  #lastOffset = 0;
  /** Highest offset dropped by the size limit: anything at or below it is old news. */
  #floor = 0;
  readonly #limit: number;

  constructor(limit = CHAT_LOG_LIMIT) {
    this.#limit = limit;
  }

  /** Oldest first. A new array after every change, so it can be handed to a Lit property as is. */
  get messages(): readonly ChatMessage[] {
    return this.#sorted;
  }

  /** The highest offset known for the event: what to send as `since` when rejoining. */
  get lastOffset(): number {
    return this.#lastOffset;
  }

  get size(): number {
    return this.#sorted.length;
  }

  /** Whether the message at `offset` is held, or was held and scrolled out of memory. */
  has(offset: number): boolean {
    return offset <= this.#floor || this.#byOffset.has(offset);
  }

  /** Adds the messages not held yet; returns whether anything changed. */
  merge(messages: readonly ChatMessage[]): boolean {
    const added: ChatMessage[] = [];
    for (const message of messages) {
      if (message.offset <= this.#floor) continue;
      if (this.#byOffset.has(message.offset) || this.#ids.has(message.id)) continue;
      this.#byOffset.set(message.offset, message);
      this.#ids.add(message.id);
      added.push(message);
    }
    if (added.length === 0) return false;
    let next = [...this.#sorted, ...added];
    // The common case is one new message after the others; only sort when something landed in between.
    const inOrder = next.every((m, i) => i === 0 || next[i - 1]!.offset < m.offset);
    if (!inOrder) next.sort((a, b) => a.offset - b.offset);
    if (next.length > this.#limit) {
      const dropped = next.slice(0, next.length - this.#limit);
      next = next.slice(next.length - this.#limit);
      for (const m of dropped) {
        this.#byOffset.delete(m.offset);
        this.#ids.delete(m.id);
        this.#floor = Math.max(this.#floor, m.offset);
      }
    }
    this.#sorted = next;
    this.noteOffset(next[next.length - 1]!.offset);
    return true;
  }

  /** Forgets everything and holds exactly these messages (a join ack with `reset`). */
  replace(messages: readonly ChatMessage[], lastOffset = 0): void {
    this.#byOffset.clear();
    this.#ids.clear();
    this.#sorted = [];
    this.#lastOffset = 0;
    this.#floor = 0;
    this.merge(messages);
    this.noteOffset(lastOffset);
  }

  /** Records that the event has messages up to `offset` (from a join ack), even if none of them is held. */
  noteOffset(offset: number): void {
    if (offset > this.#lastOffset) this.#lastOffset = offset;
  }
}
