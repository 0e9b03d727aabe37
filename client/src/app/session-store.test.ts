import type { Account } from '#shared/domain/account';
import type { AuthResponse } from '#shared/domain/user';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type ApiClient, type StaffAuth } from './api-client';
import { readStoredAccount, readStoredUser, SessionStore, type LockRunner } from './session-store';

class MemoryStorage implements Storage {
  #items = new Map<string, string>();
  get length(): number {
    return this.#items.size;
  }
  clear(): void {
    this.#items.clear();
  }
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.#items.delete(key);
  }
  setItem(key: string, value: string): void {
    this.#items.set(key, value);
  }
}

const base64url = (value: object): string =>
  btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
let serial = 0;
/** A token that expires `seconds` from now (negative: already expired); each one different. */
const jwt = (seconds: number): string =>
  `${base64url({ alg: 'HS256' })}.${base64url({ sub: 'u1', n: ++serial, exp: Math.floor(Date.now() / 1000) + seconds })}.sig`;
const user = { id: 'u1', displayName: 'Ada', role: 'guest' as const };
const staffUser = { id: 's1', displayName: 'Camille', role: 'admin' as const };
const account: Account = {
  id: 's1',
  email: 'camille@bibliotheque.example',
  displayName: 'Camille',
  isAdmin: true,
  createdAt: '2026-11-01T09:00:00.000Z',
};
const staffAuth = (token: string): StaffAuth => ({ token, user: staffUser, account });

function fakeApi(overrides: Partial<Record<keyof ApiClient, unknown>> = {}): ApiClient {
  return {
    createGuest: async (displayName: string): Promise<AuthResponse> => ({ token: jwt(3600), user: { ...user, displayName } }),
    login: async () => staffAuth(jwt(900)),
    refresh: vi.fn(async () => staffAuth(jwt(900))),
    logout: vi.fn(async () => undefined),
    ...overrides,
  } as unknown as ApiClient;
}

/** Serialises tasks the way the Web Locks API does across tabs. */
function memoryLock(): LockRunner {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}

function staffStored(storage: Storage, token: string): void {
  storage.setItem('parvis.session', JSON.stringify({ kind: 'staff', token, user: staffUser, account }));
}

afterEach(() => {
  vi.useRealTimers();
});

describe('SessionStore: registrants', () => {
  it('brings a registrant in under their registered name, and keeps it for the next page load', async () => {
    const storage = new MemoryStorage();
    const asked: Array<[string, string]> = [];
    const registrant = { id: 'person:p1', displayName: 'Amina Diallo', role: 'registrant' as const };
    const api = fakeApi({
      registrantSignIn: async (personToken: string, eventId: string): Promise<AuthResponse> => {
        asked.push([personToken, eventId]);
        return { token: jwt(3600), user: registrant };
      },
    });
    const session = await new SessionStore(api, storage).signInAsRegistrant('PERSON', 'atelier--2027-01-04');
    expect(asked).toEqual([['PERSON', 'atelier--2027-01-04']]);
    expect(new SessionStore(fakeApi(), storage).current).toEqual({ kind: 'guest', token: session.token, user: registrant });
  });
});

describe('SessionStore: guests', () => {
  it('keeps the guest session in localStorage across page loads', async () => {
    const storage = new MemoryStorage();
    const first = new SessionStore(fakeApi(), storage);
    const session = await first.signInAsGuest('Ada');
    const second = new SessionStore(fakeApi(), storage);
    expect(second.current).toEqual({ kind: 'guest', token: session.token, user });
    expect(JSON.parse(storage.getItem('parvis.session')!).token).toBe(session.token);
  });

  it('reads a guest session stored before staff sessions existed', () => {
    const storage = new MemoryStorage();
    const token = jwt(3600);
    storage.setItem('parvis.session', JSON.stringify({ token, user }));
    expect(new SessionStore(fakeApi(), storage).current).toEqual({ kind: 'guest', token, user });
  });

  it('forgets a stored guest token that has expired', () => {
    const storage = new MemoryStorage();
    storage.setItem('parvis.session', JSON.stringify({ token: jwt(-60), user }));
    expect(new SessionStore(fakeApi(), storage).current).toBeNull();
  });

  it('ignores a stored value that is not a session', () => {
    const storage = new MemoryStorage();
    storage.setItem('parvis.session', '{"token":42}');
    expect(new SessionStore(fakeApi(), storage).current).toBeNull();
  });

  it('tells listeners when the session changes and clears the storage on sign-out', async () => {
    const storage = new MemoryStorage();
    const store = new SessionStore(fakeApi(), storage);
    const seen: Array<string | null> = [];
    store.subscribe((session) => seen.push(session?.user.displayName ?? null));
    await store.signInAsGuest('Ada');
    store.clear();
    expect(seen).toEqual(['Ada', null]);
    expect(storage.getItem('parvis.session')).toBeNull();
  });

  it('makes a guest whose token the socket refused pick a name again', async () => {
    const store = new SessionStore(fakeApi(), new MemoryStorage());
    const { token } = await store.signInAsGuest('Ada');
    expect(await store.handshakeRefused(token)).toBeNull();
    expect(store.current).toBeNull();
  });

  it('sends no token over HTTP for a guest', async () => {
    const store = new SessionStore(fakeApi(), new MemoryStorage());
    await store.signInAsGuest('Ada');
    expect(await store.accessToken()).toBeNull();
  });
});

describe('SessionStore: staff', () => {
  it('keeps a staff session whose access token has expired, for the refresh cookie to renew', () => {
    const storage = new MemoryStorage();
    const token = jwt(-3600);
    staffStored(storage, token);
    expect(new SessionStore(fakeApi(), storage).current).toMatchObject({ kind: 'staff', token, account });
  });

  it('renews an expiring token before a request, once for all the requests that wait', async () => {
    const storage = new MemoryStorage();
    staffStored(storage, jwt(5));
    const api = fakeApi();
    const store = new SessionStore(api, storage, { withLock: memoryLock() });
    const tokens = await Promise.all([store.accessToken(), store.accessToken(), store.accessToken()]);
    expect(api.refresh).toHaveBeenCalledTimes(1);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).toBe(store.current?.token);
    expect(JSON.parse(storage.getItem('parvis.session')!).token).toBe(tokens[0]);
  });

  it('sends a fresh token as it is', async () => {
    const storage = new MemoryStorage();
    const token = jwt(900);
    staffStored(storage, token);
    const api = fakeApi();
    const store = new SessionStore(api, storage);
    expect(await store.accessToken()).toBe(token);
    expect(api.refresh).not.toHaveBeenCalled();
  });

  it('renews after a 401 once, and answers the renewed token to a second refused request', async () => {
    const storage = new MemoryStorage();
    const token = jwt(900);
    staffStored(storage, token);
    const api = fakeApi();
    const store = new SessionStore(api, storage, { withLock: memoryLock() });
    const first = await store.tokenRefused(token);
    const second = await store.tokenRefused(token);
    expect(first).not.toBe(token);
    expect(second).toBe(first);
    expect(api.refresh).toHaveBeenCalledTimes(1);
  });

  it('renews a minute before the token expires, and again after that', async () => {
    vi.useFakeTimers();
    const storage = new MemoryStorage();
    staffStored(storage, jwt(900));
    const api = fakeApi();
    const store = new SessionStore(api, storage, { withLock: memoryLock() });
    store.start();
    await vi.advanceTimersByTimeAsync(13 * 60_000);
    expect(api.refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(60_000 + 1000);
    expect(api.refresh).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(14 * 60_000 + 1000);
    expect(api.refresh).toHaveBeenCalledTimes(2);
    store.stop();
  });

  it('drops the session when the server refuses the refresh', async () => {
    const storage = new MemoryStorage();
    staffStored(storage, jwt(-10));
    const api = fakeApi({
      refresh: vi.fn(async () => {
        throw new ApiError('UNAUTHENTICATED', 'refresh token spent', 401);
      }),
    });
    const store = new SessionStore(api, storage, { withLock: memoryLock() });
    const seen: Array<string | null> = [];
    store.subscribe((session) => seen.push(session?.kind ?? null));
    expect(await store.accessToken()).toBeNull();
    expect(store.current).toBeNull();
    expect(seen).toEqual([null]);
    expect(storage.getItem('parvis.session')).toBeNull();
  });

  it('keeps the session when the refresh fails for lack of network, and tries again later', async () => {
    vi.useFakeTimers();
    const storage = new MemoryStorage();
    staffStored(storage, jwt(-10));
    let fail = true;
    const api = fakeApi({
      refresh: vi.fn(async () => {
        if (fail) throw new ApiError('NETWORK', 'offline');
        return staffAuth(jwt(900));
      }),
    });
    const store = new SessionStore(api, storage, { withLock: memoryLock() });
    store.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(api.refresh).toHaveBeenCalledTimes(1);
    expect(store.current?.kind).toBe('staff');
    fail = false;
    await vi.advanceTimersByTimeAsync(16_000);
    expect(api.refresh).toHaveBeenCalledTimes(2);
    expect(store.current?.kind).toBe('staff');
    store.stop();
  });

  it('adopts the token another tab renewed rather than spend the refresh cookie again', async () => {
    const storage = new MemoryStorage();
    const stale = jwt(-10);
    staffStored(storage, stale);
    const api = fakeApi();
    const store = new SessionStore(api, storage, { withLock: memoryLock() });
    // The other tab renewed first and wrote its session.
    const renewed = jwt(900);
    staffStored(storage, renewed);
    expect(await store.accessToken()).toBe(renewed);
    expect(api.refresh).not.toHaveBeenCalled();
  });

  it('renews the token of a socket whose handshake was refused', async () => {
    const storage = new MemoryStorage();
    const token = jwt(900);
    staffStored(storage, token);
    const store = new SessionStore(fakeApi(), storage, { withLock: memoryLock() });
    const next = await store.handshakeRefused(token);
    expect(next).not.toBeNull();
    expect(next).not.toBe(token);
    expect(store.current?.token).toBe(next);
  });

  it('signs out here at once, then on the server with the last token', async () => {
    const storage = new MemoryStorage();
    const api = fakeApi();
    const store = new SessionStore(api, storage);
    const session = await store.signIn('camille@bibliotheque.example', 'correct horse battery');
    const signingOut = store.signOut();
    expect(store.current).toBeNull();
    await signingOut;
    expect(api.logout).toHaveBeenCalledWith(session.token);
    expect(storage.getItem('parvis.session')).toBeNull();
  });
});

describe('a stored session, checked without zod', () => {
  it('keeps the known fields of a good user and account', () => {
    expect(readStoredUser({ ...staffUser, extra: 1 })).toEqual(staffUser);
    expect(readStoredAccount({ ...account, extra: 1 })).toEqual(account);
    expect(readStoredAccount({ ...account, email: null })).toEqual({ ...account, email: null });
  });

  it('refuses a user or an account with a field missing or of the wrong kind', () => {
    for (const bad of [null, 'Ada', {}, { ...user, role: 'superuser' }, { ...user, role: 'toString' }, { ...user, id: 7 }, { id: 'u1', role: 'guest' }]) {
      expect(readStoredUser(bad), JSON.stringify(bad)).toBeNull();
    }
    for (const bad of [{ ...account, isAdmin: 'yes' }, { ...account, createdAt: 'yesterday' }, { ...account, email: 3 }, { ...account, id: undefined }]) {
      expect(readStoredAccount(bad), JSON.stringify(bad)).toBeNull();
    }
  });

  it('ignores a stored staff session whose account is not one', () => {
    const storage = new MemoryStorage();
    storage.setItem('parvis.session', JSON.stringify({ kind: 'staff', token: jwt(900), user: staffUser, account: { ...account, isAdmin: 1 } }));
    expect(new SessionStore(fakeApi(), storage).current).toBeNull();
  });
});
