import { Router, type Request } from 'express';
import { z } from 'zod';
import type { User } from '#shared/domain/user';
import { ReplaySettingsRequest, TalkStartsRequest, ThumbnailChoiceRequest, ThumbnailsRequest } from '#shared/protocol/replay';
import type { HttpAuth } from '../access/http-auth';
import type { AccessPolicy } from '../access/policy';
import type { ReplayService } from './replay.service';

const IdParam = z.object({ id: z.string().min(1).max(100) });

export interface ReplayRoutesDeps {
  replays: ReplayService;
  policy: AccessPolicy;
  http: HttpAuth;
}

/**
 * The replay's API (docs/broadcasting.md):
 * - `GET /events/:id/replay`: the replay and its map, for whoever may watch it (admins always);
 * - `POST /events/:id/ingest/talk-starts`: the event's moderators mark the end of a ciné-conférence's film;
 * - `/admin/events/:id/replay…` and `/admin/media/usage`: admins trim, publish, set the film's rights, take and
 *   choose thumbnails, and see the disk each event takes.
 * Who may call is checked before the body is read.
 */
export function replayRoutes(deps: ReplayRoutesDeps): Router {
  const { replays, http } = deps;
  const policy: AccessPolicy = deps.policy;
  const router = Router();

  const admin = async (req: Request): Promise<User> => {
    const { user } = await http.required(req);
    policy.assertAdmin(user);
    return user;
  };
  const privateAnswer = { 'Cache-Control': 'private, no-store' };

  router.get('/events/:id/replay', async (req, res) => {
    const user = await http.user(req);
    const { id } = IdParam.parse(req.params);
    res.setHeader('Vary', 'Authorization');
    // An admin's answer carries a signed preview address: never kept by a shared cache.
    if (user?.role === 'admin') res.set(privateAnswer);
    res.json(await replays.info(id, user));
  });

  router.post('/events/:id/ingest/talk-starts', async (req, res) => {
    const { user } = await http.required(req);
    const { id } = IdParam.parse(req.params);
    await policy.assertCanModerate(user, id);
    const { at } = TalkStartsRequest.parse(req.body ?? {});
    res.json(await replays.markTalkStarts(user, id, at));
  });

  router.get('/admin/events/:id/replay', async (req, res) => {
    await admin(req);
    const { id } = IdParam.parse(req.params);
    res.set(privateAnswer).json(await replays.adminInfo(id));
  });

  router.put('/admin/events/:id/replay', async (req, res) => {
    const user = await admin(req);
    const { id } = IdParam.parse(req.params);
    const request = ReplaySettingsRequest.parse(req.body ?? {});
    res.set(privateAnswer).json(await replays.updateSettings(user, id, request));
  });

  router.get('/admin/events/:id/replay/thumbnails', async (req, res) => {
    await admin(req);
    const { id } = IdParam.parse(req.params);
    res.set(privateAnswer).json({ thumbnails: await replays.listThumbnails(id) });
  });

  router.post('/admin/events/:id/replay/thumbnails', async (req, res) => {
    const user = await admin(req);
    const { id } = IdParam.parse(req.params);
    const { count } = ThumbnailsRequest.parse(req.body ?? {});
    res.set(privateAnswer).json({ thumbnails: await replays.takeThumbnails(user, id, count) });
  });

  router.put('/admin/events/:id/replay/thumbnail', async (req, res) => {
    const user = await admin(req);
    const { id } = IdParam.parse(req.params);
    const { file } = ThumbnailChoiceRequest.parse(req.body ?? {});
    res.set(privateAnswer).json(await replays.chooseThumbnail(user, id, file));
  });

  router.get('/admin/media/usage', async (req, res) => {
    await admin(req);
    res.set(privateAnswer).json(await replays.usage());
  });

  return router;
}
