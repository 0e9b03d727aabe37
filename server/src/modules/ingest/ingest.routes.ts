import { Router } from 'express';
import { z } from 'zod';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../../core/errors';
import type { HttpAuth } from '../access/http-auth';
import type { AccessPolicy } from '../access/policy';
import type { IngestService } from './ingest.service';

const IdParam = z.object({ id: z.string().min(1).max(100) });

/**
 * The stream key of an event, for its moderators and the admins: `GET /events/:id/ingest` answers `IngestInfo`,
 * `POST /events/:id/ingest/rotate` makes a new key. Who asks is checked before anything is read or made. On a server
 * that takes no broadcasts from OBS (`unavailable()` says why) both answer NOT_FOUND, and the console leaves its
 * stream panel out: a key for an ingest that does not exist would only mislead.
 */
export function ingestRoutes(
  ingest: IngestService,
  policy: AccessPolicy,
  http: HttpAuth,
  unavailable: () => string | undefined,
): Router {
  const router = Router();

  const assertOffered = () => {
    const why = unavailable();
    if (why !== undefined) throw new DomainError(ErrorCode.NOT_FOUND, why);
  };

  router.get('/events/:id/ingest', async (req, res) => {
    const { user } = await http.required(req);
    const { id } = IdParam.parse(req.params);
    await policy.assertCanModerate(user, id);
    assertOffered();
    // The key is a secret: never kept by a shared cache.
    res.setHeader('Cache-Control', 'private, no-store');
    res.json(await ingest.info(id));
  });

  router.post('/events/:id/ingest/rotate', async (req, res) => {
    const { user } = await http.required(req);
    const { id } = IdParam.parse(req.params);
    await policy.assertCanModerate(user, id);
    assertOffered();
    res.setHeader('Cache-Control', 'private, no-store');
    res.json(await ingest.rotate(user, id));
  });

  return router;
}
