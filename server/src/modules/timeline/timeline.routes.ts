import { Router, type Request } from 'express';
import { z } from 'zod';
import { chaptersOf } from '#shared/domain/chapters';
import type { Event } from '#shared/domain/event';
import type { User } from '#shared/domain/user';
import { replayDuration } from '#shared/domain/replay-map';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../../core/errors';
import type { HttpAuth } from '../access/http-auth';
import type { AccessPolicy } from '../access/policy';
import type { ProgrammeService } from '../programme/programme.service';
import { chaptersVtt } from './chapters-vtt';
import type { TimelineService } from './timeline.service';

const IdParam = z.object({ id: z.string().min(1).max(100) });

export interface TimelineRoutesDeps {
  timeline: TimelineService;
  programme: ProgrammeService;
  policy: AccessPolicy;
  http: HttpAuth;
}

/**
 * `GET /events/:id/timeline` (JSON) and `GET /events/:id/chapters.vtt` (WebVTT chapters): what the live left for its
 * replay. Read like the event's video: anyone for an open or registration event, its staff and the admins for an
 * invite-only one.
 */
export function timelineRoutes(deps: TimelineRoutesDeps): Router {
  const router = Router();

  /** The event and who asks, once they may see its replay. */
  async function readable(req: Request): Promise<{ event: Event; user: User | null }> {
    const user = await deps.http.user(req);
    const { id } = IdParam.parse(req.params);
    const event = await deps.programme.getEvent(id);
    if (!deps.policy.canSeeMedia(await deps.policy.roleIn(user, event.id), event)) {
      throw new DomainError(ErrorCode.FORBIDDEN, 'This event is for invited people only');
    }
    return { event, user };
  }

  /** The answer may differ per person, and changes as the live goes on and as the replay is trimmed. */
  function noSharedCopy(res: { setHeader(name: string, value: string): unknown }, event: Event): void {
    res.setHeader('Vary', 'Authorization');
    res.setHeader('Cache-Control', event.access === 'invite' ? 'private, no-cache' : 'no-cache');
  }

  router.get('/events/:id/timeline', async (req, res) => {
    const { event, user } = await readable(req);
    const { items } = await deps.timeline.build(event.id, user);
    noSharedCopy(res, event);
    res.json({ items });
  });

  router.get('/events/:id/chapters.vtt', async (req, res) => {
    const { event, user } = await readable(req);
    const { items, map } = await deps.timeline.build(event.id, user);
    if (!map) throw new DomainError(ErrorCode.NOT_FOUND, 'This event has no replay, so no chapters');
    noSharedCopy(res, event);
    res.setHeader('Content-Type', 'text/vtt; charset=utf-8');
    res.send(chaptersVtt(chaptersOf(items, replayDuration(map))));
  });

  return router;
}
