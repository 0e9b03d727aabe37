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
});
