import { Router } from 'express';
import { z } from 'zod';
import { EventQuery } from '#shared/domain/event';
import type { ProgrammeService } from './programme.service';

const IdParam = z.object({ id: z.string().min(1).max(100) });

export function programmeRoutes(programme: ProgrammeService): Router {
  const router = Router();

  router.get('/events', async (req, res) => {
    const query = EventQuery.parse(req.query);
    res.json({ events: await programme.listEvents(query) });
  });

  router.get('/events/:id', async (req, res) => {
    const { id } = IdParam.parse(req.params);
    res.json({ event: await programme.getEvent(id) });
  });

  router.get('/series', async (_req, res) => {
    res.json({ series: await programme.listSeries() });
  });

  return router;
}
