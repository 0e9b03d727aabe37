import type { MyRegistration, MyRegistrations } from '#shared/domain/registration';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ApiError, type ApiClient } from '../../app/api-client';
import { systemClock, type Clock } from '../../app/clock';
import { PageLoad } from '../../app/page-load';
import { errorText } from '../../i18n/error-text';
import type { StringKey, Translator } from '../../i18n/i18n';
import { forgetPersonalLink, type PersonalLink } from './personal-link';

/** The server may lag our clock a little: when a join link is due and did not come, ask again this much later. */
export const LATE_RETRY_MS = 5_000;
/** …for this long after it was due; past that, something else is wrong and the page stops asking. */
export const LATE_GIVE_UP_MS = 10 * 60_000;

/** What the personal page shows. */
export type PersonalView =
  /** The address holds no personal link, and this tab remembers none. */
  | { kind: 'no-link' }
  /** The link was revoked or replaced: the latest email has one that works. */
  | { kind: 'link-expired' }
  | { kind: 'loading' }
  | { kind: 'error'; error: unknown; retry: () => void }
  | { kind: 'ready'; data: MyRegistrations }
  /** The person erased their data: the page says so, and the link is gone. */
  | { kind: 'erased' }
  /** "I did not ask for this": the registration is cancelled and the links are void. */
  | { kind: 'not-me-done' };

export type PersonalAction = 'cancel' | 'accept' | 'decline';

const DONE: Record<PersonalAction, StringKey> = { cancel: 'me.cancelled', accept: 'me.accepted', decline: 'me.declined' };

export interface PersonalSources {
  api(): Pick<ApiClient, 'myRegistrations' | 'myRegistrationAction' | 'eraseMe'>;
  i18n(): Pick<Translator, 't' | 'time'>;
  /** Where the link is remembered for this tab (sessionStorage), to forget it once it is void. */
  storage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined;
}

/** Thrown by the load when there is no link to load with. */
const NO_LINK = Symbol('no personal link');

const isLinkRefusal = (error: unknown): boolean =>
  error instanceof ApiError && (error.code === 'UNAUTHENTICATED' || error.code === 'FORBIDDEN');

/**
 * When the page changes by itself and should load again: a join link due to show (`joinOpensAt`), an offer due to run
 * out (`offerExpiresAt`). A moment already past (the server's clock is a little behind ours) is asked again shortly,
 * until {@link LATE_GIVE_UP_MS} after it. Null when nothing is due.
 */
export function nextRefreshAt(registrations: readonly MyRegistration[], now: number): number | null {
  let next: number | null = null;
  const consider = (iso: string | undefined): void => {
    const at = iso ? Date.parse(iso) : NaN;
    if (Number.isNaN(at) || now - at > LATE_GIVE_UP_MS) return;
    const when = at > now ? at : now + LATE_RETRY_MS;
    next = next === null ? when : Math.min(next, when);
  };
  for (const r of registrations) {
    if (r.status === 'confirmed' && !r.joinUrl) consider(r.joinOpensAt);
    if (r.status === 'offered') consider(r.offerExpiresAt);
  }
  return next;
}

/**
 * The state of "my registrations" (`/me`): the person's registrations loaded with their link's token, the actions on
 * them (cancel, accept or decline an offer, erase everything, "I did not ask for this"), and a timer that loads the
 * page again when it changes by itself, so that the join link shows at its time with nobody reloading. The timer runs
 * on an injected clock, so its tests move time by hand.
 */
export class MyRegistrationsController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #sources: PersonalSources;
  readonly #clock: Clock;
  #link: PersonalLink | null = null;
  #ended: 'link-expired' | 'erased' | 'not-me-done' | null = null;
  #busy: string | null = null;
  #notice = '';
  #actionError = '';
  #actionErrorFor: string | null = null;
  #cancelTimer: (() => void) | null = null;
  #connected = false;

  readonly #load: PageLoad<readonly [string | null], MyRegistrations>;

  constructor(host: ReactiveControllerHost, sources: PersonalSources, clock: Clock = systemClock) {
    this.#host = host;
    this.#sources = sources;
    this.#clock = clock;
    host.addController(this);
    this.#load = new PageLoad(host, {
      args: () => [this.#link?.token ?? null] as const,
      load: async ([token], signal) => {
        if (!token) throw NO_LINK;
        try {
          const data = await this.#sources.api().myRegistrations(token, signal);
          this.#schedule(data.registrations);
          return data;
        } catch (error) {
          if (isLinkRefusal(error)) this.#end('link-expired');
          throw error;
        }
      },
    });
  }

  hostConnected(): void {
    this.#connected = true;
    const data = this.#load.data;
    if (data) this.#schedule(data.registrations);
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#cancelTimer?.();
    this.#cancelTimer = null;
  }

  /** The link to load with (from the fragment or this tab's memory); set before the first render. */
  use(link: PersonalLink | null): void {
    this.#link = link;
  }

  /**
   * Another personal link opened on this same page (a second email's link, followed in this tab): the page starts over
   * with it, whatever it said before.
   */
  async restart(link: PersonalLink): Promise<void> {
    const sameToken = link.token === this.#link?.token;
    this.#link = link;
    this.#ended = null;
    this.#notice = '';
    this.#actionError = '';
    this.#actionErrorFor = null;
    this.#host.requestUpdate();
    // A new token loads by itself (it is the load's argument); the same one is asked again.
    if (sameToken) await this.#load.reload();
  }

  get link(): PersonalLink | null {
    return this.#link;
  }

  get view(): PersonalView {
    if (this.#ended) return { kind: this.#ended };
    const view = this.#load.view;
    switch (view.status) {
      case 'loading':
        return { kind: 'loading' };
      case 'ready':
        return { kind: 'ready', data: view.data };
      case 'error':
        if (view.error === NO_LINK) return { kind: 'no-link' };
        return { kind: 'error', error: view.error, retry: () => void this.#load.reload() };
    }
  }

  /** What is on its way: a registration's id, `erase` or `not-me`; null when nothing is. */
  get busy(): string | null {
    return this.#busy;
  }

  /** What the last action did, in words, for the polite status line. */
  get notice(): string {
    return this.#notice;
  }

  /** Why the last action failed, in words, and on which registration (null: the whole page). */
  get actionError(): { text: string; registrationId: string | null } | null {
    return this.#actionError ? { text: this.#actionError, registrationId: this.#actionErrorFor } : null;
  }

  /** Settles once the load on its way has. */
  get settled(): Promise<void> {
    return this.#load.settled;
  }

  /** Cancels a registration, or accepts or declines the seat offered; then loads the page again. True when it went. */
  async act(registrationId: string, action: PersonalAction): Promise<boolean> {
    const token = this.#link?.token;
    if (!token || this.#busy) return false;
    const ok = await this.#run(registrationId, () => this.#sources.api().myRegistrationAction(token, registrationId, action));
    if (ok) this.#notice = this.#sources.i18n().t(DONE[action]);
    // After a refusal too: the registration changed meanwhile (an offer ran out), and the page should say how.
    if (!this.#ended) await this.#load.reload({ quiet: true });
    this.#host.requestUpdate();
    return ok;
  }

  /** Erases the person's data; the page then says it is done, and the link is forgotten. */
  async erase(): Promise<boolean> {
    const token = this.#link?.token;
    if (!token || this.#busy) return false;
    const ok = await this.#run('erase', () => this.#sources.api().eraseMe(token));
    if (ok) this.#end('erased');
    return ok;
  }

  /** "I did not ask for this": cancels the registration of the link and voids the person's links. */
  async notMe(): Promise<boolean> {
    const token = this.#link?.token;
    const registrationId = this.#link?.notMe;
    if (!token || !registrationId || this.#busy) return false;
    const ok = await this.#run('not-me', () => this.#sources.api().myRegistrationAction(token, registrationId, 'not-me'));
    if (ok) this.#end('not-me-done');
    return ok;
  }

  async #run(busy: string, action: () => Promise<void>): Promise<boolean> {
    this.#busy = busy;
    this.#notice = '';
    this.#actionError = '';
    this.#actionErrorFor = null;
    this.#host.requestUpdate();
    try {
      await action();
      return true;
    } catch (error) {
      if (isLinkRefusal(error)) this.#end('link-expired');
      else {
        this.#actionError = errorText(this.#sources.i18n(), error, 'personal');
        this.#actionErrorFor = busy === 'erase' || busy === 'not-me' ? null : busy;
      }
      return false;
    } finally {
      this.#busy = null;
      this.#host.requestUpdate();
    }
  }

  #end(ended: 'link-expired' | 'erased' | 'not-me-done'): void {
    this.#ended = ended;
    this.#cancelTimer?.();
    this.#cancelTimer = null;
    // A void link is of no use to keep, and an erased person's should not linger in the tab.
    forgetPersonalLink(this.#sources.storage());
    this.#host.requestUpdate();
  }

  #schedule(registrations: readonly MyRegistration[]): void {
    this.#cancelTimer?.();
    this.#cancelTimer = null;
    if (!this.#connected || this.#ended) return;
    const at = nextRefreshAt(registrations, this.#clock.now());
    if (at === null) return;
    this.#cancelTimer = this.#clock.after(at - this.#clock.now(), () => {
      this.#cancelTimer = null;
      void this.#load.reload({ quiet: true });
    });
  }
}
