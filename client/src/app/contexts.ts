import { createContext } from '@lit/context';
import type { Translator } from '../i18n/i18n';
import type { RealtimeClient } from '../realtime/realtime-client';
import type { ApiClient } from './api-client';
import type { Session } from './session-store';

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
  signInAsGuest(displayName: string): Promise<Session>;
  signOut(): void;
}
export const sessionContext = createContext<SessionContextValue>(Symbol('parvis-session'));
