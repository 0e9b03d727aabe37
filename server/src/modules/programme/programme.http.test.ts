import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event } from '#shared/domain/event';
import { startTestServer, type TestServer } from '../../test/harness';
import { api, createAccount, login } from '../../test/staff';

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

describe('GET /api/events, prepared once per change', () => {
  it('answers a visitor who holds the listing 304 without a body, and with the same headers as the first time', async () => {
    const first = await fetch(`${server.url}/api/events?kind=workshop`);
    const etag = first.headers.get('etag');
    expect(first.status).toBe(200);
    expect(etag).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    await first.json();

    const again = await fetch(`${server.url}/api/events?kind=workshop`);
    expect(again.status).toBe(200);
    expect(again.headers.get('etag')).toBe(etag);
    // Served from memory the second time, still with everything the app's answer had (helmet's headers included).
    for (const name of ['content-security-policy', 'x-content-type-options', 'vary', 'content-type']) {
      expect(again.headers.get(name), name).toBe(first.headers.get(name));
    }
    expect(await again.text()).toBe(JSON.stringify(await (await fetch(`${server.url}/api/events?kind=workshop`)).json()));

    const held = await fetch(`${server.url}/api/events?kind=workshop`, { headers: { 'If-None-Match': etag! } });
    expect(held.status).toBe(304);
    expect(held.headers.get('etag')).toBe(etag);
    expect(await held.text()).toBe('');
  });

  it('shows a change made by a librarian to the very next visitor, with a new ETag', async () => {
    await createAccount(server.store, { email: 'prog@example.org', password: 'admin-password-1', displayName: 'Adèle', isAdmin: true });
    const { token } = await login(server.url, 'prog@example.org', 'admin-password-1');
    const before = await fetch(`${server.url}/api/events`);
    const etag = before.headers.get('etag')!;
    const listed = (((await before.json()) as { events: Event[] }).events).find((e) => e.kind === 'workshop')!;

    const changed = await api(server.url, 'PATCH', `/api/events/${listed.id}`, { token, body: { title: 'Atelier renommé' } });
    expect(changed.status).toBe(200);

    const after = await fetch(`${server.url}/api/events`, { headers: { 'If-None-Match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect((((await after.json()) as { events: Event[] }).events).find((e) => e.id === listed.id)!.title).toBe('Atelier renommé');
  });

  it('never answers someone signed in from what an anonymous visitor was given', async () => {
    await createAccount(server.store, { email: 'unlisted@example.org', password: 'admin-password-1', displayName: 'Ulysse', isAdmin: true });
    const { token } = await login(server.url, 'unlisted@example.org', 'admin-password-1');
    const made = await api(server.url, 'POST', '/api/events', {
      token,
      body: {
        kind: 'webinar',
        title: 'Webinaire réservé aux invités',
        access: 'invite',
        startsAt: new Date(Date.now() + 86_400_000).toISOString(),
        endsAt: new Date(Date.now() + 90_000_000).toISOString(),
      },
    });
    expect(made.status).toBe(201);
    const unlisted = `${server.url}/api/events?include=unlisted`;
    for (let i = 0; i < 2; i++) {
      const signedIn = await fetch(unlisted, { headers: { Authorization: `Bearer ${token}` } });
      expect((((await signedIn.json()) as { events: Event[] }).events).map((e) => e.id)).toContain(made.body.event.id);
    }

    const anonymous = await fetch(unlisted);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toContain(made.body.event.id);
    expect((((await (await fetch(`${server.url}/api/events`)).json()) as { events: Event[] }).events).map((e) => e.id)).not.toContain(made.body.event.id);
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
