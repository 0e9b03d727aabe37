import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '#shared/domain/chat';
import {
  connectViewer,
  guestToken,
  LIVE_EVENT_ID,
  ok,
  request,
  startTestServer,
  type TestClient,
  type TestServer,
} from '../test/harness';
import { metricsAllowed } from './metrics-endpoint';

/** The value of one sample of a Prometheus text exposition, found by name and by the labels given (others ignored). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}

async function scrape(url: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${url}/metrics`, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

describe('GET /metrics', () => {
  let server: TestServer;
  let viewer: TestClient | undefined;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    viewer?.close();
    await server?.stop();
  });

  it('counts what real traffic did: chat messages, acks by outcome, fan-out frames, viewers, store and HTTP', async () => {
    const before = await scrape(server.url);
    const moved = (after: string, name: string, labels: Record<string, string> = {}) =>
      (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);

    viewer = await connectViewer(server.url, await guestToken(server.url, 'Margot'));
    await ok(request(viewer, 'event:join', { eventId: LIVE_EVENT_ID }));
    const delivered = new Promise<ChatMessage[]>((resolve) => viewer!.once('chat:messages', ({ messages }) => resolve(messages)));
    await ok(request(viewer, 'chat:send', { eventId: LIVE_EVENT_ID, text: 'Bonjour à tous', clientId: 'metrics-1' }));
    expect((await delivered).map((m) => m.text)).toEqual(['Bonjour à tous']);
    const refused = await request(viewer, 'chat:send', { eventId: LIVE_EVENT_ID, text: '   ', clientId: 'metrics-2' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    const missing = await request(viewer, 'event:join', { eventId: 'no-such-event' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    const after = await scrape(server.url);
    expect(moved(after, 'parvis_socket_acks_total', { event: 'chat:send', outcome: 'ok' })).toBe(1);
    expect(moved(after, 'parvis_socket_acks_total', { event: 'chat:send', outcome: 'INVALID_PAYLOAD' })).toBe(1);
    expect(moved(after, 'parvis_socket_acks_total', { event: 'event:join', outcome: 'ok' })).toBe(1);
    expect(moved(after, 'parvis_socket_acks_total', { event: 'event:join', outcome: 'NOT_FOUND' })).toBe(1);
    expect(moved(after, 'parvis_chat_messages_total')).toBe(1);
    expect(moved(after, 'parvis_chat_frames_total')).toBe(1);
    expect(sample(after, 'parvis_sockets')).toBe(1);
    expect(sample(after, 'parvis_event_viewers', { event: LIVE_EVENT_ID })).toBe(1);
    expect(sample(after, 'parvis_event_viewers', { event: 'no-such-event' })).toBeUndefined();
    expect(moved(after, 'parvis_store_operation_duration_seconds_count', { op: 'chat.append' })).toBe(1);
    expect(moved(after, 'parvis_store_operation_duration_seconds_count', { op: 'moderation.getSettings' })).toBeGreaterThan(0);
    expect(moved(after, 'parvis_http_requests_total', { method: 'POST', route: '/api/auth/guest', status: '200' })).toBe(1);
    expect(moved(after, 'parvis_http_request_duration_seconds_count', { route: '/api/auth/guest' })).toBe(1);
    expect(sample(after, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(after, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('counts HTTP requests under their route pattern, never under the raw path', async () => {
    for (const id of ['one-event', 'another-event']) await fetch(`${server.url}/api/events/${id}`);
    const text = await scrape(server.url);
    expect(sample(text, 'parvis_http_requests_total', { method: 'GET', route: '/api/events/:id', status: '404' })).toBe(2);
    expect(text).not.toContain('one-event');
  });

  it('is refused to a request that came through a proxy, even from this machine', async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('parvis_');
  });
});

describe('who may read the metrics', () => {
  const from = (remoteAddress: string, headers: Record<string, string> = {}) =>
    ({ socket: { remoteAddress }, headers }) as unknown as IncomingMessage;

  it('without a token, lets in only direct requests from this machine', () => {
    const allowed = metricsAllowed(undefined);
    expect(allowed(from('127.0.0.1'))).toBe(true);
    expect(allowed(from('::1'))).toBe(true);
    expect(allowed(from('::ffff:127.0.0.1'))).toBe(true);
    expect(allowed(from('203.0.113.7'))).toBe(false);
    expect(allowed(from('10.0.0.12'))).toBe(false);
    expect(allowed(from('127.0.0.1', { forwarded: 'for=203.0.113.7' }))).toBe(false);
    expect(allowed(from('127.0.0.1', { 'x-real-ip': '203.0.113.7' }))).toBe(false);
  });

  it('with a token, lets in whoever carries it and nobody else, loopback included', () => {
    const allowed = metricsAllowed('s3cret-scraper-token-0042');
    expect(allowed(from('203.0.113.7', { authorization: 'Bearer s3cret-scraper-token-0042' }))).toBe(true);
    expect(allowed(from('127.0.0.1'))).toBe(false);
    expect(allowed(from('127.0.0.1', { authorization: 'Bearer s3cret-scraper-token-004' }))).toBe(false);
    expect(allowed(from('127.0.0.1', { authorization: 's3cret-scraper-token-0042' }))).toBe(false);
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  let server: TestServer;
  const metricsToken = 'a-scraper-token-for-tests-0123';

  beforeAll(async () => {
    server = await startTestServer({ metricsToken });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers 401 without the bearer token, and the metrics with it', async () => {
    const bare = await fetch(`${server.url}/metrics`);
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all-000' } });
    expect(wrong.status).toBe(401);
    const text = await scrape(server.url, { authorization: `Bearer ${metricsToken}` });
    expect(sample(text, 'parvis_sockets')).toBe(0);
  });
});
