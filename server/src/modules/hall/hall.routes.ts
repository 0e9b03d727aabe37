import { Router } from 'express';
import { z } from 'zod';
import type { ProgrammeService } from '../programme/programme.service';
import { askUrl, qrSvg } from './room-link';

const IdParam = z.object({ id: z.string().min(1).max(100) });

export interface HallRoutesDeps {
  programme: ProgrammeService;
  /** PUBLIC_ORIGIN: the QR code and the address in words point there. */
  publicOrigin: string;
}

/**
 * The auditorium of a hybrid event: `GET /events/:id/qr.svg`, the QR code of the phone page, made here so that no
 * QR code library reaches the browser, and `GET /events/:id/ask-link` → `{url}`, the same address in words. Both only
 * say where the event's own page is, which anyone holding its id can already reach: no access check beyond the event
 * existing (`404` otherwise), and the page itself applies the event's access rules.
 */
export function hallRoutes(deps: HallRoutesDeps): Router {
  const router = Router();

  router.get('/events/:id/qr.svg', async (req, res) => {
    const { id } = IdParam.parse(req.params);
    const event = await deps.programme.getEvent(id);
    const svg = await qrSvg(askUrl(deps.publicOrigin, event.id));
    // The code depends on the id and PUBLIC_ORIGIN only; an hour keeps a display from asking again and again.
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.type('image/svg+xml; charset=utf-8').send(svg);
  });

  router.get('/events/:id/ask-link', async (req, res) => {
    const { id } = IdParam.parse(req.params);
    const event = await deps.programme.getEvent(id);
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.json({ url: askUrl(deps.publicOrigin, event.id) });
  });

  return router;
}
