import { Router } from 'express';
import { z } from 'zod';
import { EventQuery } from '#shared/domain/event';
import type { HttpAuth } from '../access/http-auth';
import type { AccessPolicy } from '../access/policy';
import type { ProgrammeService } from './programme.service';

const IdParam = z.object({ id: z.string().min(1).max(100) });

/**
 * The public programme. Anyone reads it; the stream and replay of an invite-only event are only in the answers for
 * its staff and admins (who send their token).
 */
export function programmeRoutes(programme: ProgrammeService, policy: AccessPolicy, http: HttpAuth): Router {
  const router = Router();

  router.get('/events', async (req, res) => {
    const user = await http.user(req);
    const query = EventQuery.parse(req.query);
    res.setHeader('Vary', 'Authorization');
    res.json({ events: await policy.visibleEvents(user, await programme.listEvents(query)) });
  });

  router.get('/events/:id', async (req, res) => {
    const user = await http.user(req);
    const { id } = IdParam.parse(req.params);
    const [event] = await policy.visibleEvents(user, [await programme.getEvent(id)]);
    res.setHeader('Vary', 'Authorization');
    res.json({ event });
  });

  router.get('/series', async (_req, res) => {
    res.json({ series: await programme.listSeries() });
  });

  return router;
}
