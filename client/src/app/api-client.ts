import type { Event, EventKind, Series } from '#shared/domain/event';
import type { AuthResponse } from '#shared/domain/user';
import type { ErrorCode } from '#shared/protocol/errors';

/** An HTTP error from the API (`code` from the error body), or `NETWORK` when no answer came at all. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'NETWORK',
    message: string,
    readonly status = 0,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface EventFilters {
  from?: string;
  to?: string;
  kind?: EventKind;
  series?: string;
}

type Fetch = typeof fetch;

/** The HTTP side of the protocol, same origin. */
export class ApiClient {
  readonly #base: string;
  readonly #fetch: Fetch;

  constructor(base = '', fetchImpl: Fetch = globalThis.fetch.bind(globalThis)) {
    this.#base = base;
    this.#fetch = fetchImpl;
  }

  async listEvents(filters: EventFilters = {}, signal?: AbortSignal): Promise<Event[]> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
    const qs = query.size > 0 ? `?${query}` : '';
    const body = await this.#request<{ events: Event[] }>(`/api/events${qs}`, { signal });
    return body.events;
  }

  async getEvent(id: string, signal?: AbortSignal): Promise<Event> {
    const body = await this.#request<{ event: Event }>(`/api/events/${encodeURIComponent(id)}`, { signal });
    return body.event;
  }

  async listSeries(signal?: AbortSignal): Promise<Series[]> {
    const body = await this.#request<{ series: Series[] }>('/api/series', { signal });
    return body.series;
  }

  /** Creates a guest identity; the token then goes in the Socket.IO handshake, never in a URL. */
  async createGuest(displayName: string): Promise<AuthResponse> {
    return this.#request<AuthResponse>('/api/auth/guest', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName }),
    });
  }

  async #request<T>(path: string, init: RequestInit): Promise<T> {
    let response: Response;
    try {
      response = await this.#fetch(`${this.#base}${path}`, {
        ...init,
        headers: { accept: 'application/json', ...init.headers },
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError('NETWORK', error instanceof Error ? error.message : 'network error');
    }
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    if (!response.ok) {
      const error = (body as { error?: { code?: ErrorCode; message?: string; retryAfterMs?: number } } | null)?.error;
      const retryAfterHeader = Number(response.headers.get('retry-after'));
      const retryAfterMs =
        error?.retryAfterMs ?? (Number.isFinite(retryAfterHeader) && retryAfterHeader > 0 ? retryAfterHeader * 1000 : undefined);
      throw new ApiError(
        error?.code ?? (response.status === 404 ? 'NOT_FOUND' : 'INTERNAL'),
        error?.message ?? response.statusText,
        response.status,
        retryAfterMs,
      );
    }
    if (body === null) throw new ApiError('INTERNAL', 'the server answered without JSON', response.status);
    return body as T;
  }
}
