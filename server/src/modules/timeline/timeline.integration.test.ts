import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TimelineItem } from '#shared/domain/broadcast';
import type { ChatMessage } from '#shared/domain/chat';
import type { Poll } from '#shared/domain/poll';
import type { Question } from '#shared/domain/question';
import type { ReplayMap } from '#shared/domain/replay-map';
import type { ChatSendResult, JoinResult } from '#shared/protocol/events';
import { connectViewer, guestToken, ok, request, startTestServer, type TestClient, type TestServer } from '../../test/harness';
import { api, createAccount, grant, login, testEvent } from '../../test/staff';
import { readChapters } from '../../test/webvtt';

/*
 * The timeline on the real server: a live played by a moderator and two guests over real sockets, then read back
 * through a replay map built by hand around the instants the server gave (a trim at each end and a gap between two
 * publishing sessions), as the replay module would build it from the recording.
 */

let server: TestServer;
let moderatorToken: string;
const open: TestClient[] = [];
const TALK = 'timeline-talk';
const INVITE = 'timeline-invite';
const BARE = 'timeline-bare';
/** The maps the server reads, set by each test once it knows the instants. */
const maps = new Map<string, ReplayMap>();

beforeAll(async () => {
  server = await startTestServer({}, undefined, { replayMaps: { map: async (eventId) => maps.get(eventId) ?? null } });
  await server.store.programme.saveProgramme(
    [],
    [
      testEvent(TALK, { status: 'live' }),
      testEvent(INVITE, { status: 'ended', access: 'invite' }),
      testEvent(BARE, { status: 'ended' }),
    ],
  );
  const account = await createAccount(server.store, { email: 'timeline-mod@example.org', password: 'correct horse battery' });
  for (const id of [TALK, INVITE]) await grant(server.store, id, account, 'moderator');
  moderatorToken = (await login(server.url, 'timeline-mod@example.org', 'correct horse battery')).token;
});
afterEach(() => {
  while (open.length) open.pop()!.close();
});
afterAll(async () => {
  await server.stop();
});

async function person(token: string, eventId = TALK): Promise<TestClient> {
  const socket = await connectViewer(server.url, token);
  open.push(socket);
  await ok(request<JoinResult>(socket, 'event:join', { eventId }));
  return socket;
}

/**
 * An instant between two steps of the live: every instant the server gave before is strictly earlier, every instant
 * it gives after strictly later (the server runs in this process, on the same clock), so a span may start or end
 * there without touching anything that happened.
 */
function mark(): number {
  const before = Date.now();
  while (Date.now() <= before);
  const at = Date.now();
  while (Date.now() <= at);
  return at;
}

/** Waits for the next whole second, so that clicks from now on are kept under a second that starts after `mark()`. */
async function nextSecond(): Promise<number> {
  const second = Math.floor(Date.now() / 1000) * 1000 + 1000;
  await new Promise((resolve) => setTimeout(resolve, second - Date.now() + 1));
  while (Date.now() < second);
  return second;
}

const iso = (ms: number) => new Date(ms).toISOString();
const ms = (iso: string) => Date.parse(iso);

async function say(socket: TestClient, text: string): Promise<ChatSendResult> {
  return ok(request<ChatSendResult>(socket, 'chat:send', { eventId: TALK, text, clientId: `c-${text}-${Math.random()}` }));
}
async function said(socket: TestClient, text: string): Promise<ChatMessage> {
  const result = await say(socket, text);
  if (!('message' in result)) throw new Error(`"${text}" was held`);
  return result.message;
}
const ask = async (socket: TestClient, text: string, anonymous = false) =>
  (await ok(request<{ question: Question }>(socket, 'question:ask', { eventId: TALK, text, anonymous, clientId: `q-${text}` }))).question;
const moderate = async (socket: TestClient, questionId: string, action: string) =>
  (await ok(request<{ question: Question }>(socket, 'question:moderate', { eventId: TALK, questionId, action }))).question;
const pollControl = async (socket: TestClient, pollId: string, action: 'open' | 'close') =>
  (await ok(request<{ poll: Poll }>(socket, 'poll:control', { eventId: TALK, pollId, action }))).poll;

async function timeline(eventId: string, token?: string): Promise<TimelineItem[]> {
  const res = await api<{ items: TimelineItem[] }>(server.url, 'GET', `/api/events/${eventId}/timeline`, { token });
  if (res.status !== 200) throw new Error(`timeline answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.items;
}

async function chaptersFile(eventId: string, token?: string): Promise<Response> {
  return fetch(`${server.url}/api/events/${eventId}/chapters.vtt`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

/** Reads again until `done` says so: for the reactions, which each process writes to the store once a second. */
async function readUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The reactions a list of timeline items holds, summed. */
function reactionTotals(items: TimelineItem[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const item of items) {
    if (item.type !== 'reactions') continue;
    for (const [reaction, n] of Object.entries(item.counts)) totals[reaction] = (totals[reaction] ?? 0) + (n ?? 0);
  }
  return totals;
}

describe('the timeline of a live, on its replay’s clock', () => {
  it('gives what the audience saw, in order, each at its instant and at its place in a trimmed replay with a gap', async () => {
    const mod = await person(moderatorToken);
    const ana = await person(await guestToken(server.url, 'Ana'));
    const bob = await person(await guestToken(server.url, 'Bob'));
    await ok(request(mod, 'room:configure', { eventId: TALK, wordFilter: ['spoiler'] }));

    // Before the replay starts (trimmed away): a hello, a message deleted, one held by the word filter.
    const hello = await said(ana, 'Bonjour à tous');
    const deleted = await said(bob, 'Message à effacer');
    await ok(request(mod, 'chat:delete', { eventId: TALK, messageId: deleted.id }));
    expect(await say(bob, 'Attention spoiler')).toHaveProperty('held');
    const q1 = await ask(ana, 'Pourquoi <b>les</b> bibliothèques & le public ?', true);
    const q2 = await ask(bob, 'Et le numérique ?');
    const kept = await ask(bob, 'Une question écartée');
    await moderate(mod, kept.id, 'reject');
    const poll = (
      await ok(
        request<{ poll: Poll }>(mod, 'poll:create', {
          eventId: TALK,
          question: 'Un prochain atelier ?',
          options: ['Oui', 'Non'],
          results: 'after-close',
        }),
      )
    ).poll;

    // Session 1 of the recording starts here, after the trim-in point.
    const a = mark();
    const q1Live = await moderate(mod, q1.id, 'live');
    const second = await nextSecond();
    await Promise.all([
      ...Array.from({ length: 3 }, () => ok(request(ana, 'reaction:send', { eventId: TALK, reaction: '👏' }))),
      ...Array.from({ length: 2 }, () => ok(request(bob, 'reaction:send', { eventId: TALK, reaction: '❤️' }))),
    ]);
    // Session 1 ends: the publisher drops, and comes back at c.
    const b = mark();
    const duringGap = await said(bob, 'On a perdu l’image ?');
    const c = mark();
    // Each step at an instant of its own (mark() between them): two things of the same millisecond may come in either
    // order, and this test checks the order.
    const q2Live = await moderate(mod, q2.id, 'live');
    mark();
    const opened = await pollControl(mod, poll.id, 'open');
    await ok(request(ana, 'poll:vote', { eventId: TALK, pollId: poll.id, optionIds: ['o1'] }));
    await ok(request(bob, 'poll:vote', { eventId: TALK, pollId: poll.id, optionIds: ['o1'] }));
    mark();
    const closed = await pollControl(mod, poll.id, 'close');
    mark();
    const q2Answered = await moderate(mod, q2.id, 'answered');
    // The trim-out point: what follows is not in the replay.
    const d = mark();
    const after = await said(ana, 'Merci !');

    const span1 = { offset: 0, at: iso(a), duration: (b - a) / 1000 };
    const span2 = { offset: span1.duration, at: iso(c), duration: (d - c) / 1000 };
    maps.set(TALK, { spans: [span1, span2] });
    const inSpan1 = (at: string) => (ms(at) - a) / 1000;
    const inSpan2 = (at: string) => span1.duration + (ms(at) - c) / 1000;

    // The reactions reach the store within a second or so: wait for all five.
    const items = await readUntil(
      () => timeline(TALK),
      (read) => Object.values(reactionTotals(read)).reduce((sum, n) => sum + n, 0) >= 5,
      'the five clicks to be kept',
    );
    expect(reactionTotals(items)).toEqual({ '👏': 3, '❤️': 2 });

    const reactions = items.filter((i) => i.type === 'reactions');
    const others = items.filter((i) => i.type !== 'reactions');
    expect(others).toEqual([
      { type: 'chat', at: hello.sentAt, offset: 0, messageId: hello.id, author: hello.author, text: 'Bonjour à tous' },
      { type: 'question-live', at: q1Live.liveAt, offset: expect.closeTo(inSpan1(q1Live.liveAt!), 6), questionId: q1.id, text: q1.text, author: null },
      { type: 'chat', at: duringGap.sentAt, offset: span2.offset, messageId: duringGap.id, author: duringGap.author, text: duringGap.text },
      { type: 'question-answered', at: q2Live.liveAt, offset: expect.closeTo(inSpan2(q2Live.liveAt!), 6), questionId: q1.id, text: q1.text },
      { type: 'question-live', at: q2Live.liveAt, offset: expect.closeTo(inSpan2(q2Live.liveAt!), 6), questionId: q2.id, text: q2.text, author: 'Bob' },
      { type: 'poll-open', at: opened.openedAt, offset: expect.closeTo(inSpan2(opened.openedAt!), 6), pollId: poll.id, question: 'Un prochain atelier ?' },
      {
        type: 'poll-close',
        at: closed.closedAt,
        offset: expect.closeTo(inSpan2(closed.closedAt!), 6),
        pollId: poll.id,
        question: 'Un prochain atelier ?',
        options: [
          { id: 'o1', label: 'Oui', votes: 2 },
          { id: 'o2', label: 'Non', votes: 0 },
        ],
      },
      { type: 'question-answered', at: q2Answered.answeredAt, offset: expect.closeTo(inSpan2(q2Answered.answeredAt!), 6), questionId: q2.id, text: q2.text },
      { type: 'chat', at: after.sentAt, offset: null, messageId: after.id, author: after.author, text: 'Merci !' },
    ]);
    // Every burst is kept under a second of the clicks, inside session 1, and placed there.
    for (const burst of reactions) {
      expect(ms(burst.at)).toBeGreaterThanOrEqual(second);
      expect(ms(burst.at)).toBeLessThan(b);
      expect(burst.offset).toBeCloseTo(inSpan1(burst.at), 6);
    }
    // In order of instant throughout, bursts included.
    expect(items.map((i) => ms(i.at))).toEqual(items.map((i) => ms(i.at)).sort((x, y) => x - y));
    expect(items.indexOf(reactions[0]!)).toBeGreaterThan(items.findIndex((i) => i.type === 'question-live'));
    expect(items.indexOf(reactions.at(-1)!)).toBeLessThan(items.findIndex((i) => i.type === 'chat' && i.messageId === duringGap.id));

    // The chapters: one per question that went on air, to the next one or the end of the replay.
    const res = await chaptersFile(TALK);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/vtt; charset=utf-8');
    const cues = readChapters(await res.text());
    const end = span1.duration + span2.duration;
    expect(cues).toEqual([
      { id: q1.id, start: round(inSpan1(q1Live.liveAt!)), end: round(inSpan2(q2Live.liveAt!)), text: 'Pourquoi <b>les</b> bibliothèques & le public ?' },
      { id: q2.id, start: round(inSpan2(q2Live.liveAt!)), end: round(end), text: 'Et le numérique ?' },
    ]);

    // The admin trims the start past the moment the first question went on air: everything moves with the video.
    const trimmedIn = ms(q1Live.liveAt!) + 1;
    const trimmed = { offset: 0, at: iso(trimmedIn), duration: (b - trimmedIn) / 1000 };
    const after2 = { offset: trimmed.duration, at: iso(c), duration: span2.duration };
    maps.set(TALK, { spans: [trimmed, after2] });
    const shifted = await timeline(TALK);
    const q2LiveOffset = trimmed.duration + (ms(q2Live.liveAt!) - c) / 1000;
    expect(shifted.find((i) => i.type === 'question-live' && i.questionId === q1.id)?.offset).toBe(0);
    expect(shifted.find((i) => i.type === 'question-live' && i.questionId === q2.id)?.offset).toBeCloseTo(q2LiveOffset, 6);
    expect(readChapters(await (await chaptersFile(TALK)).text())).toEqual([
      { id: q1.id, start: 0, end: round(q2LiveOffset), text: 'Pourquoi <b>les</b> bibliothèques & le public ?' },
      { id: q2.id, start: round(q2LiveOffset), end: round(trimmed.duration + after2.duration), text: 'Et le numérique ?' },
    ]);
  });

  it('gives the instants without offsets, and no chapters, for an event without a replay', async () => {
    const hello = await said(await person(await guestToken(server.url, 'Chloé')), 'Sans replay');
    maps.delete(TALK);
    const items = await timeline(TALK);
    expect(items.find((i) => i.type === 'chat' && i.messageId === hello.id)).toMatchObject({ at: hello.sentAt, offset: null });
    expect(items.every((i) => i.offset === null)).toBe(true);
    const res = await chaptersFile(TALK);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(await timeline(BARE)).toEqual([]);
    // The replay module answers a map without spans for an event whose replay is not ready.
    maps.set(BARE, { spans: [] });
    expect((await chaptersFile(BARE)).status).toBe(404);
  });

  it('shows an invite-only event’s timeline to its people only, and answers NOT_FOUND for no event', async () => {
    maps.set(INVITE, { spans: [{ offset: 0, at: '2026-11-25T18:00:00.000Z', duration: 60 }] });
    const guest = await guestToken(server.url, 'Curieux');
    for (const path of ['timeline', 'chapters.vtt']) {
      expect((await api(server.url, 'GET', `/api/events/${INVITE}/${path}`)).status).toBe(403);
      expect((await api(server.url, 'GET', `/api/events/${INVITE}/${path}`, { token: guest })).status).toBe(403);
      expect((await api(server.url, 'GET', `/api/events/nope/${path}`)).status).toBe(404);
    }
    const res = await api<{ items: TimelineItem[] }>(server.url, 'GET', `/api/events/${INVITE}/timeline`, { token: moderatorToken });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-cache');
    expect(readChapters(await (await chaptersFile(INVITE, moderatorToken)).text())).toEqual([]);
  });
});

/** WebVTT keeps milliseconds. */
const round = (seconds: number) => Math.round(seconds * 1000) / 1000;
