import { Router } from 'express';
import { createLiveRecordingRouter } from './live-recording';
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

export interface RecordingsOptions {
  /** RECORDINGS_DIR: one folder per event, written by the ingest (see recordings.ts). */
  recordingsDir: string;
}

/**
 * The recordings of the ingest, to mount with `app.use('/media/events', createRecordingsRouter({ recordingsDir }))`
 * before the media router (so a `MEDIA_DIR/events` folder is shadowed):
 * - `/<eventId>/live/master.m3u8` and `/<eventId>/live/<rendition>.m3u8`: the live playlists, computed from the
 *   sessions on disk (live-recording.ts);
 * - `/<path>`: the files of `recordingsDir`, with the same types, ranges, CORS and cache rules as the media origin.
 */
export function createRecordingsRouter({ recordingsDir }: RecordingsOptions): Router {
  const router = Router();
  router.use(mediaCors);
  router.use(createLiveRecordingRouter({ recordingsDir, cache: new PlaylistCache() }));
  router.use(createOriginHandler(recordingsDir));
  router.use((_req, res) => {
    res.status(404).type('text/plain').send('Not found');
  });
  return router;
}
