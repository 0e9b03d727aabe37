import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { event } from '../../store/contract-fixtures';
import { at, registered, signUp } from '../../store/sign-up-fixtures';
import { openSqliteStore } from '../../store/sqlite/sqlite-store';
import type { Store } from '../../store/store';
import { eventFiguresCsv, seasonFiguresCsv } from './figures-csv';
import { FiguresService } from './figures.service';

/*
 * The figures beside the audience's own (which audience.integration.test.ts scripts): what the live room kept, the
 * chart's markers, registrations → attendance, and the season. On a real SQLite store.
 */

const T = (min: number) => new Date(Date.UTC(2026, 10, 25, 18, min)).toISOString();

describe('FiguresService', () => {
  let store: Store;
  let figures: FiguresService;

  beforeEach(async () => {
    store = openSqliteStore(':memory:');
    figures = new FiguresService(store);
    await store.programme.saveProgramme(
      [],
      [
        event('talk', T(0), T(60), { status: 'ended' }),
        event('workshop', T(0), T(90), { status: 'ended', access: 'registration', kind: 'workshop', capacity: 10 }),
        event('later', '2027-01-10T18:00:00.000Z', '2027-01-10T19:00:00.000Z'),
      ],
    );
  });

  afterEach(async () => {
    await store.close();
  });

  it('counts what the live room kept and marks questions on air and polls opened, in time order', async () => {
    const author = { id: 'u1', displayName: 'Ana' };
    const ask = (text: string, clientId: string) =>
      store.questions.ask({ eventId: 'talk', text, anonymous: false, author, clientId, state: 'approved', createdAt: T(1) });
    const first = (await ask('Pourquoi le Chili ?', 'q1')).question;
    const second = (await ask('Et après ?', 'q2')).question;
    await ask('Jamais à l’écran', 'q3');
    await store.questions.setState('talk', first.id, { to: 'live', from: ['approved'], at: T(10) });
    // Putting the second on air answers the first.
    await store.questions.setState('talk', second.id, { to: 'live', from: ['approved'], at: T(30) });
    const poll = await store.polls.createPoll({
      eventId: 'talk',
      question: 'Un autre film ?',
      options: [
        { id: 'o1', text: 'Oui' },
        { id: 'o2', text: 'Non' },
      ],
      multiple: false,
      results: 'live',
      createdAt: T(2),
    });
    await store.polls.setPollState('talk', poll.id, { to: 'open', from: 'draft', at: T(20) });
    await store.polls.votePoll('talk', poll.id, 'u1', ['o1']);
    await store.polls.votePoll('talk', poll.id, 'u2', ['o2']);
    await store.reactions.add('talk', T(11), { '👏': 3, '❤️': 1 });
    await store.reactions.add('talk', T(12), { '👏': 2 });
    for (const clientId of ['m1', 'm2', 'm3']) {
      await store.chat.append({ eventId: 'talk', author: { ...author, role: 'guest' }, text: 'bonjour', clientId, sentAt: T(5) });
    }

    const f = await figures.event('talk');
    expect(f.chatMessages).toBe(3);
    expect(f.questions).toEqual({ asked: 3, answered: 1 });
    expect(f.pollVotes).toBe(2);
    expect(f.reactions).toBe(6);
    expect(f.markers).toEqual([
      { type: 'question-live', at: T(10), label: 'Pourquoi le Chili ?' },
      { type: 'poll-open', at: T(20), label: 'Un autre film ?' },
      { type: 'question-live', at: T(30), label: 'Et après ?' },
    ]);
    expect(f.registrations).toBeNull();
    expect(f.peak).toBeNull();
    const csv = eventFiguresCsv(f, 'fr');
    expect(csv).toContain('Questions posées,3\r\n');
    expect(csv).toContain(`${T(20)},sondage ouvert,Un autre film ?\r\n`);
  });

  it('gives registrations → attendance for an event with sign-up, and the season of the events that went live', async () => {
    const rules = { capacity: 10, waitlist: true, fairCap: null };
    const a = await registered(store, signUp('workshop', 'a@example.org', { rules }));
    const b = await registered(store, signUp('workshop', 'b@example.org', { rules }));
    await registered(store, signUp('workshop', 'c@example.org', { rules }));
    const gone = await registered(store, signUp('workshop', 'd@example.org', { rules }));
    await store.registrations.cancel(gone.registration.id, 'person', { rules, offerExpiresAt: null }, at(5));
    await store.registrations.setAttendance(a.registration.id, at(10));
    await store.registrations.setAttendance(b.registration.id, at(10));
    await store.audience.putSample('talk', T(0), 'p1', 7);
    await store.audience.putSample('talk', T(1), 'p1', 12);
    await store.audience.addWatch('talk', { person: 'user:x', mode: 'replay', view: 'v1', ms: 1000 });

    expect((await figures.event('workshop')).registrations).toEqual({ registered: 3, attended: 2 });
    const season = await figures.season({});
    expect(season.events.map((e) => [e.id, e.peak, e.replayViews, e.registrations])).toEqual([
      ['talk', 12, 1, null],
      ['workshop', 0, 0, { registered: 3, attended: 2 }],
    ]);
    expect(season.totals).toEqual({ events: 2, uniqueViewers: 0, replayViews: 1, registered: 3, attended: 2 });
    expect(seasonFiguresCsv(season, 'en')).toContain(`Event workshop,${T(0)},ended,0,0,0,0,3,2\r\n`);
  });
});
