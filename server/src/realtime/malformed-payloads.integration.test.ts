import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '#shared/domain/chat';
import { clientEventSchemas, isClientEventName, type ClientEventName } from '#shared/protocol/client-events';
import { ErrorCode } from '#shared/protocol/errors';
import {
  connectViewer,
  emitRaw,
  eventually,
  guestToken,
  LIVE_EVENT_ID,
  ok,
  request,
  startTestServer,
  type TestClient,
  type TestServer,
} from '../test/harness';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

/** Every client → server event of the protocol: an event added to the map is fuzzed without touching this file. */
const EVENTS = Object.keys(clientEventSchemas) as ClientEventName[];
const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));
const SAMPLES_PER_EVENT = 24;

/** Values of the wrong type, size or shape for any field, with a few right ones among them. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything(),
  fc.constantFrom('', '   ', LIVE_EVENT_ID, 'approve', 'open', 'ban', '👏', null, true, -1, 0, 1.5, 1e300),
  fc.string({ maxLength: 40 }),
  fc.string({ minLength: 101, maxLength: 700 }),
  fc.integer(),
  fc.double(),
  fc.array(fc.string({ maxLength: 20 }), { maxLength: 12 }),
);

/**
 * Payloads for one event: anything at all, and objects with the event's own field names (any of them left out) holding
 * junk, which get past a first glance and must be refused field by field.
 */
function malformedFor(event: ClientEventName): fc.Arbitrary<unknown> {
  const fields = Object.keys(clientEventSchemas[event].shape);
  return fc.oneof(
    fc.anything(),
    fc.record(Object.fromEntries(fields.map((field) => [field, junk])), { requiredKeys: [] }),
  );
}

/** What the server receives of a payload: Socket.IO carries it as JSON (`undefined` arrives as null, NaN as null). */
const overTheWire = (payload: unknown): unknown => (JSON.parse(JSON.stringify([payload])) as unknown[])[0];

describe('malformed payloads', () => {
  it('answers malformed payloads to every event of the protocol with typed errors, and keeps serving everyone', async () => {
    const attackers = [await connectViewer(server.url, await guestToken(server.url, 'Mallory')), await connectViewer(server.url)];
    const bystander = await connectViewer(server.url, await guestToken(server.url, 'Ana'));
    const carol = await connectViewer(server.url, await guestToken(server.url, 'Carol'));
    let disconnections = 0;
    for (const socket of [bystander, carol, ...attackers]) socket.on('disconnect', () => disconnections++);
    await ok(request(bystander, 'event:join', { eventId: LIVE_EVENT_ID }));
    const heard: ChatMessage[] = [];
    bystander.on('chat:messages', ({ messages }) => heard.push(...messages));

    const refusedPerEvent = new Map<ClientEventName, number>();
    const codes: string[] = [];
    for (const [index, event] of EVENTS.entries()) {
      const samples = fc.sample(malformedFor(event), { numRuns: SAMPLES_PER_EVENT, seed: 20261125 + index });
      for (const [n, payload] of samples.entries()) {
        const attacker = attackers[n % attackers.length]!;
        const res = await request(attacker, event, payload);
        const valid = clientEventSchemas[event].safeParse(overTheWire(payload)).success;
        if (!valid) {
          // Refused by its schema: always INVALID_PAYLOAD, with a message and the fields at fault.
          expect(res, `${event} ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
          refusedPerEvent.set(event, (refusedPerEvent.get(event) ?? 0) + 1);
        }
        if (!res.ok) {
          expect(KNOWN_CODES.has(res.error.code)).toBe(true);
          expect(typeof res.error.message).toBe('string');
          codes.push(res.error.code);
        }
      }
    }
    // Most samples of every event are malformed (else this test would prove little), and none met a bug.
    for (const event of EVENTS) expect(refusedPerEvent.get(event) ?? 0, event).toBeGreaterThan(SAMPLES_PER_EVENT / 2);
    expect(codes).not.toContain('INTERNAL');

    // Nobody was disconnected, the server still answers, and the bystander still hears the room: Carol's line, sent
    // after everything else, reaches them.
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    const marker = `toujours là ${crypto.randomUUID()}`;
    const sent = await ok(
      request<{ message: ChatMessage }>(carol, 'chat:send', { eventId: LIVE_EVENT_ID, text: marker, clientId: crypto.randomUUID() }),
    );
    expect(sent.message.text).toBe(marker);
    await eventually(() => heard.some((m) => m.text === marker), 5000, 'the bystander to hear the marker');
    expect(disconnections).toBe(0);
    for (const socket of [bystander, carol, ...attackers]) socket.close();
  });

  it('says which field is at fault', async () => {
    const socket = await connectViewer(server.url, await guestToken(server.url, 'Ana'));
    const res = await request(socket, 'chat:send', { eventId: LIVE_EVENT_ID, text: '   ', clientId: crypto.randomUUID() });
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD', fields: { text: 'must not be empty' } } });
    socket.close();
  });

  it('answers events with no payload, or extra arguments, with INVALID_PAYLOAD', async () => {
    const socket = await connectViewer(server.url);
    const noPayload = await new Promise((resolve) => emitRaw(socket, 'event:join', resolve));
    expect(noPayload).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    const asString = await request(socket, 'chat:send', 'hello');
    expect(asString).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    socket.close();
  });

  it('drops only the sender of an oversized frame', async () => {
    const big = await connectViewer(server.url, await guestToken(server.url, 'Big'));
    const ana = await connectViewer(server.url, await guestToken(server.url, 'Ana'));
    let bigGone = false;
    big.on('disconnect', () => (bigGone = true));
    emitRaw(big, 'chat:send', { eventId: LIVE_EVENT_ID, text: 'x'.repeat(64 * 1024), clientId: 'big' }, () => {});
    await eventually(() => bigGone, 5000, 'the oversized sender to be dropped');
    expect(ana.connected).toBe(true);
    await ok(request(ana, 'event:join', { eventId: LIVE_EVENT_ID }));
    ana.close();
  });
});

describe('events the protocol does not have', () => {
  /** Emits an event of any name, even one the typed client refuses, and resolves with its ack. */
  const ask = (socket: TestClient, event: unknown, payload: unknown) =>
    new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ack for ${String(event).slice(0, 40)} within 5 s`)), 5000);
      emitRaw(socket, event, payload, (response: unknown) => {
        clearTimeout(timer);
        resolve(response);
      });
    });

  it('answers an unknown event with NOT_FOUND at once, instead of leaving the sender to time out', async () => {
    const socket = await connectViewer(server.url, await guestToken(server.url, 'Mallory'));
    const names: unknown[] = [
      'chat:shout',
      'CHAT:SEND',
      '',
      // Names that an object lookup would find on every object, and the one EventEmitter treats apart.
      'constructor',
      '__proto__',
      'toString',
      'hasOwnProperty',
      'error',
      'x'.repeat(2000),
      // Socket.IO carries numbers as event names too.
      42,
      ...fc.sample(fc.string({ maxLength: 30 }), { numRuns: 20, seed: 7 }).filter((name) => !isClientEventName(name)),
    ];
    for (const name of names) {
      const res = await ask(socket, name, { eventId: LIVE_EVENT_ID });
      expect(res, String(name).slice(0, 40)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      expect((res as { error: { message: string } }).error.message.length).toBeLessThan(100);
    }
    // Known events are still answered by their own handler, not by the unknown-event answer.
    const joined = await ok(request<{ event: { id: string } }>(socket, 'event:join', { eventId: LIVE_EVENT_ID }));
    expect(joined.event.id).toBe(LIVE_EVENT_ID);
    expect(socket.connected).toBe(true);
    socket.close();
  });
});
