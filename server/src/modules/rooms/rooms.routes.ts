import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { RoomJoin } from '#shared/domain/room';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../../core/errors';
import type { HttpAuth } from '../access/http-auth';
import type { PersonLinks } from '../registrations/person-links';
import type { RoomCaller, RoomsService } from './rooms.service';

const IdParam = z.object({ id: z.string().min(1).max(120) });
const ParticipantParams = IdParam.extend({ participantId: z.coerce.number().int().positive().max(2 ** 53 - 1) });

/** Tokens for a room: no cache may keep them. */
const noStore = (res: Response) => res.setHeader('Cache-Control', 'private, no-store');

export interface RoomRoutesDeps {
  rooms: RoomsService;
  links: PersonLinks;
  http: HttpAuth;
  publicOrigin: string;
}

/**
 * `GET /api/events/:id/room` (a personal link's `Authorization: Person <token>`, or a staff or registrant
 * `Authorization: Bearer <token>`), and the host's `POST …/room/participants/:participantId/remove` and `/mute`
 * (moderators of the event and admins). See docs/rooms.md.
 */
export function roomRoutes(deps: RoomRoutesDeps): Router {
  const { rooms, links, http } = deps;
  const router = Router();

  const caller = async (req: Request): Promise<RoomCaller> => {
    const header = req.get('authorization') ?? '';
    const person = /^Person +([^\s]+)\s*$/i.exec(header);
    if (person) return { person: await links.authenticate(person[1]) };
    const user = await http.user(req);
    if (!user) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Open your personal link again, or sign in');
    return { user };
  };

  router.get('/events/:id/room', async (req, res) => {
    const { id } = IdParam.parse(req.params);
    const join: RoomJoin = await rooms.join(id, await caller(req), deps.publicOrigin);
    noStore(res);
    res.json(join);
  });

  router.post('/events/:id/room/participants/:participantId/remove', async (req, res) => {
    const { id, participantId } = ParticipantParams.parse(req.params);
    await rooms.remove(id, await http.user(req), participantId);
    res.status(204).end();
  });

  router.post('/events/:id/room/participants/:participantId/mute', async (req, res) => {
    const { id, participantId } = ParticipantParams.parse(req.params);
    await rooms.mute(id, await http.user(req), participantId);
    res.status(204).end();
  });

  return router;
}
