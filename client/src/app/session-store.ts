import { User } from '#shared/domain/user';
import type { ApiClient } from './api-client';

export interface Session {
  token: string;
  user: User;
}

const SESSION_STORAGE_KEY = 'parvis.session';
/** Drop a token this close to its expiry rather than fail the next handshake with it. */
const EXPIRY_MARGIN_MS = 60_000;

/** The `exp` claim of a JWT in milliseconds, or null when absent or unreadable. The signature is the server's business. */
function tokenExpiry(token: string): number | null {
  try {
    const payload = token.split('.')[1];
    if (!payload) return null;
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}

function parseSession(raw: string | null, now: number): Session | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as { token?: unknown; user?: unknown };
    const user = User.safeParse(value.user);
    if (typeof value.token !== 'string' || !value.token || !user.success) return null;
    const exp = tokenExpiry(value.token);
    if (exp !== null && exp - EXPIRY_MARGIN_MS < now) return null;
    return { token: value.token, user: user.data };
  } catch {
    return null;
  }
}

/**
 * Who the person is in the chat: a guest token and user kept in localStorage (`parvis.session`) so a reload keeps
 * the name. Built once by the root element.
 */
export class SessionStore {
  #current: Session | null;
  readonly #api: ApiClient;
  readonly #storage: Storage | undefined;
  readonly #listeners = new Set<(session: Session | null) => void>();

  constructor(api: ApiClient, storage: Storage | undefined = globalThis.localStorage) {
    this.#api = api;
    this.#storage = storage;
    let raw: string | null = null;
    try {
      raw = storage?.getItem(SESSION_STORAGE_KEY) ?? null;
    } catch {
      raw = null;
    }
    this.#current = parseSession(raw, Date.now());
  }

  get current(): Session | null {
    return this.#current;
  }

  subscribe(listener: (session: Session | null) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async signInAsGuest(displayName: string): Promise<Session> {
    const { token, user } = await this.#api.createGuest(displayName);
    const session = { token, user };
    this.#set(session);
    return session;
  }

  clear(): void {
    if (this.#current) this.#set(null);
  }

  #set(session: Session | null): void {
    this.#current = session;
    try {
      if (session) this.#storage?.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
      else this.#storage?.removeItem(SESSION_STORAGE_KEY);
    } catch {
      // Storage refused (private mode, quota): the session lasts for this page only.
    }
    for (const listener of this.#listeners) listener(session);
  }
}
