import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Event } from '#shared/domain/event';
import type { BackstageNote, Sanction } from '#shared/domain/moderation';
import type { NewHeldMessage } from './moderation-store';
import type { NewChatMessage } from './chat-store';
import type { Store } from './store';

const T0 = Date.parse('2026-11-25T18:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

function chat(eventId: string, authorId: string, clientId: string, text = 'bonjour'): NewChatMessage {
  return { eventId, author: { id: authorId, displayName: authorId.toUpperCase(), role: 'guest' }, text, clientId, sentAt: iso(T0) };
}

function held(eventId: string, authorId: string, clientId: string, at = T0): NewHeldMessage {
  return {
    eventId,
    author: { id: authorId, displayName: authorId.toUpperCase(), role: 'guest' },
    text: 'un gros mot',
    clientId,
    sentAt: iso(at),
    matched: ['gros mot'],
  };
}

function sanction(eventId: string, userId: string, extra: Partial<Sanction> = {}): Sanction {
  return {
    eventId,
    userId,
    displayName: userId.toUpperCase(),
    kind: 'timeout',
    until: iso(T0 + 10 * 60_000),
    reason: null,
    by: 'Modératrice',
    at: iso(T0),
    ...extra,
  };
}

function note(eventId: string, id: string, at = T0): BackstageNote {
  return { id, eventId, text: `note ${id}`, by: 'Modératrice', at: iso(at) };
}

const lecture = (id: string): Event => ({
  id,
  kind: 'lecture',
  title: id,
  summary: '',
  startsAt: '2026-12-01T18:00:00.000Z',
  endsAt: '2026-12-01T19:00:00.000Z',
  timezone: 'Europe/Paris',
  status: 'live',
  access: 'open',
  speakers: [],
  language: 'fr',
});

/**
 * The moderation sub-store's contract: tombstones, room settings, slow mode, held messages, sanctions and backstage
 * notes, the same on every store.
 */
export function moderationContract(name: string, open: () => Promise<Store>, dispose: (store: Store) => Promise<void>): void {
  describe(`Moderation store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await dispose(store);
    });

    describe('deleted chat messages', () => {
      it('keeps a deleted message at its offset, without its text, in every read', async () => {
        const first = (await store.chat.append(chat('e1', 'u1', 'c1', 'premier'))).message;
        const second = (await store.chat.append(chat('e1', 'u2', 'c2', 'à effacer'))).message;
        const third = (await store.chat.append(chat('e1', 'u1', 'c3', 'troisième'))).message;

        const deleted = await store.moderation.deleteChatMessage('e1', second.id);
        // The message as it was, for the audit.
        expect(deleted).toEqual({ message: second, changed: true });

        const tomb = { ...second, text: '', deleted: true };
        expect(await store.chat.tail('e1', 10)).toEqual([first, tomb, third]);
        expect(await store.chat.after('e1', 0, 10)).toEqual([first, tomb, third]);
        expect(await store.chat.after('e1', 1, 1)).toEqual([tomb]);
        expect(await store.chat.lastOffset('e1')).toBe(3);
        // A retry of the deleted message's clientId gets the tombstone, and no new offset.
        expect(await store.chat.append(chat('e1', 'u2', 'c2', 'à effacer'))).toEqual({ message: tomb, created: false });
        expect(await store.chat.lastOffset('e1')).toBe(3);
        // Offsets go on after it.
        expect((await store.chat.append(chat('e1', 'u2', 'c4'))).message.offset).toBe(4);
      });

      it('changes the chat revision when a message is deleted, and not when it is deleted again', async () => {
        const { message } = await store.chat.append(chat('e1', 'u1', 'c1'));
        await store.chat.append(chat('e1', 'u1', 'c2'));
        const before = await store.chat.revision('e1');
        await store.moderation.deleteChatMessage('e1', message.id);
        const after = await store.chat.revision('e1');
        // Same newest offset, other history: a reader keeping history under the old tag must read it again.
        expect(after.lastOffset).toBe(before.lastOffset);
        expect(after.tag).not.toBe(before.tag);
        await store.moderation.deleteChatMessage('e1', message.id);
        expect(await store.chat.revision('e1')).toEqual(after);
      });

      it('answers a second deletion as unchanged, and an unknown message or event as undefined', async () => {
        const { message } = await store.chat.append(chat('e1', 'u1', 'c1'));
        await store.moderation.deleteChatMessage('e1', message.id);
        expect(await store.moderation.deleteChatMessage('e1', message.id)).toEqual({
          message: { ...message, text: '', deleted: true },
          changed: false,
        });
        expect(await store.moderation.deleteChatMessage('e1', 'no-such-id')).toBeUndefined();
        expect(await store.moderation.deleteChatMessage('e2', message.id)).toBeUndefined();
      });

      it('finds a message deep in a long chat', async () => {
        const sent = [];
        for (let i = 0; i < 1200; i++) sent.push((await store.chat.append(chat('e1', `u${i % 7}`, `c${i}`))).message);
        expect((await store.moderation.deleteChatMessage('e1', sent[3]!.id))?.changed).toBe(true);
        expect((await store.chat.after('e1', 3, 1))[0]).toMatchObject({ offset: 4, deleted: true, text: '' });
      });

      it('finds what an author already sent under a clientId, as a message or as a held one', async () => {
        const { message } = await store.chat.append(chat('e1', 'u1', 'c1'));
        expect(await store.moderation.findSent('e1', 'u1', 'c1')).toEqual({ message });
        await store.moderation.deleteChatMessage('e1', message.id);
        expect(await store.moderation.findSent('e1', 'u1', 'c1')).toEqual({ message: { ...message, text: '', deleted: true } });
        const { held: h } = await store.moderation.holdMessage(held('e1', 'u1', 'c2'));
        expect(await store.moderation.findSent('e1', 'u1', 'c2')).toEqual({ held: h });
        expect(await store.moderation.findSent('e1', 'u2', 'c1')).toBeUndefined();
        expect(await store.moderation.findSent('e2', 'u1', 'c1')).toBeUndefined();
      });
    });

    describe('room settings', () => {
      it('starts with slow mode off, pre-moderation unset, nothing pinned and an empty filter', async () => {
        expect(await store.moderation.getSettings('e1')).toEqual({ slowModeSeconds: 0, preModeration: null, pinned: null, wordFilter: [] });
      });

      it('changes only the fields given, and answers the settings before and after', async () => {
        const pinned = { text: 'Bienvenue !', by: 'Modératrice', at: iso(T0) };
        const first = await store.moderation.updateSettings('e1', { slowModeSeconds: 30, pinned });
        expect(first.before).toEqual({ slowModeSeconds: 0, preModeration: null, pinned: null, wordFilter: [] });
        expect(first.after).toEqual({ slowModeSeconds: 30, preModeration: null, pinned, wordFilter: [] });
        const second = await store.moderation.updateSettings('e1', { preModeration: false, wordFilter: ['zut', 'Crétin'] });
        expect(second.before).toEqual(first.after);
        expect(second.after).toEqual({ slowModeSeconds: 30, preModeration: false, pinned, wordFilter: ['zut', 'Crétin'] });
        const third = await store.moderation.updateSettings('e1', { pinned: null, slowModeSeconds: 0 });
        expect(third.after).toEqual({ slowModeSeconds: 0, preModeration: false, pinned: null, wordFilter: ['zut', 'Crétin'] });
        expect(await store.moderation.getSettings('e1')).toEqual(third.after);
        // Another event is untouched.
        expect((await store.moderation.getSettings('e2')).slowModeSeconds).toBe(0);
      });
    });

    describe('slow mode', () => {
      it('gives one turn per window per person, and the time left to the others', async () => {
        const m = store.moderation;
        expect(await m.takeSlowModeTurn('e1', 'u1', 'c1', 10_000, T0)).toBe(0);
        expect(await m.takeSlowModeTurn('e1', 'u1', 'c2', 10_000, T0 + 4_000)).toBe(6_000);
        // Someone else, or the same person in another event, is not held up.
        expect(await m.takeSlowModeTurn('e1', 'u2', 'c1', 10_000, T0 + 4_000)).toBe(0);
        expect(await m.takeSlowModeTurn('e2', 'u1', 'c2', 10_000, T0 + 4_000)).toBe(0);
        // A retry of the message that took the turn is let through.
        expect(await m.takeSlowModeTurn('e1', 'u1', 'c1', 10_000, T0 + 5_000)).toBe(0);
        // The window counts from the last message sent, with the window in force now.
        expect(await m.takeSlowModeTurn('e1', 'u1', 'c2', 10_000, T0 + 10_000)).toBe(0);
        expect(await m.takeSlowModeTurn('e1', 'u1', 'c3', 30_000, T0 + 20_000)).toBe(20_000);
        expect(await m.takeSlowModeTurn('e1', 'u1', 'c3', 5_000, T0 + 20_000)).toBe(0);
      });

      it('lets exactly one of many simultaneous messages through', async () => {
        const waits = await Promise.all(
          Array.from({ length: 20 }, (_, i) => store.moderation.takeSlowModeTurn('e1', 'u1', `c${i}`, 60_000, T0)),
        );
        expect(waits.filter((w) => w === 0)).toHaveLength(1);
      });
    });

    describe('held messages', () => {
      it('keeps a held message once per author and clientId, even after its review', async () => {
        const m = store.moderation;
        const first = await m.holdMessage(held('e1', 'u1', 'c1'));
        expect(first.created).toBe(true);
        expect(first.held).toEqual({ id: expect.any(String), ...held('e1', 'u1', 'c1') });
        expect(await m.holdMessage(held('e1', 'u1', 'c1'))).toEqual({ held: first.held, created: false });
        expect(await m.listHeld('e1')).toEqual([first.held]);
        expect(await m.takeHeld('e1', first.held.id)).toEqual(first.held);
        expect(await m.listHeld('e1')).toEqual([]);
        expect(await m.holdMessage(held('e1', 'u1', 'c1'))).toEqual({ held: first.held, created: false });
        expect(await m.listHeld('e1')).toEqual([]);
      });

      it('lists the waiting messages oldest first', async () => {
        const m = store.moderation;
        const later = (await m.holdMessage(held('e1', 'u1', 'c1', T0 + 2000))).held;
        const earlier = (await m.holdMessage(held('e1', 'u2', 'c1', T0))).held;
        await m.holdMessage(held('e2', 'u1', 'c1'));
        expect(await m.listHeld('e1')).toEqual([earlier, later]);
      });

      it('gives a held message to exactly one of two reviewers', async () => {
        const { held: h } = await store.moderation.holdMessage(held('e1', 'u1', 'c1'));
        const takes = await Promise.all([store.moderation.takeHeld('e1', h.id), store.moderation.takeHeld('e1', h.id)]);
        expect(takes.filter((t) => t !== undefined)).toEqual([h]);
        expect(await store.moderation.takeHeld('e1', 'no-such-id')).toBeUndefined();
        expect(await store.moderation.takeHeld('e2', h.id)).toBeUndefined();
      });
    });

    describe('sanctions', () => {
      it('keeps one sanction per person and event, in force until it ends or is removed', async () => {
        const m = store.moderation;
        const timeout = sanction('e1', 'u1');
        await m.putSanction(timeout);
        expect(await m.sanctionOf('e1', 'u1', T0 + 60_000)).toEqual(timeout);
        expect(await m.sanctionOf('e1', 'u1', T0 + 10 * 60_000)).toBeUndefined();
        expect(await m.sanctionOf('e2', 'u1', T0)).toBeUndefined();

        const ban = sanction('e1', 'u1', { kind: 'ban', until: null, reason: 'spam', at: iso(T0 + 1000) });
        await m.putSanction(ban);
        expect(await m.sanctionOf('e1', 'u1', T0 + 365 * 86_400_000)).toEqual(ban);
        expect(await m.listSanctions('e1', T0 + 2000)).toEqual([ban]);

        expect(await m.removeSanction('e1', 'u1', T0 + 3000)).toEqual(ban);
        expect(await m.sanctionOf('e1', 'u1', T0 + 3000)).toBeUndefined();
        expect(await m.removeSanction('e1', 'u1', T0 + 3000)).toBeUndefined();
      });

      it('lists the sanctions in force, oldest first, and forgets an expired timeout when removed', async () => {
        const m = store.moderation;
        const b = sanction('e1', 'u2', { at: iso(T0 + 1000), until: iso(T0 + 120_000) });
        const a = sanction('e1', 'u1', { kind: 'ban', until: null });
        const short = sanction('e1', 'u3', { until: iso(T0 + 30_000) });
        for (const s of [b, a, short]) await m.putSanction(s);
        expect(await m.listSanctions('e1', T0 + 10_000)).toEqual([a, short, b]);
        expect(await m.listSanctions('e1', T0 + 60_000)).toEqual([a, b]);
        expect(await m.removeSanction('e1', 'u3', T0 + 60_000)).toBeUndefined();
        expect(await m.sanctionOf('e1', 'u3', T0)).toBeUndefined();
      });
    });

    describe('backstage notes', () => {
      it('lists the newest notes of an event, oldest first', async () => {
        const m = store.moderation;
        for (let i = 1; i <= 5; i++) await m.addBackstageNote(note('e1', `n${i}`, T0 + i));
        await m.addBackstageNote(note('e2', 'other'));
        expect((await m.listBackstageNotes('e1', 3)).map((n) => n.id)).toEqual(['n3', 'n4', 'n5']);
        expect(await m.listBackstageNotes('e1', 10)).toHaveLength(5);
        expect((await m.listBackstageNotes('e1', 10))[0]).toEqual(note('e1', 'n1', T0 + 1));
        expect(await m.listBackstageNotes('e1', 0)).toEqual([]);
      });
    });

    describe('deleting', () => {
      async function fill(eventId: string) {
        const { message } = await store.chat.append(chat(eventId, 'u1', 'c1'));
        await store.moderation.deleteChatMessage(eventId, message.id);
        await store.moderation.updateSettings(eventId, { slowModeSeconds: 60, preModeration: true, wordFilter: ['zut'] });
        await store.moderation.takeSlowModeTurn(eventId, 'u1', 'c1', 60_000, T0);
        await store.moderation.holdMessage(held(eventId, 'u1', 'c2'));
        await store.moderation.putSanction(sanction(eventId, 'u2', { kind: 'ban', until: null }));
        await store.moderation.addBackstageNote(note(eventId, `n-${eventId}`));
      }
      async function isEmpty(eventId: string) {
        expect(await store.moderation.getSettings(eventId)).toEqual({ slowModeSeconds: 0, preModeration: null, pinned: null, wordFilter: [] });
        expect(await store.moderation.takeSlowModeTurn(eventId, 'u1', 'c9', 60_000, T0)).toBe(0);
        expect(await store.moderation.listHeld(eventId)).toEqual([]);
        expect(await store.moderation.findSent(eventId, 'u1', 'c2')).toBeUndefined();
        expect(await store.moderation.listSanctions(eventId, T0)).toEqual([]);
        expect(await store.moderation.listBackstageNotes(eventId, 10)).toEqual([]);
      }

      it('removes an event’s moderation data with the event, and nothing of another event', async () => {
        await store.programme.saveProgramme([], [lecture('e1'), lecture('e2')]);
        await fill('e1');
        await fill('e2');
        expect(await store.programme.deleteEvent('e1')).toBe(true);
        await isEmpty('e1');
        expect(await store.chat.tail('e1', 10)).toEqual([]);
        // A new first message of a re-created event is not a tombstone.
        expect((await store.chat.append(chat('e1', 'u1', 'c1', 'neuf'))).message).toMatchObject({ offset: 1, text: 'neuf' });
        expect((await store.chat.tail('e1', 10))[0]).not.toHaveProperty('deleted');
        expect(await store.moderation.listBackstageNotes('e2', 10)).toHaveLength(1);
        expect(await store.moderation.listSanctions('e2', T0)).toHaveLength(1);
      });

      it('removes everything on a demo reset', async () => {
        await store.programme.saveProgramme([], [lecture('e1')]);
        await fill('e1');
        await store.clearAll();
        await isEmpty('e1');
      });
    });
  });
}
