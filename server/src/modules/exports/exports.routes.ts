import { Router } from 'express';
import { z } from 'zod';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../../core/errors';
import type { HttpAuth } from '../access/http-auth';
import type { AccessPolicy } from '../access/policy';
import type { ProgrammeService } from '../programme/programme.service';
import { EXPORT_FILES, type ExportService } from './exports.service';

const IdParam = z.object({ id: z.string().min(1).max(100) });

export interface ExportRoutesDeps {
  exports: ExportService;
  programme: ProgrammeService;
  policy: AccessPolicy;
  http: HttpAuth;
}

/**
 * `GET /events/:id/export/{questions,polls}.{csv,md}`: the Q&A and poll results of an event, during and after it,
 * for its moderators and the admins. Who asks is checked before anything is read.
 */
export function exportRoutes(deps: ExportRoutesDeps): Router {
  const router = Router();

  router.get('/events/:id/export/:file', async (req, res) => {
    const { user } = await deps.http.required(req);
    const { id } = IdParam.parse(req.params);
    const file = EXPORT_FILES.find((f) => f === req.params.file);
    if (!file) throw new DomainError(ErrorCode.NOT_FOUND, `No export ${String(req.params.file)}; try one of ${EXPORT_FILES.join(', ')}`);
    await deps.policy.assertCanModerate(user, id);
    const event = await deps.programme.getEvent(id);
    const body = await deps.exports.render(event, file);
    // Event ids are slugs; anything else is dropped rather than trusted in a header.
    const name = `parvis-${event.id.replace(/[^A-Za-z0-9._-]/g, '') || 'event'}-${file}`;
    res.setHeader('Content-Type', `${file.endsWith('.csv') ? 'text/csv' : 'text/markdown'}; charset=utf-8`);
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    // Names of askers and the moderators' view: never kept by a shared cache.
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(body);
  });

  return router;
}
