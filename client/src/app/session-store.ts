import type { Account, EventRole } from '#shared/domain/account';
import type { Role, User } from '#shared/domain/user';
import { ApiError, type ApiClient, type AuthProvider, type SetupRequest, type StaffAuth } from './api-client';
import { isFresh, refreshDelay, REFRESH_AHEAD_MS, tokenExpiry } from './token-timing';

/**
 * Someone who picked a name to chat (role `guest`), or a registrant brought in by their personal link under their
 * registered name (role `registrant`): a long-lived token, nothing else.
 */
export interface GuestSession {
  kind: 'guest';
  token: string;
  user: User;
}

/**
 * A staff member (admin, or a moderator or speaker who came in by invitation): a 15-minute access token, renewed
 * through the HttpOnly refresh cookie, which never leaves the browser's cookie jar.
 */
export interface StaffSession {
  kind: 'staff';
  token: string;
  user: User;
  account: Account;
}

export type Session = GuestSession | StaffSession;

export const isAdminSession = (session: Session | null): session is StaffSession =>
  session?.kind === 'staff' && session.account.isAdmin;

export const SESSION_STORAGE_KEY = 'parvis.session';
/** Drop a guest token this close to its expiry rather than fail the next handshake with it. */
const GUEST_EXPIRY_MARGIN_MS = 60_000;
/** Renew before a request when the access token has less than this left: it could expire on the way. */
const REQUEST_MARGIN_MS = 10_000;
/** After a refresh that failed for a passing reason (network, server restarting), try again this much later. */
const RETRY_REFRESH_MS = 15_000;

/** Every role, to check a stored one against (a record, so that a role added to the shared type must be added here). */
const ROLES: Readonly<Record<Role, true>> = {
  guest: true,
  registrant: true,
  speaker: true,
  moderator: true,
  staff: true,
  admin: true,
  captioner: true,
};

type Fields = Partial<Record<string, unknown>>;
const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null;
const isString = (value: unknown): value is string => typeof value === 'string';

/*
 * The user and account of a stored session, checked by hand as the shared `User` and `Account` schemas describe them
 * (the page never loads zod): another version of the app, or someone at the console, may have left anything there.
 * Null when something is missing or of the wrong kind; only the known fields are kept.
 */

export function readStoredUser(value: unknown): User | null {
  if (!isObject(value) || !isString(value.id) || !isString(value.displayName)) return null;
  const role = value.role;
  if (!isString(role) || !Object.hasOwn(ROLES, role)) return null;
  return { id: value.id, displayName: value.displayName, role: role as Role };
}

export function readStoredAccount(value: unknown): Account | null {
  if (!isObject(value) || !isString(value.id) || !isString(value.displayName)) return null;
  if (value.email !== null && !isString(value.email)) return null;
  if (typeof value.isAdmin !== 'boolean') return null;
  if (!isString(value.createdAt) || Number.isNaN(Date.parse(value.createdAt))) return null;
  return { id: value.id, email: value.email, displayName: value.displayName, isAdmin: value.isAdmin, createdAt: value.createdAt };
}

function parseSession(raw: string | null, now: number): Session | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as { kind?: unknown; token?: unknown; user?: unknown; account?: unknown };
    const user = readStoredUser(value.user);
    if (typeof value.token !== 'string' || !value.token || !user) return null;
    if (value.kind === 'staff') {
      const account = readStoredAccount(value.account);
      if (!account) return null;
      // An expired access token is fine: the refresh cookie may still be good, and the first renewal says.
      return { kind: 'staff', token: value.token, user, account };
    }
    // Sessions stored before staff accounts existed have no `kind`: they are guests.
    if (!isFresh(value.token, now, GUEST_EXPIRY_MARGIN_MS)) return null;
    return { kind: 'guest', token: value.token, user };
  } catch {
    return null;
  }
}

const staffSession = (auth: StaffAuth): StaffSession => ({
  kind: 'staff',
  token: auth.token,
  user: auth.user,
  account: auth.account,
});

/** Runs `task` while this tab holds the refresh lock, so two tabs never spend the same refresh cookie. */
export type LockRunner = <T>(task: () => Promise<T>) => Promise<T>;

const webLock: LockRunner = (task) => {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  return locks ? (locks.request('parvis.auth-refresh', task) as ReturnType<typeof task>) : task();
};

export interface SessionStoreOptions {
  now?: () => number;
  withLock?: LockRunner;
}

/**
 * Who the person is: nobody, a guest (a name for the chat) or a staff member. The session lives in localStorage
 * (`parvis.session`) so a reload keeps it, and every tab of the browser shares it.
 *
 * Staff access tokens live 15 minutes. Once started, the store renews them a minute before they expire, on return to
 * a hidden tab, before an API request that would carry an expiring one, and after a 401 or a refused socket
 * handshake. Renewals are single-flight within the tab and serialised across tabs with the Web Locks API: the
 * server rotates the refresh cookie at every use, so a second tab renewing with the cookie the first one just spent
 * would fail; it adopts the first tab's new token instead. When a renewal is refused, the session is dropped.
 */
export class SessionStore implements AuthProvider {
  #current: Session | null;
  readonly #api: ApiClient;
  readonly #storage: Storage | undefined;
  readonly #now: () => number;
  readonly #withLock: LockRunner;
  readonly #listeners = new Set<(session: Session | null) => void>();
  #refreshing: Promise<Session | null> | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #started = false;

  constructor(api: ApiClient, storage: Storage | undefined = globalThis.localStorage, options: SessionStoreOptions = {}) {
    this.#api = api;
    this.#storage = storage;
    this.#now = options.now ?? Date.now;
    this.#withLock = options.withLock ?? webLock;
    this.#current = parseSession(this.#readRaw(), this.#now());
  }

  get current(): Session | null {
    return this.#current;
  }

  subscribe(listener: (session: Session | null) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Starts renewing staff tokens on time and following the other tabs. The root element calls it once connected. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    globalThis.addEventListener?.('storage', this.#onStorage);
    globalThis.document?.addEventListener('visibilitychange', this.#onVisibility);
    this.#schedule();
  }

  stop(): void {
    this.#started = false;
    globalThis.removeEventListener?.('storage', this.#onStorage);
    globalThis.document?.removeEventListener('visibilitychange', this.#onVisibility);
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async signInAsGuest(displayName: string, eventId?: string): Promise<Session> {
    const { token, user } = await this.#api.createGuest(displayName, eventId);
    const session: GuestSession = { kind: 'guest', token, user };
    this.#set(session);
    return session;
  }

  /**
   * A person who signed up for a registration event, brought into its live room by their personal link: a guest-like
   * session in their registered name (role `registrant`), with no name to choose.
   */
  async signInAsRegistrant(personToken: string, eventId: string): Promise<Session> {
    const { token, user } = await this.#api.registrantSignIn(personToken, eventId);
    const session: GuestSession = { kind: 'guest', token, user };
    this.#set(session);
    return session;
  }

  async signIn(email: string, password: string): Promise<StaffSession> {
    return this.adopt(await this.#api.login(email, password));
  }

  /** Creates the first admin from the setup link's token, and signs them in. */
  async setUp(request: SetupRequest): Promise<StaffSession> {
    return this.adopt(await this.#api.setup(request));
  }

  /**
   * Accepts an invitation: the person gets a role in one event and is signed in; on a new account under
   * `displayName`, or on their own when they are signed in as staff already.
   */
  async acceptInvite(token: string, displayName?: string): Promise<{ session: StaffSession; eventId: string; role: EventRole }> {
    const accepted = await this.#api.acceptInvite(token, displayName);
    return { session: this.adopt(accepted), eventId: accepted.eventId, role: accepted.role };
  }

  /** Uses a staff sign-in the API answered (after a password change, say). */
  adopt(auth: StaffAuth): StaffSession {
    const session = staffSession(auth);
    this.#set(session);
    return session;
  }

  /** Signs out: forgets the session here and in every tab at once, then ends it on the server. */
  async signOut(): Promise<void> {
    const session = this.#current;
    this.clear();
    if (session?.kind !== 'staff') return;
    try {
      await this.#api.logout(session.token);
    } catch {
      // Already gone on the server, or unreachable: the refresh cookie expires by itself, and nothing here holds it.
    }
  }

  /** Forgets the session at once, without telling the server (a guest changing name, a refused token). */
  clear(): void {
    if (this.#current) this.#set(null);
  }

  /**
   * Renews a staff session's access token, once for every caller that asks while a renewal is under way. Answers the
   * session after it (null when the server refused: the session is then dropped). A guest session has nothing to
   * renew and is answered as it is.
   */
  renew(): Promise<Session | null> {
    const current = this.#current;
    if (current?.kind !== 'staff') return Promise.resolve(current);
    this.#refreshing ??= this.#refresh(current.token).finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  /**
   * The server refused the handshake of our socket token, or dropped the socket because the token expired or was
   * revoked. A staff token is renewed; a guest token cannot be, and the guest picks a name again. Answers the token to
   * reconnect with: a new one, the same one when the renewal must wait (offline), null to go on as a read-only viewer.
   */
  async handshakeRefused(token: string): Promise<string | null> {
    const current = this.#current;
    if (current?.token !== token) return current?.token ?? null;
    if (current.kind === 'guest') {
      this.clear();
      return null;
    }
    // A renewal that failed for a passing reason keeps the session: its same token then means "try again later".
    const renewed = await this.renew();
    return renewed?.kind === 'staff' ? renewed.token : null;
  }

  // --- AuthProvider, for the API client ----------------------------------------------------------------------------

  async accessToken(): Promise<string | null> {
    const current = this.#current;
    if (current?.kind !== 'staff') return null;
    if (isFresh(current.token, this.#now(), REQUEST_MARGIN_MS)) return current.token;
    const renewed = await this.renew();
    return renewed?.kind === 'staff' ? renewed.token : null;
  }

  async tokenRefused(refused: string): Promise<string | null> {
    const current = this.#current;
    if (current?.kind !== 'staff') return null;
    // Another request renewed it meanwhile.
    if (current.token !== refused) return current.token;
    const renewed = await this.renew();
    return renewed?.kind === 'staff' && renewed.token !== refused ? renewed.token : null;
  }

  // --- internals ---------------------------------------------------------------------------------------------------

  async #refresh(stale: string): Promise<Session | null> {
    return this.#withLock(async () => {
      // Another tab may have renewed while this one waited for the lock: its session is in storage already.
      const stored = parseSession(this.#readRaw(), this.#now());
      const stillStale = (): boolean => this.#current?.token === stale;
      if (stored?.kind === 'staff' && stored.token !== stale && isFresh(stored.token, this.#now(), REQUEST_MARGIN_MS)) {
        if (stillStale()) this.#set(stored, { persist: false });
        return this.#current;
      }
      // Signed out, or signed in afresh, while waiting.
      if (!stillStale()) return this.#current;
      try {
        const auth = await this.#api.refresh();
        if (stillStale()) this.#set(staffSession(auth));
      } catch (error) {
        const passing =
          error instanceof ApiError &&
          (error.code === 'NETWORK' || error.code === 'RATE_LIMITED' || error.code === 'UNAVAILABLE' || error.status >= 500);
        if (passing) {
          this.#schedule(error.retryAfterMs ?? RETRY_REFRESH_MS);
          return this.#current;
        }
        // The refresh cookie is gone, expired, spent or revoked: the session is over.
        if (stillStale()) this.#set(null);
      }
      return this.#current;
    });
  }

  /** Plans the next renewal of a staff token: a minute before it expires, or after `delayMs`. */
  #schedule(delayMs?: number): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const current = this.#current;
    if (!this.#started || current?.kind !== 'staff') return;
    const delay = delayMs ?? refreshDelay(tokenExpiry(current.token), this.#now());
    if (delay === null) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.renew();
    }, delay);
  }

  readonly #onVisibility = (): void => {
    // Background tabs run timers late, if at all: catch up on return.
    const current = this.#current;
    if (document.visibilityState !== 'visible' || current?.kind !== 'staff') return;
    if (!isFresh(current.token, this.#now(), REFRESH_AHEAD_MS)) void this.renew();
  };

  readonly #onStorage = (event: StorageEvent): void => {
    // `key` is null when another tab cleared the whole storage.
    if (event.key !== SESSION_STORAGE_KEY && event.key !== null) return;
    if (event.storageArea && event.storageArea !== this.#storage) return;
    const next = parseSession(this.#readRaw(), this.#now());
    if (next?.token === this.#current?.token) return;
    this.#set(next, { persist: false });
  };

  #readRaw(): string | null {
    try {
      return this.#storage?.getItem(SESSION_STORAGE_KEY) ?? null;
    } catch {
      return null;
    }
  }

  #set(session: Session | null, { persist = true }: { persist?: boolean } = {}): void {
    this.#current = session;
    if (persist) {
      try {
        if (session) this.#storage?.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
        else this.#storage?.removeItem(SESSION_STORAGE_KEY);
      } catch {
        // Storage refused (private mode, quota): the session lasts for this page only.
      }
    }
    this.#schedule();
    for (const listener of this.#listeners) listener(session);
  }
}
