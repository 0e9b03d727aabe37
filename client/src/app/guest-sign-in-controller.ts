import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { guestNameRefusalText, readGuestName } from '../features/chat/guest-name';
import { errorText } from '../i18n/error-text';
import type { Translator } from '../i18n/i18n';
import type { SessionContextValue } from './contexts';

/** Where the controller reads the session and the language: from the host's contexts, as they are now. */
export interface GuestSignInSources {
  session(): Pick<SessionContextValue, 'session' | 'signInAsGuest' | 'signOut'>;
  i18n(): Pick<Translator, 't' | 'time'>;
  /** The event whose room the person is in: a guest may not take the name of its speakers or moderators. */
  eventId(): string | undefined;
}

/**
 * Guest sign-in for the live room's panels (chat, questions, polls): checks the display name with the rule the server
 * applies, asks the server for a guest token (POST /api/auth/guest) through the session, and keeps what the name form
 * shows while it goes (`busy`, `error`). It also asks for a name again when the server no longer takes a guest's token.
 * The host renders `<parvis-guest-form>` with `busy` and `error`, and calls {@link signIn} on its submit event.
 */
export class GuestSignInController implements ReactiveController {
  /** A sign-in is on its way. */
  busy = false;
  /** Why the name was not taken, or why it is asked again, in the person's language; empty when all is well. */
  error = '';

  readonly #host: ReactiveControllerHost;
  readonly #sources: GuestSignInSources;

  constructor(host: ReactiveControllerHost, sources: GuestSignInSources) {
    this.#host = host;
    this.#sources = sources;
    host.addController(this);
  }

  hostConnected(): void {}

  /** Signs the person in as a guest under `displayName`; true once they have a session. */
  async signIn(displayName: string): Promise<boolean> {
    if (this.busy) return false;
    const i18n = this.#sources.i18n();
    const name = readGuestName(displayName);
    if (!name.ok) {
      this.#show(guestNameRefusalText(i18n.t, name.refusal));
      return false;
    }
    this.busy = true;
    this.#show('');
    try {
      await this.#sources.session().signInAsGuest(name.name, this.#sources.eventId());
      return true;
    } catch (error) {
      this.error = errorText(i18n, error, 'guest');
      return false;
    } finally {
      this.busy = false;
      this.#host.requestUpdate();
    }
  }

  /**
   * After a refusal: when it says a guest's token is no longer valid (UNAUTHENTICATED), forgets the session, so the
   * name form comes back with a word why, and answers true. A staff token renews itself: nothing to do then.
   */
  signedOutBy(error: { code: string }): boolean {
    const session = this.#sources.session();
    if (error.code !== 'UNAUTHENTICATED' || session.session?.kind !== 'guest') return false;
    this.#show(this.#sources.i18n().t('chat.sessionExpired'));
    void session.signOut();
    return true;
  }

  #show(error: string): void {
    this.error = error;
    this.#host.requestUpdate();
  }
}
