import type { Account, AuditEntry, EventRole, Invite, RoleGrant } from '#shared/domain/account';
import type { IngestInfo, ReplayInfo, TimelineItem } from '#shared/domain/broadcast';
import type { Event, EventKind, EventStatus, Series } from '#shared/domain/event';
import type { AuthResponse, User } from '#shared/domain/user';
import type { EventCreateRequest, EventPatchRequest, SetupRequest } from '#shared/protocol/admin';
import type { MediaUsage, ReplayAdminInfo, ReplaySettingsRequest, ReplayThumbnail } from '#shared/protocol/replay';
import type { ErrorCode, ErrorReason } from '#shared/protocol/errors';

/**
 * An HTTP error from the API (`code` from the error body), or `NETWORK` when no answer came at all. `fields` holds
 * the server's per-field messages of a refused form (`{"endsAt": "must be after startsAt"}`).
 */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'NETWORK',
    message: string,
    readonly status = 0,
    readonly retryAfterMs?: number,
    readonly fields?: Readonly<Record<string, string>>,
    /** Which rule of the room refused it, when the server says (see `ErrorBody.reason`). */
    readonly reason?: ErrorReason,
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
  /** `unlisted`: the events the public programme leaves out too (admins only). */
  include?: 'unlisted';
}

/** What a staff sign-in (login, setup, refresh, password change, invite) answers. */
export interface StaffAuth {
  token: string;
  user: User;
  account: Account;
}

/** An event as the admin creates it: every field but `status`, and an optional slug for its address. */
export type EventInput = EventCreateRequest;

/**
 * A change to an event. Optional fields set to `null` are removed (no capacity, no series, no replay...); fields left
 * out stay as they are.
 */
export type EventPatch = EventPatchRequest;

export interface InviteInfo {
  eventId: string;
  eventTitle: string;
  role: EventRole;
  expiresAt: string;
}

export interface AcceptedInvite extends StaffAuth {
  eventId: string;
  role: EventRole;
}

export type { SetupRequest };

/**
 * Where the API client gets the access token of a signed-in person, and how it asks for a new one. The session store
 * implements it; guests send no token over HTTP (they have no more rights there than anyone).
 */
export interface AuthProvider {
  /** The token to send now, renewed first when it is about to expire; null when nobody is signed in. */
  accessToken(): Promise<string | null>;
  /**
   * The server answered 401 to `refused`: renew it (once for many callers) and answer the new token, or null when
   * the session is gone.
   */
  tokenRefused(refused: string): Promise<string | null>;
}

type Fetch = typeof fetch;

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** Send the access token, and renew it once on a 401 (default). False for the sign-in routes themselves. */
  auth?: boolean;
  headers?: Record<string, string>;
}

const path = (strings: TemplateStringsArray, ...ids: string[]): string =>
  strings.reduce((out, s, i) => out + s + (i < ids.length ? encodeURIComponent(ids[i]!) : ''), '');

/** The HTTP side of the protocol, same origin. */
export class ApiClient {
  readonly #base: string;
  readonly #fetch: Fetch;
  #auth: AuthProvider | null = null;

  constructor(base = '', fetchImpl: Fetch = globalThis.fetch.bind(globalThis)) {
    this.#base = base;
    this.#fetch = fetchImpl;
  }

  /** Plugs in the session, which owns the tokens; the root element does this once, right after building both. */
  setAuth(auth: AuthProvider | null): void {
    this.#auth = auth;
  }

  // --- programme ---------------------------------------------------------------------------------------------------

  async listEvents(filters: EventFilters = {}, signal?: AbortSignal): Promise<Event[]> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
    const qs = query.size > 0 ? `?${query}` : '';
    const body = await this.#request<{ events: Event[] }>(`/api/events${qs}`, { signal });
    return body.events;
  }

  async getEvent(id: string, signal?: AbortSignal): Promise<Event> {
    const body = await this.#request<{ event: Event }>(path`/api/events/${id}`, { signal });
    return body.event;
  }

  async listSeries(signal?: AbortSignal): Promise<Series[]> {
    const body = await this.#request<{ series: Series[] }>('/api/series', { signal });
    return body.series;
  }

  async createEvent(input: EventInput): Promise<Event> {
    return (await this.#request<{ event: Event }>('/api/events', { method: 'POST', body: input })).event;
  }

  async updateEvent(id: string, patch: EventPatch): Promise<Event> {
    return (await this.#request<{ event: Event }>(path`/api/events/${id}`, { method: 'PATCH', body: patch })).event;
  }

  async cancelEvent(id: string): Promise<Event> {
    return this.updateEvent(id, { status: 'cancelled' });
  }

  async deleteEvent(id: string): Promise<void> {
    await this.#request(path`/api/events/${id}`, { method: 'DELETE' });
  }

  /** Goes live or ends the event: moderators of the event and admins. */
  async setEventStatus(id: string, status: Extract<EventStatus, 'live' | 'ended'>): Promise<Event> {
    const body = await this.#request<{ event: Event }>(path`/api/events/${id}/status`, { method: 'POST', body: { status } });
    return body.event;
  }

  async createSeries(input: Omit<Series, 'id'>): Promise<Series> {
    return (await this.#request<{ series: Series }>('/api/series', { method: 'POST', body: input })).series;
  }

  async updateSeries(id: string, patch: Partial<Omit<Series, 'id'>>): Promise<Series> {
    return (await this.#request<{ series: Series }>(path`/api/series/${id}`, { method: 'PATCH', body: patch })).series;
  }

  async deleteSeries(id: string): Promise<void> {
    await this.#request(path`/api/series/${id}`, { method: 'DELETE' });
  }

  // --- invitations and roles ---------------------------------------------------------------------------------------

  async createInvite(eventId: string, role: EventRole): Promise<{ url: string; invite: Invite }> {
    return this.#request(path`/api/events/${eventId}/invites`, { method: 'POST', body: { role } });
  }

  async listInvites(eventId: string, signal?: AbortSignal): Promise<Invite[]> {
    return (await this.#request<{ invites: Invite[] }>(path`/api/events/${eventId}/invites`, { signal })).invites;
  }

  async revokeInvite(inviteId: string): Promise<void> {
    await this.#request(path`/api/invites/${inviteId}`, { method: 'DELETE' });
  }

  /** What an invite link is for, before the person accepts it. */
  async inspectInvite(token: string): Promise<InviteInfo> {
    return this.#request('/api/invites/inspect', { method: 'POST', body: { token }, auth: false });
  }

  /**
   * Accepts an invitation. Signed in as staff, the role goes to that account (the token is sent; no name needed);
   * otherwise a new account is made under `displayName`.
   */
  async acceptInvite(token: string, displayName?: string): Promise<AcceptedInvite> {
    return this.#request('/api/invites/accept', {
      method: 'POST',
      body: displayName === undefined ? { token } : { token, displayName },
    });
  }

  async listRoles(eventId: string, signal?: AbortSignal): Promise<RoleGrant[]> {
    return (await this.#request<{ roles: RoleGrant[] }>(path`/api/events/${eventId}/roles`, { signal })).roles;
  }

  async revokeRole(eventId: string, userId: string): Promise<void> {
    await this.#request(path`/api/events/${eventId}/roles/${userId}`, { method: 'DELETE' });
  }

  /** The audit log, newest first; `before` (an entry's `at`) pages back. */
  async listAudit(options: { limit?: number; before?: string } = {}, signal?: AbortSignal): Promise<AuditEntry[]> {
    const query = new URLSearchParams({ limit: String(options.limit ?? 50) });
    if (options.before) query.set('before', options.before);
    return (await this.#request<{ entries: AuditEntry[] }>(`/api/audit?${query}`, { signal })).entries;
  }

  // --- replays ------------------------------------------------------------------------------------------------------

  /** An event's replay as an admin manages it: trims, publication, the film's rights, a signed preview. */
  async getReplayAdmin(eventId: string, signal?: AbortSignal): Promise<ReplayAdminInfo> {
    return this.#request(path`/api/admin/events/${eventId}/replay`, { signal });
  }

  /** Changes what is sent (trims in seconds of the untrimmed replay, null to remove them; publication; film rights). */
  async updateReplay(eventId: string, settings: ReplaySettingsRequest): Promise<ReplayAdminInfo> {
    return this.#request(path`/api/admin/events/${eventId}/replay`, { method: 'PUT', body: settings });
  }

  /** Takes `count` new thumbnail candidates, spread over the replay, and answers all of them. */
  async takeThumbnails(eventId: string, count: number): Promise<ReplayThumbnail[]> {
    const body = await this.#request<{ thumbnails: ReplayThumbnail[] }>(path`/api/admin/events/${eventId}/replay/thumbnails`, {
      method: 'POST',
      body: { count },
    });
    return body.thumbnails;
  }

  async listThumbnails(eventId: string, signal?: AbortSignal): Promise<ReplayThumbnail[]> {
    return (await this.#request<{ thumbnails: ReplayThumbnail[] }>(path`/api/admin/events/${eventId}/replay/thumbnails`, { signal }))
      .thumbnails;
  }

  /** Makes a candidate the event's picture on the programme. */
  async chooseThumbnail(eventId: string, file: string): Promise<ReplayAdminInfo> {
    return this.#request(path`/api/admin/events/${eventId}/replay/thumbnail`, { method: 'PUT', body: { file } });
  }

  /** The disk each event's recordings take. */
  async mediaUsage(signal?: AbortSignal): Promise<MediaUsage> {
    return this.#request('/api/admin/media/usage', { signal });
  }

  /** A moderator's "the film ends, the talk begins" (a ciné-conférence), now or at `at`. */
  async markTalkStarts(eventId: string, at?: string): Promise<{ talkStartsAt: string }> {
    return this.#request(path`/api/events/${eventId}/ingest/talk-starts`, { method: 'POST', body: at ? { at } : {} });
  }

  // --- sign-in -----------------------------------------------------------------------------------------------------

  /**
   * Creates a guest identity; the token then goes in the Socket.IO handshake, never in a URL. `eventId` is the event
   * the guest signs in from, whose staff's names are not theirs to take.
   */
  async createGuest(displayName: string, eventId?: string): Promise<AuthResponse> {
    const body = eventId === undefined ? { displayName } : { displayName, eventId };
    return this.#request<AuthResponse>('/api/auth/guest', { method: 'POST', body, auth: false });
  }

  /** Signs a staff member in. The server also sets the HttpOnly refresh cookie, which this code never sees. */
  async login(email: string, password: string): Promise<StaffAuth> {
    return this.#request('/api/auth/login', { method: 'POST', body: { email, password }, auth: false });
  }

  /** Whether the one-time setup link still works: true until the first admin exists. */
  async setupOpen(signal?: AbortSignal): Promise<boolean> {
    return (await this.#request<{ open: boolean }>('/api/auth/setup', { auth: false, signal })).open;
  }

  /** Creates the first admin from the one-time setup link. */
  async setup(request: SetupRequest): Promise<StaffAuth> {
    return this.#request('/api/auth/setup', { method: 'POST', body: request, auth: false });
  }

  /** Swaps the refresh cookie for a new access token (and a new cookie). */
  async refresh(): Promise<StaffAuth> {
    return this.#request('/api/auth/refresh', { method: 'POST', auth: false });
  }

  /** Ends the session on the server (its refresh cookie and token). Sends the token it is given, with no renewal. */
  async logout(token: string | null): Promise<void> {
    await this.#request('/api/auth/logout', {
      method: 'POST',
      auth: false,
      ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
    });
  }

  async changePassword(currentPassword: string, newPassword: string): Promise<StaffAuth> {
    return this.#request('/api/auth/password', { method: 'POST', body: { currentPassword, newPassword } });
  }

  async me(signal?: AbortSignal): Promise<{ user: User; account: Account; roles?: RoleGrant[] }> {
    return this.#request('/api/auth/me', { signal });
  }

  // --- the live remembered, the ingest (issue 11) -------------------------------------------------------------------

  /** What happened during the live, in order, each with its place in the replay (`offset`, null without one). */
  async getTimeline(eventId: string, signal?: AbortSignal): Promise<TimelineItem[]> {
    return (await this.#request<{ items: TimelineItem[] }>(path`/api/events/${eventId}/timeline`, { signal })).items;
  }

  /** The event's replay as its viewer may watch it: its state and its map (where each stretch was live). */
  async getReplay(eventId: string, signal?: AbortSignal): Promise<ReplayInfo> {
    return this.#request<ReplayInfo>(path`/api/events/${eventId}/replay`, { signal });
  }

  /** The event's stream key, where OBS publishes, and the health of the stream: its moderators and admins. */
  async getIngest(eventId: string, signal?: AbortSignal): Promise<IngestInfo> {
    return this.#request<IngestInfo>(path`/api/events/${eventId}/ingest`, { signal });
  }

  /** Makes a new stream key (the old one stops working), and answers the ingest as it now is. */
  async rotateStreamKey(eventId: string): Promise<IngestInfo> {
    await this.#request<unknown>(path`/api/events/${eventId}/ingest/rotate`, { method: 'POST' });
    return this.getIngest(eventId);
  }

  // --- plumbing ----------------------------------------------------------------------------------------------------

  async #request<T = undefined>(url: string, options: RequestOptions = {}): Promise<T> {
    const auth = options.auth === false ? null : this.#auth;
    const token = auth ? await auth.accessToken() : null;
    let response = await this.#send(url, options, token);
    if (response.status === 401 && auth && token) {
      // The token expired early or was revoked: renew it once. Without a session any more, a public route still
      // answers anonymously, and a staff route answers 401 again, which then stands.
      const renewed = await auth.tokenRefused(token);
      response = await this.#send(url, options, renewed);
    }
    return this.#read<T>(response);
  }

  async #send(
    url: string,
    options: RequestOptions,
    token: string | null,
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    try {
      return await this.#fetch(`${this.#base}${url}`, {
        method: options.method ?? 'GET',
        headers,
        // The refresh cookie is HttpOnly and scoped to /api/auth: the browser sends it, same origin only.
        credentials: 'same-origin',
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError('NETWORK', error instanceof Error ? error.message : 'network error');
    }
  }

  async #read<T>(response: Response): Promise<T> {
    if (response.status === 204) return undefined as T;
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    if (!response.ok) {
      const error = (
        body as {
          error?: { code?: ErrorCode; message?: string; retryAfterMs?: number; fields?: Record<string, string>; reason?: ErrorReason };
        } | null
      )?.error;
      const retryAfterHeader = Number(response.headers.get('retry-after'));
      const retryAfterMs =
        error?.retryAfterMs ?? (Number.isFinite(retryAfterHeader) && retryAfterHeader > 0 ? retryAfterHeader * 1000 : undefined);
      const fields = error?.fields && typeof error.fields === 'object' ? error.fields : undefined;
      throw new ApiError(
        error?.code ?? (response.status === 404 ? 'NOT_FOUND' : response.status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL'),
        error?.message ?? response.statusText,
        response.status,
        retryAfterMs,
        fields,
        error?.reason,
      );
    }
    if (body === null) throw new ApiError('INTERNAL', 'the server answered without JSON', response.status);
    return body as T;
  }
}
