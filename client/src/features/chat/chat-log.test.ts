import type { ChatMessage } from '#shared/domain/chat';
import { describe, expect, it } from 'vitest';
import { ChatLog } from './chat-log';

function message(offset: number, id = `m${offset}`): ChatMessage {
  return {
    id,
    eventId: 'e1',
    offset,
    author: { id: 'u1', displayName: 'Ada', role: 'guest' },
    text: `message ${offset}`,
    sentAt: new Date(Date.UTC(2026, 10, 25, 18, 0, offset)).toISOString(),
    clientId: `c${offset}`,
  };
}

const offsets = (log: ChatLog): number[] => log.messages.map((m) => m.offset);

describe('ChatLog', () => {
  it('keeps messages sorted by offset whatever order they arrive in', () => {
    const log = new ChatLog();
    log.merge([message(3), message(1)]);
    log.merge([message(2), message(5), message(4)]);
    expect(offsets(log)).toEqual([1, 2, 3, 4, 5]);
    expect(log.lastOffset).toBe(5);
  });

  it('shows a message once when it arrives both in an ack and in a broadcast', () => {
    const log = new ChatLog();
    log.merge([message(1)]);
    expect(log.merge([message(1)])).toBe(false);
    expect(log.merge([{ ...message(2), id: 'same-id' }])).toBe(true);
    expect(log.merge([{ ...message(2), id: 'same-id' }])).toBe(false);
    expect(offsets(log)).toEqual([1, 2]);
  });

  it('hands out a new array after a change and the same one when nothing changed', () => {
    const log = new ChatLog();
    log.merge([message(1)]);
    const before = log.messages;
    log.merge([message(1)]);
    expect(log.messages).toBe(before);
    log.merge([message(2)]);
    expect(log.messages).not.toBe(before);
  });

  it('replaces everything on reset, keeping the offset the server reports', () => {
    const log = new ChatLog();
    log.merge([message(1), message(2)]);
    log.replace([message(50), message(51)], 51);
    expect(offsets(log)).toEqual([50, 51]);
    expect(log.lastOffset).toBe(51);
  });

  it('remembers the offset of a join ack that carried no message', () => {
    const log = new ChatLog();
    log.noteOffset(12);
    expect(log.lastOffset).toBe(12);
    expect(log.messages).toEqual([]);
  });

  it('drops the oldest messages beyond its limit and ignores them if they come back', () => {
    const log = new ChatLog(3);
    log.merge([message(1), message(2), message(3), message(4)]);
    expect(offsets(log)).toEqual([2, 3, 4]);
    expect(log.merge([message(1)])).toBe(false);
    expect(offsets(log)).toEqual([2, 3, 4]);
  });

  it('stops showing a deleted message but still counts its offset as received', () => {
    const log = new ChatLog();
    log.merge([message(1), message(2), message(3)]);
    expect(log.remove(['m2'])).toBe(true);
    expect(offsets(log)).toEqual([1, 3]);
    expect(log.has(2)).toBe(true);
    expect(log.lastOffset).toBe(3);
    // The same message coming again (a late broadcast, a replayed history) does not bring it back.
    expect(log.merge([message(2)])).toBe(false);
    expect(offsets(log)).toEqual([1, 3]);
  });

  it('reports no change when deleting a message already deleted', () => {
    const log = new ChatLog();
    log.merge([message(1)]);
    log.remove(['m1']);
    const before = log.messages;
    expect(log.remove(['m1'])).toBe(false);
    expect(log.messages).toBe(before);
  });

  it('holds the tombstones of a history without showing them, and leaves no hole where they are', () => {
    const log = new ChatLog();
    log.merge([message(1), { ...message(2), text: '', deleted: true }, message(3)]);
    expect(offsets(log)).toEqual([1, 3]);
    expect([1, 2, 3].every((o) => log.has(o))).toBe(true);
  });

  it('hides a held message when a later history brings it back as a tombstone', () => {
    const log = new ChatLog();
    log.merge([message(1), message(2)]);
    expect(log.merge([{ ...message(2), text: '', deleted: true }, message(3)])).toBe(true);
    expect(offsets(log)).toEqual([1, 3]);
  });

  it('keeps a message deleted when the deletion arrives before the message itself', () => {
    const log = new ChatLog();
    log.merge([message(1)]);
    expect(log.remove(['m2'])).toBe(false);
    log.merge([message(2), message(3)]);
    expect(offsets(log)).toEqual([1, 3]);
    expect(log.has(2)).toBe(true);
  });
});
