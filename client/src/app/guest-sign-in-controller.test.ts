import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { describe, expect, it } from 'vitest';
import { testTranslator } from '../i18n/test-translator';
import { ApiError } from './api-client';
import { GuestSignInController } from './guest-sign-in-controller';
import type { Session } from './session-store';

/** A session that signs guests in through a fake server answer, and a host that counts its renders. */
function setup(answer: (name: string) => Promise<void> = async () => {}) {
  let session: Session | null = null;
  const asked: Array<[string, string | undefined]> = [];
  const host = {
    updates: 0,
    addController(_: ReactiveController) {},
    removeController() {},
    requestUpdate() {
      this.updates++;
    },
    updateComplete: Promise.resolve(true),
  } satisfies ReactiveControllerHost & { updates: number };
  const sessions = {
    get session() {
      return session;
    },
    async signInAsGuest(name: string, eventId?: string) {
      asked.push([name, eventId]);
      await answer(name);
      session = { kind: 'guest', token: 't', user: { id: 'guest_1', displayName: name, role: 'guest' } };
      return session;
    },
    async signOut() {
      session = null;
    },
  };
  const i18n = testTranslator('en');
  const guest = new GuestSignInController(host, { session: () => sessions, i18n: () => i18n, eventId: () => 'rencontre-bd' });
  return { guest, host, asked, sessions };
}

describe('guest sign-in', () => {
  it('signs the person in under the trimmed name they chose, for the event they are in', async () => {
    const { guest, asked, sessions } = setup();
    expect(await guest.signIn('  Ana  ')).toBe(true);
    expect(asked).toEqual([['Ana', 'rencontre-bd']]);
    expect(sessions.session?.user.displayName).toBe('Ana');
    expect(guest.error).toBe('');
    expect(guest.busy).toBe(false);
  });

  it('refuses an empty or too long name before asking the server', async () => {
    const { guest, asked } = setup();
    expect(await guest.signIn('   ')).toBe(false);
    expect(guest.error).toBe('Enter a name with at least one letter or digit.');
    expect(await guest.signIn('x'.repeat(41))).toBe(false);
    expect(guest.error).toBe('This name is too long: 40 characters at most.');
    expect(asked).toEqual([]);
  });

  it('says so when the name is one of the event’s speakers or moderators', async () => {
    const { guest } = setup(async () => {
      throw new ApiError('CONFLICT', 'displayName: is the name of a speaker', 409, undefined, { displayName: 'is the name of a speaker' });
    });
    expect(await guest.signIn('Marjane')).toBe(false);
    expect(guest.error).toBe('This is the name of a speaker or moderator of this event: choose another one.');
  });

  it('says why the server refused, and is busy only while it answers', async () => {
    let release!: () => void;
    const { guest } = setup(
      () =>
        new Promise<void>((_, reject) => {
          release = () => reject(new ApiError('RATE_LIMITED', 'Too many guests', 429, 12_000));
        }),
    );
    const pending = guest.signIn('Ana');
    expect(guest.busy).toBe(true);
    // A second submit while the first is on its way asks nothing more.
    expect(await guest.signIn('Ana')).toBe(false);
    release();
    expect(await pending).toBe(false);
    expect(guest.busy).toBe(false);
    expect(guest.error).toBe('Too many requests: try again in 12 s.');
  });

  it('asks a guest for a name again when their token is refused, and leaves staff alone', async () => {
    const { guest, sessions } = setup();
    await guest.signIn('Ana');
    expect(guest.signedOutBy({ code: 'RATE_LIMITED' })).toBe(false);
    expect(guest.signedOutBy({ code: 'UNAUTHENTICATED' })).toBe(true);
    expect(sessions.session).toBeNull();
    expect(guest.error).toBe('Your session has expired: choose a name again.');
    // Nobody signed in: nothing to sign out.
    expect(guest.signedOutBy({ code: 'UNAUTHENTICATED' })).toBe(false);
  });
});
