import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  type TestServer,
} from '../test/harness';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

const EVENTS = ['event:join', 'event:leave', 'chat:send'] as const;
const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

/** Junk to any event, and payloads shaped almost like real ones (right keys, wrong types or sizes) to their event. */
const malformed: fc.Arbitrary<[string, unknown]> = fc.oneof(
  fc.tuple(fc.constantFrom(...EVENTS), fc.anything()),
  fc.tuple(
    fc.constantFrom(...EVENTS),
    fc.record({
      eventId: fc.oneof(fc.integer(), fc.constant(''), fc.string({ minLength: 101, maxLength: 300 }), fc.constant(null)),
      text: fc.anything(),
      clientId: fc.anything(),
    }),
  ),
  fc.tuple(
    fc.constant('chat:send'),
    fc.record({
      eventId: fc.constant(LIVE_EVENT_ID),
      text: fc.oneof(fc.constant(''), fc.constant('   '), fc.string({ minLength: 501, maxLength: 2000 }), fc.integer()),
      clientId: fc.oneof(fc.string({ minLength: 65, maxLength: 100 }), fc.constant(''), fc.object()),
    }),
  ),
  fc.tuple(
    fc.constant('event:join'),
    fc.record({
      eventId: fc.constant(LIVE_EVENT_ID),
      since: fc.oneof(fc.double().filter((d) => !Number.isInteger(d)), fc.integer({ max: -1 }), fc.string()),
    }),
  ),
);

describe('malformed payloads', () => {
  it('answers 200 random malformed payloads with typed errors and keeps serving everyone', async () => {
    const attacker = await connectViewer(server.url, await guestToken(server.url, 'Mallory'));
    const bystander = await connectViewer(server.url, await guestToken(server.url, 'Ana'));
    let bystanderDisconnected = false;
    bystander.on('disconnect', () => (bystanderDisconnected = true));
    await ok(request(bystander, 'event:join', { eventId: LIVE_EVENT_ID }));

    const samples = fc.sample(malformed, { numRuns: 200, seed: 20261125 });
    const codes: string[] = [];
    for (const [event, payload] of samples) {
      const res = await request(attacker, event, payload);
      // fc.anything() can, rarely, produce a valid leave payload; everything else must be refused with a known code.
      if (res.ok) {
        expect(event).toBe('event:leave');
        continue;
      }
      expect(KNOWN_CODES.has(res.error.code)).toBe(true);
      expect(typeof res.error.message).toBe('string');
      codes.push(res.error.code);
    }
    expect(codes.length).toBeGreaterThan(190);
    expect(codes.filter((c) => c === 'INVALID_PAYLOAD').length).toBeGreaterThan(150);
    expect(codes).not.toContain('INTERNAL');

    // The attacker is still connected and served; so is everyone else.
    expect(attacker.connected).toBe(true);
    await ok(request(attacker, 'event:join', { eventId: LIVE_EVENT_ID }));
    const sent = await ok(
      request<{ message: { text: string } }>(bystander, 'chat:send', {
        eventId: LIVE_EVENT_ID,
        text: 'toujours là',
        clientId: crypto.randomUUID(),
      }),
    );
    expect(sent.message.text).toBe('toujours là');
    expect(bystanderDisconnected).toBe(false);
    attacker.close();
    bystander.close();
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
