import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Event } from '#shared/domain/event';
import type { JoinResult } from '#shared/protocol/events';
import { wallTimeIn } from '#shared/time/zones';
import { openRedisStore } from '../../store/redis/redis-store';
import { openSqliteStore } from '../../store/sqlite/sqlite-store';
import type { Store } from '../../store/store';
import { connectViewer, guestToken, ok, request, startTestServer, type TestClient } from '../../test/harness';
import { startRedisServer, type RedisServer } from '../../test/redis-server';
import { buildDemoProgramme, ensureDemoProgramme, markProgrammeCustom, resetDemoProgramme } from './demo-programme';
import { DEMO_LIVE_EVENT_ID, seedDemoRoom } from './demo-room';

const now = new Date('2026-11-25T15:07:00Z');

describe('the demo programme', () => {
  const { events, series } = buildDemoProgramme(now);

  it('has exactly one event live now, several upcoming and at least two replays', () => {
    const live = events.filter((e) => e.status === 'live');
    expect(live).toHaveLength(1);
    expect(Date.parse(live[0]!.startsAt)).toBeLessThanOrEqual(now.getTime());
    expect(Date.parse(live[0]!.endsAt)).toBeGreaterThan(now.getTime());
    expect(live[0]!.streamUrl).toBe('/media/live/demo/master.m3u8');
    const upcoming = events.filter((e) => e.status === 'scheduled' && Date.parse(e.startsAt) > now.getTime());
    expect(upcoming.length).toBeGreaterThanOrEqual(3);
    const replays = events.filter((e) => e.status === 'ended' && e.replayUrl && Date.parse(e.endsAt) < now.getTime());
    expect(replays.length).toBeGreaterThanOrEqual(2);
  });

  it('covers every kind of the season: interview, researchers, ciné-conférence, two webinars, workshops', () => {
    const kinds = events.map((e) => e.kind);
    for (const kind of ['lecture', 'cine_conference', 'webinar', 'workshop'] as const) expect(kinds).toContain(kind);
    expect(events.filter((e) => e.kind === 'webinar')).toHaveLength(2);
    expect(events.some((e) => e.seriesId === 'cycle-chili' && e.kind === 'cine_conference')).toBe(true);
    expect(series.map((s) => s.id)).toContain('conversation-fle');
  });

  it('holds the French conversation workshops on Mondays and Fridays at 18:00 Paris time', () => {
    const conversations = events.filter((e) => e.seriesId === 'conversation-fle');
    expect(conversations.length).toBeGreaterThanOrEqual(4);
    for (const e of conversations) {
      const start = new Date(e.startsAt);
      expect([1, 5]).toContain(wallTimeIn(start, 'Europe/Paris').weekday);
      expect(start.toLocaleTimeString('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' })).toBe(
        '18:00',
      );
      expect(e.capacity).toBe(8);
    }
  });

  it('is valid against the shared Event schema', () => {
    for (const e of events) expect(Event.parse(e)).toEqual(e);
  });

  it('is loaded on first start, kept while its live event runs, and moved around now once it has ended', async () => {
    const store = openSqliteStore(':memory:');
    expect(await ensureDemoProgramme(store, now)).toBe('seeded');
    await store.chat.append({
      eventId: 'rencontre-bd-marie-lenoir',
      author: { id: 'u', displayName: 'Ana', role: 'guest' },
      text: 'gardé',
      clientId: 'c',
      sentAt: now.toISOString(),
    });
    expect(await ensureDemoProgramme(store, new Date(now.getTime() + 30 * 60_000))).toBe('kept');
    const nextWeek = new Date(now.getTime() + 7 * 86_400_000);
    expect(await ensureDemoProgramme(store, nextWeek)).toBe('rebased');
    const live = await store.programme.getEvent('rencontre-bd-marie-lenoir');
    expect(Date.parse(live!.endsAt)).toBeGreaterThan(nextWeek.getTime());
    const chat = await store.chat.tail('rencontre-bd-marie-lenoir', 100);
    expect(chat.filter((m) => m.text === 'gardé')).toHaveLength(1);
    await store.close();
  });

  it('leaves a programme that librarians built alone', async () => {
    const store = openSqliteStore(':memory:');
    await store.meta.set('programme.source', 'custom');
    expect(await ensureDemoProgramme(store, now)).toBe('kept');
    expect(await store.programme.listEvents({})).toEqual([]);
    await store.close();
  });
});

/** Everything of the live room that a restart could duplicate, to compare before and after. */
async function roomOf(store: Store) {
  return {
    questions: await store.questions.list(DEMO_LIVE_EVENT_ID),
    votes: await store.questions.votesBy(DEMO_LIVE_EVENT_ID, 'guest_demo-voter-1'),
    polls: await store.polls.listPolls(DEMO_LIVE_EVENT_ID),
    chat: await store.chat.tail(DEMO_LIVE_EVENT_ID, 100),
    settings: await store.moderation.getSettings(DEMO_LIVE_EVENT_ID),
  };
}

describe.each(['sqlite', 'redis'] as const)('the demo’s live room on %s', (storeKind) => {
  let redis: RedisServer | undefined;
  let stores = 0;
  const open: Store[] = [];

  /** A fresh, empty store: its own Redis key prefix, so the tests of one server never see each other's keys. */
  async function emptyStore(): Promise<Store> {
    const store = redis ? await openRedisStore(redis.url, { prefix: `demo-test-${++stores}:` }) : openSqliteStore(':memory:');
    open.push(store);
    return store;
  }

  beforeAll(async () => {
    if (storeKind === 'redis') redis = await startRedisServer();
  });
  afterAll(async () => {
    for (const store of open) await store.close();
    await redis?.stop();
  });

  it('opens on a talk in full swing: a question being answered, an open poll, a pinned announcement', async () => {
    const store = await emptyStore();
    expect(await ensureDemoProgramme(store, now)).toBe('seeded');
    const { questions, polls, chat, settings } = await roomOf(store);

    const live = questions.filter((q) => q.state === 'live');
    expect(live).toHaveLength(1);
    expect(live[0]!.liveAt).not.toBeNull();
    expect(Date.parse(live[0]!.liveAt!)).toBeLessThanOrEqual(now.getTime());
    const answered = questions.filter((q) => q.state === 'answered');
    expect(answered).toHaveLength(1);
    expect(answered[0]!.answeredAt).toBe(live[0]!.liveAt);
    expect(questions.filter((q) => q.state === 'pending')).toHaveLength(1);
    const approved = questions.filter((q) => q.state === 'approved');
    expect(approved.length).toBeGreaterThanOrEqual(2);
    expect(approved.every((q) => q.votes > 0)).toBe(true);
    expect(approved.some((q) => q.anonymous)).toBe(true);
    expect(approved.some((q) => q.starred)).toBe(true);
    // Votes from demo people, counted once each: the most popular question is the one on air.
    expect(Math.max(...questions.map((q) => q.votes))).toBe(live[0]!.votes);
    expect(new Set(questions.map((q) => q.author.id)).size).toBe(questions.length);
    for (const q of questions) expect(Date.parse(q.createdAt)).toBeLessThan(now.getTime());

    expect(settings.pinned).toMatchObject({ text: expect.stringMatching(/replay/) });
    expect(settings.pinned!.text).toMatch(/Questions/);

    const openPoll = polls.find((p) => p.state === 'open');
    expect(openPoll).toMatchObject({ results: 'live', multiple: false });
    expect(openPoll!.voters).toBeGreaterThan(0);
    const closedPoll = polls.find((p) => p.state === 'closed');
    expect(closedPoll!.voters).toBeGreaterThan(0);
    expect(closedPoll!.counts.reduce((a, b) => a + b, 0)).toBe(closedPoll!.voters);
    expect(Date.parse(closedPoll!.closedAt!)).toBeLessThanOrEqual(now.getTime());
    expect(polls).toHaveLength(2);

    expect(chat.length).toBeGreaterThanOrEqual(2);
    expect(chat.map((m) => m.offset)).toEqual(chat.map((_, i) => i + 1));
    expect(chat.every((m) => m.author.role === 'guest' && m.text.length > 0)).toBe(true);
  });

  it('adds nothing when it is seeded again, after a restart or a rebase', async () => {
    const store = await emptyStore();
    await ensureDemoProgramme(store, now);
    const first = await roomOf(store);
    await seedDemoRoom(store, new Date(now.getTime() + 5 * 60_000));
    expect(await roomOf(store)).toEqual(first);
    const nextWeek = new Date(now.getTime() + 7 * 86_400_000);
    expect(await ensureDemoProgramme(store, nextWeek)).toBe('rebased');
    expect(await roomOf(store)).toEqual(first);
  });

  it('has sign-ups: the nearest workshops full with people waiting, the webinar asking for your library', async () => {
    const store = await emptyStore();
    await ensureDemoProgramme(store, now);
    const workshops = (await store.programme.listEvents({ series: 'conversation-fle' })).sort((a, b) =>
      a.startsAt.localeCompare(b.startsAt),
    );
    expect(workshops.every((e) => e.id === `conversation-fle--${e.startsAt.slice(0, 10)}`)).toBe(true);
    const seats = await Promise.all(workshops.slice(0, 3).map((e) => store.registrations.counts(e.id, e.capacity!)));
    expect(seats.slice(0, 2).every((s) => s.free === 0 && s.waitlisted > 0)).toBe(true);
    expect(seats[2]!.free).toBeGreaterThan(0);
    const series = (await store.programme.listSeries()).find((x) => x.id === 'conversation-fle')!;
    expect(series.recurrence).toMatchObject({ byDay: ['MO', 'FR'], time: '18:00', timezone: 'Europe/Paris' });
    expect(series.fairCapPerWeek).toBe(1);

    const webinar = (await store.programme.getEvent('webinaire-emi'))!;
    expect(webinar.form).toEqual([{ id: 'bibliotheque', label: 'Votre bibliothèque', type: 'text', required: true }]);
    const librarians = await store.registrations.listForEvent('webinaire-emi');
    expect(librarians.length).toBeGreaterThan(0);
    expect(librarians.every((r) => r.email!.endsWith('@example.org') && r.answers.bibliotheque)).toBe(true);
    // Seeded without emails: the demo writes to nobody.
    expect(await store.outbox.list({ limit: 10 })).toEqual([]);
  });

  it('seeds its sign-ups once, and moves them with the workshops’ dates when it is moved', async () => {
    const store = await emptyStore();
    await ensureDemoProgramme(store, now);
    const count = async () => {
      const events = await store.programme.listEvents({});
      return (await Promise.all(events.map((e) => store.registrations.listForEvent(e.id)))).flat().length;
    };
    const first = await count();
    await resetDemoProgramme(store, now);
    expect(await count()).toBe(first);
    const nextWeek = new Date(now.getTime() + 7 * 86_400_000);
    expect(await ensureDemoProgramme(store, nextWeek)).toBe('rebased');
    const workshops = await store.programme.listEvents({ series: 'conversation-fle' });
    expect(workshops.every((e) => Date.parse(e.startsAt) > nextWeek.getTime())).toBe(true);
    const nearest = workshops.sort((a, b) => a.startsAt.localeCompare(b.startsAt))[0]!;
    expect((await store.registrations.counts(nearest.id, 8)).waitlisted).toBeGreaterThan(0);
  });

  it('leaves alone what moderators changed since: a new question on air, a poll closed, another announcement', async () => {
    const store = await emptyStore();
    await ensureDemoProgramme(store, now);
    const { questions, polls } = await roomOf(store);
    const next = questions.find((q) => q.state === 'approved')!;
    await store.questions.setState(DEMO_LIVE_EVENT_ID, next.id, { to: 'live', from: ['approved'], at: now.toISOString() });
    const openPoll = polls.find((p) => p.state === 'open')!;
    await store.polls.setPollState(DEMO_LIVE_EVENT_ID, openPoll.id, { to: 'closed', from: 'open', at: now.toISOString() });
    const pinned = { text: 'Pause de dix minutes, on revient !', by: 'Karim', at: now.toISOString() };
    await store.moderation.updateSettings(DEMO_LIVE_EVENT_ID, { pinned });
    const changed = await roomOf(store);

    expect(await ensureDemoProgramme(store, new Date(now.getTime() + 7 * 86_400_000))).toBe('rebased');
    expect(await roomOf(store)).toEqual(changed);
    expect(changed.questions.filter((q) => q.state === 'live').map((q) => q.id)).toEqual([next.id]);
    expect(changed.settings.pinned).toEqual(pinned);
  });

  it('fills the room of a demo started before it had one, without bumping a visitor’s question off the air', async () => {
    const store = await emptyStore();
    const { series, events } = buildDemoProgramme(now);
    await store.programme.saveProgramme(series, events);
    await store.meta.set('programme.source', 'demo');
    const visitor = { id: 'guest_visitor', displayName: 'Paul' };
    await store.chat.append({
      eventId: DEMO_LIVE_EVENT_ID,
      author: { ...visitor, role: 'guest' },
      text: 'Bonjour',
      clientId: 'v1',
      sentAt: now.toISOString(),
    });
    const { question } = await store.questions.ask({
      eventId: DEMO_LIVE_EVENT_ID,
      text: 'Une question de visiteur',
      anonymous: false,
      author: visitor,
      clientId: 'v1',
      state: 'approved',
      createdAt: now.toISOString(),
    });
    await store.questions.setState(DEMO_LIVE_EVENT_ID, question.id, { to: 'live', from: ['approved'], at: now.toISOString() });

    expect(await ensureDemoProgramme(store, new Date(now.getTime() + 7 * 86_400_000))).toBe('rebased');
    const room = await roomOf(store);
    expect(room.questions.filter((q) => q.state === 'live').map((q) => q.id)).toEqual([question.id]);
    expect(room.questions.length).toBeGreaterThan(5);
    expect(room.chat.map((m) => m.text)).toEqual(['Bonjour']);
    expect(room.polls.map((p) => p.state).sort()).toEqual(['closed', 'open']);
    expect(room.settings.pinned).not.toBeNull();
  });

  it('fills the room again after a demo reset, and never a programme that librarians built', async () => {
    const store = await emptyStore();
    await ensureDemoProgramme(store, now);
    await store.chat.append({
      eventId: DEMO_LIVE_EVENT_ID,
      author: { id: 'u', displayName: 'Ana', role: 'guest' },
      text: 'avant la remise à zéro',
      clientId: 'c',
      sentAt: now.toISOString(),
    });
    await resetDemoProgramme(store, now);
    const reset = await roomOf(store);
    expect(reset.chat.map((m) => m.text)).not.toContain('avant la remise à zéro');
    expect(reset.questions.filter((q) => q.state === 'live')).toHaveLength(1);

    const custom = await emptyStore();
    // The library's own events, though one has the live demo event's address.
    const { series: theirSeries, events: theirEvents } = buildDemoProgramme(now);
    await custom.programme.saveProgramme(theirSeries, theirEvents);
    expect(await ensureDemoProgramme(custom, now)).toBe('kept');
    await markProgrammeCustom(custom);
    expect(await ensureDemoProgramme(custom, new Date(now.getTime() + 7 * 86_400_000))).toBe('kept');
    const untouched = await roomOf(custom);
    expect(untouched.questions).toEqual([]);
    expect(untouched.polls).toEqual([]);
    expect(untouched.chat).toEqual([]);
    expect(untouched.settings.pinned).toBeNull();
  });

  it('shows a viewer who joins the live event the question on air, the polls, the announcement, but no pending question', async () => {
    const server = await startTestServer(redis ? { redisUrl: redis.url } : {});
    let socket: TestClient | undefined;
    try {
      socket = await connectViewer(server.url, await guestToken(server.url, 'Nadia'));
      const joined = await ok(request<JoinResult>(socket, 'event:join', { eventId: DEMO_LIVE_EVENT_ID }));
      expect(joined.event.status).toBe('live');
      expect(joined.settings.preModeration).toBe(true);
      expect(joined.settings.pinned?.text).toMatch(/replay/);

      const states = joined.questions.map((q) => q.state);
      expect(states.filter((s) => s === 'live')).toHaveLength(1);
      expect(states).toContain('answered');
      expect(states).not.toContain('pending');
      const anonymous = joined.questions.filter((q) => q.anonymous);
      expect(anonymous.length).toBeGreaterThan(0);
      expect(anonymous.every((q) => q.author === null)).toBe(true);
      expect(joined.questions.every((q) => q.voted === false)).toBe(true);

      const openPoll = joined.polls.find((p) => p.state === 'open');
      expect(openPoll!.counts!.some((c) => c > 0)).toBe(true);
      expect(openPoll!.myChoice).toEqual([]);
      expect(joined.polls.find((p) => p.state === 'closed')!.voters).toBeGreaterThan(0);
      expect(joined.chat.messages.length).toBeGreaterThanOrEqual(2);

      // The open poll takes the newcomer's vote, counted with the demo's.
      const before = openPoll!.voters!;
      const voted = await ok(request<{ poll: { voters: number } }>(socket, 'poll:vote', {
        eventId: DEMO_LIVE_EVENT_ID,
        pollId: openPoll!.id,
        optionIds: [openPoll!.options[0]!.id],
      }));
      expect(voted.poll.voters).toBe(before + 1);
    } finally {
      socket?.close();
      await server.stop();
    }
  }, 30_000);
});
