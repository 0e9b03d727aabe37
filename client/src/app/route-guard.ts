import { isAdminRoute, loginHref, safeNext, type Route } from './routes';
import { isAdminSession, type Session } from './session-store';

export type GuardDecision =
  | { action: 'show' }
  /** Go there instead, replacing the current history entry. */
  | { action: 'redirect'; href: string }
  /** Signed in, but not allowed here: say so rather than send them to a sign-in they already did. */
  | { action: 'forbidden' };

/**
 * Who may see a page. The admin pages need an admin: anyone not signed in as staff goes to the sign-in page (and
 * comes back after); staff who are not admins are told the pages are for admins. An admin who opens the sign-in page
 * goes where it would have sent them.
 *
 * This only decides what to show: the server checks every request on its own.
 */
export function guardRoute(route: Route, session: Session | null, here: { pathname: string; search: string }): GuardDecision {
  if (isAdminRoute(route)) {
    if (session?.kind !== 'staff') return { action: 'redirect', href: loginHref(`${here.pathname}${here.search}`) };
    return isAdminSession(session) ? { action: 'show' } : { action: 'forbidden' };
  }
  if (route.name === 'login' && isAdminSession(session)) {
    return { action: 'redirect', href: safeNext(route.next) ?? '/admin' };
  }
  return { action: 'show' };
}
