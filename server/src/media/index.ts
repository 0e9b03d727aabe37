import { Router } from 'express';
import { createLiveSimulator } from './live-simulator';
import { createOriginHandler, mediaCors } from './origin';
import { PlaylistCache } from './playlist-cache';

export { computeLiveWindow, LIVE_EPOCH_MS, LIVE_WINDOW_SEGMENTS } from './live-simulator';
export type { LiveWindow, WindowSegment } from './live-simulator';

export interface MediaOptions {
  /** Folder served at the mount point; each sub-folder holding a master.m3u8 is also a live stream. */
  mediaDir: string;
  /** Wall clock in ms since 1970; injected by tests. */
  now?: () => number;
}

/**
 * The HLS origin and live simulator, to mount with `app.use('/media', createMediaRouter({ mediaDir }))`:
 * - `/<path>`: files of `mediaDir` (e.g. `/media/demo/master.m3u8`, the recording as VOD);
 * - `/live/<name>/master.m3u8`: the recording in `mediaDir/<name>/` looped as a live stream.
 * Anything else is a plain-text 404, so an app-wide fallback (the client's index.html) never answers for media.
 */
export function createMediaRouter({ mediaDir, now = Date.now }: MediaOptions): Router {
  const router = Router();
  router.use(mediaCors);
  router.use(createLiveSimulator({ mediaDir, now, cache: new PlaylistCache() }));
  router.use(createOriginHandler(mediaDir));
  router.use((_req, res) => {
    res.status(404).type('text/plain').send('Not found');
  });
  return router;
}
