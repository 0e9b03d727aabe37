import { createHash, timingSafeEqual } from 'node:crypto';
import express, { Router, type Request } from 'express';
import { z } from 'zod';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../../core/errors';
import { isStraightFromThisMachine } from '../../ops/metrics-endpoint';
import type { IngestHooks, PublishSource } from './ingest.service';

/** What nginx-rtmp posts (form-encoded) to `on_publish` and `on_publish_done`; other fields are ignored. */
const NginxHookBody = z.object({
  /** The stream name: everything after `/live/` in OBS's URL, i.e. the stream key. */
  name: z.string().min(1).max(200),
  /** nginx's id of the connection, unique while that nginx runs. */
  clientid: z.string().min(1).max(40),
  addr: z.string().max(100).optional(),
  app: z.string().max(100).optional(),
});

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * The adapter from nginx-rtmp's notify hooks to the {@link IngestHooks} seam, at
 * `POST /ingest/hooks/nginx/{publish,publish-done}` under `/api`. nginx lets a publisher in on a 2xx and drops it on
 * anything else. Only nginx may call them: requests straight from this machine, or, with INGEST_HOOK_SECRET set,
 * requests that carry it (`?secret=`) and no others.
 */
export function nginxHookRoutes(hooks: IngestHooks, secret: string | undefined): Router {
  const router = Router();
  const expected = secret === undefined ? undefined : digest(secret);
  const allowed = (req: Request): boolean =>
    expected === undefined
      ? isStraightFromThisMachine(req)
      : typeof req.query.secret === 'string' && timingSafeEqual(digest(req.query.secret), expected);

  const read = (req: Request): { key: string; source: PublishSource } => {
    if (!allowed(req)) throw new DomainError(ErrorCode.FORBIDDEN, 'Only the ingest server calls its hooks');
    const body = NginxHookBody.parse(req.body ?? {});
    if (body.app !== undefined && body.app !== 'live') throw new DomainError(ErrorCode.NOT_FOUND, `No application ${body.app}`);
    return { key: body.name, source: { publisherId: `nginx:${body.clientid}`, ...(body.addr && { address: body.addr }) } };
  };

  router.use('/ingest/hooks/nginx', express.urlencoded({ extended: false, limit: '16kb' }));

  router.post('/ingest/hooks/nginx/publish', async (req, res) => {
    const { key, source } = read(req);
    const decision = await hooks.publishStarted(key, source);
    if (!decision.allowed) throw new DomainError(ErrorCode.FORBIDDEN, `Publishing refused: ${decision.reason}`);
    res.status(204).end();
  });

  router.post('/ingest/hooks/nginx/publish-done', async (req, res) => {
    const { key, source } = read(req);
    await hooks.publishStopped(key, source);
    res.status(204).end();
  });

  return router;
}
