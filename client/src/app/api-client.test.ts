import { describe, expect, it } from 'vitest';
import { ApiClient, ApiError, type AuthProvider } from './api-client';
import { prefetch } from './prefetch';

interface Seen {
  url: string;
  method: string;
  authorization: string | null;
  credentials: RequestCredentials | undefined;
}

/** A fetch that answers from a list and records what it was asked. */
function fakeFetch(answers: Array<() => Response>): { fetch: typeof fetch; seen: Seen[] } {
  const seen: Seen[] = [];
  const fetchImpl = (async (url: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    seen.push({ url, method: init.method ?? 'GET', authorization: headers.get('authorization'), credentials: init.credentials });
    const next = answers.shift();
    if (!next) throw new Error(`unexpected request ${url}`);
    return next();
  }) as typeof fetch;
  return { fetch: fetchImpl, seen };
}

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function auth(tokens: { current: string | null; renewed: string | null }): AuthProvider & { refused: string[] } {
  const refused: string[] = [];
  return {
    refused,
    accessToken: async () => tokens.current,
    tokenRefused: async (token) => {
      refused.push(token);
      tokens.current = tokens.renewed;
      return tokens.renewed;
    },
  };
}

const EVENT = { id: 'e1', title: 'Une rencontre' };

describe('ApiClient', () => {
  it('sends the access token of the session, with same-origin credentials', async () => {
    const { fetch, seen } = fakeFetch([() => json(200, { event: EVENT })]);
    const api = new ApiClient('', fetch);
    api.setAuth(auth({ current: 'T1', renewed: null }));
    await api.getEvent('e1');
    expect(seen).toEqual([{ url: '/api/events/e1', method: 'GET', authorization: 'Bearer T1', credentials: 'same-origin' }]);
  });

  it('renews the token once after a 401 and sends the request again', async () => {
    const { fetch, seen } = fakeFetch([
      () => json(401, { error: { code: 'UNAUTHENTICATED', message: 'The token is expired' } }),
      () => json(200, { event: EVENT }),
    ]);
    const api = new ApiClient('', fetch);
    const provider = auth({ current: 'T1', renewed: 'T2' });
    api.setAuth(provider);
    const event = await api.updateEvent('e1', { title: 'Une rencontre' });
    expect(event).toEqual(EVENT);
    expect(provider.refused).toEqual(['T1']);
    expect(seen.map((s) => [s.method, s.authorization])).toEqual([
      ['PATCH', 'Bearer T1'],
      ['PATCH', 'Bearer T2'],
    ]);
  });

  it('does not loop when the renewed token is refused too', async () => {
    const refusal = () => json(401, { error: { code: 'UNAUTHENTICATED', message: 'no' } });
    const { fetch, seen } = fakeFetch([refusal, refusal]);
    const api = new ApiClient('', fetch);
    api.setAuth(auth({ current: 'T1', renewed: null }));
    await expect(api.listAudit()).rejects.toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    expect(seen).toHaveLength(2);
    expect(seen[1]!.authorization).toBeNull();
  });

  it('sends no token to the sign-in routes', async () => {
    const { fetch, seen } = fakeFetch([() => new Response(null, { status: 401 })]);
    const api = new ApiClient('', fetch);
    api.setAuth(auth({ current: 'T1', renewed: 'T2' }));
    await expect(api.refresh()).rejects.toBeInstanceOf(ApiError);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.authorization).toBeNull();
  });

  it('reads the per-field messages and the wait of a refused request', async () => {
    const { fetch } = fakeFetch([
      () =>
        json(400, {
          error: { code: 'INVALID_PAYLOAD', message: 'Invalid event', fields: { endsAt: 'must be after startsAt' } },
        }),
      () => json(429, { error: { code: 'RATE_LIMITED', message: 'Too many attempts', retryAfterMs: 30_000 } }),
    ]);
    const api = new ApiClient('', fetch);
    const invalid = await api.createSeries({ title: '', summary: '' }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ code: 'INVALID_PAYLOAD', fields: { endsAt: 'must be after startsAt' } });
    const limited = await api.login('a@b.example', 'x').catch((e: unknown) => e);
    expect(limited).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfterMs: 30_000 });
  });

  it('answers nothing for a 204', async () => {
    const { fetch, seen } = fakeFetch([() => new Response(null, { status: 204 })]);
    const api = new ApiClient('', fetch);
    await expect(api.deleteEvent('a b')).resolves.toBeUndefined();
    expect(seen[0]).toMatchObject({ url: '/api/events/a%20b', method: 'DELETE' });
  });
});

describe('ApiClient, sign-up', () => {
  const SEATS = { capacity: 8, confirmed: 8, offered: 0, waitlisted: 2, free: 0 };

  it('puts what the API answers beside an event of its sign-up onto the event: seats, retention, outside room', async () => {
    const { fetch } = fakeFetch([
      () => json(200, { event: EVENT, seats: SEATS, retentionDays: 45, outsideRoom: true }),
      () => json(200, { event: EVENT }),
    ]);
    const api = new ApiClient('', fetch);
    expect(await api.getEvent('e1')).toEqual({ ...EVENT, seats: SEATS, retentionDays: 45, outsideRoom: true });
    expect(await api.getEvent('e1')).toEqual(EVENT);
  });

  it('reads a series with its dates, each with its seats on it', async () => {
    const monday = { id: 'a--2027-01-04', startsAt: '2027-01-04T13:00:00.000Z' };
    const friday = { id: 'a--2027-01-08', startsAt: '2027-01-08T13:00:00.000Z' };
    const { fetch, seen } = fakeFetch([
      () =>
        json(200, { series: { id: 'a', title: 'Atelier' }, dates: [{ event: monday }, { event: friday, seats: SEATS }], retentionDays: 45 }),
    ]);
    const series = await new ApiClient('', fetch).getSeries('a');
    expect(seen[0]!.url).toBe('/api/series/a');
    expect(series.events).toEqual([monday, { ...friday, seats: SEATS }]);
    expect(series.retentionDays).toBe(45);
  });

  it('tells a new registration (201) from the one the email already had (200), sent with no staff token', async () => {
    const registration = { id: 'r1', eventId: 'e1', status: 'confirmed' };
    const { fetch, seen } = fakeFetch([() => json(201, { registration }), () => json(200, { registration })]);
    const api = new ApiClient('', fetch);
    api.setAuth(auth({ current: 'STAFF', renewed: null }));
    const request = { name: 'Amina', email: 'amina@example.org', language: 'fr', consent: true } as const;
    expect(await api.register('e1', request)).toEqual({ registration, created: true });
    expect(await api.register('e1', request)).toEqual({ registration, created: false });
    expect(seen[0]!.authorization).toBeNull();
  });

  it('acts on the personal page with the personal link’s token, never a staff one', async () => {
    const { fetch, seen } = fakeFetch([() => new Response(null, { status: 204 }), () => json(200, { registration: {} })]);
    const api = new ApiClient('', fetch);
    api.setAuth(auth({ current: 'STAFF', renewed: null }));
    await api.eraseMe('PERSON');
    await api.myRegistrationAction('PERSON', 'r 1', 'cancel');
    expect(seen.map((s) => [s.method, s.url, s.authorization])).toEqual([
      ['POST', '/api/me/erase', 'Person PERSON'],
      ['POST', '/api/me/registrations/r%201/cancel', 'Person PERSON'],
    ]);
  });
});

describe('ApiClient with an answer prefetched by the entry script', () => {
  it('takes it for the first anonymous request of the same URL, once, and never for a signed-in one', async () => {
    const realFetch = globalThis.fetch;
    const prefetched: string[] = [];
    globalThis.fetch = (async (url: string) => {
      prefetched.push(url);
      return json(200, { event: { ...EVENT, title: 'préchargé' } });
    }) as typeof fetch;
    try {
      prefetch('/api/events/e1');
      prefetch('/api/events/e1'); // asked twice, downloaded once
      const { fetch, seen } = fakeFetch([() => json(200, { event: EVENT }), () => json(200, { event: EVENT })]);
      const api = new ApiClient('', fetch);

      expect((await api.getEvent('e1')).title).toBe('préchargé');
      expect(seen).toEqual([]);
      // Used once: the next request downloads again.
      expect((await api.getEvent('e1')).title).toBe('Une rencontre');

      prefetch('/api/events/e1');
      api.setAuth(auth({ current: 'T1', renewed: null }));
      expect((await api.getEvent('e1')).title).toBe('Une rencontre');
      expect(seen.map((s) => s.authorization)).toEqual([null, 'Bearer T1']);
      expect(prefetched).toEqual(['/api/events/e1', '/api/events/e1']);
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});
