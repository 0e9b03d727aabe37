import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawGet, startMediaServer } from './test-server';
import type { MediaTestServer } from './test-server';

// A segment whose every byte is its own offset (mod 256), so a range answer can be checked byte for byte.
const SEGMENT = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 256));
const SECRET = 'secret outside the media folder';

let root: string;
let server: MediaTestServer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'parvis-origin-'));
  const mediaDir = join(root, 'media');
  await mkdir(join(mediaDir, 'talk'), { recursive: true });
  await writeFile(join(root, 'secret.txt'), SECRET);
  await writeFile(join(mediaDir, 'talk', 'index.m3u8'), '#EXTM3U\n#EXTINF:2,\nseg_000.ts\n#EXT-X-ENDLIST\n');
  await writeFile(join(mediaDir, 'talk', 'seg_000.ts'), SEGMENT);
  await writeFile(join(mediaDir, 'talk', 'seg_000.m4s'), 'fmp4');
  await writeFile(join(mediaDir, 'talk', 'init.mp4'), 'init');
  await writeFile(join(mediaDir, 'talk', 'subtitles.vtt'), 'WEBVTT\n');
  await writeFile(join(mediaDir, 'talk', '.env'), 'TOKEN=hidden');
  server = await startMediaServer({ mediaDir });
});

afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

const url = (path: string) => `${server.origin}/media${path}`;

describe('HLS origin', () => {
  it.each([
    ['/talk/index.m3u8', 'application/vnd.apple.mpegurl'],
    ['/talk/seg_000.ts', 'video/mp2t'],
    ['/talk/seg_000.m4s', 'video/iso.segment'],
    ['/talk/init.mp4', 'video/mp4'],
    ['/talk/subtitles.vtt', 'text/vtt; charset=utf-8'],
  ])('serves %s as %s', async (path, type) => {
    const res = await fetch(url(path));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
  });

  it('answers a byte range with 206 and exactly those bytes', async () => {
    const res = await fetch(url('/talk/seg_000.ts'), { headers: { Range: 'bytes=1000-1099' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 1000-1099/${SEGMENT.length}`);
    expect(res.headers.get('content-length')).toBe('100');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(SEGMENT.subarray(1000, 1100));
  });

  it('lets pages on other origins read media and the range headers', async () => {
    const res = await fetch(url('/talk/seg_000.ts'), { headers: { Origin: 'https://library.example', Range: 'bytes=0-9' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const exposed = res.headers.get('access-control-expose-headers')?.toLowerCase() ?? '';
    expect(exposed).toContain('content-length');
    expect(exposed).toContain('content-range');
  });

  it('answers the CORS preflight of a Range request', async () => {
    const res = await fetch(url('/talk/seg_000.ts'), {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://library.example',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'range',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('GET');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('range');
  });

  it('makes caches revalidate playlists and keep segments forever', async () => {
    const playlist = await fetch(url('/talk/index.m3u8'));
    expect(playlist.headers.get('cache-control')).toBe('no-cache');
    for (const path of ['/talk/seg_000.ts', '/talk/seg_000.m4s']) {
      const segment = await fetch(url(path));
      expect(segment.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
  });

  it('answers a plain 404 for a missing file', async () => {
    const res = await fetch(url('/talk/seg_999.ts'));
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  });

  it('lists no directories and serves no dotfiles', async () => {
    for (const path of ['/', '/talk', '/talk/', '/talk/.env']) {
      const res = await fetch(url(path));
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toMatch(/seg_000|TOKEN/);
    }
  });

  it.each(['/media/../secret.txt', '/media/%2e%2e/secret.txt', '/media/talk/..%2f..%2fsecret.txt', '/media/talk/%2e%2e/%2e%2e/secret.txt'])(
    'refuses the traversal attempt %s with a 404',
    async (path) => {
      const res = await rawGet(server.origin, path);
      expect(res.status).toBe(404);
      expect(res.body).not.toContain(SECRET);
    },
  );
});
