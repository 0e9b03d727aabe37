import type { Poll } from '#shared/domain/poll';
import { describe, expect, it } from 'vitest';
import { PollAnnouncer } from './poll-announcer';
import { audiencePolls, hasVoted, pollResults } from './poll-results';

function poll(id: string, patch: Partial<Poll> = {}): Poll {
  return {
    id,
    eventId: 'e1',
    question: `Question ${id}`,
    options: [
      { id: 'a', text: 'Oui' },
      { id: 'b', text: 'Non' },
      { id: 'c', text: 'Sans avis' },
    ],
    multiple: false,
    results: 'live',
    state: 'open',
    createdAt: '2026-11-25T18:00:00.000Z',
    openedAt: '2026-11-25T18:01:00.000Z',
    closedAt: null,
    counts: [0, 0, 0],
    voters: 0,
    ...patch,
  };
}

describe('pollResults', () => {
  it('gives each option its count and its share of the voters, and marks the leader and the person\'s choice', () => {
    const results = pollResults(poll('p1', { counts: [3, 1, 0], voters: 4, myChoice: ['b'] }));
    expect(results?.voters).toBe(4);
    expect(results?.rows.map((r) => [r.option.text, r.count, r.percent, r.leading, r.chosen])).toEqual([
      ['Oui', 3, 75, true, false],
      ['Non', 1, 25, false, true],
      ['Sans avis', 0, 0, false, false],
    ]);
  });

  it('counts shares of voters in a multiple-choice poll, which may add up to more than 100', () => {
    const results = pollResults(poll('p1', { multiple: true, counts: [2, 2, 1], voters: 2 }));
    expect(results?.rows.map((r) => r.percent)).toEqual([100, 100, 50]);
    expect(results?.rows.filter((r) => r.leading).map((r) => r.option.id)).toEqual(['a', 'b']);
  });

  it('shows 0 % and no leader before anyone voted', () => {
    const results = pollResults(poll('p1'));
    expect(results?.rows.every((r) => r.percent === 0 && !r.leading)).toBe(true);
  });

  it('answers null while the results are hidden', () => {
    expect(pollResults(poll('p1', { results: 'after-close', counts: null, voters: null }))).toBeNull();
  });
});

describe('audiencePolls', () => {
  it('leaves drafts out, lists open polls first and closed ones newest first', () => {
    const { open, closed } = audiencePolls([
      poll('p1', { state: 'closed', closedAt: '2026-11-25T18:05:00.000Z' }),
      poll('p2', { state: 'draft' }),
      poll('p3'),
      poll('p4', { state: 'closed', closedAt: '2026-11-25T18:09:00.000Z' }),
    ]);
    expect(open.map((p) => p.id)).toEqual(['p3']);
    expect(closed.map((p) => p.id)).toEqual(['p4', 'p1']);
  });

  it('knows whether the person voted', () => {
    expect(hasVoted(poll('p1', { myChoice: ['a'] }))).toBe(true);
    expect(hasVoted(poll('p1', { myChoice: [] }))).toBe(false);
    expect(hasVoted(poll('p1'))).toBe(false);
  });
});

describe('PollAnnouncer', () => {
  it('says nothing about the polls already there when the page opens', () => {
    const announcer = new PollAnnouncer(1_000);
    expect(announcer.next([poll('p1')], 0, true)).toBeNull();
  });

  it('announces a poll that opens and a poll that closes', () => {
    const announcer = new PollAnnouncer(1_000);
    announcer.next([], 0, true);
    expect(announcer.next([poll('p1')], 10, true)).toMatchObject({ kind: 'opened', poll: { id: 'p1' } });
    expect(announcer.next([poll('p1', { state: 'closed' })], 20, true)).toMatchObject({ kind: 'closed' });
  });

  it('never announces a draft', () => {
    const announcer = new PollAnnouncer(1_000);
    announcer.next([], 0, true);
    expect(announcer.next([poll('p1', { state: 'draft' })], 10, true)).toBeNull();
    expect(announcer.next([poll('p1')], 20, true)).toMatchObject({ kind: 'opened' });
  });

  it('announces live results at most once per interval, however many bursts come', () => {
    const announcer = new PollAnnouncer(1_000);
    announcer.next([poll('p1')], 0, true);
    const heard = [];
    for (let t = 100, voters = 1; t <= 3_000; t += 100, voters++) {
      const news = announcer.next([poll('p1', { counts: [voters, 0, 0], voters })], t, true);
      if (news) heard.push([news.kind, t]);
    }
    expect(heard).toEqual([
      ['results', 1_000],
      ['results', 2_000],
      ['results', 3_000],
    ]);
  });

  it('keeps quiet about results while the polls are not on screen, but still announces openings', () => {
    const announcer = new PollAnnouncer(1_000);
    announcer.next([poll('p1')], 0, false);
    expect(announcer.next([poll('p1', { counts: [5, 0, 0], voters: 5 })], 5_000, false)).toBeNull();
    expect(announcer.next([poll('p1', { counts: [5, 0, 0], voters: 5 }), poll('p2')], 6_000, false)).toMatchObject({
      kind: 'opened',
      poll: { id: 'p2' },
    });
  });

  it('prefers the closing of a poll to a results update of another', () => {
    const announcer = new PollAnnouncer(1_000);
    announcer.next([poll('p1'), poll('p2')], 0, true);
    const news = announcer.next([poll('p1', { counts: [1, 0, 0], voters: 1 }), poll('p2', { state: 'closed' })], 5_000, true);
    expect(news).toMatchObject({ kind: 'closed', poll: { id: 'p2' } });
  });
});
