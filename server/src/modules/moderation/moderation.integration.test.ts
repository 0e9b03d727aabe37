import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '#shared/domain/chat';
import type { BackstageNote, HeldMessage, RoomSettings, Sanction, StaffRoomState } from '#shared/domain/moderation';
import type { Question } from '#shared/domain/question';
import type { Ack } from '#shared/protocol/ack';
import type { ChatSendResult, JoinResult } from '#shared/protocol/events';
import { AuditAction } from '../../core/audit';
import { connectViewer, eventually, guestToken, ok, request, startTestServer, type TestClient, type TestServer } from '../../test/harness';
import { startRedisServer, type RedisServer } from '../../test/redis-server';
import { createAccount, grant, login, testEvent } from '../../test/staff';

const PASSWORD = 'correct horse battery';
const LECTURE = 'mod-lecture';
const WEBINAR = 'mod-webinar';
/** Events of their own for the tests that change the room's rules, so a failure there cannot spill over. */
const SLOW = 'mod-slow';
const FILTERED = 'mod-filtered';

/** A socket that joined an event, with everything the server pushed to it. */
interface Person {
  socket: TestClient;
  joined: JoinResult;
  messages: ChatMessage[];
  deleted: string[];
  settings: RoomSettings[];
  staff: StaffRoomState[];
  sanctioned: (Sanction | null)[];
  notes: BackstageNote[];
  disconnected: () => boolean;
}

describe.each(['sqlite', 'redis'] as const)('chat moderation on %s', (storeKind) => {
  let redis: RedisServer | undefined;
  let server: TestServer;
  let tokens: { moderator: string; admin: string; speaker: string };
  const open: TestClient[] = [];

  beforeAll(async () => {
    if (storeKind === 'redis') redis = await startRedisServer();
    server = await startTestServer(redis ? { redisUrl: redis.url } : {});
    const { store } = server;
    const webinar = (id: string) => testEvent(id, { kind: 'webinar' });
    await store.programme.saveProgramme([], [testEvent(LECTURE, { kind: 'lecture' }), webinar(WEBINAR), webinar(SLOW), webinar(FILTERED)]);
    const mod = await createAccount(store, { email: 'mod@example.org', password: PASSWORD, displayName: 'Modératrice' });
    const speaker = await createAccount(store, { email: 'speaker@example.org', password: PASSWORD, displayName: 'Oratrice' });
    await createAccount(store, { email: 'admin@example.org', password: PASSWORD, isAdmin: true });
    for (const id of [LECTURE, WEBINAR, SLOW, FILTERED]) {
      await grant(store, id, mod, 'moderator');
      await grant(store, id, speaker, 'speaker');
    }
    const token = async (email: string) => (await login(server.url, email, PASSWORD)).token;
    tokens = { moderator: await token('mod@example.org'), admin: await token('admin@example.org'), speaker: await token('speaker@example.org') };
  }, 30_000);
  afterEach(() => {
    while (open.length) open.pop()!.close();
  });
  afterAll(async () => {
    await server?.stop();
    await redis?.stop();
  });

  async function person(eventId: string, token?: string): Promise<Person> {
    const socket = await connectViewer(server.url, token);
    open.push(socket);
    let gone = false;
    const p: Omit<Person, 'joined'> = {
      socket,
      messages: [],
      deleted: [],
      settings: [],
      staff: [],
      sanctioned: [],
      notes: [],
      disconnected: () => gone,
    };
    socket.on('chat:messages', ({ messages }) => p.messages.push(...messages));
    socket.on('chat:deleted', ({ messageIds }) => p.deleted.push(...messageIds));
    socket.on('room:settings', ({ settings }) => p.settings.push(settings));
    socket.on('moderation:state', ({ staff }) => p.staff.push(staff));
    socket.on('moderation:sanctioned', ({ sanction }) => p.sanctioned.push(sanction));
    socket.on('backstage:note', ({ note }) => p.notes.push(note));
    socket.on('disconnect', () => (gone = true));
    const joined = await ok(request<JoinResult>(socket, 'event:join', { eventId }));
    return { ...p, joined };
  }

  const guest = async (eventId: string, name: string) => person(eventId, await guestToken(server.url, name));
  const send = (p: Person, eventId: string, text: string, clientId: string = crypto.randomUUID()) =>
    request<ChatSendResult>(p.socket, 'chat:send', { eventId, text, clientId });
  const sendOk = async (p: Person, eventId: string, text: string) => {
    const data = await ok(send(p, eventId, text));
    if (!('message' in data)) throw new Error(`expected a message, the filter held "${text}"`);
    return data.message;
  };
  const moderate = <T = Record<string, never>>(p: Person, event: string, payload: Record<string, unknown>) =>
    request<T>(p.socket, event, payload);
  const errorOf = async (pending: Promise<Ack<unknown>>) => {
    const res = await pending;
    if (res.ok) throw new Error('expected a refusal');
    return res.error;
  };

  it('deletes a message: it vanishes for the others live and comes back as a tombstone in a later history', async () => {
    const ana = await guest(WEBINAR, 'Ana');
    const bob = await guest(WEBINAR, 'Bob');
    const mod = await person(WEBINAR, tokens.moderator);
    const kept = await sendOk(ana, WEBINAR, 'bonjour');
    const doomed = await sendOk(ana, WEBINAR, 'un message à effacer');
    await eventually(() => bob.messages.some((m) => m.id === doomed.id), 5000, 'Bob to see the message');

    expect(await ok(moderate(mod, 'chat:delete', { eventId: WEBINAR, messageId: doomed.id }))).toEqual({});
    await eventually(() => bob.deleted.includes(doomed.id), 5000, 'Bob to be told');
    await eventually(() => ana.deleted.includes(doomed.id), 5000, 'Ana to be told');

    const later = await guest(WEBINAR, 'Carl');
    const history = later.joined.chat.messages;
    expect(history.find((m) => m.id === kept.id)).toEqual(kept);
    expect(history.find((m) => m.id === doomed.id)).toEqual({ ...doomed, text: '', deleted: true });
    // Offsets keep no hole.
    expect(history.find((m) => m.id === doomed.id)!.offset).toBe(doomed.offset);
    const since = await ok(request<JoinResult>(later.socket, 'event:join', { eventId: WEBINAR, since: doomed.offset - 1 }));
    expect(since.chat.messages[0]).toMatchObject({ id: doomed.id, text: '', deleted: true });

    const [entry] = await server.store.audit.list({ limit: 1 });
    expect(entry).toMatchObject({
      action: AuditAction.CHAT_DELETE,
      target: `event:${WEBINAR}`,
      actor: { displayName: 'Modératrice' },
      details: { messageId: doomed.id, text: 'un message à effacer' },
    });
    expect((await errorOf(moderate(mod, 'chat:delete', { eventId: WEBINAR, messageId: 'no-such-message' }))).code).toBe('NOT_FOUND');
  });

  it('times a person out: chat, questions and votes are refused until a moderator lifts it', async () => {
    const ana = await guest(WEBINAR, 'Ana');
    const mod = await person(WEBINAR, tokens.moderator);
    const first = await sendOk(ana, WEBINAR, 'avant');
    const { question } = await ok(
      request<{ question: Question }>(mod.socket, 'question:ask', { eventId: WEBINAR, text: 'À voter', clientId: crypto.randomUUID() }),
    );

    const { sanction } = await ok(
      moderate<{ sanction: Sanction }>(mod, 'moderation:sanction', {
        eventId: WEBINAR,
        userId: first.author.id,
        action: 'timeout',
        minutes: 5,
        reason: 'Calmez-vous',
      }),
    );
    expect(sanction).toMatchObject({ kind: 'timeout', userId: first.author.id, displayName: 'Ana', reason: 'Calmez-vous', by: 'Modératrice' });
    await eventually(() => ana.sanctioned.length === 1, 5000, 'Ana to be told');
    expect(ana.sanctioned[0]).toEqual(sanction);
    await eventually(() => mod.staff.some((s) => s.sanctions.some((x) => x.userId === first.author.id)), 5000, 'the staff state');

    const refused = await errorOf(send(ana, WEBINAR, 'pendant'));
    expect(refused).toMatchObject({ code: 'FORBIDDEN', reason: 'timed-out' });
    expect(refused.retryAfterMs).toBeGreaterThan(4 * 60_000);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(5 * 60_000);
    const ask = await errorOf(request(ana.socket, 'question:ask', { eventId: WEBINAR, text: 'Et moi ?', clientId: 'q1' }));
    expect(ask).toMatchObject({ code: 'FORBIDDEN', reason: 'timed-out' });
    const vote = await errorOf(request(ana.socket, 'question:vote', { eventId: WEBINAR, questionId: question.id, up: true }));
    expect(vote).toMatchObject({ code: 'FORBIDDEN', reason: 'timed-out' });
    // Still in the room, and told of the timeout when joining again.
    const rejoined = await ok(request<JoinResult>(ana.socket, 'event:join', { eventId: WEBINAR }));
    expect(rejoined.sanction).toEqual(sanction);
    expect(ana.disconnected()).toBe(false);

    expect(await ok(moderate(mod, 'moderation:sanction', { eventId: WEBINAR, userId: first.author.id, action: 'lift' }))).toEqual({
      sanction: null,
    });
    await eventually(() => ana.sanctioned.at(-1) === null && ana.sanctioned.length === 2, 5000, 'Ana to hear of the lift');
    await sendOk(ana, WEBINAR, 'après');
    expect((await ok(request<JoinResult>(ana.socket, 'event:join', { eventId: WEBINAR }))).sanction).toBeNull();
    const actions = (await server.store.audit.list({ limit: 5 })).map((e) => e.action);
    expect(actions).toContain(AuditAction.SANCTION_TIMEOUT);
    expect(actions).toContain(AuditAction.SANCTION_LIFT);
  });

  it('bans a person: their socket drops and they cannot come back until the ban is lifted', async () => {
    const ana = await guest(LECTURE, 'Ana');
    const anaToken = (ana.socket.auth as { token: string }).token;
    const bob = await guest(LECTURE, 'Bob');
    const mod = await person(LECTURE, tokens.moderator);
    const { author } = await sendOk(ana, LECTURE, 'spam spam spam');

    const { sanction } = await ok(
      moderate<{ sanction: Sanction }>(mod, 'moderation:sanction', { eventId: LECTURE, userId: author.id, action: 'ban', reason: 'spam' }),
    );
    expect(sanction).toMatchObject({ kind: 'ban', until: null, reason: 'spam', displayName: 'Ana' });
    await eventually(() => ana.disconnected(), 5000, 'Ana’s socket to drop');
    expect(ana.sanctioned).toEqual([sanction]);
    expect(bob.disconnected()).toBe(false);
    expect(mod.staff.at(-1)?.sanctions).toEqual([sanction]);

    const back = await connectViewer(server.url, anaToken);
    open.push(back);
    const join = await errorOf(request(back, 'event:join', { eventId: LECTURE }));
    expect(join).toMatchObject({ code: 'FORBIDDEN', reason: 'banned' });
    expect(await errorOf(request(back, 'chat:send', { eventId: LECTURE, text: 're', clientId: 'x' }))).toMatchObject({ reason: 'banned' });
    expect(await errorOf(request(back, 'question:ask', { eventId: LECTURE, text: 're', clientId: 'x' }))).toMatchObject({ reason: 'banned' });
    // Another event is not concerned.
    await ok(request<JoinResult>(back, 'event:join', { eventId: WEBINAR }));

    await ok(moderate(mod, 'moderation:sanction', { eventId: LECTURE, userId: author.id, action: 'lift' }));
    await eventually(() => mod.staff.at(-1)?.sanctions.length === 0, 5000, 'the staff state after the lift');
    await ok(request<JoinResult>(back, 'event:join', { eventId: LECTURE }));
  });

  it('refuses to sanction a moderator or an admin', async () => {
    const mod = await person(WEBINAR, tokens.moderator);
    const admin = await person(WEBINAR, tokens.admin);
    const modId = (await sendOk(mod, WEBINAR, 'je modère')).author.id;
    const adminId = (await sendOk(admin, WEBINAR, 'j’administre')).author.id;
    for (const userId of [modId, adminId]) {
      const refused = await errorOf(moderate(admin, 'moderation:sanction', { eventId: WEBINAR, userId, action: 'ban' }));
      expect(refused.code).toBe('FORBIDDEN');
    }
    expect(await server.store.moderation.listSanctions(WEBINAR, Date.now())).toEqual([]);
  });

  it('holds back messages under slow mode, and answers a retry with the stored message', async () => {
    const ana = await guest(SLOW, 'Ana');
    const bob = await guest(SLOW, 'Bob');
    const mod = await person(SLOW, tokens.moderator);
    const { settings } = await ok(
      moderate<{ settings: RoomSettings }>(mod, 'room:configure', { eventId: SLOW, slowModeSeconds: 30 }),
    );
    expect(settings.slowModeSeconds).toBe(30);
    await eventually(() => bob.settings.at(-1)?.slowModeSeconds === 30, 5000, 'the room to hear of slow mode');

    const first = await ok(send(ana, SLOW, 'un', 'ana-1'));
    const slowed = await errorOf(send(ana, SLOW, 'deux', 'ana-2'));
    expect(slowed).toMatchObject({ code: 'RATE_LIMITED', reason: 'slow-mode' });
    expect(slowed.retryAfterMs).toBeGreaterThan(25_000);
    expect(slowed.retryAfterMs).toBeLessThanOrEqual(30_000);
    // A retry of the first message (its ack was lost) is answered, not refused.
    expect(await ok(send(ana, SLOW, 'un', 'ana-1'))).toEqual(first);
    // Someone else is not held up, nor are moderators.
    await sendOk(bob, SLOW, 'moi aussi');
    for (let i = 0; i < 3; i++) await sendOk(mod, SLOW, `annonce ${i}`);

    await ok(moderate(mod, 'room:configure', { eventId: SLOW, slowModeSeconds: 0 }));
    await sendOk(ana, SLOW, 'deux');
  });

  it('holds a message that matches the word filter for review; approving shows it to everyone once', async () => {
    const ana = await guest(FILTERED, 'Ana');
    const bob = await guest(FILTERED, 'Bob');
    const mod = await person(FILTERED, tokens.moderator);
    const other = await person(FILTERED, tokens.admin);
    const configured = await ok(
      moderate<{ wordFilter: string[] }>(mod, 'room:configure', { eventId: FILTERED, wordFilter: ['crétin', 'gros mot', 'CRETIN'] }),
    );
    expect(configured.wordFilter).toEqual(['crétin', 'gros mot']);
    await eventually(() => mod.staff.at(-1)?.wordFilter.length === 2, 5000, 'the moderators to see the filter');

    const sent = await ok(send(ana, FILTERED, 'Quel CRETIN, ce méchant !', 'held-1'));
    expect(sent).toEqual({ held: expect.objectContaining({ text: 'Quel CRETIN, ce méchant !', matched: ['crétin'] }) });
    const { held } = sent as { held: HeldMessage };
    await eventually(() => mod.staff.at(-1)?.held.some((h) => h.id === held.id) === true, 5000, 'the moderators to see it');
    // A retry gets the same answer, and is held once.
    expect(await ok(send(ana, FILTERED, 'Quel CRETIN, ce méchant !', 'held-1'))).toEqual(sent);
    expect((await server.store.moderation.listHeld(FILTERED)).filter((h) => h.clientId === 'held-1')).toHaveLength(1);
    // Whole words only: this one goes through.
    await sendOk(ana, FILTERED, 'le crétinisme, une maladie');
    // Moderators are not filtered.
    await sendOk(mod, FILTERED, 'pas de crétin ici');

    const marker = await sendOk(ana, FILTERED, 'marqueur');
    await eventually(() => bob.messages.some((m) => m.id === marker.id), 5000, 'the marker');
    expect(bob.messages.map((m) => m.text)).not.toContain('Quel CRETIN, ce méchant !');
    // Nor did the filter or the held message reach him: the moderators' state was sent before the marker too.
    expect(bob.staff).toEqual([]);

    // Two moderators approve at once: one wins, the other is told it is gone.
    const [a, b] = await Promise.all([
      moderate<{ message?: ChatMessage }>(mod, 'chat:review', { eventId: FILTERED, heldId: held.id, approve: true }),
      moderate<{ message?: ChatMessage }>(other, 'chat:review', { eventId: FILTERED, heldId: held.id, approve: true }),
    ]);
    const winners = [a, b].filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    expect([a, b].find((r) => !r.ok)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const approved = (winners[0] as { data: { message: ChatMessage } }).data.message;
    expect(approved).toMatchObject({ text: 'Quel CRETIN, ce méchant !', author: { displayName: 'Ana' }, offset: marker.offset + 1 });
    await eventually(() => bob.messages.some((m) => m.id === approved.id), 5000, 'Bob to see it');
    await eventually(() => ana.messages.some((m) => m.id === approved.id), 5000, 'Ana to see it');
    const after = await sendOk(mod, FILTERED, 'après');
    await eventually(() => bob.messages.some((m) => m.id === after.id), 5000, 'the next message');
    expect(bob.messages.filter((m) => m.id === approved.id)).toHaveLength(1);
    expect(mod.staff.at(-1)?.held.map((h) => h.id)).not.toContain(held.id);
    // Her retry now finds the message it became.
    expect(await ok(send(ana, FILTERED, 'Quel CRETIN, ce méchant !', 'held-1'))).toEqual({ message: approved });

    // Dropping answers nothing to show, and the room never sees it.
    const dropped = (await ok(send(ana, FILTERED, 'un gros  mot', 'held-2'))) as { held: HeldMessage };
    expect(await ok(moderate(mod, 'chat:review', { eventId: FILTERED, heldId: dropped.held.id, approve: false }))).toEqual({});
    expect((await errorOf(moderate(mod, 'chat:review', { eventId: FILTERED, heldId: dropped.held.id, approve: true }))).code).toBe('NOT_FOUND');
    expect((await server.store.audit.list({ limit: 1 }))[0]).toMatchObject({ action: AuditAction.CHAT_REVIEW, details: { approve: false } });
    await ok(moderate(mod, 'room:configure', { eventId: FILTERED, wordFilter: [] }));
  });

  it('pins an announcement and switches pre-moderation, for everyone in the room, at once', async () => {
    const ana = await guest(LECTURE, 'Ana');
    expect(ana.joined.settings).toEqual({ slowModeSeconds: 0, preModeration: true, pinned: null });
    expect(ana.joined.staff).toBeUndefined();
    const mod = await person(LECTURE, tokens.moderator);
    expect(mod.joined.staff).toEqual({ wordFilter: [], held: [], sanctions: [] });

    const pending = await ok(request<{ question: Question }>(ana.socket, 'question:ask', { eventId: LECTURE, text: 'Avant', clientId: crypto.randomUUID() }));
    expect(pending.question.state).toBe('pending');

    const { settings } = await ok(
      moderate<{ settings: RoomSettings }>(mod, 'room:configure', { eventId: LECTURE, pinned: 'Questions à la fin', preModeration: false }),
    );
    expect(settings).toMatchObject({ preModeration: false, pinned: { text: 'Questions à la fin', by: 'Modératrice' } });
    await eventually(() => ana.settings.length === 1, 5000, 'the room to hear of it');
    expect(ana.settings[0]).toEqual(settings);
    const direct = await ok(request<{ question: Question }>(ana.socket, 'question:ask', { eventId: LECTURE, text: 'Après', clientId: crypto.randomUUID() }));
    expect(direct.question.state).toBe('approved');
    expect((await guest(LECTURE, 'Bob')).joined.settings).toEqual(settings);

    // Changing nothing the room sees sends nothing; unpinning does.
    await ok(moderate(mod, 'room:configure', { eventId: LECTURE, preModeration: false }));
    await ok(moderate(mod, 'room:configure', { eventId: LECTURE, pinned: null, preModeration: true }));
    await eventually(() => ana.settings.length === 2, 5000, 'the unpinning');
    expect(ana.settings[1]).toEqual({ slowModeSeconds: 0, preModeration: true, pinned: null });
  });

  it('sends the moderators’ backstage notes to the speakers, never to the audience', async () => {
    const viewer = await guest(LECTURE, 'Ana');
    const speaker = await person(LECTURE, tokens.speaker);
    const mod = await person(LECTURE, tokens.moderator);
    expect(viewer.joined.backstage).toBeUndefined();
    expect(speaker.joined.backstage).toEqual(expect.any(Array));
    expect(speaker.joined.staff).toBeUndefined();

    const { note } = await ok(moderate<{ note: BackstageNote }>(mod, 'backstage:note', { eventId: LECTURE, text: 'Plus que 5 minutes' }));
    expect(note).toMatchObject({ text: 'Plus que 5 minutes', by: 'Modératrice', eventId: LECTURE });
    await eventually(() => speaker.notes.some((n) => n.id === note.id), 5000, 'the speaker to get it');
    await eventually(() => mod.notes.some((n) => n.id === note.id), 5000, 'the moderator to get it');
    const marker = await sendOk(mod, LECTURE, 'marqueur');
    await eventually(() => viewer.messages.some((m) => m.id === marker.id), 5000, 'the marker');
    expect(viewer.notes).toEqual([]);
    // A speaker joining later finds it in the ack.
    const late = await person(LECTURE, tokens.speaker);
    expect(late.joined.backstage?.at(-1)).toEqual(note);
  });

  it('refuses every moderation event to anyone but the event’s moderators and admins', async () => {
    const ana = await guest(WEBINAR, 'Ana');
    const speaker = await person(WEBINAR, tokens.speaker);
    const { id } = await sendOk(ana, WEBINAR, 'cible');
    const calls: [string, Record<string, unknown>][] = [
      ['chat:delete', { eventId: WEBINAR, messageId: id }],
      ['chat:review', { eventId: WEBINAR, heldId: 'h', approve: true }],
      ['moderation:sanction', { eventId: WEBINAR, userId: 'guest_x', action: 'timeout', minutes: 1 }],
      ['room:configure', { eventId: WEBINAR, slowModeSeconds: 10 }],
      ['backstage:note', { eventId: WEBINAR, text: 'psst' }],
    ];
    for (const who of [ana, speaker]) {
      for (const [event, payload] of calls) {
        expect((await errorOf(moderate(who, event, payload))).code, `${event}`).toBe('FORBIDDEN');
      }
    }
    const anonymous = await person(WEBINAR);
    expect((await errorOf(moderate(anonymous, 'chat:delete', { eventId: WEBINAR, messageId: id }))).code).toBe('UNAUTHENTICATED');
    expect((await server.store.chat.tail(WEBINAR, 1))[0]).toMatchObject({ id, text: 'cible' });
    expect((await server.store.moderation.getSettings(WEBINAR)).slowModeSeconds).toBe(0);
  });

  it('limits how fast a person asks questions, moderators excepted, and records the moderators’ actions on questions', async () => {
    const ana = await guest(WEBINAR, 'Ana');
    const mod = await person(WEBINAR, tokens.moderator);
    const ask = (p: Person, clientId: string = crypto.randomUUID()) =>
      request<{ question: Question }>(p.socket, 'question:ask', { eventId: WEBINAR, text: 'Encore une', clientId });
    for (let i = 0; i < 5; i++) await ok(ask(ana, `ana-${i}`));
    const limited = await errorOf(ask(ana));
    expect(limited.code).toBe('RATE_LIMITED');
    expect(limited.retryAfterMs).toBeGreaterThan(0);
    // A retried ask is still answered.
    await ok(ask(ana, 'ana-4'));
    for (let i = 0; i < 7; i++) await ok(ask(mod));

    const { question } = await ok(ask(mod));
    await ok(request(mod.socket, 'question:moderate', { eventId: WEBINAR, questionId: question.id, action: 'star' }));
    expect((await server.store.audit.list({ limit: 1 }))[0]).toMatchObject({
      action: AuditAction.QUESTION_MODERATE,
      target: `event:${WEBINAR}`,
      details: { questionId: question.id, question: 'Encore une', action: 'star', starred: true },
    });
  });
});

describe('the chat rate limit', () => {
  let server: TestServer;
  let moderatorToken: string;
  beforeAll(async () => {
    server = await startTestServer({ chatRateLimit: 2 });
    await server.store.programme.saveProgramme([], [testEvent(WEBINAR, { kind: 'webinar' })]);
    const mod = await createAccount(server.store, { email: 'mod@example.org', password: PASSWORD });
    await grant(server.store, WEBINAR, mod, 'moderator');
    moderatorToken = (await login(server.url, 'mod@example.org', PASSWORD)).token;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('refuses a person past the limit with the wait, answers their retries, and lets moderators through', async () => {
    const ana = await connectViewer(server.url, await guestToken(server.url, 'Ana'));
    const mod = await connectViewer(server.url, moderatorToken);
    try {
      const send = (s: TestClient, clientId: string) => request<ChatSendResult>(s, 'chat:send', { eventId: WEBINAR, text: 'vite', clientId });
      const first = await ok(send(ana, 'a1'));
      await ok(send(ana, 'a2'));
      const limited = await send(ana, 'a3');
      expect(limited).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) } });
      expect(limited.ok || limited.error.reason).toBeUndefined();
      expect(await ok(send(ana, 'a1'))).toEqual(first);
      for (let i = 0; i < 6; i++) await ok(send(mod, `m${i}`));
    } finally {
      ana.close();
      mod.close();
    }
  });
});
