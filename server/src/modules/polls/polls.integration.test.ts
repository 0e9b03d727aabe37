import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Poll } from '#shared/domain/poll';
import type { JoinResult } from '#shared/protocol/events';
import { connectViewer, eventually, guestToken, ok, request, startTestServer, type TestClient, type TestServer } from '../../test/harness';
import { createAccount, grant, login, testEvent } from '../../test/staff';

let server: TestServer;
let moderatorToken: string;
const open: TestClient[] = [];
const EVENT = 'polls-webinar';

beforeAll(async () => {
  server = await startTestServer();
  await server.store.programme.saveProgramme([], [testEvent(EVENT, { kind: 'webinar', status: 'live' })]);
  const account = await createAccount(server.store, { email: 'polls-mod@example.org', password: 'correct horse battery' });
  await grant(server.store, EVENT, account, 'moderator');
  moderatorToken = (await login(server.url, 'polls-mod@example.org', 'correct horse battery')).token;
});
afterEach(() => {
  while (open.length) open.pop()!.close();
});
afterAll(async () => {
  await server.stop();
});

/** A socket that joined the event, with every poll copy it received, in order. */
async function person(token?: string) {
  const socket = await connectViewer(server.url, token);
  open.push(socket);
  const updates: { polls: Poll[]; removed?: string[] }[] = [];
  socket.on('polls:updated', (u) => updates.push(u));
  const joined = await ok(request<JoinResult>(socket, 'event:join', { eventId: EVENT }));
  const received = () => updates.flatMap((u) => u.polls);
  const latest = (id: string) => received().filter((p) => p.id === id).at(-1);
  return { socket, joined, updates, received, latest };
}
const guest = async (name: string) => person(await guestToken(server.url, name));

const create = (socket: TestClient, extra: Record<string, unknown> = {}) =>
  ok(
    request<{ poll: Poll }>(socket, 'poll:create', {
      eventId: EVENT,
      question: 'Quel film pour la prochaine séance ?',
      options: ['La Jetée', 'Cléo de 5 à 7', 'Le Joli Mai'],
      ...extra,
    }),
  ).then((d) => d.poll);
const control = (socket: TestClient, pollId: string, action: 'open' | 'close' | 'delete') =>
  request<{ poll: Poll | null }>(socket, 'poll:control', { eventId: EVENT, pollId, action });
const vote = (socket: TestClient, pollId: string, optionIds: string[]) =>
  request<{ poll: Poll }>(socket, 'poll:vote', { eventId: EVENT, pollId, optionIds });

describe('polls', () => {
  it('keeps a draft among the moderators, then shows the opened poll to everyone', async () => {
    const mod = await person(moderatorToken);
    const ana = await guest('Ana');
    const draft = await create(mod.socket);
    expect(draft).toMatchObject({ state: 'draft', multiple: false, results: 'live', counts: [0, 0, 0], voters: 0, myChoice: [] });
    expect(draft.options.map((o) => o.text)).toEqual(['La Jetée', 'Cléo de 5 à 7', 'Le Joli Mai']);
    await eventually(() => mod.latest(draft.id)?.state === 'draft', 5000, 'the moderators to get the draft');

    // The audience neither receives it nor finds it at join, and cannot vote on it.
    const late = await guest('Léa');
    expect(late.joined.polls.map((p) => p.id)).not.toContain(draft.id);
    expect(await vote(ana.socket, draft.id, ['o1'])).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const modAgain = await ok(request<JoinResult>(mod.socket, 'event:join', { eventId: EVENT }));
    expect(modAgain.polls.find((p) => p.id === draft.id)?.state).toBe('draft');

    const opened = await ok(control(mod.socket, draft.id, 'open'));
    expect(opened.poll).toMatchObject({ state: 'open', openedAt: expect.any(String) });
    await eventually(() => ana.latest(draft.id)?.state === 'open', 5000, 'Ana to see it open');
    // Before it opened, nothing about the poll reached the audience.
    expect(ana.received().filter((p) => p.id === draft.id).map((p) => p.state)).toEqual(['open']);
    expect((await guest('Marc')).joined.polls.find((p) => p.id === draft.id)).toMatchObject({ state: 'open', myChoice: [] });
  });

  it('counts two viewers’ votes and shows the results to everyone as they come in', async () => {
    const mod = await person(moderatorToken);
    const ana = await guest('Ana');
    const bob = await guest('Bob');
    const watcher = await person();
    const poll = await create(mod.socket);
    await ok(control(mod.socket, poll.id, 'open'));

    const anaVote = await ok(vote(ana.socket, poll.id, ['o1']));
    expect(anaVote.poll).toMatchObject({ state: 'open', myChoice: ['o1'], voters: 1, counts: [1, 0, 0] });
    const bobVote = await ok(vote(bob.socket, poll.id, ['o3']));
    expect(bobVote.poll).toMatchObject({ myChoice: ['o3'], voters: 2, counts: [1, 0, 1] });

    await eventually(() => watcher.latest(poll.id)?.voters === 2, 5000, 'the anonymous viewer to see both votes');
    expect(watcher.latest(poll.id)).toMatchObject({ counts: [1, 0, 1] });
    expect(watcher.latest(poll.id)).not.toHaveProperty('myChoice');
    await eventually(() => mod.latest(poll.id)?.voters === 2, 5000, 'the moderator to see both votes');

    // One vote per person: the first stays.
    expect(await vote(ana.socket, poll.id, ['o2'])).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const anaAgain = await ok(request<JoinResult>(ana.socket, 'event:join', { eventId: EVENT }));
    expect(anaAgain.polls.find((p) => p.id === poll.id)).toMatchObject({ myChoice: ['o1'], voters: 2, counts: [1, 0, 1] });
    const bobAgain = await ok(request<JoinResult>(bob.socket, 'event:join', { eventId: EVENT }));
    expect(bobAgain.polls.find((p) => p.id === poll.id)?.myChoice).toEqual(['o3']);

    // Anonymous viewers watch; they do not vote.
    expect(await vote(watcher.socket, poll.id, ['o1'])).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('checks the choice: existing options, one unless the poll is multiple-choice, never twice the same', async () => {
    const mod = await person(moderatorToken);
    const single = await create(mod.socket);
    const multiple = await create(mod.socket, { multiple: true });
    await ok(control(mod.socket, single.id, 'open'));
    await ok(control(mod.socket, multiple.id, 'open'));
    const ana = await guest('Ana');

    for (const [pollId, choice] of [
      [single.id, ['o1', 'o2']],
      [single.id, ['o7']],
      [multiple.id, ['o1', 'o1']],
    ] as const) {
      expect(await vote(ana.socket, pollId, [...choice])).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    }
    const counted = await ok(vote(ana.socket, multiple.id, ['o1', 'o3']));
    expect(counted.poll).toMatchObject({ myChoice: ['o1', 'o3'], voters: 1, counts: [1, 0, 1] });
    expect(await ok(vote(ana.socket, single.id, ['o2']))).toMatchObject({ poll: { voters: 1, counts: [0, 1, 0] } });
  });

  it('keeps after-close results from the audience until the poll closes, then shows them', async () => {
    const mod = await person(moderatorToken);
    const ana = await guest('Ana');
    const watcher = await person();
    const poll = await create(mod.socket, { results: 'after-close' });
    await ok(control(mod.socket, poll.id, 'open'));

    const mine = await ok(vote(ana.socket, poll.id, ['o2']));
    expect(mine.poll).toMatchObject({ myChoice: ['o2'], counts: null, voters: null });
    // The moderators see the results all along.
    await eventually(() => mod.latest(poll.id)?.voters === 1, 5000, 'the moderator to see the vote');
    expect(mod.latest(poll.id)!.counts).toEqual([0, 1, 0]);
    // The audience got the poll opened, and nothing of the results.
    await eventually(() => watcher.latest(poll.id)?.state === 'open', 5000, 'the viewer to see it open');
    expect(watcher.received().filter((p) => p.id === poll.id).every((p) => p.counts === null && p.voters === null)).toBe(true);
    const anaAgain = await ok(request<JoinResult>(ana.socket, 'event:join', { eventId: EVENT }));
    expect(anaAgain.polls.find((p) => p.id === poll.id)).toMatchObject({ counts: null, voters: null, myChoice: ['o2'] });

    const closed = await ok(control(mod.socket, poll.id, 'close'));
    expect(closed.poll).toMatchObject({ state: 'closed', closedAt: expect.any(String), counts: [0, 1, 0] });
    await eventually(() => watcher.latest(poll.id)?.state === 'closed', 5000, 'the viewer to see it closed');
    expect(watcher.latest(poll.id)).toMatchObject({ counts: [0, 1, 0], voters: 1 });
    expect((await person()).joined.polls.find((p) => p.id === poll.id)).toMatchObject({ counts: [0, 1, 0], voters: 1 });
    // A closed poll takes no more votes.
    const bob = await guest('Bob');
    expect(await vote(bob.socket, poll.id, ['o1'])).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('answers CONFLICT from a wrong state, deletes drafts only, and records every step in the audit log', async () => {
    const mod = await person(moderatorToken);
    const poll = await create(mod.socket);
    expect(await control(mod.socket, poll.id, 'close')).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    await ok(control(mod.socket, poll.id, 'open'));
    expect(await control(mod.socket, poll.id, 'open')).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await control(mod.socket, poll.id, 'delete')).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    await ok(control(mod.socket, poll.id, 'close'));
    expect(await control(mod.socket, poll.id, 'open')).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await control(mod.socket, 'no-such-poll', 'open')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    const draft = await create(mod.socket, { question: 'À supprimer' });
    expect(await ok(control(mod.socket, draft.id, 'delete'))).toEqual({ poll: null });
    await eventually(() => mod.updates.some((u) => u.removed?.includes(draft.id)), 5000, 'the deletion to reach the moderators');
    const again = await ok(request<JoinResult>(mod.socket, 'event:join', { eventId: EVENT }));
    expect(again.polls.map((p) => p.id)).not.toContain(draft.id);

    const audit = await server.store.audit.list({ limit: 200 });
    const steps = (id: string) =>
      audit
        .filter((e) => (e.details as { pollId?: string }).pollId === id)
        .map((e) => e.action)
        .reverse();
    expect(steps(poll.id)).toEqual(['poll.create', 'poll.open', 'poll.close']);
    expect(steps(draft.id)).toEqual(['poll.create', 'poll.delete']);
    expect(audit.find((e) => e.action === 'poll.open')).toMatchObject({ target: `event:${EVENT}`, actor: { displayName: 'polls-mod' } });
  });

  it('lets only the event’s moderators and admins prepare, open and close polls', async () => {
    const mod = await person(moderatorToken);
    const poll = await create(mod.socket);
    const ana = await guest('Ana');
    const anonymous = await person();
    expect(await request(ana.socket, 'poll:create', { eventId: EVENT, question: 'Q', options: ['a', 'b'] })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await control(ana.socket, poll.id, 'open')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await control(anonymous.socket, poll.id, 'open')).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    // A moderator of another event is nobody here.
    const other = await createAccount(server.store, { email: 'elsewhere@example.org', password: 'correct horse battery' });
    await server.store.programme.saveProgramme([], [testEvent('polls-other')]);
    await grant(server.store, 'polls-other', other, 'moderator');
    const elsewhere = await person((await login(server.url, 'elsewhere@example.org', 'correct horse battery')).token);
    expect(await control(elsewhere.socket, poll.id, 'open')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await ok(request<JoinResult>(ana.socket, 'event:join', { eventId: EVENT }))).polls.map((p) => p.id)).not.toContain(poll.id);
  });

  it('refuses the vote of a person banned from the event', async () => {
    const mod = await person(moderatorToken);
    const poll = await create(mod.socket);
    await ok(control(mod.socket, poll.id, 'open'));
    const res = await fetch(`${server.url}/api/auth/guest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'Troll' }),
    });
    const { token, user } = (await res.json()) as { token: string; user: { id: string } };
    await ok(request(mod.socket, 'moderation:sanction', { eventId: EVENT, userId: user.id, action: 'ban' }));
    // Banned people cannot join, but a vote needs no join: it is refused on its own.
    const socket = await connectViewer(server.url, token);
    open.push(socket);
    expect(await vote(socket, poll.id, ['o1'])).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'banned' } });
    expect(await server.store.polls.getPoll(EVENT, poll.id)).toMatchObject({ voters: 0 });
  });

  it('takes no votes and opens no poll once the event has ended, and still lets the moderators close one', async () => {
    const mod = await person(moderatorToken);
    const ana = await guest('Ana');
    const running = await create(mod.socket);
    await ok(control(mod.socket, running.id, 'open'));
    const draft = await create(mod.socket);
    await server.store.programme.saveProgramme([], [testEvent(EVENT, { kind: 'webinar', status: 'ended' })]);
    try {
      const closed = { ok: false, error: { code: 'FORBIDDEN', reason: 'event-closed' } };
      expect(await vote(ana.socket, running.id, [running.options[0]!.id])).toMatchObject(closed);
      expect(await control(mod.socket, draft.id, 'open')).toMatchObject(closed);
      expect(await control(mod.socket, running.id, 'close')).toMatchObject({ ok: true, data: { poll: { state: 'closed' } } });
      expect(await server.store.polls.getPoll(EVENT, running.id)).toMatchObject({ voters: 0 });
    } finally {
      await server.store.programme.saveProgramme([], [testEvent(EVENT, { kind: 'webinar', status: 'live' })]);
    }
  });

  it('answers malformed payloads with INVALID_PAYLOAD and keeps the socket connected', async () => {
    const mod = await person(moderatorToken);
    const malformed: [string, unknown][] = [
      ['poll:create', { eventId: EVENT, question: 'Une seule option', options: ['seule'] }],
      ['poll:create', { eventId: EVENT, question: '   ', options: ['a', 'b'] }],
      ['poll:create', { eventId: EVENT, question: 'Q', options: Array.from({ length: 11 }, (_, i) => `o${i}`) }],
      ['poll:create', { eventId: EVENT, question: 'Q', options: ['a', 'b'], results: 'never' }],
      ['poll:control', { eventId: EVENT, pollId: 'x', action: 'reopen' }],
      ['poll:vote', { eventId: EVENT, pollId: 'x', optionIds: [] }],
      ['poll:vote', { eventId: EVENT, pollId: 'x', optionIds: 'o1' }],
      ['poll:vote', 'not an object'],
    ];
    for (const [event, payload] of malformed) {
      expect(await request(mod.socket, event, payload)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    }
    expect(mod.socket.connected).toBe(true);
    expect((await create(mod.socket)).state).toBe('draft');
  });
});
