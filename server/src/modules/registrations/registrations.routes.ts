import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  RegistrantSignInRequest,
  RegistrationRequest,
  SeriesRegistrationRequest,
  type RegistrationResponse,
  type SeriesRegistrationResponse,
} from '#shared/domain/registration';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../../core/errors';
import { addressKey } from '../../http/client-address';
import type { PersonRecord } from '../../store/registration-store';
import { clientAddress } from '../access/access.routes';
import type { PersonLinks } from './person-links';
import type { RegistrationService } from './registration.service';

const IdParam = z.object({ id: z.string().min(1).max(120) });

/**
 * The token of an `Authorization: Person <token>` header: the personal link's token, which the page reads from its
 * URL fragment. A scheme of its own, so that it can never be taken for a staff or guest `Bearer` token.
 */
export function personToken(req: Request): string {
  const header = req.get('authorization');
  const match = header === undefined ? null : /^Person +([^\s]+)\s*$/i.exec(header);
  if (!match) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Open your personal link again: it comes in every email we send');
  return match[1]!;
}

/** Answers that carry personal data or tokens: no cache may keep them. */
const noStore = (res: Response) => res.setHeader('Cache-Control', 'private, no-store');

export interface RegistrationRoutesDeps {
  registrations: RegistrationService;
  links: PersonLinks;
}

/**
 * Sign-up for everybody (docs/protocol.md, "Sign-up"): registering for an event or for dates of a series, a series
 * with its dates and seats, the personal page behind the personal link, and the registrant's way into a registration
 * event's live room.
 */
export function registrationRoutes(deps: RegistrationRoutesDeps): Router {
  const { registrations, links } = deps;
  const router = Router();

  router.post('/events/:id/registrations', async (req, res) => {
    const { id } = IdParam.parse(req.params);
    const request = RegistrationRequest.parse(req.body ?? {});
    const { registration, created } = await registrations.register(id, request, addressKey(clientAddress(req)));
    noStore(res);
    const body: RegistrationResponse = { registration };
    res.status(created ? 201 : 200).json(body);
  });

  router.post('/series/:id/registrations', async (req, res) => {
    const { id } = IdParam.parse(req.params);
    const request = SeriesRegistrationRequest.parse(req.body ?? {});
    const { created, ...answer } = await registrations.registerSeries(id, request, addressKey(clientAddress(req)));
    noStore(res);
    const body: SeriesRegistrationResponse = answer;
    res.status(created ? 201 : 200).json(body);
  });

  router.get('/series/:id', async (req, res) => {
    const { id } = IdParam.parse(req.params);
    res.json(await registrations.seriesDetail(id));
  });

  // --- The personal page: `Authorization: Person <token>`. ---------------------------------------------------------

  const person = async (req: Request): Promise<PersonRecord> => links.authenticate(personToken(req));

  router.get('/me/registrations', async (req, res) => {
    const me = await person(req);
    noStore(res);
    res.json(await registrations.myRegistrations(me));
  });

  router.post('/me/registrations/:id/cancel', async (req, res) => {
    const me = await person(req);
    const { id } = IdParam.parse(req.params);
    noStore(res);
    res.json({ registration: await registrations.cancelMine(me, id) });
  });

  router.post('/me/registrations/:id/accept', async (req, res) => {
    const me = await person(req);
    const { id } = IdParam.parse(req.params);
    noStore(res);
    res.json({ registration: await registrations.acceptOffer(me, id) });
  });

  router.post('/me/registrations/:id/decline', async (req, res) => {
    const me = await person(req);
    const { id } = IdParam.parse(req.params);
    noStore(res);
    res.json({ registration: await registrations.declineOffer(me, id) });
  });

  router.post('/me/registrations/:id/not-me', async (req, res) => {
    const me = await person(req);
    const { id } = IdParam.parse(req.params);
    await registrations.notMe(me, id);
    res.status(204).end();
  });

  router.post('/me/erase', async (req, res) => {
    const me = await person(req);
    await registrations.eraseMe(me);
    res.status(204).end();
  });

  // --- The live room of a registration event. ----------------------------------------------------------------------

  router.post('/auth/registrant', async (req, res) => {
    const { token, eventId } = RegistrantSignInRequest.parse(req.body ?? {});
    noStore(res);
    res.json(await registrations.signInRegistrant(token, eventId));
  });

  return router;
}
