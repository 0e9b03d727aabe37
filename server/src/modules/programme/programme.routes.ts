import { Router } from 'express';
import { z } from 'zod';
import { EventQuery, type Event } from '#shared/domain/event';
import type { EventAnswer, PublicSignUp } from '#shared/domain/registration';
import type { HttpAuth } from '../access/http-auth';
import type { AccessPolicy } from '../access/policy';
import type { PreparedResponses } from '../../http/prepared-responses';
import type { ProgrammeService } from './programme.service';

const IdParam = z.object({ id: z.string().min(1).max(100) });

/**
 * The public programme. Anyone reads it; unlisted and invite-only events are left out of the listing (each is still
 * reached by its id), and the stream and replay of an invite-only event are only in the answers for its staff and
 * admins (who send their token).
 */
export function programmeRoutes(
  programme: ProgrammeService,
  policy: AccessPolicy,
  http: HttpAuth,
  /**
   * What anyone may know of a registration event's sign-up (seats, retention, outside room): `GET /api/events/:id`
   * answers it beside the event.
   */
  signUpOf: (event: Event) => Promise<PublicSignUp> = async () => ({}),
  /**
   * Where the anonymous listing is kept once made, to be answered before the app the next times (with its `ETag`, and
   * `304` to a client that has it) until the programme changes.
   */
  prepared?: PreparedResponses,
): Router {
  const router = Router();

  router.get('/events', async (req, res) => {
    const user = await http.user(req);
    const query = EventQuery.parse(req.query);
    // The events left out of the public programme are listed for the admins who manage them, and no one else.
    if (query.include === 'unlisted') policy.assertAdmin(user);
    res.setHeader('Vary', 'Authorization');
    if (user !== null) {
      res.json({ events: await policy.visibleEvents(user, await programme.listEvents(query)) });
      return;
    }
    // The version before the read: a change landing meanwhile makes this answer stale at once, never the reverse.
    const version = programme.version;
    const json = JSON.stringify({ events: await policy.visibleEvents(null, await programme.listEvents(query)) });
    res.type('application/json');
    res.send(prepared ? prepared.prepare(req.originalUrl, '/api/events', res, version, json) : json);
  });

  router.get('/events/:id', async (req, res) => {
    const user = await http.user(req);
    const { id } = IdParam.parse(req.params);
    const [event] = await policy.visibleEvents(user, [await programme.getEvent(id)]);
    const body: EventAnswer = { event: event!, ...(await signUpOf(event!)) };
    res.setHeader('Vary', 'Authorization');
    res.json(body);
  });

  router.get('/series', async (_req, res) => {
    res.json({ series: await programme.listSeries() });
  });

  return router;
}
