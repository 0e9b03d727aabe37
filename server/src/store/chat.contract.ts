import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from './store';
import { chat } from './contract-fixtures';

/**
 * The behaviour of `store.chat` on every store (see chat-store.ts). Reads with a count ≤ 0 read nothing.
 */
export function chatContract(name: string, open: () => Promise<Store>, dispose: (store: Store) => Promise<void>): void {
  describe(`Chat store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await dispose(store);
    });

    it('gives each event its own strictly growing offsets', async () => {
      const a1 = await store.chat.append(chat('a', 'u1', 'c1'));
      const a2 = await store.chat.append(chat('a', 'u2', 'c1'));
      const b1 = await store.chat.append(chat('b', 'u1', 'c2'));
      expect([a1.message.offset, a2.message.offset, b1.message.offset]).toEqual([1, 2, 1]);
      expect(a1.created && a2.created && b1.created).toBe(true);
      expect(await store.chat.lastOffset('a')).toBe(2);
      expect(await store.chat.lastOffset('nothing')).toBe(0);
    });

    it('returns the first message when an author repeats a clientId', async () => {
      const first = await store.chat.append(chat('a', 'u1', 'same', 'une fois'));
      const again = await store.chat.append(chat('a', 'u1', 'same', 'deux fois ?'));
      expect(again).toEqual({ message: first.message, created: false });
      expect(await store.chat.tail('a', 10)).toHaveLength(1);
    });

    it('keeps concurrent appends distinct and ordered', async () => {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => store.chat.append(chat('a', `u${i % 5}`, `k${i}`, `m${i}`))),
      );
      const offsets = results.map((r) => r.message.offset).sort((x, y) => x - y);
      expect(new Set(offsets).size).toBe(50);
      expect(offsets.at(-1)).toBe(await store.chat.lastOffset('a'));
    });

    it('reads the messages after an offset and the newest ones, oldest first', async () => {
      for (let i = 1; i <= 10; i++) await store.chat.append(chat('a', 'u1', `k${i}`, `m${i}`));
      expect((await store.chat.after('a', 7, 100)).map((m) => m.text)).toEqual(['m8', 'm9', 'm10']);
      expect((await store.chat.after('a', 2, 3)).map((m) => m.text)).toEqual(['m3', 'm4', 'm5']);
      expect((await store.chat.after('a', 10, 100))).toEqual([]);
      expect((await store.chat.tail('a', 3)).map((m) => m.text)).toEqual(['m8', 'm9', 'm10']);
      const [m] = await store.chat.tail('a', 1);
      expect(m).toMatchObject({
        eventId: 'a',
        offset: 10,
        author: { id: 'u1', displayName: 'U1', role: 'guest' },
        clientId: 'k10',
        sentAt: '2026-11-25T10:00:00.000Z',
      });
      expect(typeof m!.id).toBe('string');
    });

    it('gives a revision that changes with each message and names the newest offset', async () => {
      const empty = await store.chat.revision('a');
      expect(empty.lastOffset).toBe(0);
      await store.chat.append(chat('a', 'u1', 'k1'));
      const one = await store.chat.revision('a');
      expect(one.lastOffset).toBe(1);
      expect(one.tag).not.toBe(empty.tag);
      // Read again without a change: the same tag, so a cache keyed by it holds.
      expect(await store.chat.revision('a')).toEqual(one);
      // A repeated clientId stores nothing, and another event's message is not this chat's.
      await store.chat.append(chat('a', 'u1', 'k1'));
      await store.chat.append(chat('b', 'u1', 'k1'));
      expect(await store.chat.revision('a')).toEqual(one);
      await store.chat.append(chat('a', 'u1', 'k2'));
      const two = await store.chat.revision('a');
      expect(two.lastOffset).toBe(2);
      expect(two.tag).not.toBe(one.tag);
    });

    it('reads nothing when asked for no messages or fewer than none', async () => {
      for (let i = 1; i <= 3; i++) await store.chat.append(chat('a', 'u1', `k${i}`));
      expect(await store.chat.after('a', 0, 0)).toEqual([]);
      expect(await store.chat.after('a', 0, -1)).toEqual([]);
      expect(await store.chat.tail('a', 0)).toEqual([]);
      expect(await store.chat.tail('a', -1)).toEqual([]);
    });
  });
}
