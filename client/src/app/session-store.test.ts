import type { AuthResponse } from '#shared/domain/user';
import { describe, expect, it } from 'vitest';
import type { ApiClient } from './api-client';
import { SessionStore } from './session-store';

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
const jwt = (exp: number): string => `${base64url({ alg: 'HS256' })}.${base64url({ sub: 'u1', exp })}.signature`;
const user = { id: 'u1', displayName: 'Ada', role: 'guest' as const };

function fakeApi(token: string): ApiClient {
  return { createGuest: async (displayName: string): Promise<AuthResponse> => ({ token, user: { ...user, displayName } }) } as ApiClient;
}

describe('SessionStore', () => {
  it('keeps the guest session in localStorage across page loads', async () => {
    const storage = new MemoryStorage();
    const token = jwt(Math.floor(Date.now() / 1000) + 3600);
    const first = new SessionStore(fakeApi(token), storage);
    await first.signInAsGuest('Ada');
    const second = new SessionStore(fakeApi('unused'), storage);
    expect(second.current).toEqual({ token, user });
    expect(JSON.parse(storage.getItem('parvis.session')!).token).toBe(token);
  });

  it('forgets a stored token that has expired', () => {
    const storage = new MemoryStorage();
    storage.setItem('parvis.session', JSON.stringify({ token: jwt(Math.floor(Date.now() / 1000) - 60), user }));
    expect(new SessionStore(fakeApi('unused'), storage).current).toBeNull();
  });

  it('ignores a stored value that is not a session', () => {
    const storage = new MemoryStorage();
    storage.setItem('parvis.session', '{"token":42}');
    expect(new SessionStore(fakeApi('unused'), storage).current).toBeNull();
  });

  it('tells listeners when the session changes and clears the storage on sign-out', async () => {
    const storage = new MemoryStorage();
    const store = new SessionStore(fakeApi(jwt(Math.floor(Date.now() / 1000) + 3600)), storage);
    const seen: Array<string | null> = [];
    store.subscribe((session) => seen.push(session?.user.displayName ?? null));
    await store.signInAsGuest('Ada');
    store.clear();
    expect(seen).toEqual(['Ada', null]);
    expect(storage.getItem('parvis.session')).toBeNull();
  });
});
