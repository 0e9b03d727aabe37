import { describe, expect, it } from 'vitest';
import { forgetPersonalLink, readPersonalFragment, recallPersonalLink, takePersonalLink } from './personal-link';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwMSJ9.c2lnbmF0dXJl';

/** sessionStorage as the page sees it, in memory. */
function memoryStorage() {
  const values = new Map<string, string>();
  return {
    getItem: (k: string) => values.get(k) ?? null,
    setItem: (k: string, v: string) => void values.set(k, v),
    removeItem: (k: string) => void values.delete(k),
    values,
  };
}

describe('the personal link', () => {
  it('reads the token from the fragment, and the registration of “I did not ask for this”', () => {
    expect(readPersonalFragment(`#${TOKEN}`)).toEqual({ token: TOKEN, notMe: null });
    expect(readPersonalFragment(`#${TOKEN}&not-me=r%2042`)).toEqual({ token: TOKEN, notMe: 'r 42' });
    expect(readPersonalFragment('')).toBeNull();
    expect(readPersonalFragment('#')).toBeNull();
    expect(readPersonalFragment('#not-me=r1')).toBeNull();
  });

  it('keeps the link for a reload, once the fragment has left the address bar', () => {
    const storage = memoryStorage();
    expect(takePersonalLink(`#${TOKEN}&not-me=r1`, storage)).toEqual({ link: { token: TOKEN, notMe: 'r1' }, fromFragment: true });
    expect(takePersonalLink('', storage)).toEqual({ link: { token: TOKEN, notMe: 'r1' }, fromFragment: false });
  });

  it('takes a newer link from the fragment over the one remembered', () => {
    const storage = memoryStorage();
    takePersonalLink('#old.token.here', storage);
    expect(takePersonalLink(`#${TOKEN}`, storage).link).toEqual({ token: TOKEN, notMe: null });
    expect(recallPersonalLink(storage)).toEqual({ token: TOKEN, notMe: null });
  });

  it('forgets a link that was revoked', () => {
    const storage = memoryStorage();
    takePersonalLink(`#${TOKEN}`, storage);
    forgetPersonalLink(storage);
    expect(takePersonalLink('', storage)).toEqual({ link: null, fromFragment: false });
  });

  it('works on, for this page, when the browser refuses storage', () => {
    const refusing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(takePersonalLink(`#${TOKEN}`, refusing).link?.token).toBe(TOKEN);
    expect(recallPersonalLink(refusing)).toBeNull();
  });
});
