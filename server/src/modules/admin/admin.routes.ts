import { Router, type Request } from 'express';
import { z } from 'zod';
import { InviteRequest } from '#shared/domain/account';
import { DisplayName, type User } from '#shared/domain/user';
import {
  AuditQuery,
  EventCreateRequest,
  EventPatchRequest,
  EventStatusRequest,
  InviteInspectRequest,
  SeriesCreateRequest,
  SeriesPatchRequest,
} from '#shared/protocol/admin';
import { setRefreshCookie, staffAuthBody, type CookieOptions, type HttpAuth } from '../access/http-auth';
import type { AccessPolicy } from '../access/policy';
import type { ProgrammeService } from '../programme/programme.service';
import type { AuditLog } from '../../core/audit';
import type { InviteService } from './invite.service';
import type { RoleService } from './role.service';

const Id = z.string().min(1).max(100);
const IdParam = z.object({ id: Id });
const RoleParams = z.object({ id: Id, userId: Id });
/** Signed-in staff accept on their own account and need not send a name; anyone else must. */
const AcceptRequest = z.object({ token: z.string().min(1).max(4096), displayName: DisplayName.optional() });

export interface AdminRoutesDeps {
  programme: ProgrammeService;
  invites: InviteService;
  roles: RoleService;
  audit: AuditLog;
  policy: AccessPolicy;
  http: HttpAuth;
  cookie: CookieOptions;
}

/**
 * The programme admin API. Who may call a route is checked before its body is read, so a refused caller learns
 * nothing about what a valid request looks like and the store is never touched.
 */
export function adminRoutes(deps: AdminRoutesDeps): Router {
  const { programme, invites, roles, http } = deps;
  const policy: AccessPolicy = deps.policy;
  const router = Router();

  /** The signed-in admin, or UNAUTHENTICATED / FORBIDDEN. */
  const admin = async (req: Request): Promise<User> => {
    const { user } = await http.required(req);
    policy.assertAdmin(user);
    return user;
  };

  // --- events and series -------------------------------------------------------------------------------------------

  router.post('/events', async (req, res) => {
    const user = await admin(req);
    const input = EventCreateRequest.parse(req.body ?? {});
    res.status(201).json({ event: await programme.createEvent(user, input) });
  });

  router.patch('/events/:id', async (req, res) => {
    const user = await admin(req);
    const { id } = IdParam.parse(req.params);
    const patch = EventPatchRequest.parse(req.body ?? {});
    res.json({ event: await programme.updateEvent(user, id, patch) });
  });

  router.delete('/events/:id', async (req, res) => {
    const user = await admin(req);
    const { id } = IdParam.parse(req.params);
    await programme.deleteEvent(user, id);
    res.status(204).end();
  });

  router.post('/events/:id/status', async (req, res) => {
    const { user } = await http.required(req);
    const { id } = IdParam.parse(req.params);
    await policy.assertCanModerate(user, id);
    const { status } = EventStatusRequest.parse(req.body ?? {});
    res.json({ event: await programme.setStatus(user, id, status) });
  });

  router.post('/series', async (req, res) => {
    const user = await admin(req);
    const input = SeriesCreateRequest.parse(req.body ?? {});
    res.status(201).json({ series: await programme.createSeries(user, input) });
  });

  router.patch('/series/:id', async (req, res) => {
    const user = await admin(req);
    const { id } = IdParam.parse(req.params);
    const patch = SeriesPatchRequest.parse(req.body ?? {});
    res.json({ series: await programme.updateSeries(user, id, patch) });
  });

  router.delete('/series/:id', async (req, res) => {
    const user = await admin(req);
    const { id } = IdParam.parse(req.params);
    await programme.deleteSeries(user, id);
    res.status(204).end();
  });

  // --- invitations -------------------------------------------------------------------------------------------------

  router.post('/events/:id/invites', async (req, res) => {
    const user = await admin(req);
    const { id } = IdParam.parse(req.params);
    const { role } = InviteRequest.parse(req.body ?? {});
    res.status(201).json(await invites.create(user, id, role));
  });

  router.get('/events/:id/invites', async (req, res) => {
    await admin(req);
    const { id } = IdParam.parse(req.params);
    res.json({ invites: await invites.list(id) });
  });

  router.delete('/invites/:id', async (req, res) => {
    const user = await admin(req);
    const { id } = IdParam.parse(req.params);
    await invites.revoke(user, id);
    res.status(204).end();
  });

  router.post('/invites/inspect', async (req, res) => {
    const { token } = InviteInspectRequest.parse(req.body ?? {});
    res.json(await invites.inspect(token));
  });

  router.post('/invites/accept', async (req, res) => {
    const signedIn = await http.optional(req);
    const { token, displayName } = AcceptRequest.parse(req.body ?? {});
    const accepted = await invites.accept(token, displayName, signedIn);
    setRefreshCookie(res, accepted, deps.cookie);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ ...staffAuthBody(accepted), eventId: accepted.eventId, role: accepted.role });
  });

  // --- roles and audit ---------------------------------------------------------------------------------------------

  router.get('/events/:id/roles', async (req, res) => {
    await admin(req);
    const { id } = IdParam.parse(req.params);
    res.json({ roles: await roles.list(id) });
  });

  router.delete('/events/:id/roles/:userId', async (req, res) => {
    const user = await admin(req);
    const { id, userId } = RoleParams.parse(req.params);
    await roles.revoke(user, id, userId);
    res.status(204).end();
  });

  router.get('/audit', async (req, res) => {
    await admin(req);
    const query = AuditQuery.parse(req.query);
    res.json({ entries: await deps.audit.list(query) });
  });

  return router;
}
