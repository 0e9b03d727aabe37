/*
 * The personal link, `/me#<token>` (and `/me#<token>&not-me=<registrationId>` in a confirmation's "I did not ask for
 * this"): the token travels in the fragment, which browsers never send to a server. The page keeps it in
 * sessionStorage, so that a reload works once the fragment has left the address bar, and the tab forgets it when it
 * closes. The event page reads it there too, to bring a registrant into the live room under their registered name.
 */

export interface PersonalLink {
  token: string;
  /** The registration the person says they never asked for: the page offers one button to cancel it. */
  notMe: string | null;
}

const STORAGE_KEY = 'parvis.person';

/** The personal link in a fragment, or null when the fragment holds none. */
export function readPersonalFragment(hash: string): PersonalLink | null {
  const [first = '', ...rest] = hash.replace(/^#/, '').split('&');
  let token = first.trim();
  try {
    token = decodeURIComponent(token);
  } catch {
    // Left as it is: the server says whether it works.
  }
  if (!token || token.includes('=')) return null;
  let notMe: string | null = null;
  for (const part of rest) {
    const [name, value = ''] = part.split('=');
    if (name !== 'not-me' || !value) continue;
    try {
      notMe = decodeURIComponent(value);
    } catch {
      notMe = value;
    }
  }
  return { token, notMe };
}

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Remembers the link for this tab. Storage may be refused (private browsing): the page then works until a reload. */
export function rememberPersonalLink(storage: Storage | undefined, link: PersonalLink): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(link));
  } catch {
    // Nothing to do: the link still works for this page.
  }
}

export function recallPersonalLink(storage: Storage | undefined): PersonalLink | null {
  try {
    const value = JSON.parse(storage?.getItem(STORAGE_KEY) ?? 'null') as Partial<PersonalLink> | null;
    if (!value || typeof value.token !== 'string' || !value.token) return null;
    return { token: value.token, notMe: typeof value.notMe === 'string' ? value.notMe : null };
  } catch {
    return null;
  }
}

/** Forgets the link: it was revoked (erasure, "not me") or no longer works. */
export function forgetPersonalLink(storage: Storage | undefined): void {
  try {
    storage?.removeItem(STORAGE_KEY);
  } catch {
    // Nothing to forget.
  }
}

/**
 * The link to use on the personal page: the fragment's (remembered for a reload), else the one remembered in this
 * tab. Answers whether the fragment held one, which the page then clears from the address bar.
 */
export function takePersonalLink(hash: string, storage: Storage | undefined): { link: PersonalLink | null; fromFragment: boolean } {
  const fromFragment = readPersonalFragment(hash);
  if (fromFragment) {
    rememberPersonalLink(storage, fromFragment);
    return { link: fromFragment, fromFragment: true };
  }
  return { link: recallPersonalLink(storage), fromFragment: false };
}
