import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { SeasonQuery } from '#shared/protocol/figures';
import type { HttpAuth } from '../access/http-auth';
import type { AccessPolicy } from '../access/policy';
import { eventFiguresCsv, seasonFiguresCsv, type CsvLang } from './figures-csv';
import type { FiguresService } from './figures.service';

const IdParam = z.object({ id: z.string().min(1).max(100) });
const LangQuery = z.object({ lang: z.enum(['fr', 'en']).default('en') });

export interface FiguresRoutesDeps {
  figures: FiguresService;
  policy: AccessPolicy;
  http: HttpAuth;
}

function sendCsv(res: Response, name: string, body: string): void {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
  res.setHeader('Cache-Control', 'private, no-store');
  res.send(body);
}

/**
 * Audience figures for programme admins: `GET /admin/events/:id/figures` (and `.csv`), and the season summary
 * `GET /admin/figures?from=&to=` (and `.csv`). `?lang=fr|en` names the CSV's columns.
 */
export function figuresRoutes(deps: FiguresRoutesDeps): Router {
  const router = Router();
  const admin = async (req: Request) => {
    const { user } = await deps.http.required(req);
    deps.policy.assertAdmin(user);
  };
  const lang = (req: Request): CsvLang => LangQuery.parse(req.query).lang;

  router.get('/admin/events/:id/figures', async (req, res) => {
    await admin(req);
    res.setHeader('Cache-Control', 'no-store');
    res.json(await deps.figures.event(IdParam.parse(req.params).id));
  });

  router.get('/admin/events/:id/figures.csv', async (req, res) => {
    await admin(req);
    const figures = await deps.figures.event(IdParam.parse(req.params).id);
    // Event ids are slugs; anything else is dropped rather than trusted in a header.
    sendCsv(res, `parvis-${figures.event.id.replace(/[^A-Za-z0-9._-]/g, '') || 'event'}-figures.csv`, eventFiguresCsv(figures, lang(req)));
  });

  router.get('/admin/figures', async (req, res) => {
    await admin(req);
    const query = SeasonQuery.parse({ from: req.query.from, to: req.query.to });
    res.setHeader('Cache-Control', 'no-store');
    res.json(await deps.figures.season(query));
  });

  router.get('/admin/figures.csv', async (req, res) => {
    await admin(req);
    const query = SeasonQuery.parse({ from: req.query.from, to: req.query.to });
    sendCsv(res, 'parvis-season-figures.csv', seasonFiguresCsv(await deps.figures.season(query), lang(req)));
  });

  return router;
}
