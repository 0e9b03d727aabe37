import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event } from '#shared/domain/event';
import { startTestServer, type TestServer } from '../../test/harness';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

async function getJson(path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(server.url + path);
  return { status: res.status, body: await res.json() };
}

describe('GET /api/events', () => {
  it('lists the demo season in start order', async () => {
    const { status, body } = await getJson('/api/events');
    expect(status).toBe(200);
    const events = body.events as Event[];
    expect(events.length).toBeGreaterThanOrEqual(8);
    const starts = events.map((e) => e.startsAt);
    expect(starts).toEqual([...starts].sort());
  });

  it('filters by kind and by series', async () => {
    const workshops = (await getJson('/api/events?kind=workshop')).body.events as Event[];
    expect(workshops.length).toBeGreaterThanOrEqual(4);
    expect(workshops.every((e) => e.kind === 'workshop')).toBe(true);
    const chile = (await getJson('/api/events?series=cycle-chili')).body.events as Event[];
    expect(chile.map((e) => e.kind)).toEqual(['cine_conference', 'cine_conference']);
  });

  it('filters by a time window', async () => {
    const now = new Date().toISOString();
    const live = (await getJson(`/api/events?from=${now}&to=${now}`)).body.events as Event[];
    expect(live.map((e) => e.status)).toContain('live');
    const later = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const upcoming = (await getJson(`/api/events?from=${later}`)).body.events as Event[];
    expect(upcoming.every((e) => e.endsAt >= later)).toBe(true);
  });

  it('answers a bad filter with INVALID_PAYLOAD and a readable message', async () => {
    const { status, body } = await getJson('/api/events?from=yesterday');
    expect(status).toBe(400);
    expect(body.error.code).toBe('INVALID_PAYLOAD');
    expect(body.error.message).toMatch(/^from:/);
  });
});

describe('GET /api/events/:id', () => {
  it('returns one event', async () => {
    const { status, body } = await getJson('/api/events/rencontre-bd-marie-lenoir');
    expect(status).toBe(200);
    expect(body.event).toMatchObject({ id: 'rencontre-bd-marie-lenoir', status: 'live', kind: 'lecture' });
  });

  it('answers an unknown id with 404 NOT_FOUND', async () => {
    const { status, body } = await getJson('/api/events/nope');
    expect(status).toBe(404);
    expect(body).toEqual({ error: { code: 'NOT_FOUND', message: 'No event with id "nope"' } });
  });

  it('answers an unknown API route with a JSON 404', async () => {
    const { status, body } = await getJson('/api/nothing-here');
    expect(status).toBe(404);
    expect(body.error.code).toBe('NOT_FOUND');
  });
});

describe('GET /api/series', () => {
  it('lists the series', async () => {
    const { body } = await getJson('/api/series');
    expect(body.series.map((s: { id: string }) => s.id).sort()).toEqual([
      'conversation-fle',
      'cycle-chili',
      'webinaires-pro',
    ]);
  });
});

describe('pages', () => {
  it('serves a health check', async () => {
    expect(await getJson('/healthz')).toEqual({ status: 200, body: { ok: true } });
  });

  it('sends a Content-Security-Policy that lets hls.js play from blob: URLs', async () => {
    const res = await fetch(`${server.url}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/media-src 'self' blob:/);
    expect(csp).toMatch(/worker-src 'self' blob:/);
  });
});
