import { Router } from 'express';
import { z } from 'zod';
import type { HttpAuth } from '../access/http-auth';
import type { AccessPolicy } from '../access/policy';
import type { IngestService } from './ingest.service';

const IdParam = z.object({ id: z.string().min(1).max(100) });

/**
 * The stream key of an event, for its moderators and the admins: `GET /events/:id/ingest` answers `IngestInfo`,
 * `POST /events/:id/ingest/rotate` makes a new key. Who asks is checked before anything is read or made.
 */
export function ingestRoutes(ingest: IngestService, policy: AccessPolicy, http: HttpAuth): Router {
  const router = Router();

  router.get('/events/:id/ingest', async (req, res) => {
    const { user } = await http.required(req);
    const { id } = IdParam.parse(req.params);
    await policy.assertCanModerate(user, id);
    // The key is a secret: never kept by a shared cache.
    res.setHeader('Cache-Control', 'private, no-store');
    res.json(await ingest.info(id));
  });

  router.post('/events/:id/ingest/rotate', async (req, res) => {
    const { user } = await http.required(req);
    const { id } = IdParam.parse(req.params);
    await policy.assertCanModerate(user, id);
    res.setHeader('Cache-Control', 'private, no-store');
    res.json(await ingest.rotate(user, id));
  });

  return router;
}
