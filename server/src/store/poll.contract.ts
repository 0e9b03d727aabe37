import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewPoll, PollRecord } from './poll-store';
import type { Store } from './store';

function newPoll(eventId: string, extra: Partial<NewPoll> = {}): NewPoll {
  return {
    eventId,
    question: 'Quel film pour la prochaine séance ?',
    options: [
      { id: 'o1', text: 'La Jetée' },
      { id: 'o2', text: 'Cléo de 5 à 7' },
      { id: 'o3', text: 'Le Joli Mai' },
    ],
    multiple: false,
    results: 'live',
    createdAt: '2026-11-25T10:00:00.000Z',
    ...extra,
  };
}

const AT = '2026-11-25T10:05:00.000Z';

/** The poll store's contract, run against SQLite and Redis (see sqlite-store.test.ts and redis-store.test.ts). */
export function pollContract(name: string, open: () => Promise<Store>, dispose: (store: Store) => Promise<void>): void {
  describe(`Poll store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await dispose(store);
    });

    async function openPoll(extra: Partial<NewPoll> = {}, eventId = 'e1'): Promise<PollRecord> {
      const draft = await store.polls.createPoll(newPoll(eventId, extra));
      const opened = await store.polls.setPollState(eventId, draft.id, { from: 'draft', to: 'open', at: AT });
      if (opened.outcome !== 'changed') throw new Error('could not open the poll');
      return opened.poll;
    }

    it('stores a draft with zero votes and gives it back whole', async () => {
      const draft = await store.polls.createPoll(newPoll('e1', { results: 'after-close', multiple: true }));
      expect(draft).toMatchObject({
        eventId: 'e1',
        state: 'draft',
        multiple: true,
        results: 'after-close',
        openedAt: null,
        closedAt: null,
        counts: [0, 0, 0],
        voters: 0,
      });
      expect(draft.options.map((o) => o.text)).toEqual(['La Jetée', 'Cléo de 5 à 7', 'Le Joli Mai']);
      expect(await store.polls.getPoll('e1', draft.id)).toEqual(draft);
      expect(await store.polls.getPoll('e2', draft.id)).toBeUndefined();
      expect(await store.polls.getPoll('e1', 'nope')).toBeUndefined();
    });

    it('lists an event’s polls oldest first', async () => {
      const second = await store.polls.createPoll(newPoll('e1', { question: 'Deux', createdAt: '2026-11-25T10:00:01Z' }));
      const first = await store.polls.createPoll(newPoll('e1', { question: 'Un', createdAt: '2026-11-25T10:00:00.500Z' }));
      await store.polls.createPoll(newPoll('other', { question: 'Ailleurs' }));
      expect((await store.polls.listPolls('e1')).map((p) => p.id)).toEqual([first.id, second.id]);
      expect(await store.polls.listPolls('empty')).toEqual([]);
    });

    it('opens a draft, closes an open poll, and refuses every other move', async () => {
      const draft = await store.polls.createPoll(newPoll('e1'));
      expect(await store.polls.setPollState('e1', draft.id, { from: 'open', to: 'closed', at: AT })).toMatchObject({
        outcome: 'refused',
        poll: { state: 'draft' },
      });
      const opened = await store.polls.setPollState('e1', draft.id, { from: 'draft', to: 'open', at: AT });
      expect(opened).toMatchObject({ outcome: 'changed', poll: { state: 'open', openedAt: AT, closedAt: null } });
      expect(await store.polls.setPollState('e1', draft.id, { from: 'draft', to: 'open', at: AT })).toMatchObject({ outcome: 'refused' });
      const closedAt = '2026-11-25T10:10:00.000Z';
      const closed = await store.polls.setPollState('e1', draft.id, { from: 'open', to: 'closed', at: closedAt });
      expect(closed).toMatchObject({ outcome: 'changed', poll: { state: 'closed', openedAt: AT, closedAt } });
      expect(await store.polls.getPoll('e1', draft.id)).toMatchObject({ state: 'closed', openedAt: AT, closedAt });
      expect(await store.polls.setPollState('e1', 'nope', { from: 'draft', to: 'open', at: AT })).toEqual({ outcome: 'not-found' });
    });

    it('lets only one of concurrent openings through', async () => {
      const draft = await store.polls.createPoll(newPoll('e1'));
      const results = await Promise.all(
        Array.from({ length: 10 }, () => store.polls.setPollState('e1', draft.id, { from: 'draft', to: 'open', at: AT })),
      );
      expect(results.filter((r) => r.outcome === 'changed')).toHaveLength(1);
    });

    it('deletes a draft only', async () => {
      const draft = await store.polls.createPoll(newPoll('e1'));
      const live = await openPoll();
      expect(await store.polls.deleteDraft('e1', live.id)).toMatchObject({ outcome: 'refused', poll: { state: 'open' } });
      expect(await store.polls.deleteDraft('e1', draft.id)).toMatchObject({ outcome: 'deleted', poll: { id: draft.id } });
      expect(await store.polls.getPoll('e1', draft.id)).toBeUndefined();
      expect(await store.polls.deleteDraft('e1', draft.id)).toEqual({ outcome: 'not-found' });
      expect((await store.polls.listPolls('e1')).map((p) => p.id)).toEqual([live.id]);
    });

    it('counts a vote on an open poll and remembers the choice', async () => {
      const poll = await openPoll();
      const result = await store.polls.votePoll('e1', poll.id, 'u1', ['o2']);
      expect(result).toMatchObject({ outcome: 'counted', poll: { counts: [0, 1, 0], voters: 1 }, choice: ['o2'] });
      expect(await store.polls.getPoll('e1', poll.id)).toMatchObject({ counts: [0, 1, 0], voters: 1 });
      expect(await store.polls.choicesOf('e1', 'u1')).toEqual(new Map([[poll.id, ['o2']]]));
      expect(await store.polls.choicesOf('e1', 'u2')).toEqual(new Map());
    });

    it('takes no vote on a draft or a closed poll', async () => {
      const draft = await store.polls.createPoll(newPoll('e1'));
      expect(await store.polls.votePoll('e1', draft.id, 'u1', ['o1'])).toMatchObject({ outcome: 'not-open', poll: { state: 'draft' } });
      const poll = await openPoll();
      await store.polls.setPollState('e1', poll.id, { from: 'open', to: 'closed', at: AT });
      expect(await store.polls.votePoll('e1', poll.id, 'u1', ['o1'])).toMatchObject({ outcome: 'not-open', poll: { state: 'closed' } });
      expect(await store.polls.votePoll('e1', 'nope', 'u1', ['o1'])).toEqual({ outcome: 'not-found' });
      expect(await store.polls.getPoll('e1', poll.id)).toMatchObject({ counts: [0, 0, 0], voters: 0 });
    });

    it('refuses unknown, repeated or too many options, counting nothing', async () => {
      const single = await openPoll();
      const multiple = await openPoll({ multiple: true });
      for (const [poll, choice] of [
        [single, ['o1', 'o2']],
        [single, ['o9']],
        [single, []],
        [multiple, ['o1', 'o1']],
        [multiple, ['o1', 'zz']],
      ] as const) {
        expect(await store.polls.votePoll('e1', poll.id, 'u1', choice)).toMatchObject({ outcome: 'invalid' });
      }
      expect(await store.polls.getPoll('e1', single.id)).toMatchObject({ counts: [0, 0, 0], voters: 0 });
      expect(await store.polls.choicesOf('e1', 'u1')).toEqual(new Map());
      // A multiple-choice ballot counts once per chosen option, and its person once.
      expect(await store.polls.votePoll('e1', multiple.id, 'u1', ['o3', 'o1'])).toMatchObject({
        outcome: 'counted',
        poll: { counts: [1, 0, 1], voters: 1 },
        choice: ['o3', 'o1'],
      });
    });

    it('keeps the first ballot of a person who votes again', async () => {
      const poll = await openPoll();
      await store.polls.votePoll('e1', poll.id, 'u1', ['o1']);
      expect(await store.polls.votePoll('e1', poll.id, 'u1', ['o3'])).toMatchObject({
        outcome: 'already-voted',
        poll: { counts: [1, 0, 0], voters: 1 },
        choice: ['o1'],
      });
    });

    it('counts 50 concurrent votes by one person once', async () => {
      const poll = await openPoll();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => store.polls.votePoll('e1', poll.id, 'u1', [i % 2 ? 'o1' : 'o2'])),
      );
      expect(results.filter((r) => r.outcome === 'counted')).toHaveLength(1);
      expect(results.filter((r) => r.outcome === 'already-voted')).toHaveLength(49);
      const stored = (await store.polls.getPoll('e1', poll.id))!;
      expect(stored.voters).toBe(1);
      expect(stored.counts.reduce((a, b) => a + b, 0)).toBe(1);
    });

    it('counts 100 people voting at once as 100, each on their option', async () => {
      const poll = await openPoll();
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) => store.polls.votePoll('e1', poll.id, `u${i}`, [`o${(i % 3) + 1}`])),
      );
      expect(results.every((r) => r.outcome === 'counted')).toBe(true);
      expect(await store.polls.getPoll('e1', poll.id)).toMatchObject({ counts: [34, 33, 33], voters: 100 });
      expect(Math.max(...results.map((r) => (r.outcome === 'counted' ? r.poll.voters : 0)))).toBe(100);
    });

    it('refuses a vote that races the closing, or counts it before: never after', async () => {
      const poll = await openPoll();
      const [votes, closed] = await Promise.all([
        Promise.all(Array.from({ length: 30 }, (_, i) => store.polls.votePoll('e1', poll.id, `u${i}`, ['o1']))),
        store.polls.setPollState('e1', poll.id, { from: 'open', to: 'closed', at: AT }),
      ]);
      if (closed.outcome !== 'changed') throw new Error('expected the close to succeed');
      const counted = votes.filter((v) => v.outcome === 'counted').length;
      expect(closed.poll.voters).toBe(counted);
      expect(await store.polls.getPoll('e1', poll.id)).toMatchObject({ voters: counted, counts: [counted, 0, 0] });
    });

    it('forgets an event’s polls and ballots when the event goes, and everything on reset', async () => {
      const poll = await openPoll();
      await store.polls.votePoll('e1', poll.id, 'u1', ['o1']);
      const kept = await openPoll({}, 'e2');
      await store.polls.votePoll('e2', kept.id, 'u1', ['o1']);
      await store.polls.deleteEventData('e1');
      expect(await store.polls.listPolls('e1')).toEqual([]);
      expect(await store.polls.choicesOf('e1', 'u1')).toEqual(new Map());
      expect(await store.polls.listPolls('e2')).toHaveLength(1);

      await store.clearAll();
      expect(await store.polls.listPolls('e2')).toEqual([]);
      expect(await store.polls.choicesOf('e2', 'u1')).toEqual(new Map());
    });
  });
}
