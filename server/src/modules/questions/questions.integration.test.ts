import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Question } from '#shared/domain/question';
import type { JoinResult, QuestionsUpdate } from '#shared/protocol/events';
import { connectViewer, eventually, guestToken, ok, request, startTestServer, type TestClient, type TestServer } from '../../test/harness';
import { createAccount, grant, login, testEvent } from '../../test/staff';

let server: TestServer;
let moderatorToken: string;
const open: TestClient[] = [];
const LECTURE = 'qa-lecture';
const WEBINAR = 'qa-webinar';

beforeAll(async () => {
  server = await startTestServer();
  await server.store.programme.saveProgramme([], [testEvent(LECTURE, { kind: 'lecture' }), testEvent(WEBINAR, { kind: 'webinar' })]);
  const account = await createAccount(server.store, { email: 'mod@example.org', password: 'correct horse battery' });
  await grant(server.store, LECTURE, account, 'moderator');
  await grant(server.store, WEBINAR, account, 'moderator');
  moderatorToken = (await login(server.url, 'mod@example.org', 'correct horse battery')).token;
});
afterEach(() => {
  while (open.length) open.pop()!.close();
});
afterAll(async () => {
  await server.stop();
});

async function connect(token?: string): Promise<TestClient> {
  const socket = await connectViewer(server.url, token);
  open.push(socket);
  return socket;
}

/** A socket that joined the event, with every question copy it received, in order. */
async function person(eventId: string, token?: string) {
  const socket = await connect(token);
  const updates: QuestionsUpdate[] = [];
  socket.on('questions:updated', (u) => updates.push(u));
  const joined = await ok(request<JoinResult>(socket, 'event:join', { eventId }));
  const received = () => updates.flatMap((u) => u.questions);
  const latest = (id: string) => received().filter((q) => q.id === id).at(-1);
  return { socket, joined, updates, received, latest };
}

const ask = (socket: TestClient, eventId: string, text: string, anonymous = false) =>
  ok(request<{ question: Question }>(socket, 'question:ask', { eventId, text, anonymous, clientId: crypto.randomUUID() })).then(
    (d) => d.question,
  );
const moderate = (socket: TestClient, payload: Record<string, unknown>) =>
  request<{ question: Question }>(socket, 'question:moderate', { eventId: LECTURE, ...payload }).then((res) =>
    res.ok ? { ok: true as const, data: res.data.question } : res,
  );

describe('questions once the event is over', () => {
  it('takes no more questions nor votes, and says the event is closed', async () => {
    const eventId = 'qa-ending';
    await server.store.programme.saveProgramme([], [testEvent(eventId, { kind: 'webinar', status: 'live' })]);
    const ana = await person(eventId, await guestToken(server.url, 'Ana'));
    const question = await ask(ana.socket, eventId, 'Avant la fin');
    await server.store.programme.saveProgramme([], [testEvent(eventId, { kind: 'webinar', status: 'ended' })]);

    const closed = { ok: false, error: { code: 'FORBIDDEN', reason: 'event-closed' } };
    expect(await request(ana.socket, 'question:ask', { eventId, text: 'Après la fin', clientId: 'late' })).toMatchObject(closed);
    expect(await request(ana.socket, 'question:vote', { eventId, questionId: question.id, up: true })).toMatchObject(closed);
    // The moderators still tidy up what is there.
    const account = await createAccount(server.store, { email: 'closing@example.org', password: 'correct horse battery' });
    await grant(server.store, eventId, account, 'moderator');
    const mod = await connect((await login(server.url, 'closing@example.org', 'correct horse battery')).token);
    const rejected = await request<{ question: Question }>(mod, 'question:moderate', { eventId, questionId: question.id, action: 'reject' });
    expect(rejected).toMatchObject({ ok: true, data: { question: { state: 'rejected' } } });
  });
});

describe('questions in a pre-moderated lecture', () => {
  it('tells the moderators which questions came from the room, in the ack, the broadcast and the join', async () => {
    const ana = await person(LECTURE, await guestToken(server.url, 'Ana'));
    const mod = await person(LECTURE, moderatorToken);
    const fromRoom = await ok(
      request<{ question: Question }>(ana.socket, 'question:ask', {
        eventId: LECTURE,
        text: 'Depuis la salle',
        clientId: crypto.randomUUID(),
        origin: 'room',
      }),
    ).then((d) => d.question);
    const online = await ask(ana.socket, LECTURE, 'Depuis chez moi');
    expect(fromRoom.origin).toBe('room');
    expect(online.origin).toBe('online');
    await eventually(() => mod.latest(online.id) !== undefined, 5000, 'the moderator to see both');
    expect(mod.latest(fromRoom.id)?.origin).toBe('room');
    expect(mod.latest(online.id)?.origin).toBe('online');
    const again = await ok(request<JoinResult>(mod.socket, 'event:join', { eventId: LECTURE }));
    expect(again.questions.find((q) => q.id === fromRoom.id)?.origin).toBe('room');
    // Only the room is a place to say: anything else is refused, not stored as online.
    expect(
      await request(ana.socket, 'question:ask', { eventId: LECTURE, text: 'Ailleurs', clientId: 'c-x', origin: 'online' }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  });

  it('shows a pending question to its asker and the moderators only, then to everyone once approved', async () => {
    const ana = await person(LECTURE, await guestToken(server.url, 'Ana'));
    const bob = await person(LECTURE, await guestToken(server.url, 'Bob'));
    const mod = await person(LECTURE, moderatorToken);
    expect(mod.joined.role).toBe('moderator');

    const question = await ask(ana.socket, LECTURE, 'Comment travaillez-vous vos couleurs ?');
    expect(question).toMatchObject({ state: 'pending', votes: 0, voted: false, author: { displayName: 'Ana' } });
    await eventually(() => mod.latest(question.id)?.state === 'pending', 5000, 'the moderator to see it');
    await eventually(() => ana.latest(question.id)?.state === 'pending', 5000, 'the asker to see it');

    // Someone joining now does not get it in their join ack either; the asker, rejoining, does.
    const late = await person(LECTURE, await guestToken(server.url, 'Carl'));
    expect(late.joined.questions.map((q) => q.id)).not.toContain(question.id);
    const anaAgain = await ok(request<JoinResult>(ana.socket, 'event:join', { eventId: LECTURE }));
    expect(anaAgain.questions.find((q) => q.id === question.id)?.state).toBe('pending');

    const approved = await ok(moderate(mod.socket, { questionId: question.id, action: 'approve' }));
    expect(approved.state).toBe('approved');
    await eventually(() => bob.latest(question.id)?.state === 'approved', 5000, 'Bob to see it approved');
    await eventually(() => ana.latest(question.id)?.state === 'approved', 5000, 'Ana to see it approved');
    // Before the approval, nothing about the question reached Bob.
    expect(bob.received().filter((q) => q.id === question.id).map((q) => q.state)).toEqual(['approved']);
    // Each socket gets one copy per change.
    expect(ana.received().filter((q) => q.id === question.id).map((q) => q.state)).toEqual(['pending', 'approved']);
  });

  it('tells the asker why their question was rejected, and never shows it to the others', async () => {
    const ana = await person(LECTURE, await guestToken(server.url, 'Ana'));
    const bob = await person(LECTURE, await guestToken(server.url, 'Bob'));
    const mod = await person(LECTURE, moderatorToken);
    const question = await ask(ana.socket, LECTURE, 'Une question hors sujet');
    const rejected = await ok(moderate(mod.socket, { questionId: question.id, action: 'reject', reason: 'Hors sujet' }));
    expect(rejected).toMatchObject({ state: 'rejected', rejectedReason: 'Hors sujet' });
    await eventually(() => ana.latest(question.id)?.state === 'rejected', 5000, 'the asker to hear of it');
    expect(ana.latest(question.id)!.rejectedReason).toBe('Hors sujet');
    // The marker: a later question, approved after the rejection, which Bob gets. Had anything about the rejected one
    // been sent to him, it would have come first.
    const later = await ask(ana.socket, LECTURE, 'Une autre question');
    await ok(moderate(mod.socket, { questionId: later.id, action: 'approve' }));
    await eventually(() => bob.latest(later.id) !== undefined, 5000, 'the marker');
    expect(bob.received().map((q) => q.id)).not.toContain(question.id);
    // Ana's join ack keeps her rejected question; Bob's does not have it.
    const anaAgain = await ok(request<JoinResult>(ana.socket, 'event:join', { eventId: LECTURE }));
    expect(anaAgain.questions.find((q) => q.id === question.id)).toMatchObject({ state: 'rejected', rejectedReason: 'Hors sujet' });
    const bobAgain = await ok(request<JoinResult>(bob.socket, 'event:join', { eventId: LECTURE }));
    expect(bobAgain.questions.map((q) => q.id)).not.toContain(question.id);
  });

  it('takes a question back from the audience when an approved question is rejected', async () => {
    const ana = await person(LECTURE, await guestToken(server.url, 'Ana'));
    const bob = await person(LECTURE, await guestToken(server.url, 'Bob'));
    const mod = await person(LECTURE, moderatorToken);
    const question = await ask(ana.socket, LECTURE, 'Approuvée puis rejetée');
    await ok(moderate(mod.socket, { questionId: question.id, action: 'approve' }));
    await ok(moderate(mod.socket, { questionId: question.id, action: 'reject' }));
    await eventually(() => bob.updates.some((u) => u.removed?.includes(question.id)), 5000, 'the removal');
    expect(bob.received().filter((q) => q.id === question.id).map((q) => q.state)).toEqual(['approved']);
    await eventually(() => ana.latest(question.id)?.state === 'rejected', 5000, 'the asker to see the rejection');
  });

  it('hides the asker of an anonymous question from the audience, not from the moderators', async () => {
    const ana = await person(LECTURE, await guestToken(server.url, 'Ana'));
    const bob = await person(LECTURE, await guestToken(server.url, 'Bob'));
    const mod = await person(LECTURE, moderatorToken);
    const question = await ask(ana.socket, LECTURE, 'Question anonyme', true);
    expect(question.author?.displayName).toBe('Ana');
    await eventually(() => mod.latest(question.id) !== undefined, 5000, 'the moderator copy');
    expect(mod.latest(question.id)!.author?.displayName).toBe('Ana');
    await ok(moderate(mod.socket, { questionId: question.id, action: 'approve' }));
    await eventually(() => bob.latest(question.id) !== undefined, 5000, 'the audience copy');
    expect(bob.latest(question.id)!.author).toBeNull();
    const viewer = await person(LECTURE);
    expect(viewer.joined.questions.find((q) => q.id === question.id)!.author).toBeNull();
  });

  it('counts votes, one per person, and sets one question live at a time', async () => {
    const ana = await person(LECTURE, await guestToken(server.url, 'Ana'));
    const bob = await person(LECTURE, await guestToken(server.url, 'Bob'));
    const mod = await person(LECTURE, moderatorToken);
    const q1 = await ask(ana.socket, LECTURE, 'Première');
    const q2 = await ask(ana.socket, LECTURE, 'Seconde');
    const pendingVote = await request(bob.socket, 'question:vote', { eventId: LECTURE, questionId: q1.id, up: true });
    // A pending question is not the audience's to see, so it is not found rather than closed.
    expect(pendingVote).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    for (const q of [q1, q2]) await ok(moderate(mod.socket, { questionId: q.id, action: 'approve' }));
    const voted = await ok(request<{ question: Question }>(bob.socket, 'question:vote', { eventId: LECTURE, questionId: q1.id, up: true }));
    expect(voted.question).toMatchObject({ votes: 1, voted: true });
    await ok(request(bob.socket, 'question:vote', { eventId: LECTURE, questionId: q1.id, up: true }));
    await ok(request(ana.socket, 'question:vote', { eventId: LECTURE, questionId: q1.id, up: true }));
    await eventually(() => bob.latest(q1.id)?.votes === 2, 5000, 'two votes');

    await ok(moderate(mod.socket, { questionId: q1.id, action: 'live' }));
    const second = await ok(moderate(mod.socket, { questionId: q2.id, action: 'live' }));
    expect(second.liveAt).not.toBeNull();
    await eventually(() => bob.latest(q1.id)?.state === 'answered' && bob.latest(q2.id)?.state === 'live', 5000, 'the switch');
    const again = await ok(request<JoinResult>(bob.socket, 'event:join', { eventId: LECTURE }));
    expect(again.questions.filter((q) => q.state === 'live').map((q) => q.id)).toEqual([q2.id]);
    expect(again.questions.find((q) => q.id === q1.id)).toMatchObject({ voted: true, votes: 2, state: 'answered' });
  });

  it('puts a waiting question on air in one step, which the log records once', async () => {
    const ana = await person(LECTURE, await guestToken(server.url, 'Ana'));
    const bob = await person(LECTURE, await guestToken(server.url, 'Bob'));
    const mod = await person(LECTURE, moderatorToken);
    const question = await ask(ana.socket, LECTURE, 'Tout de suite à l’antenne ?');
    expect(question.state).toBe('pending');

    const live = await ok(moderate(mod.socket, { questionId: question.id, action: 'live' }));
    expect(live).toMatchObject({ state: 'live' });
    expect(live.liveAt).not.toBeNull();
    // The audience never saw it waiting: its first copy is the one on air.
    await eventually(() => bob.latest(question.id) !== undefined, 5000, 'Bob to see it');
    expect(bob.received().filter((q) => q.id === question.id).map((q) => q.state)).toEqual(['live']);
    const entries = (await server.store.audit.list({ limit: 200 })).filter((e) => e.details.questionId === question.id);
    expect(entries.map((e) => e.details.action)).toEqual(['live']);
  });

  it('tells the asker their question was merged, and sums the voters of both questions once', async () => {
    const ana = await person(LECTURE, await guestToken(server.url, 'Ana'));
    const bob = await person(LECTURE, await guestToken(server.url, 'Bob'));
    const mod = await person(LECTURE, moderatorToken);
    const duplicate = await ask(ana.socket, LECTURE, 'Quel est votre prochain album ?');
    const original = await ask(bob.socket, LECTURE, 'Sur quoi travaillez-vous ?');
    for (const q of [duplicate, original]) await ok(moderate(mod.socket, { questionId: q.id, action: 'approve' }));
    const vote = (socket: TestClient, questionId: string) => ok(request(socket, 'question:vote', { eventId: LECTURE, questionId, up: true }));
    await vote(ana.socket, duplicate.id);
    await vote(bob.socket, duplicate.id);
    await vote(bob.socket, original.id);
    const merged = await ok(moderate(mod.socket, { questionId: duplicate.id, action: 'merge', intoQuestionId: original.id }));
    expect(merged).toMatchObject({ state: 'merged', mergedInto: original.id });
    await eventually(() => ana.latest(duplicate.id)?.state === 'merged', 5000, 'the asker to be told');
    expect(ana.latest(duplicate.id)!.mergedInto).toBe(original.id);
    await eventually(() => ana.latest(original.id)?.votes === 2, 5000, 'the summed votes');
    const again = await ok(request<JoinResult>(ana.socket, 'event:join', { eventId: LECTURE }));
    expect(again.questions.find((q) => q.id === original.id)).toMatchObject({ votes: 2, voted: true });
  });

  it('stops sending a person every question once they rejoin without the moderator role', async () => {
    const account = await createAccount(server.store, { email: 'former@example.org', password: 'correct horse battery' });
    await grant(server.store, LECTURE, account, 'moderator');
    const former = await person(LECTURE, (await login(server.url, 'former@example.org', 'correct horse battery')).token);
    expect(former.joined.role).toBe('moderator');
    // The role is taken back behind the server's back (no revocation signal), then the socket rejoins.
    await server.store.accounts.revokeRole(LECTURE, account.id);
    const rejoined = await ok(request<JoinResult>(former.socket, 'event:join', { eventId: LECTURE }));
    expect(rejoined.role).toBe('guest');
    const ana = await person(LECTURE, await guestToken(server.url, 'Ana'));
    const mod = await person(LECTURE, moderatorToken);
    const hidden = await ask(ana.socket, LECTURE, 'En attente');
    // The marker: a question approved after it, which the whole room gets, the former moderator included. Had the
    // pending one been sent to their socket, it would have come first.
    const marker = await ask(ana.socket, LECTURE, 'repère');
    await ok(moderate(mod.socket, { questionId: marker.id, action: 'approve' }));
    await eventually(() => former.latest(marker.id)?.state === 'approved', 5000, 'the marker');
    expect(former.received().map((q) => q.id)).not.toContain(hidden.id);
  });

  it('lets only moderators moderate, and only signed-in people ask', async () => {
    const ana = await person(LECTURE, await guestToken(server.url, 'Ana'));
    const anonymous = await person(LECTURE);
    const question = await ask(ana.socket, LECTURE, 'À moi');
    expect(await moderate(ana.socket, { questionId: question.id, action: 'approve' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await request(anonymous.socket, 'question:ask', { eventId: LECTURE, text: 'x', clientId: 'a' })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    expect(await request(ana.socket, 'question:ask', { eventId: LECTURE, text: 'x'.repeat(301), clientId: 'b' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PAYLOAD' },
    });
  });

  it('publishes questions at once in a webinar, which is not pre-moderated', async () => {
    const ana = await person(WEBINAR, await guestToken(server.url, 'Ana'));
    const bob = await person(WEBINAR, await guestToken(server.url, 'Bob'));
    const question = await ask(ana.socket, WEBINAR, 'Directement visible ?');
    expect(question.state).toBe('approved');
    await eventually(() => bob.latest(question.id)?.state === 'approved', 5000, 'Bob to see it');
  });
});
