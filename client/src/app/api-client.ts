import type {
  AppointmentRequestRow,
  AssignPartnerRequest,
  HelpDesk,
  HelpDeskRequest,
  HelpDeskRequests,
  MyAppointment,
} from '#shared/domain/appointment';
import type { CaptionCue, CaptionEditRequest } from '#shared/domain/caption';
import type { Account, AuditEntry, EventRole, Invite, RoleGrant } from '#shared/domain/account';
import type { IngestInfo, ReplayInfo, TimelineItem } from '#shared/domain/broadcast';
import type { Event, EventKind, EventStatus, Series } from '#shared/domain/event';
import type {
  DeskRegistrationRequest,
  EventAnswer,
  MyRegistrations,
  PublicSignUp,
  RegistrantEmailRequest,
  RegistrantList,
  RegistrationRequest,
  RegistrationResponse,
  RegistrationSettingsRequest,
  RegistrationSummary,
  SeriesDetail,
  SeriesRegistrationRequest,
  SeriesRegistrationResponse,
} from '#shared/domain/registration';
import type { RoomJoin } from '#shared/domain/room';
import type { AuthResponse, User } from '#shared/domain/user';
import type { EventCreateRequest, EventPatchRequest, SeriesPatchRequest, SetupRequest } from '#shared/protocol/admin';
import type { MediaUsage, ReplayAdminInfo, ReplaySettingsRequest, ReplayThumbnail } from '#shared/protocol/replay';
import type { ErrorCode, ErrorReason } from '#shared/protocol/errors';
import type { OutboxEntry, OutboxPage } from '#shared/protocol/outbox';
import type { EventFigures, SeasonFigures } from '#shared/protocol/figures';
import { takePrefetched } from './prefetch';

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

export type { OutboxEntry, OutboxPage, RegistrantList, SetupRequest };

/**
 * An event as the public API answers it: a registration event carries what anyone may know of its sign-up (its seat
 * counts, how long its registrants' data is kept, whether it is held in an outside room), put onto the event.
 */
export type PublicEvent = Event & PublicSignUp;

/** `GET /api/series/:id`: the series and its dates (each an event of the series, with its seats), in date order. */
export interface SeriesDates {
  series: Series;
  events: PublicEvent[];
  /** How many days after each date its registrants' data is kept: the series' form says it. */
  retentionDays?: number;
}

/** What a sign-up answers: the registration, and whether it is new (false: the same email had signed up before). */
export interface SignUpAnswer {
  registration: RegistrationSummary;
  created: boolean;
}

export interface SeriesSignUpAnswer {
  registrations: RegistrationSummary[];
  full: string[];
}

/** A file the API answered (an export): its content and the name to save it under, from `Content-Disposition`. */
export interface Download {
  blob: Blob;
  contentDisposition: string | null;
}

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
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** Send the access token, and renew it once on a 401 (default). False for the sign-in routes themselves. */
  auth?: boolean;
  headers?: Record<string, string>;
}

export const path = (strings: TemplateStringsArray, ...ids: string[]): string =>
  strings.reduce((out, s, i) => out + s + (i < ids.length ? encodeURIComponent(ids[i]!) : ''), '');

/** The header of the personal routes: the token of the person's link, which is theirs alone (no session, no cookie). */
const personAuth = (token: string) => ({ auth: false, headers: { authorization: `Person ${token}` } }) as const;

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

  /**
   * An event, with what anyone may know of its sign-up when it is a registration event (seats, retention, outside
   * room: the API answers them beside it).
   */
  async getEvent(id: string, signal?: AbortSignal): Promise<PublicEvent> {
    const { event, ...signUp } = await this.#request<EventAnswer>(path`/api/events/${id}`, { signal });
    return { ...event, ...signUp };
  }

  async listSeries(signal?: AbortSignal): Promise<Series[]> {
    const body = await this.#request<{ series: Series[] }>('/api/series', { signal });
    return body.series;
  }

  /** One series and its dates with their seats: the page where a person picks dates to sign up for. */
  async getSeries(id: string, signal?: AbortSignal): Promise<SeriesDates> {
    const { series, dates, retentionDays } = await this.#request<SeriesDetail>(path`/api/series/${id}`, { signal });
    // Each date with its seats on it, as the event page has its event (the API answers them beside each other).
    const events = dates.map(({ event, seats }) => (seats ? { ...event, seats } : event));
    return retentionDays === undefined ? { series, events } : { series, events, retentionDays };
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

  async updateSeries(id: string, patch: SeriesPatchRequest): Promise<Series> {
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

  // --- sign-up -----------------------------------------------------------------------------------------------------

  /** Signs a person up for one event. Sent without the staff token: a librarian signing up does it as anyone. */
  async register(eventId: string, request: RegistrationRequest): Promise<SignUpAnswer> {
    const response = await this.#fetchAuthed(path`/api/events/${eventId}/registrations`, { method: 'POST', body: request, auth: false });
    const body = await this.#read<RegistrationResponse & { created?: boolean }>(response);
    // 201: a new registration; 200: the one this email already had.
    return { registration: body.registration, created: body.created ?? response.status === 201 };
  }

  /**
   * Signs a person up for several dates of a series at once: one registration per date, each with its status.
   * `full`: the dates that had neither a seat nor a waiting list left when the request reached them (nothing made).
   */
  async registerSeries(seriesId: string, request: SeriesRegistrationRequest): Promise<SeriesSignUpAnswer> {
    const body = await this.#request<SeriesRegistrationResponse>(
      path`/api/series/${seriesId}/registrations`,
      { method: 'POST', body: request, auth: false },
    );
    return { registrations: body.registrations, full: body.full ?? [] };
  }

  /** "My registrations", with the token of the personal link. */
  async myRegistrations(token: string, signal?: AbortSignal): Promise<MyRegistrations> {
    return this.#request('/api/me/registrations', { ...personAuth(token), signal });
  }

  /** The person's own action on one of their registrations: cancel it, accept or decline a seat offered. */
  async myRegistrationAction(token: string, registrationId: string, action: 'cancel' | 'accept' | 'decline' | 'not-me'): Promise<void> {
    await this.#request(`${path`/api/me/registrations/${registrationId}`}/${action}`, { method: 'POST', ...personAuth(token) });
  }

  /** Erases the person's data and voids their links. */
  async eraseMe(token: string): Promise<void> {
    await this.#request('/api/me/erase', { method: 'POST', ...personAuth(token) });
  }

  // --- rooms (issue 14) ---------------------------------------------------------------------------------------------

  /**
   * What this person's browser needs to enter the event's video room: with `personToken`, a registrant's (their
   * personal link's token); without it, a signed-in staff member's. A refusal is an `ApiError` whose
   * `reason` is one of ROOM_REFUSALS (`too-early` with `retryAfterMs`).
   */
  async roomJoin(eventId: string, personToken: string | null, signal?: AbortSignal): Promise<RoomJoin> {
    return this.#request<RoomJoin>(path`/api/events/${eventId}/room`, { ...(personToken ? personAuth(personToken) : {}), signal });
  }

  /** The host mutes someone in the room, or removes them (staff only): `participantId` is their `RoomJoin.participantId`. */
  async roomHostAction(eventId: string, participantId: number, action: 'mute' | 'remove'): Promise<void> {
    await this.#request(`${path`/api/events/${eventId}/room/participants/${String(participantId)}`}/${action}`, { method: 'POST' });
  }

  /** The help-desk appointments the person booked or takes as a partner (docs/appointments.md). */
  async myAppointments(token: string, signal?: AbortSignal): Promise<MyAppointment[]> {
    const body = await this.#request<{ appointments: MyAppointment[] }>('/api/me/appointments', { ...personAuth(token), signal });
    return body.appointments;
  }

  /** The personal link's token exchanged for a live-room token in the registered name (registration events). */
  async registrantSignIn(token: string, eventId: string): Promise<AuthResponse> {
    return this.#request('/api/auth/registrant', { method: 'POST', body: { token, eventId }, auth: false });
  }

  // --- sign-up, for the library ------------------------------------------------------------------------------------

  async listHelpDesks(signal?: AbortSignal): Promise<HelpDesk[]> {
    return (await this.#request<{ helpDesks: HelpDesk[] }>('/api/admin/help-desks', { signal })).helpDesks;
  }

  /** Makes a help desk and its slots; answers it with how many slots it has. */
  async createHelpDesk(request: HelpDeskRequest): Promise<{ helpDesk: HelpDesk; slots: number }> {
    return this.#request('/api/admin/help-desks', { method: 'POST', body: request });
  }

  async helpDeskRequests(id: string, signal?: AbortSignal): Promise<HelpDeskRequests> {
    return this.#request<HelpDeskRequests>(path`/api/admin/help-desks/${id}/requests`, { signal });
  }

  /** Gives a booking to a partner; the three get the confirmation. */
  async assignPartner(id: string, registrationId: string, partner: AssignPartnerRequest): Promise<AppointmentRequestRow> {
    const body = await this.#request<{ request: AppointmentRequestRow }>(path`/api/admin/help-desks/${id}/requests/${registrationId}/partner`, {
      method: 'POST',
      body: partner,
    });
    return body.request;
  }

  /** Every registration of an event, cancelled ones too, with answers, attendance and no-show counts. */
  async listRegistrants(eventId: string, signal?: AbortSignal): Promise<RegistrantList> {
    return this.#request<RegistrantList>(path`/api/admin/events/${eventId}/registrations`, { signal });
  }

  /** A librarian signs someone up at the desk: a seat even past capacity, no email needed. */
  async addDeskRegistration(eventId: string, request: DeskRegistrationRequest): Promise<RegistrationSummary> {
    const body = await this.#request<{ registration: RegistrationSummary }>(path`/api/admin/events/${eventId}/registrations`, {
      method: 'POST',
      body: request,
    });
    return body.registration;
  }

  async registrantAction(eventId: string, registrationId: string, action: 'cancel' | 'promote'): Promise<void> {
    await this.#request(path`/api/admin/events/${eventId}/registrations/${registrationId}/${action}`, { method: 'POST' });
  }

  /** Ticks or unticks attendance (admins, and the event's moderators); answers when it was ticked, or null. */
  async setAttendance(eventId: string, registrationId: string, attended: boolean): Promise<string | null> {
    const body = await this.#request<{ attendedAt: string | null }>(
      path`/api/admin/events/${eventId}/registrations/${registrationId}/attendance`,
      { method: 'POST', body: { attended } },
    );
    return body.attendedAt;
  }

  /** A message to every confirmed registrant; answers to how many people it goes. */
  async emailRegistrants(eventId: string, request: RegistrantEmailRequest): Promise<number> {
    const body = await this.#request<{ recipients: number }>(path`/api/admin/events/${eventId}/registrations/email`, {
      method: 'POST',
      body: request,
    });
    return body.recipients;
  }

  /** The private settings of a registration event: the outside room's link. */
  async registrationSettings(eventId: string, signal?: AbortSignal): Promise<{ joinUrl: string | null }> {
    const body = await this.#request<{ settings: { joinUrl: string | null } }>(path`/api/admin/events/${eventId}/registration-settings`, {
      signal,
    });
    return body.settings;
  }

  /** Saves the join link, the waiting list and the form (only the fields given change); answers both as saved. */
  async saveRegistrationSettings(
    eventId: string,
    settings: RegistrationSettingsRequest,
  ): Promise<{ event: Event; settings: { joinUrl: string | null } }> {
    return this.#request(path`/api/admin/events/${eventId}/registration-settings`, { method: 'PUT', body: settings });
  }

  /** The outbox, newest first; `before` (the id of the last row shown) pages back. */
  async listOutbox(options: { limit?: number; before?: string } = {}, signal?: AbortSignal): Promise<OutboxPage> {
    const query = new URLSearchParams({ limit: String(options.limit ?? 50) });
    if (options.before) query.set('before', options.before);
    return this.#request<OutboxPage>(`/api/admin/outbox?${query}`, { signal });
  }

  /** An email of the outbox as it was written (`.eml`), to read it. */
  async outboxEmail(id: string): Promise<string> {
    const { blob } = await this.download(path`/api/admin/outbox/${id}.eml`);
    return blob.text();
  }

  /** A file from a staff route (a CSV export, an email as sent), with the person's token. */
  async download(url: string): Promise<Download> {
    const response = await this.#fetchAuthed(url, {});
    if (!response.ok) await this.#read(response);
    return { blob: await response.blob(), contentDisposition: response.headers.get('content-disposition') };
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

  /** The address of the event's phone page in the auditorium (`/events/:id/ask` on PUBLIC_ORIGIN): the QR code's. */
  async askLink(eventId: string, signal?: AbortSignal): Promise<string> {
    return (await this.#request<{ url: string }>(path`/api/events/${eventId}/ask-link`, { signal })).url;
  }

  // --- audience figures (issue 12) ---------------------------------------------------------------------------------

  /** An event's audience figures: viewers over time, peak, unique viewers, watch time, activity, markers. */
  async getEventFigures(eventId: string, signal?: AbortSignal): Promise<EventFigures> {
    return this.#request<EventFigures>(path`/api/admin/events/${eventId}/figures`, { signal });
  }

  /** The season summary: the events that started in the span (ISO instants; all of them without). */
  async getSeasonFigures(span: { from?: string; to?: string } = {}, signal?: AbortSignal): Promise<SeasonFigures> {
    return this.#request<SeasonFigures>(`/api/admin/figures?${new URLSearchParams(span)}`, { signal });
  }

  // --- live captions (issue 12) ------------------------------------------------------------------------------------

  /** The URL captioning software posts to, its secret inside: the event's moderators and admins. */
  async getCaptionIngest(eventId: string, signal?: AbortSignal): Promise<{ url: string }> {
    return this.#request(path`/api/events/${eventId}/captions/ingest`, { signal });
  }

  /** A new caption URL; the old one is refused from now on. */
  async rotateCaptionIngest(eventId: string): Promise<{ url: string }> {
    return this.#request(path`/api/events/${eventId}/captions/ingest/rotate`, { method: 'POST' });
  }

  /** The admins' editor: the languages of an event's captions, and the lines of one (the first, without `lang`). */
  async getAdminCaptions(
    eventId: string,
    lang?: string,
    signal?: AbortSignal,
  ): Promise<{ languages: string[]; lang: string | null; cues: CaptionCue[] }> {
    const query = lang ? `?lang=${encodeURIComponent(lang)}` : '';
    return this.#request(`${path`/api/admin/events/${eventId}/captions`}${query}`, { signal });
  }

  async editCaption(eventId: string, cueId: string, edit: CaptionEditRequest): Promise<CaptionCue> {
    return (await this.#request<{ cue: CaptionCue }>(path`/api/admin/events/${eventId}/captions/${cueId}`, { method: 'PUT', body: edit })).cue;
  }

  async deleteCaption(eventId: string, cueId: string): Promise<void> {
    await this.#request(path`/api/admin/events/${eventId}/captions/${cueId}`, { method: 'DELETE' });
  }

  // --- a replay's captions, for the player and the transcript (issue 12) ----------------------------------------------

  /** The languages an event has captions in (`GET /api/events/:id/captions`); none when the server has no captions. */
  async getReplayCaptionLanguages(eventId: string, signal?: AbortSignal): Promise<string[]> {
    const body = await this.#request<{ languages: Array<string | { lang: string }> }>(path`/api/events/${eventId}/captions`, { signal });
    return body.languages.map((l) => (typeof l === 'string' ? l : l.lang));
  }

  /** One language's captions as WebVTT, read as the person (an invite-only event's need their token). */
  async getReplayCaptionsVtt(eventId: string, lang: string, signal?: AbortSignal): Promise<string> {
    const response = await this.#fetchAuthed(path`/api/events/${eventId}/captions/${lang}.vtt`, {
      signal,
      headers: { accept: 'text/vtt' },
    });
    if (!response.ok) await this.#read(response);
    return response.text();
  }

  // --- plumbing ----------------------------------------------------------------------------------------------------

  async #request<T = undefined>(url: string, options: RequestOptions = {}): Promise<T> {
    return this.#read<T>(await this.#fetchAuthed(url, options));
  }

  async #fetchAuthed(url: string, options: RequestOptions): Promise<Response> {
    const auth = options.auth === false ? null : this.#auth;
    const token = auth ? await auth.accessToken() : null;
    let response = await this.#send(url, options, token);
    if (response.status === 401 && auth && token) {
      // The token expired early or was revoked: renew it once. Without a session any more, a public route still
      // answers anonymously, and a staff route answers 401 again, which then stands.
      const renewed = await auth.tokenRefused(token);
      response = await this.#send(url, options, renewed);
    }
    return response;
  }

  async #send(
    url: string,
    options: RequestOptions,
    token: string | null,
  ): Promise<Response> {
    if (token === null && (options.method ?? 'GET') === 'GET' && options.headers === undefined) {
      const prefetched = takePrefetched(`${this.#base}${url}`);
      if (prefetched) {
        const answer = await prefetched.catch(() => null);
        if (answer) return answer;
      }
    }
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
