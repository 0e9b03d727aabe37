import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Metrics } from './metrics';
import type { Shutdown } from './shutdown';

export interface HttpObserverDeps {
  metrics: Metrics;
  log: Logger;
  shutdown: Shutdown;
}

/** Paths whose requests are counted under their first segment: files, probes, the media origin. */
const PREFIXES = new Set(['/media', '/assets', '/healthz', '/readyz', '/metrics']);

/**
 * The route a request is counted under: the router's pattern for the API (`/api/events/:id`), its mount point for
 * media and client files, `/*` for client pages. Never the raw path, which anyone can make up.
 */
export function routeLabel(req: Request): string {
  const path = req.originalUrl.split('?', 1)[0]!;
  const slash = path.indexOf('/', 1);
  const first = slash === -1 ? path : path.slice(0, slash);
  if (first === '/api') {
    // Every API router is mounted at /api itself, so its pattern is the rest of the path.
    const pattern = (req.route as { path?: unknown } | undefined)?.path;
    return typeof pattern === 'string' ? `/api${pattern}` : '/api/*';
  }
  return PREFIXES.has(first) ? first : '/*';
}

/** Probes and the media origin (several segment requests a second per viewer) log at debug: the rest at info. */
function quiet(req: IncomingMessage): boolean {
  // By the time the answer is logged, routers mounted on a path (`/media`) have cut it off `url`.
  const url = (req as Partial<Request>).originalUrl ?? req.url ?? '';
  return url.startsWith('/media/') || url === '/healthz' || url === '/readyz' || url === '/metrics';
}

/**
 * One middleware for everything that watches HTTP: the access log (pino-http, one line per answer, without headers,
 * so that no token or cookie reaches the log), the request metrics, and the count of requests in flight that a
 * graceful stop waits for.
 */
export function observeHttp({ metrics, log, shutdown }: HttpObserverDeps): RequestHandler {
  const accessLog = pinoHttp({
    logger: log,
    serializers: {
      req: (req: { id: unknown; method: string; url: string; remoteAddress: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url,
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (req: IncomingMessage, res: ServerResponse, err?: Error) => {
      if (err || res.statusCode >= 500) return 'error';
      return quiet(req) && res.statusCode < 400 ? 'debug' : 'info';
    },
  });
  return (req, res, next) => {
    const start = performance.now();
    const done = shutdown.requestStarted(res);
    res.once('close', () => {
      done();
      metrics.observeHttp(req.method, routeLabel(req), res.statusCode, (performance.now() - start) / 1000);
    });
    accessLog(req, res, next);
  };
}
