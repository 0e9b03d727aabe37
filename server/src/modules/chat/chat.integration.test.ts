import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '#shared/domain/chat';
import type { JoinResult } from '#shared/protocol/events';
import {
  connectViewer,
  eventually,
  guestToken,
  LIVE_EVENT_ID,
  ok,
  request,
  startTestServer,
  type TestClient,
  type TestServer,
} from '../../test/harness';

let server: TestServer;
const open: TestClient[] = [];

async function viewer(name?: string): Promise<TestClient> {
  const socket = await connectViewer(server.url, name ? await guestToken(server.url, name) : undefined);
  open.push(socket);
  return socket;
}

/** Collects every chat message broadcast to a socket, in arrival order. */
function collect(socket: TestClient): ChatMessage[] {
  const received: ChatMessage[] = [];
  socket.on('chat:messages', ({ messages }) => received.push(...messages));
  return received;
}

const join = (socket: TestClient, since?: number) =>
  ok(request<JoinResult>(socket, 'event:join', { eventId: LIVE_EVENT_ID, ...(since !== undefined && { since }) }));
const send = (socket: TestClient, text: string, clientId = crypto.randomUUID()) =>
  request<{ message: ChatMessage }>(socket, 'chat:send', { eventId: LIVE_EVENT_ID, text, clientId });

beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => {
  while (open.length) open.pop()!.close();
});
afterAll(async () => {
  await server.stop();
});

describe('chat between two viewers', () => {
  it('delivers a message to both viewers exactly once', async () => {
    const ana = await viewer('Ana');
    const bob = await viewer('Bob');
    const toAna = collect(ana);
    const toBob = collect(bob);
    await join(ana);
    await join(bob);

    const { message } = await ok(send(ana, 'Bonjour à tous !'));
    expect(message.author.displayName).toBe('Ana');
    expect(message.text).toBe('Bonjour à tous !');

    await eventually(() => toAna.length >= 1 && toBob.length >= 1, 5000, 'both deliveries');
    // A reply, so that a duplicate of the first message would have had time to arrive before it.
    await ok(send(bob, 'Salut Ana'));
    await eventually(() => toAna.length >= 2 && toBob.length >= 2, 5000, 'the reply');
    for (const log of [toAna, toBob]) {
      expect(log.map((m) => m.text)).toEqual(['Bonjour à tous !', 'Salut Ana']);
      expect(log[1]!.offset).toBeGreaterThan(log[0]!.offset);
    }
  });

  it('broadcasts a message to a quiet room before acknowledging it', async () => {
    // An event no other test writes to, so nothing else has been sent to it within the batching window.
    const quiet = 'cine-chili-cordillere';
    const ana = await viewer('Ana');
    await ok(request(ana, 'event:join', { eventId: quiet }));
    const order: string[] = [];
    ana.on('chat:messages', () => order.push('broadcast'));
    await ok(request(ana, 'chat:send', { eventId: quiet, text: 'tout de suite', clientId: 'q1' }));
    order.push('ack');
    expect(order).toEqual(['broadcast', 'ack']);
  });

  it('gives a reconnecting viewer exactly the messages it missed', async () => {
    const ana = await viewer('Ana');
    const first = await join(ana);
    const bob = await viewer('Bob');
    const bobJoin = await join(bob);
    await ok(send(ana, 'avant la coupure'));
    const bobSeen = collect(bob);
    await eventually(() => bobSeen.length === 1, 5000, 'the message before the cut');
    const lastHeld = bobSeen[0]!.offset;
    bob.close();

    const missed = ['pendant 1', 'pendant 2', 'pendant 3'];
    for (const text of missed) await ok(send(ana, text));

    const bobAgain = await viewer('Bob');
    const rejoin = await join(bobAgain, lastHeld);
    expect(rejoin.chat.reset).toBe(false);
    expect(rejoin.chat.messages.map((m) => m.text)).toEqual(missed);
    expect(rejoin.chat.lastOffset).toBe(rejoin.chat.messages.at(-1)!.offset);
    expect(first.chat.lastOffset).toBeLessThan(lastHeld);
    expect(bobJoin.event.id).toBe(LIVE_EVENT_ID);
  });

  it('stores one message when the same clientId is sent twice', async () => {
    const ana = await viewer('Ana');
    const bob = await viewer('Bob');
    const toBob = collect(bob);
    await join(ana);
    const before = (await join(bob)).chat.lastOffset;

    const clientId = crypto.randomUUID();
    const a = await ok(send(ana, 'une seule fois', clientId));
    const b = await ok(send(ana, 'une seule fois', clientId));
    expect(b.message).toEqual(a.message);

    await ok(send(ana, 'marqueur'));
    await eventually(() => toBob.some((m) => m.text === 'marqueur'), 5000, 'the marker');
    expect(toBob.filter((m) => m.text === 'une seule fois')).toHaveLength(1);
    const history = await join(await viewer(), before);
    expect(history.chat.messages.map((m) => m.text)).toEqual(['une seule fois', 'marqueur']);
  });

  it('keeps a history of the last 100 messages for a newcomer', async () => {
    const ana = await viewer('Ana');
    await join(ana);
    const texts = Array.from({ length: 105 }, (_, i) => `message ${i}`);
    for (const text of texts) await ok(send(ana, text));
    const newcomer = await join(await viewer());
    expect(newcomer.chat.reset).toBe(true);
    expect(newcomer.chat.messages).toHaveLength(100);
    expect(newcomer.chat.messages.at(-1)!.text).toBe('message 104');
    const offsets = newcomer.chat.messages.map((m) => m.offset);
    expect(offsets).toEqual([...offsets].sort((x, y) => x - y));
  });
});

describe('who may chat', () => {
  it('lets a viewer without a token watch but not write', async () => {
    const anonymous = await viewer();
    const joined = await join(anonymous);
    expect(joined.event.status).toBe('live');
    const res = await send(anonymous, 'coucou');
    expect(res).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('refuses a handshake with a forged token', async () => {
    await expect(connectViewer(server.url, 'not.a.jwt')).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
  });

  it('keeps registration-only events closed to guests', async () => {
    const ana = await viewer('Ana');
    const res = await request(ana, 'event:join', { eventId: 'webinaire-emi' });
    expect(res).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('closes the chat of an ended event', async () => {
    const ana = await viewer('Ana');
    await ok(request(ana, 'event:join', { eventId: 'chercheurs-pandemie' }));
    const res = await request(ana, 'chat:send', { eventId: 'chercheurs-pandemie', text: 'trop tard ?', clientId: 'x1' });
    expect(res).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'event-closed' } });
  });

  it('answers an unknown event with NOT_FOUND', async () => {
    const ana = await viewer('Ana');
    expect(await request(ana, 'event:join', { eventId: 'no-such-event' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});

describe('rate limit', () => {
  it('answers RATE_LIMITED with a wait time past the per-person limit, and stores nothing more', async () => {
    const limited = await startTestServer({ chatRateLimit: 3 });
    try {
      const ana = await connectViewer(limited.url, await guestToken(limited.url, 'Ana'));
      open.push(ana);
      // The demo's room already holds a few messages.
      const before = (await ok(request<JoinResult>(ana, 'event:join', { eventId: LIVE_EVENT_ID }))).chat.lastOffset;
      const results = [];
      for (let i = 0; i < 5; i++) {
        results.push(await request(ana, 'chat:send', { eventId: LIVE_EVENT_ID, text: `m${i}`, clientId: `c${i}` }));
      }
      expect(results.filter((r) => r.ok)).toHaveLength(3);
      const refused = results.at(-1)!;
      expect(refused.ok).toBe(false);
      if (!refused.ok) {
        expect(refused.error.code).toBe('RATE_LIMITED');
        expect(refused.error.retryAfterMs).toBeGreaterThan(0);
        expect(refused.error.retryAfterMs).toBeLessThanOrEqual(10_000);
      }
      expect(await limited.store.chat.lastOffset(LIVE_EVENT_ID)).toBe(before + 3);
    } finally {
      await limited.stop();
    }
  });
});

describe('viewer count', () => {
  it('tells everyone in the room how many are watching', async () => {
    const ana = await viewer('Ana');
    const counts: number[] = [];
    ana.on('presence:viewers', ({ viewers }) => counts.push(viewers));
    const joined = await join(ana);
    expect(joined.viewers).toBe(1);
    const bob = await viewer();
    await join(bob);
    await eventually(() => counts.at(-1) === 2, 5000, 'a count of 2');
    bob.close();
    await eventually(() => counts.at(-1) === 1, 5000, 'the count back to 1');
  });
});
