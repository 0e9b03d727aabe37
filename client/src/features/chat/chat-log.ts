import type { ChatMessage } from '#shared/domain/chat';

/** Keeps the chat memory of a long event bounded; older messages scroll out of the page. */
export const CHAT_LOG_LIMIT = 500;
/** Deletions of messages not received yet are remembered this long (in ids), in case the message comes later. */
const EARLY_DELETIONS_LIMIT = 1_000;

/**
 * The chat messages of one event as the client holds them: keyed by `offset`, sorted, each message once.
 *
 * Messages reach the client from three places that overlap: the join ack (history, or what was missed since an
 * offset), the `chat:messages` broadcasts, and the ack of one's own `chat:send`. Merging all of them here, by offset
 * and by id, is what makes "shown once, in order, none lost" hold.
 *
 * A message a moderator deleted (`chat:deleted`, or a tombstone `deleted: true` in a history) stays held as a
 * tombstone: it is never shown, but its offset still counts as received, so the hole it would leave is not taken
 * for a lost broadcast.
 */
export class ChatLog {
  #byOffset = new Map<number, ChatMessage>();
  #ids = new Set<string>();
  /** Every held message, tombstones included, by offset. */
  #all: readonly ChatMessage[] = [];
  /** What is shown: `#all` without the tombstones. */
  #sorted: readonly ChatMessage[] = [];
  /** Ids deleted before their message arrived (the deletion overtook it across processes): held as tombstones. */
  #deletedEarly = new Set<string>();
  #lastOffset = 0;
  /** Highest offset dropped by the size limit: anything at or below it is old news. */
  #floor = 0;
  readonly #limit: number;

  constructor(limit = CHAT_LOG_LIMIT) {
    this.#limit = limit;
  }

  /** The messages to show, oldest first, without deleted ones. A new array after every visible change. */
  get messages(): readonly ChatMessage[] {
    return this.#sorted;
  }

  /** The highest offset known for the event: what to send as `since` when rejoining. */
  get lastOffset(): number {
    return this.#lastOffset;
  }

  /** How many messages are shown. */
  get size(): number {
    return this.#sorted.length;
  }

  /** Whether the message at `offset` is held (deleted or not), or was held and scrolled out of memory. */
  has(offset: number): boolean {
    return offset <= this.#floor || this.#byOffset.has(offset);
  }

  /** Adds the messages not held yet, and marks deleted those that come as tombstones; returns whether what is shown changed. */
  merge(messages: readonly ChatMessage[]): boolean {
    const added: ChatMessage[] = [];
    let deleted = false;
    for (const incoming of messages) {
      if (incoming.offset <= this.#floor) continue;
      const held = this.#byOffset.get(incoming.offset);
      if (held) {
        // A later history may carry as a tombstone a message held alive (its deletion happened while offline).
        if (incoming.deleted && !held.deleted && held.id === incoming.id) deleted = this.#markDeleted(held) || deleted;
        continue;
      }
      if (this.#ids.has(incoming.id)) continue;
      const message = this.#deletedEarly.delete(incoming.id) ? tombstone(incoming) : incoming;
      this.#byOffset.set(message.offset, message);
      this.#ids.add(message.id);
      added.push(message);
    }
    const before = this.#sorted;
    if (added.length === 0) {
      if (deleted) this.#refresh(this.#all);
      return this.#sorted !== before;
    }
    let next = [...this.#all, ...added];
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
    this.#refresh(next);
    this.noteOffset(next[next.length - 1]!.offset);
    return this.#sorted !== before;
  }

  /**
   * Deletes messages by id (`chat:deleted`): they are no longer shown, and their offsets stay accounted for. An id not
   * held yet is remembered, so the message is held as deleted if it arrives later. Returns whether what is shown
   * changed.
   */
  remove(ids: readonly string[]): boolean {
    const before = this.#sorted;
    let changed = false;
    for (const id of ids) {
      const held = this.#ids.has(id) ? this.#all.find((m) => m.id === id) : undefined;
      if (held) {
        changed = this.#markDeleted(held) || changed;
        continue;
      }
      this.#deletedEarly.add(id);
      if (this.#deletedEarly.size > EARLY_DELETIONS_LIMIT) {
        this.#deletedEarly.delete(this.#deletedEarly.values().next().value!);
      }
    }
    if (changed) this.#refresh(this.#all);
    return this.#sorted !== before;
  }

  /** Forgets everything and holds exactly these messages (a join ack with `reset`). */
  replace(messages: readonly ChatMessage[], lastOffset = 0): void {
    this.#byOffset.clear();
    this.#ids.clear();
    this.#all = [];
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

  /** Swaps a held message for its tombstone; false when it already was one. */
  #markDeleted(held: ChatMessage): boolean {
    if (held.deleted) return false;
    const dead = tombstone(held);
    this.#byOffset.set(held.offset, dead);
    this.#all = this.#all.map((m) => (m.offset === held.offset ? dead : m));
    return true;
  }

  /** Holds `all`; hands out a new `messages` array only when what is shown changed. */
  #refresh(all: readonly ChatMessage[]): void {
    this.#all = all;
    const shown = all.filter((m) => !m.deleted);
    const same = shown.length === this.#sorted.length && shown.every((m, i) => m === this.#sorted[i]);
    if (!same) this.#sorted = shown;
  }
}

/** What is kept of a deleted message: its place (offset, id), not its words. */
const tombstone = (message: ChatMessage): ChatMessage => ({ ...message, text: '', deleted: true });
