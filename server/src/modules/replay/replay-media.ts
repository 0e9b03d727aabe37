import { join } from 'node:path';
import { Router, type Response } from 'express';
import { mediaCors, setPlaylistHeaders } from '../../media/origin';
import { renderMaster, renderMedia } from './playlists';
import { untrimmed } from './cut';
import type { ReplayMedia, ReplayService } from './replay.service';
import { SAFE_NAME } from './recordings';

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*\.ts$/;
const THUMBNAIL = /^\d{1,6}\.jpg$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The public playlists as text, made once per cut (ReplayService keeps a cut while its manifest and settings stay the
 * same): a 1-hour replay's media playlist takes a noticeable time to write, and every viewer who opens it asks for it.
 * Admins' previews carry their own token in every URI, so they are written for each request.
 */
const publicText = new WeakMap<object, string>();
function once(key: object, write: () => string): string {
  let text = publicText.get(key);
  if (text === undefined) {
    text = write();
    publicText.set(key, text);
  }
  return text;
}

/**
 * The replays' files, to mount at `/media/events` before the media origin (app.ts):
 * - `/<eventId>/replay/master.m3u8` and `/<eventId>/replay/<rendition>.m3u8`: computed from the manifest and the
 *   settings (playlists.ts), never files;
 * - `/<eventId>/replay/<segment>.ts`: the segments those playlists list;
 * - `/<eventId>/thumbs/<n>.jpg`: the frames taken for the event's picture.
 *
 * The public gets a published replay only, trimmed, and the event's chosen picture; anything else is a 404, as for a
 * file that is not there. An admin's signed `?preview=` token opens an unpublished replay, and with `view=full` the
 * untrimmed one, whose segments carry the token on. Any other path under `/media/events` is left to the next router
 * (the ingest's live playlists).
 */
export function replayMediaRouter(replays: ReplayService): Router {
  const router = Router();
  router.use('/:eventId/replay', mediaCors);
  router.use('/:eventId/thumbs', mediaCors);

  router.get('/:eventId/replay/:file', async (req, res) => {
    const eventId = String(req.params.eventId);
    const file = String(req.params.file);
    const media = await replays.media(eventId);
    if (!media) return notFound(res);
    const preview = req.query.preview;
    const admin = replays.canPreview(eventId, preview);
    if (!admin && !(media.record.published && media.record.state === 'ready')) return notFound(res);
    const full = admin && req.query.view === 'full';
    const cut = full ? untrimmed(media.manifest, media.record) : media.cut;
    const query = admin ? `?${new URLSearchParams({ preview: String(preview), ...(full && { view: 'full' }) })}` : '';

    if (file === 'master.m3u8') return sendPlaylist(res, admin ? renderMaster(cut, query) : once(cut, () => renderMaster(cut)));
    if (file.endsWith('.m3u8')) {
      const rendition = cut.renditions.find((r) => `${r.rendition.name}.m3u8` === file);
      if (!rendition || rendition.segments.length === 0) return notFound(res);
      return sendPlaylist(
        res,
        admin ? renderMedia(rendition, `?${new URLSearchParams({ preview: String(preview) })}`) : once(rendition, () => renderMedia(rendition)),
      );
    }
    if (SEGMENT.test(file) && listed(media, file, admin)) {
      return sendMediaFile(res, join(media.dir, file), 'video/mp2t');
    }
    notFound(res);
  });

  router.get('/:eventId/thumbs/:file', async (req, res) => {
    const eventId = String(req.params.eventId);
    const file = String(req.params.file);
    if (!THUMBNAIL.test(file)) return notFound(res);
    const media = await replays.media(eventId);
    if (!media) return notFound(res);
    // The chosen picture is the event's, shown on the programme; the other candidates are the replay's frames.
    const open = file === media.record.thumbnail || (media.record.published && media.record.state === 'ready');
    if (!open && !replays.canPreview(eventId, req.query.preview)) return notFound(res);
    sendMediaFile(res, join(media.thumbs, file), 'image/jpeg');
  });

  // Nothing else of a replay or its pictures exists (the manifest, temporary files): the ingest's routes come after.
  router.all('/:eventId/replay/*rest', (req, res, next) => (SAFE_NAME.test(String(req.params.eventId)) ? notFound(res) : next()));
  router.all('/:eventId/thumbs/*rest', (req, res, next) => (SAFE_NAME.test(String(req.params.eventId)) ? notFound(res) : next()));
  return router;
}

/** The public reaches the segments of the trimmed replay only; an admin's preview, every segment kept. */
function listed(media: ReplayMedia, file: string, admin: boolean): boolean {
  const source = admin ? media.manifest : media.cut;
  let files = segmentFiles.get(source);
  if (!files) {
    files = new Set(source.renditions.flatMap((r) => r.segments.map((s) => s.file)));
    segmentFiles.set(source, files);
  }
  return files.has(file);
}

/** The segment files a manifest or a cut lists, kept as long as it is (a player asks for one every 2 s). */
const segmentFiles = new WeakMap<object, Set<string>>();

function sendPlaylist(res: Response, text: string): void {
  setPlaylistHeaders(res);
  // A Buffer: res.send would add "; charset=utf-8" to a string's type, unlike the playlists the origin serves.
  res.send(Buffer.from(text, 'utf8'));
}

/** A file with ranges and conditional requests (send, under res.sendFile), typed and cached as the origin does. */
function sendMediaFile(res: Response, path: string, type: string): void {
  res.sendFile(path, { dotfiles: 'deny', headers: { 'Content-Type': type, 'Cache-Control': IMMUTABLE } }, (err) => {
    if (!err || res.headersSent) return;
    notFound(res);
  });
}

function notFound(res: Response): void {
  res.status(404).type('text/plain').send('Not found');
}
