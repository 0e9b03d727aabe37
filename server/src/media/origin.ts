import { extname } from 'node:path';
import express from 'express';
import type { RequestHandler, Response } from 'express';

// Set explicitly rather than trusting mime-db, whose answers for .ts and .m3u8 have changed between releases, and
// players (Safari's native HLS above all) refuse playlists and segments served with the wrong type.
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
  '.m4s': 'video/iso.segment',
  '.mp4': 'video/mp4',
  '.aac': 'audio/aac',
  '.vtt': 'text/vtt; charset=utf-8',
};

const PLAYLIST_EXTENSIONS = new Set(['.m3u8']);
// Encoders never rewrite a segment under the same name, so a cached copy is valid forever; this is what lets a CDN
// or the browser absorb most of the load of a popular event.
const SEGMENT_EXTENSIONS = new Set(['.ts', '.m4s', '.mp4', '.aac', '.vtt']);

export const PLAYLIST_CONTENT_TYPE = CONTENT_TYPES['.m3u8']!;

/** Headers of a playlist response: live playlists change every few seconds, so caches must revalidate each time. */
export function setPlaylistHeaders(res: Response): void {
  res.setHeader('Content-Type', PLAYLIST_CONTENT_TYPE);
  res.setHeader('Cache-Control', 'no-cache');
}

/**
 * CORS for media: players embedded on another site (the library's own CMS, a partner's page) fetch playlists and
 * segments with XHR/fetch, and hls.js sends `Range` on some requests, which triggers a preflight.
 */
export const mediaCors: RequestHandler = (req, res, next) => {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', 'Content-Length, Content-Range, Accept-Ranges');
  // Media are public by design; say so explicitly, so that a same-origin Cross-Origin-Resource-Policy (helmet's
  // default, should the router ever be mounted behind it) cannot stop an embed on another site.
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Range, Content-Type');
    res.setHeader('Access-Control-Max-Age', '86400');
    res.status(204).end();
    return;
  }
  next();
};

/**
 * Static files of `mediaDir` with HLS types and cache policies. `send` (under express.static) does byte ranges,
 * conditional requests, and refuses `..` and dotfiles; a refusal falls through to the caller's 404.
 */
export function createOriginHandler(mediaDir: string): RequestHandler {
  return express.static(mediaDir, {
    dotfiles: 'ignore',
    index: false,
    redirect: false,
    fallthrough: true,
    setHeaders(res, filePath) {
      const ext = extname(filePath).toLowerCase();
      const type = CONTENT_TYPES[ext];
      if (type) res.setHeader('Content-Type', type);
      if (PLAYLIST_EXTENSIONS.has(ext)) res.setHeader('Cache-Control', 'no-cache');
      else if (SEGMENT_EXTENSIONS.has(ext)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    },
  });
}
