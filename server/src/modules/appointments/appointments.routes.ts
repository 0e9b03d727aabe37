import { Router, type Request } from 'express';
import { z } from 'zod';
import { AssignPartnerRequest, HelpDeskRequest, type HelpDeskRequests, type MyAppointments } from '#shared/domain/appointment';
import type { User } from '#shared/domain/user';
import type { HttpAuth } from '../access/http-auth';
import type { AccessPolicy } from '../access/policy';
import type { PersonLinks } from '../registrations/person-links';
import { personToken } from '../registrations/registrations.routes';
import type { AppointmentService } from './appointment.service';

const Id = z.string().min(1).max(120);
const IdParam = z.object({ id: Id });
const RequestParams = z.object({ id: Id, rid: Id });

export interface AppointmentRoutesDeps {
  appointments: AppointmentService;
  links: PersonLinks;
  policy: AccessPolicy;
  http: HttpAuth;
}

/**
 * Help desks (docs/appointments.md): programme admins create them and assign each booking to a partner, under
 * `/api/admin/help-desks`; readers and partners see their appointments through their personal link
 * (`GET /api/me/appointments`, `Authorization: Person <token>`). Booking a slot is sign-up's
 * (`POST /api/series/:id/registrations` or `POST /api/events/:id/registrations`).
 */
export function appointmentRoutes(deps: AppointmentRoutesDeps): Router {
  const { appointments, http, links } = deps;
  const policy: AccessPolicy = deps.policy;
  const router = Router();
  const privateAnswer = { 'Cache-Control': 'private, no-store' };

  const admin = async (req: Request): Promise<User> => {
    const { user } = await http.required(req);
    policy.assertAdmin(user);
    return user;
  };

  router.post('/admin/help-desks', async (req, res) => {
    const user = await admin(req);
    const input = HelpDeskRequest.parse(req.body ?? {});
    res.status(201).json(await appointments.createHelpDesk(user, input));
  });

  router.get('/admin/help-desks', async (req, res) => {
    await admin(req);
    res.set(privateAnswer).json({ helpDesks: await appointments.listHelpDesks() });
  });

  router.get('/admin/help-desks/:id/requests', async (req, res) => {
    await admin(req);
    const { id } = IdParam.parse(req.params);
    const body: HelpDeskRequests = await appointments.requests(id);
    res.set(privateAnswer).json(body);
  });

  router.post('/admin/help-desks/:id/requests/:rid/partner', async (req, res) => {
    const user = await admin(req);
    const { id, rid } = RequestParams.parse(req.params);
    const input = AssignPartnerRequest.parse(req.body ?? {});
    res.set(privateAnswer).json({ request: await appointments.assign(user, id, rid, input) });
  });

  router.get('/me/appointments', async (req, res) => {
    const me = await links.authenticate(personToken(req));
    const body: MyAppointments = { appointments: await appointments.myAppointments(me) };
    res.set(privateAnswer).json(body);
  });

  return router;
}
