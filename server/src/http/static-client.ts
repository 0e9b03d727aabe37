import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';
import { precompressed, sendEncoded } from './encoded-files';

/**
 * Serves the built client, with index.html for every page route so that /events/:id works on reload.
 * Hashed assets are immutable; index.html is revalidated so a deploy shows at once. Text files go out as the brotli or
 * gzip copies the build made (`.br`, `.gz`, see precompress.ts) to browsers that accept them.
 */
export function staticClient(clientDir: string): Router {
  const router = Router();
  const index = join(clientDir, 'index.html');
  router.use('/assets', precompressed(join(clientDir, 'assets'), 'public, max-age=31536000, immutable'));
  router.use('/assets', express.static(join(clientDir, 'assets'), { immutable: true, maxAge: '1y' }));
  // An asset that is not there (an old page asking for a replaced bundle) is a plain 404, never the page's HTML.
  router.use('/assets', (_req, res) => {
    res.status(404).type('text/plain').send('Not found\n');
  });
  router.use(precompressed(clientDir, 'no-cache'));
  router.use(express.static(clientDir, { index: false, maxAge: 0 }));
  router.get(/^\/(?!api\/|media\/|socket\.io\/).*/, async (req, res) => {
    if (!existsSync(index)) {
      res
        .status(503)
        .type('text/plain')
        .send('The Parvis client is not built yet. Run `npm run build` (npm start does it for you).\n');
      return;
    }
    if (await sendEncoded(req, res, index, 'no-cache')) return;
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
