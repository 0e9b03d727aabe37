import { Router, type Request } from 'express';
import { z } from 'zod';
import {
  AttendanceRequest,
  DeskRegistrationRequest,
  RegistrantEmailRequest,
  RegistrationSettingsRequest,
  type RegistrantList,
} from '#shared/domain/registration';
import type { User } from '#shared/domain/user';
import type { HttpAuth } from '../access/http-auth';
import type { AccessPolicy } from '../access/policy';
import { registrantsCsv } from './registrants-csv';
import type { RegistrationService } from './registration.service';

const Id = z.string().min(1).max(120);
const IdParam = z.object({ id: Id });
const RegistrationParams = z.object({ id: Id, rid: Id });

export interface RegistrationAdminRoutesDeps {
  registrations: RegistrationService;
  policy: AccessPolicy;
  http: HttpAuth;
}

/**
 * The librarians' side of sign-up, under `/api/admin/events/:id/…`: the registrants with their answers and
 * attendance, the CSV, desk registrations, cancelling, promoting, ticking attendance, a message to every confirmed
 * registrant, and the event's private sign-up settings. Programme admins do everything; an event's moderators also
 * read its registrants and tick attendance (the moderator console's tick box for outside rooms). Who asks is checked
 * before the body is read, and every change is in the audit log.
 */
export function registrationAdminRoutes(deps: RegistrationAdminRoutesDeps): Router {
  const { registrations, http } = deps;
  // Typed out: TypeScript needs it to use the policy's assertion methods.
  const policy: AccessPolicy = deps.policy;
  const router = Router();

  const admin = async (req: Request): Promise<User> => {
    const { user } = await http.required(req);
    policy.assertAdmin(user);
    return user;
  };
  /** Admins, and the moderators of the event. */
  const roomStaff = async (req: Request, eventId: string): Promise<User> => {
    const { user } = await http.required(req);
    await policy.assertCanModerate(user, eventId);
    return user;
  };
  const privateAnswer = { 'Cache-Control': 'private, no-store' };

  router.get('/admin/events/:id/registrations', async (req, res) => {
    const { id } = IdParam.parse(req.params);
    await roomStaff(req, id);
    const { registrants, seats } = await registrations.registrants(id);
    const body: RegistrantList = { registrants, seats };
    res.set(privateAnswer).json(body);
  });

  router.get('/admin/events/:id/registrations.csv', async (req, res) => {
    await admin(req);
    const { id } = IdParam.parse(req.params);
    const { event, registrants } = await registrations.registrants(id);
    const name = `parvis-${event.id.replace(/[^A-Za-z0-9._-]/g, '') || 'event'}-registrants.csv`;
    res.set({
      ...privateAnswer,
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}"`,
    });
    res.send(registrantsCsv(event, registrants));
  });

  router.post('/admin/events/:id/registrations', async (req, res) => {
    const user = await admin(req);
    const { id } = IdParam.parse(req.params);
    const request = DeskRegistrationRequest.parse(req.body ?? {});
    const { registration, created } = await registrations.registerAtDesk(user, id, request);
    res.status(created ? 201 : 200).json({ registration });
  });

  router.post('/admin/events/:id/registrations/email', async (req, res) => {
    const user = await admin(req);
    const { id } = IdParam.parse(req.params);
    const message = RegistrantEmailRequest.parse(req.body ?? {});
    res.status(202).json({ recipients: await registrations.emailConfirmed(user, id, message) });
  });

  router.post('/admin/events/:id/registrations/:rid/cancel', async (req, res) => {
    const user = await admin(req);
    const { id, rid } = RegistrationParams.parse(req.params);
    res.json({ registration: await registrations.cancelByLibrary(user, id, rid) });
  });

  router.post('/admin/events/:id/registrations/:rid/promote', async (req, res) => {
    const user = await admin(req);
    const { id, rid } = RegistrationParams.parse(req.params);
    res.json({ registration: await registrations.promote(user, id, rid) });
  });

  router.post('/admin/events/:id/registrations/:rid/attendance', async (req, res) => {
    const { id, rid } = RegistrationParams.parse(req.params);
    const user = await roomStaff(req, id);
    const { attended } = AttendanceRequest.parse(req.body ?? {});
    res.json({ attendedAt: await registrations.setAttendance(user, id, rid, attended) });
  });

  router.get('/admin/events/:id/registration-settings', async (req, res) => {
    await admin(req);
    const { id } = IdParam.parse(req.params);
    res.set(privateAnswer).json({ settings: await registrations.settings(id) });
  });

  router.put('/admin/events/:id/registration-settings', async (req, res) => {
    const user = await admin(req);
    const { id } = IdParam.parse(req.params);
    const request = RegistrationSettingsRequest.parse(req.body ?? {});
    res.set(privateAnswer).json(await registrations.updateSettings(user, id, request));
  });

  return router;
}
