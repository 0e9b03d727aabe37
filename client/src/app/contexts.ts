import { createContext } from '@lit/context';
import type { Translator } from '../i18n/i18n';
import type { RealtimeClient } from '../realtime/realtime-client';
import type { EventRole } from '#shared/domain/account';
import type { ApiClient, SetupRequest } from './api-client';
import type { Session, StaffSession } from './session-store';

/** The HTTP API client. Stable for the life of the page. */
export const apiContext = createContext<ApiClient>(Symbol('parvis-api'));

/** The one realtime connection. Stable for the life of the page. */
export const realtimeContext = createContext<RealtimeClient>(Symbol('parvis-realtime'));

/** The current language. A new value on every switch: consume with `subscribe: true`. */
export const i18nContext = createContext<Translator>(Symbol('parvis-i18n'));

/**
 * Who the person is, and the ways to change it. A new value whenever the session changes: consume with
 * `subscribe: true`.
 */
export interface SessionContextValue {
  readonly session: Session | null;
  signInAsGuest(displayName: string, eventId?: string): Promise<Session>;
  /** A registrant of a registration event, with their personal link's token: they enter under their registered name. */
  signInAsRegistrant(personToken: string, eventId: string): Promise<Session>;
  /** Staff sign-in with email and password. Rejects with the API's error (401, 429 with its wait...). */
  signIn(email: string, password: string): Promise<StaffSession>;
  /** The first admin, from the setup link's token. */
  setUp(request: SetupRequest): Promise<StaffSession>;
  /** Accepts an invitation: on the staff account signed in, else on a new one under the name chosen. */
  acceptInvite(token: string, displayName?: string): Promise<{ session: StaffSession; eventId: string; role: EventRole }>;
  /** Forgets the session here and in every tab; a staff session is also ended on the server. */
  signOut(): Promise<void>;
}
export const sessionContext = createContext<SessionContextValue>(Symbol('parvis-session'));
