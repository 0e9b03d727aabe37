import express, { Router, type Request } from 'express';
import { z } from 'zod';
import { CaptionEditRequest, CaptionLang } from '#shared/domain/caption';
import type { Event } from '#shared/domain/event';
import type { User } from '#shared/domain/user';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../../core/errors';
import type { HttpAuth } from '../access/http-auth';
import type { AccessPolicy } from '../access/policy';
import type { ProgrammeService } from '../programme/programme.service';
import type { CaptionsService } from './captions.service';
import { youTubeTime } from './ingest-body';

const IdParam = z.object({ id: z.string().min(1).max(100) });
const CueParam = IdParam.extend({ cueId: z.string().min(1).max(100) });
const VttParam = IdParam.extend({ lang: CaptionLang });

/**
 * The query string captioning software adds to the URL it was given: `seq` (YouTube and Zoom both number their
 * POSTs) and `lang` (Zoom: `en-US`; absent, the event's language).
 */
const IngestQuery = z.object({
  token: z.string().min(1).max(200),
  seq: z.coerce.number().int().min(0).max(2 ** 31),
  lang: CaptionLang.optional(),
});

export interface CaptionRoutesDeps {
  captions: CaptionsService;
  programme: ProgrammeService;
  policy: AccessPolicy;
  http: HttpAuth;
  now?: () => Date;
}

/**
 * Captions over HTTP (issue 12):
 *
 * - `POST /events/:id/captions/ingest?token=…&seq=N&lang=xx`: captioning software, in YouTube's or Zoom's format
 *   (see ingest-body.ts); answers the server's time as YouTube does;
 * - `GET /events/:id/captions/ingest` and `POST …/ingest/rotate`: the URL with its secret, for moderators and admins;
 * - `GET /events/:id/captions` (`{languages}`) and `GET /events/:id/captions/<lang>.vtt`: read like the event's video;
 * - `/admin/events/:id/captions…`: the admins' editor.
 */
export function captionRoutes(deps: CaptionRoutesDeps): Router {
  const { captions, http } = deps;
  const policy: AccessPolicy = deps.policy;
  const now = deps.now ?? (() => new Date());
  const router = Router();
  const privateAnswer = { 'Cache-Control': 'private, no-store' };

  /** The event, once the person asking may see its video (its captions are the video's). */
  async function readable(req: Request): Promise<Event> {
    const user = await http.user(req);
    const { id } = IdParam.parse(req.params);
    const event = await deps.programme.getEvent(id);
    if (!policy.canSeeMedia(await policy.roleIn(user, event.id), event)) {
      throw new DomainError(ErrorCode.FORBIDDEN, 'This event is for invited people only');
    }
    return event;
  }

  const admin = async (req: Request): Promise<User> => {
    const { user } = await http.required(req);
    policy.assertAdmin(user);
    return user;
  };

  // Software sends `text/plain` (or nothing): every body is read as text here, up to 16 kB.
  router.post('/events/:id/captions/ingest', express.text({ type: () => true, limit: '16kb' }), async (req, res) => {
    const { id } = IdParam.parse(req.params);
    const query = IngestQuery.safeParse(req.query);
    if (!query.success) {
      throw new DomainError(ErrorCode.INVALID_PAYLOAD, 'The caption URL needs its token and a numeric seq (and lang, a language tag, if any)');
    }
    if (typeof req.body !== 'string') throw new DomainError(ErrorCode.INVALID_PAYLOAD, 'Send the captions as plain text');
    const { token, seq, lang } = query.data;
    await captions.ingest(id, { token, seq, ...(lang !== undefined && { lang }) }, req.body);
    res.set(privateAnswer).type('text/plain').send(`${youTubeTime(now())}\n`);
  });

  router.get('/events/:id/captions/ingest', async (req, res) => {
    const { user } = await http.required(req);
    const { id } = IdParam.parse(req.params);
    await policy.assertCanModerate(user, id);
    // The URL holds a secret: never kept by a shared cache.
    res.set(privateAnswer).json(await captions.ingestUrl(id));
  });

  router.post('/events/:id/captions/ingest/rotate', async (req, res) => {
    const { user } = await http.required(req);
    const { id } = IdParam.parse(req.params);
    await policy.assertCanModerate(user, id);
    res.set(privateAnswer).json(await captions.rotateIngest(user, id));
  });

  router.get('/events/:id/captions', async (req, res) => {
    const event = await readable(req);
    res.setHeader('Vary', 'Authorization');
    res.setHeader('Cache-Control', event.access === 'invite' ? 'private, no-cache' : 'no-cache');
    res.json({ languages: await captions.languages(event.id) });
  });

  router.get('/events/:id/captions/:lang.vtt', async (req, res) => {
    const event = await readable(req);
    const { lang } = VttParam.parse(req.params);
    const vtt = await captions.vtt(event, lang, await http.user(req));
    // Grows during the live, and changes with corrections and trims.
    res.setHeader('Vary', 'Authorization');
    res.setHeader('Cache-Control', event.access === 'invite' ? 'private, no-cache' : 'no-cache');
    res.setHeader('Content-Type', 'text/vtt; charset=utf-8');
    res.send(vtt);
  });

  router.get('/admin/events/:id/captions', async (req, res) => {
    await admin(req);
    const { id } = IdParam.parse(req.params);
    const languages = await captions.languages(id);
    const asked = typeof req.query.lang === 'string' ? CaptionLang.parse(req.query.lang) : languages[0];
    const cues = asked ? await captions.list(id, asked) : [];
    res.set(privateAnswer).json({ languages, lang: asked ?? null, cues });
  });

  router.put('/admin/events/:id/captions/:cueId', async (req, res) => {
    const user = await admin(req);
    const { id, cueId } = CueParam.parse(req.params);
    const edit = CaptionEditRequest.parse(req.body ?? {});
    res.set(privateAnswer).json({ cue: await captions.edit(user, id, cueId, edit) });
  });

  router.delete('/admin/events/:id/captions/:cueId', async (req, res) => {
    const user = await admin(req);
    const { id, cueId } = CueParam.parse(req.params);
    await captions.remove(user, id, cueId);
    res.status(204).end();
  });

  return router;
}
