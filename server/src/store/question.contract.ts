import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QuestionState } from '#shared/domain/question';
import type { QuestionRecord, NewQuestion } from './question-store';
import type { Store } from './store';
import { ANY_STATE, event, newQuestion } from './contract-fixtures';

/**
 * The behaviour of `store.questions` on every store (see question-store.ts), where the port leaves a choice open:
 * questions are listed oldest first, ties by id. Setting a question live moves the event's previous live question to
 * answered (with `answeredAt` the same instant) in the same atomic step: never refused for that reason.
 */
export function questionContract(name: string, open: () => Promise<Store>, dispose: (store: Store) => Promise<void>): void {
  describe(`Question store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await dispose(store);
    });

    const ask = async (authorId: string, clientId: string, extra: Partial<NewQuestion> = {}): Promise<QuestionRecord> =>
      (await store.questions.ask(newQuestion('e', authorId, clientId, extra))).question;

    it('stores a question with every field and finds it by id and in the list', async () => {
      const { question, created } = await store.questions.ask(
        newQuestion('e', 'u1', 'c1', { text: 'Où trouvez-vous vos idées ?', anonymous: true, state: 'pending' }),
      );
      expect(created).toBe(true);
      expect(question).toEqual({
        id: question.id,
        eventId: 'e',
        text: 'Où trouvez-vous vos idées ?',
        anonymous: true,
        author: { id: 'u1', displayName: 'U1' },
        clientId: 'c1',
        state: 'pending',
        votes: 0,
        starred: false,
        position: null,
        createdAt: '2026-11-25T10:00:00.000Z',
        liveAt: null,
        answeredAt: null,
        rejectedReason: null,
        mergedInto: null,
        origin: 'online',
      });
      expect(await store.questions.get('e', question.id)).toEqual(question);
      expect(await store.questions.list('e')).toEqual([question]);
      expect(await store.questions.get('other', question.id)).toBeUndefined();
      expect(await store.questions.list('other')).toEqual([]);
    });

    it('returns the first question when an author repeats a clientId, even concurrently', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.questions.ask(newQuestion('e', 'u1', 'same', { text: `try ${i}` }))),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const first = results.find((r) => r.created)!.question;
      for (const r of results) expect(r.question).toEqual(first);
      await ask('u2', 'same');
      expect(await store.questions.list('e')).toHaveLength(2);
    });

    it('keeps where each question was asked, through every change, and the first origin for a repeated clientId', async () => {
      const room = await ask('u1', 'c1', { origin: 'room' });
      const online = await ask('u2', 'c2');
      expect(room.origin).toBe('room');
      expect(online.origin).toBe('online');
      const again = await store.questions.ask(newQuestion('e', 'u1', 'c1', { origin: 'online' }));
      expect(again).toEqual({ question: room, created: false });
      await store.questions.vote('e', room.id, 'v1', true);
      await store.questions.update('e', room.id, { text: 'Corrigée', starred: true });
      expect(await store.questions.setState('e', room.id, { to: 'live', from: ANY_STATE, at: '2026-11-25T10:10:00.000Z' })).toMatchObject({
        question: { origin: 'room', state: 'live' },
      });
      expect(await store.questions.merge('e', online.id, room.id, { from: ANY_STATE, into: ANY_STATE })).toMatchObject({
        from: { origin: 'online' },
        into: { origin: 'room' },
      });
      expect(Object.fromEntries((await store.questions.list('e')).map((q) => [q.id, q.origin]))).toEqual({
        [room.id]: 'room',
        [online.id]: 'online',
      });
    });

    it('lists questions oldest first', async () => {
      const late = await ask('u1', 'c1', { createdAt: '2026-11-25T10:05:00.000Z' });
      const early = await ask('u2', 'c2', { createdAt: '2026-11-25T10:01:00Z' });
      expect((await store.questions.list('e')).map((q) => q.id)).toEqual([early.id, late.id]);
    });

    it('counts one vote per person, withdraws it, and tells whether anything changed', async () => {
      const q = await ask('u1', 'c1');
      expect(await store.questions.vote('e', q.id, 'v1', true)).toMatchObject({ outcome: 'counted', changed: true, question: { votes: 1 } });
      expect(await store.questions.vote('e', q.id, 'v1', true)).toMatchObject({ outcome: 'counted', changed: false, question: { votes: 1 } });
      expect(await store.questions.vote('e', q.id, 'v2', true)).toMatchObject({ changed: true, question: { votes: 2 } });
      expect(await store.questions.votesBy('e', 'v1')).toEqual([q.id]);
      expect(await store.questions.vote('e', q.id, 'v1', false)).toMatchObject({ changed: true, question: { votes: 1 } });
      expect(await store.questions.vote('e', q.id, 'v1', false)).toMatchObject({ changed: false, question: { votes: 1 } });
      expect(await store.questions.votesBy('e', 'v1')).toEqual([]);
      expect(await store.questions.votesBy('e', 'v2')).toEqual([q.id]);
      expect((await store.questions.get('e', q.id))!.votes).toBe(1);
      expect(await store.questions.vote('e', 'nope', 'v1', true)).toEqual({ outcome: 'not-found' });
    });

    it('refuses votes on questions that are not approved or live', async () => {
      const pending = await ask('u1', 'c1', { state: 'pending' });
      expect(await store.questions.vote('e', pending.id, 'v1', true)).toEqual({ outcome: 'closed', question: pending });
      expect(await store.questions.votesBy('e', 'v1')).toEqual([]);
      const q = await ask('u1', 'c2');
      await store.questions.setState('e', q.id, { to: 'live', from: ['approved'], at: '2026-11-25T10:10:00.000Z' });
      expect(await store.questions.vote('e', q.id, 'v1', true)).toMatchObject({ outcome: 'counted', question: { votes: 1 } });
      await store.questions.setState('e', q.id, { to: 'answered', from: ['live'], at: '2026-11-25T10:20:00.000Z' });
      expect(await store.questions.vote('e', q.id, 'v2', true)).toMatchObject({ outcome: 'closed', question: { votes: 1 } });
    });

    it('counts 200 concurrent votes by distinct people as 200, and a person voting twice once', async () => {
      const q = await ask('u1', 'c1');
      const results = await Promise.all([
        ...Array.from({ length: 200 }, (_, i) => store.questions.vote('e', q.id, `v${i}`, true)),
        ...Array.from({ length: 20 }, () => store.questions.vote('e', q.id, 'v0', true)),
      ]);
      expect(results.filter((r) => r.outcome === 'counted' && r.changed)).toHaveLength(200);
      expect((await store.questions.get('e', q.id))!.votes).toBe(200);
    });

    it('moves a question through its states, recording when it went live and was answered', async () => {
      const q = await ask('u1', 'c1', { state: 'pending' });
      const approved = await store.questions.setState('e', q.id, { to: 'approved', from: ['pending'], at: '2026-11-25T10:01:00.000Z' });
      expect(approved).toMatchObject({ outcome: 'changed', question: { state: 'approved', liveAt: null }, previous: 'pending' });
      const live = await store.questions.setState('e', q.id, { to: 'live', from: ['approved'], at: '2026-11-25T10:02:00.000Z' });
      expect(live).toEqual({
        outcome: 'changed',
        question: { ...q, state: 'live', liveAt: '2026-11-25T10:02:00.000Z' },
        previous: 'approved',
      });
      const answered = await store.questions.setState('e', q.id, { to: 'answered', from: ['live'], at: '2026-11-25T10:09:00.000Z' });
      expect(answered).toMatchObject({ question: { state: 'answered', liveAt: '2026-11-25T10:02:00.000Z', answeredAt: '2026-11-25T10:09:00.000Z' } });
      expect(await store.questions.setState('e', q.id, { to: 'approved', from: ['pending'], at: '2026-11-25T10:10:00.000Z' })).toMatchObject({
        outcome: 'refused',
        question: { state: 'answered' },
      });
      expect(await store.questions.setState('e', 'nope', { to: 'approved', from: ANY_STATE, at: '2026-11-25T10:10:00.000Z' })).toEqual({
        outcome: 'not-found',
      });
    });

    it('keeps the reason of a rejection', async () => {
      const q = await ask('u1', 'c1', { state: 'pending' });
      const r = await store.questions.setState('e', q.id, { to: 'rejected', from: ['pending'], at: '2026-11-25T10:01:00.000Z', reason: 'Hors sujet' });
      expect(r).toMatchObject({ outcome: 'changed', question: { state: 'rejected', rejectedReason: 'Hors sujet' } });
      const q2 = await ask('u1', 'c2', { state: 'pending' });
      const r2 = await store.questions.setState('e', q2.id, { to: 'rejected', from: ['pending'], at: '2026-11-25T10:01:00.000Z' });
      expect(r2).toMatchObject({ question: { rejectedReason: null } });
    });

    it('keeps at most one live question: the previous one becomes answered, even under concurrency', async () => {
      const qs = await Promise.all(Array.from({ length: 10 }, (_, i) => ask('u1', `c${i}`)));
      const first = await store.questions.setState('e', qs[0]!.id, { to: 'live', from: ['approved'], at: '2026-11-25T10:01:00.000Z' });
      const second = await store.questions.setState('e', qs[1]!.id, { to: 'live', from: ['approved'], at: '2026-11-25T10:02:00.000Z' });
      expect(first).not.toHaveProperty('answered');
      expect(second).toMatchObject({
        outcome: 'changed',
        answered: { id: qs[0]!.id, state: 'answered', answeredAt: '2026-11-25T10:02:00.000Z' },
      });
      await Promise.all(
        qs.slice(2).map((q) => store.questions.setState('e', q.id, { to: 'live', from: ['approved'], at: '2026-11-25T10:03:00.000Z' })),
      );
      const all = await store.questions.list('e');
      expect(all.filter((q) => q.state === 'live')).toHaveLength(1);
      expect(all.filter((q) => q.state === 'answered')).toHaveLength(9);
      // Another event's live question is not touched.
      const other = (await store.questions.ask(newQuestion('f', 'u1', 'c1'))).question;
      await store.questions.setState('f', other.id, { to: 'live', from: ['approved'], at: '2026-11-25T10:04:00.000Z' });
      expect((await store.questions.list('e')).filter((q) => q.state === 'live')).toHaveLength(1);
    });

    it('merges a question, counting a person who voted for both once', async () => {
      const from = await ask('u1', 'c1');
      const into = await ask('u2', 'c2');
      for (const v of ['a', 'b', 'c']) await store.questions.vote('e', from.id, v, true);
      for (const v of ['c', 'd']) await store.questions.vote('e', into.id, v, true);
      const allowed = { from: ['pending', 'approved'] as QuestionState[], into: ['pending', 'approved', 'live', 'answered'] as QuestionState[] };
      const merged = await store.questions.merge('e', from.id, into.id, allowed);
      expect(merged).toMatchObject({
        outcome: 'merged',
        previous: 'approved',
        from: { id: from.id, state: 'merged', mergedInto: into.id, votes: 3 },
        into: { id: into.id, state: 'approved', votes: 4 },
      });
      expect(await store.questions.votesBy('e', 'a')).toEqual([from.id, into.id].sort());
      // Merged questions take no more votes, and a merge is not repeated.
      expect(await store.questions.vote('e', from.id, 'z', true)).toMatchObject({ outcome: 'closed' });
      expect(await store.questions.merge('e', from.id, into.id, allowed)).toMatchObject({ outcome: 'refused' });
      expect(await store.questions.merge('e', into.id, into.id, allowed)).toMatchObject({ outcome: 'refused' });
      expect(await store.questions.merge('e', 'nope', into.id, allowed)).toEqual({ outcome: 'not-found' });
    });

    it('edits the text, stars and places a question in the queue', async () => {
      const q = await ask('u1', 'c1');
      expect(await store.questions.update('e', q.id, { text: 'Texte corrigé' })).toEqual({ ...q, text: 'Texte corrigé' });
      expect(await store.questions.update('e', q.id, { starred: true, position: 3 })).toEqual({
        ...q,
        text: 'Texte corrigé',
        starred: true,
        position: 3,
      });
      expect(await store.questions.update('e', q.id, { position: null })).toMatchObject({ starred: true, position: null });
      expect(await store.questions.update('e', 'nope', { starred: true })).toBeUndefined();
    });

    it('goes with its event when the event is deleted or the programme reset', async () => {
      await store.programme.saveProgramme([], [event('e', '2026-12-01T18:00:00.000Z', '2026-12-01T19:00:00.000Z')]);
      const q = await ask('u1', 'c1');
      await store.questions.vote('e', q.id, 'v1', true);
      expect(await store.programme.deleteEvent('e')).toBe(true);
      expect(await store.questions.list('e')).toEqual([]);
      expect(await store.questions.votesBy('e', 'v1')).toEqual([]);
      // The same clientId may be used again: the idempotency record went too.
      expect((await store.questions.ask(newQuestion('e', 'u1', 'c1'))).created).toBe(true);
      await store.clearAll();
      expect(await store.questions.list('e')).toEqual([]);
    });
  });
}
