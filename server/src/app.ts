import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { createMediaRouter } from './media/index';
import { errorMiddleware, notFoundApi } from './http/http-error';
import { staticClient } from './http/static-client';
import { accessRoutes } from './modules/access/access.routes';
import type { TokenService } from './modules/access/token.service';
import { programmeRoutes } from './modules/programme/programme.routes';
import type { ProgrammeService } from './modules/programme/programme.service';

export interface AppDeps {
  programme: ProgrammeService;
  tokens: TokenService;
  mediaDir: string;
  clientDir: string;
  /** Extra origins the player may fetch HLS from (a media server on another host). */
  mediaOrigins: string[];
  log: Logger;
}

/** The HTTP side of Parvis. Never reads the environment: everything comes in `deps`. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  // Media first and without helmet: segments are fetched cross-origin by players and embeds.
  app.use('/media', createMediaRouter({ mediaDir: deps.mediaDir }));

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          // Lit adopts constructed stylesheets; older engines fall back to <style> elements.
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:', 'blob:'],
          // hls.js feeds the <video> through MediaSource blob: URLs and may run its demuxer in a blob: worker.
          'media-src': ["'self'", 'blob:', ...deps.mediaOrigins],
          'worker-src': ["'self'", 'blob:'],
          'connect-src': ["'self'", ...deps.mediaOrigins],
          'upgrade-insecure-requests': null,
        },
      },
      // Plain-HTTP installs on a library's LAN are common; HTTPS deployments set HSTS at the proxy.
      strictTransportSecurity: false,
    }),
  );

  const api = express.Router();
  api.use(express.json({ limit: '16kb' }));
  api.use(programmeRoutes(deps.programme));
  api.use(accessRoutes(deps.tokens));
  api.use(notFoundApi);
  app.use('/api', api);

  app.use(staticClient(deps.clientDir));
  app.use(errorMiddleware(deps.log));
  return app;
}
