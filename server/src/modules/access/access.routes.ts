import { Router, type Request } from 'express';
import { LoginRequest, PasswordChangeRequest } from '#shared/domain/account';
import { GuestRequest, type AuthResponse } from '#shared/domain/user';
import { SetupRequest } from '#shared/protocol/admin';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../../core/errors';
import { addressKey } from '../../http/client-address';
import type { AuthService } from './auth.service';
import type { AccessPolicy } from './policy';
import {
  clearRefreshCookie,
  readCookie,
  REFRESH_COOKIE,
  setRefreshCookie,
  staffAuthBody,
  type CookieOptions,
  type HttpAuth,
} from './http-auth';
import type { SetupService } from './setup.service';

export interface AccessRoutesDeps {
  auth: AuthService;
  http: HttpAuth;
  setup: SetupService;
  policy: AccessPolicy;
  cookie: CookieOptions;
}

/**
 * The address a request comes from, as Express sees it through the `trust proxy` setting: behind an untrusted hop
 * X-Forwarded-For is ignored, so a client cannot pick its own address to dodge the sign-in limit.
 */
export const clientAddress = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

export function accessRoutes(deps: AccessRoutesDeps): Router {
  const router = Router();
  // Answers carry tokens: no cache, shared or private, may keep them.
  router.use('/auth', (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  router.post('/auth/guest', async (req, res) => {
    const { displayName, eventId } = GuestRequest.parse(req.body ?? {});
    if (eventId !== undefined) await deps.policy.assertNameAvailable(displayName, eventId);
    const body: AuthResponse = await deps.auth.signInGuest(displayName, addressKey(clientAddress(req)));
    res.json(body);
  });

  router.post('/auth/login', async (req, res) => {
    const { email, password } = LoginRequest.parse(req.body ?? {});
    const session = await deps.auth.login(email, password, clientAddress(req));
    setRefreshCookie(res, session, deps.cookie);
    res.json(staffAuthBody(session));
  });

  router.post('/auth/refresh', async (req, res) => {
    try {
      const session = await deps.auth.refresh(readCookie(req, REFRESH_COOKIE));
      setRefreshCookie(res, session, deps.cookie);
      res.json(staffAuthBody(session));
    } catch (err) {
      if (err instanceof DomainError && err.code === ErrorCode.UNAUTHENTICATED) clearRefreshCookie(res, deps.cookie);
      throw err;
    }
  });

  router.post('/auth/logout', async (req, res) => {
    // A token that no longer verifies cannot be used anyway: signing out still ends the session and clears the cookie.
    const principal = await deps.http.optional(req).catch(() => null);
    await deps.auth.logout(principal, readCookie(req, REFRESH_COOKIE));
    clearRefreshCookie(res, deps.cookie);
    res.status(204).end();
  });

  router.post('/auth/password', async (req, res) => {
    const principal = await deps.http.required(req);
    const { currentPassword, newPassword } = PasswordChangeRequest.parse(req.body ?? {});
    const session = await deps.auth.changePassword(principal, currentPassword, newPassword, clientAddress(req));
    setRefreshCookie(res, session, deps.cookie);
    res.json(staffAuthBody(session));
  });

  router.get('/auth/me', async (req, res) => {
    const principal = await deps.http.required(req);
    res.json(await deps.auth.me(principal));
  });

  // The setup page asks first, so that a link opened after the first admin exists says so before anyone fills the form.
  router.get('/auth/setup', async (_req, res) => {
    res.json({ open: await deps.setup.isOpen() });
  });

  router.post('/auth/setup', async (req, res) => {
    const request = SetupRequest.parse(req.body ?? {});
    const session = await deps.setup.complete(request);
    setRefreshCookie(res, session, deps.cookie);
    res.json(staffAuthBody(session));
  });

  return router;
}
