import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ReactionCounts } from './reaction-bursts';
import type { JoinResult } from '#shared/protocol/events';
import { connectViewer, eventually, guestToken, ok, request, startTestServer, type TestClient, type TestServer } from '../../test/harness';
import { testEvent } from '../../test/staff';

let server: TestServer;
const open: TestClient[] = [];
const EVENT = 'reactions-webinar';

beforeAll(async () => {
  server = await startTestServer();
  await server.store.programme.saveProgramme([], [testEvent(EVENT, { kind: 'webinar', status: 'live' }), testEvent('reactions-other')]);
});
afterEach(() => {
  while (open.length) open.pop()!.close();
});
afterAll(async () => {
  await server.stop();
});

/** A socket in the event's room that adds up the bursts it receives. */
async function viewer(name?: string) {
  const socket = await connectViewer(server.url, name ? await guestToken(server.url, name) : undefined);
  open.push(socket);
  const bursts: ReactionCounts[] = [];
  socket.on('reactions:burst', ({ eventId, counts }) => {
    if (eventId === EVENT) bursts.push(counts);
  });
  await ok(request<JoinResult>(socket, 'event:join', { eventId: EVENT }));
  const total = (reaction?: string) =>
    bursts.reduce((sum, c) => sum + Object.entries(c).reduce((s, [r, n]) => s + (reaction === undefined || r === reaction ? n : 0), 0), 0);
  return { socket, bursts, total };
}

const react = (socket: TestClient, reaction: string, eventId = EVENT) => request(socket, 'reaction:send', { eventId, reaction });

describe('reactions', () => {
  it('adds up 60 clicks of three viewers into bursts that every viewer receives whole', async () => {
    const clickers = await Promise.all(['Ana', 'Bob', 'Chloé'].map((n) => viewer(n)));
    const watcher = await viewer();
    // 20 clicks each, all at once: 40 applause and 20 hearts.
    const acks = await Promise.all(
      clickers.flatMap((c, i) => Array.from({ length: 20 }, (_, j) => react(c.socket, (i + j) % 3 === 0 ? '❤️' : '👏'))),
    );
    expect(acks.every((a) => a.ok)).toBe(true);
    for (const person of [watcher, ...clickers]) {
      await eventually(() => person.total() === 60, 5000, 'all 60 clicks to arrive');
      expect(person.total('👏')).toBe(40);
      expect(person.total('❤️')).toBe(20);
    }
  });

  it('takes reactions only from people with a name who joined the room', async () => {
    const anonymous = await viewer();
    expect(await react(anonymous.socket, '👏')).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const outside = await connectViewer(server.url, await guestToken(server.url, 'Dehors'));
    open.push(outside);
    expect(await react(outside, '👏')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const ana = await viewer('Ana');
    expect(await react(ana.socket, '👏', 'reactions-other')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('takes no reactions once the event has ended', async () => {
    const ana = await viewer('Ana');
    await server.store.programme.saveProgramme([], [testEvent(EVENT, { kind: 'webinar', status: 'ended' })]);
    try {
      expect(await react(ana.socket, '👏')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'event-closed' } });
    } finally {
      await server.store.programme.saveProgramme([], [testEvent(EVENT, { kind: 'webinar', status: 'live' })]);
    }
  });

  it('limits each person to 20 reactions in 5 seconds, across their sockets', async () => {
    const token = await guestToken(server.url, 'Zélé');
    const [one, two] = [await connectViewer(server.url, token), await connectViewer(server.url, token)];
    open.push(one, two);
    for (const s of [one, two]) await ok(request<JoinResult>(s, 'event:join', { eventId: EVENT }));
    const acks = await Promise.all(Array.from({ length: 24 }, (_, i) => react(i % 2 ? one : two, '😂')));
    expect(acks.filter((a) => a.ok)).toHaveLength(20);
    const refused = acks.filter((a) => !a.ok);
    expect(refused).toHaveLength(4);
    for (const a of refused) {
      expect(a).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) } });
    }
  });

  it('answers an unknown reaction with INVALID_PAYLOAD and keeps the socket connected', async () => {
    const ana = await viewer('Ana');
    for (const payload of [{ eventId: EVENT, reaction: '💩' }, { eventId: EVENT }, { reaction: '👏' }, 42]) {
      expect(await request(ana.socket, 'reaction:send', payload)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    }
    expect(ana.socket.connected).toBe(true);
    expect(await react(ana.socket, '🤔')).toEqual({ ok: true, data: {} });
  });
});
