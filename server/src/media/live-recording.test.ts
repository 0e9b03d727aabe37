import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRecordingsRouter } from './index';
import { computeRecordingWindow, type RecordedSession } from './live-recording';
import { segmentFileName } from './recordings';

const START = Date.UTC(2026, 11, 1, 18, 0, 0, 330);

function session(n: number, count: number, startMs = START): RecordedSession {
  return {
    session: n,
    segments: Array.from({ length: count }, (_, i) => ({
      uri: segmentFileName('source', i),
      duration: 2,
      programDateTime: new Date(startMs + i * 2000),
    })),
  };
}

describe('the live window over the sessions of a broadcast', () => {
  it('lists the last 6 segments of all sessions, with a discontinuity where a session starts', () => {
    const window = computeRecordingWindow([session(1, 4), session(2, 3)]);
    expect(window.mediaSequence).toBe(1);
    expect(window.discontinuitySequence).toBe(0);
    expect(window.segments.map((s) => [s.session, s.uri, s.discontinuity])).toEqual([
      [1, 'source_00001.ts', false],
      [1, 'source_00002.ts', false],
      [1, 'source_00003.ts', false],
      [2, 'source_00000.ts', true],
      [2, 'source_00001.ts', false],
      [2, 'source_00002.ts', false],
    ]);
  });

  it('counts the session boundaries that slid out of the window, and never lists a tag on its first segment', () => {
    const atBoundary = computeRecordingWindow([session(1, 4), session(2, 6)]);
    expect(atBoundary.mediaSequence).toBe(4);
    expect(atBoundary.discontinuitySequence).toBe(1);
    expect(atBoundary.segments[0]).toMatchObject({ session: 2, uri: 'source_00000.ts', discontinuity: false });
    expect(atBoundary.segments.some((s) => s.discontinuity)).toBe(false);

    const later = computeRecordingWindow([session(1, 4), session(2, 3), session(3, 5)]);
    expect(later.mediaSequence).toBe(6);
    expect(later.discontinuitySequence).toBe(1);
    expect(later.segments.map((s) => s.discontinuity)).toEqual([false, true, false, false, false, false]);
  });

  it('gives every segment the same media sequence and discontinuity number on every refresh as the recording grows', () => {
    const seen = new Map<string, { sequence: number; discontinuity: number }>();
    let previous = -1;
    for (let total = 1; total <= 20; total++) {
      const sessions = [session(1, Math.min(total, 7)), session(2, Math.max(0, Math.min(total - 7, 5))), session(3, Math.max(0, total - 12))];
      const window = computeRecordingWindow(sessions);
      expect(window.mediaSequence).toBeGreaterThanOrEqual(previous);
      previous = window.mediaSequence;
      let discontinuity = window.discontinuitySequence;
      window.segments.forEach((segment, i) => {
        if (segment.discontinuity) discontinuity++;
        const id = `${segment.session}/${segment.uri}`;
        const now = { sequence: window.mediaSequence + i, discontinuity };
        expect(seen.get(id) ?? now).toEqual(now);
        seen.set(id, now);
      });
    }
    expect(seen.size).toBe(20);
  });

  it('ignores a session that never got a segment, and keeps the target duration of the longest segment', () => {
    const long = { session: 3, segments: [{ uri: 'source_00000.ts', duration: 4.6, programDateTime: undefined }] };
    const window = computeRecordingWindow([session(1, 2), { session: 2, segments: [] }, long]);
    expect(window.segments.map((s) => [s.session, s.discontinuity])).toEqual([
      [1, false],
      [1, false],
      [3, true],
    ]);
    expect(window.targetDuration).toBe(5);
  });
});

const mediaSequence = (playlist: string) => Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(playlist)?.[1] ?? 0);

/** A session folder as ffmpeg leaves it: its rendition playlists (EVENT, PDT with a +0000 offset) and a master. */
function writeSession(dir: string, n: number, count: number, startMs: number, ended = false): void {
  const folder = join(dir, 'concert', 'sessions', String(n));
  mkdirSync(folder, { recursive: true });
  for (const rendition of ['source', '360p']) {
    const lines = ['#EXTM3U', '#EXT-X-VERSION:6', '#EXT-X-TARGETDURATION:2', '#EXT-X-MEDIA-SEQUENCE:0', '#EXT-X-PLAYLIST-TYPE:EVENT', '#EXT-X-INDEPENDENT-SEGMENTS'];
    for (let i = 0; i < count; i++) {
      const pdt = new Date(startMs + i * 2000).toISOString().replace('Z', '+0000');
      lines.push('#EXTINF:2.000000,', `#EXT-X-PROGRAM-DATE-TIME:${pdt}`, segmentFileName(rendition, i));
      writeFileSync(join(folder, segmentFileName(rendition, i)), `segment ${n}/${i}`);
    }
    if (ended) lines.push('#EXT-X-ENDLIST');
    writeFileSync(join(folder, `${rendition}.m3u8`), `${lines.join('\n')}\n`);
  }
  writeFileSync(
    join(folder, 'master.m3u8'),
    [
      '#EXTM3U',
      '#EXT-X-VERSION:6',
      '#EXT-X-INDEPENDENT-SEGMENTS',
      '#EXT-X-STREAM-INF:BANDWIDTH=2200000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2"',
      'source.m3u8',
      '#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360,CODECS="avc1.4d401e,mp4a.40.2"',
      '360p.m3u8',
      '',
    ].join('\n'),
  );
}

describe('the live playlists of a recording, served at /media/events/<event>/live/', () => {
  let dir: string;
  let origin: string;
  let server: ReturnType<express.Express['listen']>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parvis-recordings-'));
    const app = express();
    app.use('/media/events', createRecordingsRouter({ recordingsDir: dir }));
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string) => fetch(`${origin}/media/events/concert${path}`);

  it('serves one continuous live playlist over two sessions, pointing into their folders, with the PDT of ffmpeg', async () => {
    writeSession(dir, 1, 4, START, true);
    writeSession(dir, 2, 3, START + 60_000);
    const res = await get('/live/source.m3u8');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const text = await res.text();
    expect(text).toContain('#EXT-X-MEDIA-SEQUENCE:1\n');
    expect(text).not.toContain('#EXT-X-ENDLIST');
    expect(text).not.toContain('#EXT-X-PLAYLIST-TYPE');
    const uris = text.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(uris).toEqual([
      '../sessions/1/source_00001.ts',
      '../sessions/1/source_00002.ts',
      '../sessions/1/source_00003.ts',
      '../sessions/2/source_00000.ts',
      '../sessions/2/source_00001.ts',
      '../sessions/2/source_00002.ts',
    ]);
    expect(text.indexOf('#EXT-X-DISCONTINUITY\n')).toBeGreaterThan(text.indexOf('source_00003.ts'));
    expect(text.indexOf('#EXT-X-DISCONTINUITY\n')).toBeLessThan(text.indexOf('../sessions/2/source_00000.ts'));
    expect(text).toContain(`#EXT-X-PROGRAM-DATE-TIME:${new Date(START + 60_000).toISOString()}\n`);

    // The segments it lists are there, served by the origin as immutable files.
    const segment = await fetch(new URL(uris[3]!, `${origin}/media/events/concert/live/source.m3u8`));
    expect(segment.status).toBe(200);
    expect(segment.headers.get('content-type')).toBe('video/mp2t');
    expect(segment.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await segment.text()).toBe('segment 2/0');
  });

  it('moves the window on as ffmpeg adds segments, the media sequence growing', async () => {
    writeSession(dir, 1, 4, START);
    const before = await (await get('/live/360p.m3u8')).text();
    // Absent means 0 (RFC 8216, 4.3.3.2).
    expect(mediaSequence(before)).toBe(0);
    writeSession(dir, 1, 9, START);
    const after = await (await get('/live/360p.m3u8')).text();
    expect(mediaSequence(after)).toBe(3);
    expect(after.trimEnd().endsWith('../sessions/1/360p_00008.ts')).toBe(true);
  });

  it("serves the newest session's master, its variants being the live rendition playlists next to it", async () => {
    writeSession(dir, 1, 2, START);
    writeSession(dir, 2, 2, START + 60_000);
    const res = await get('/live/master.m3u8');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const text = await res.text();
    expect(text).toContain('RESOLUTION=1280x720');
    expect(text).toContain('CODECS="avc1.64001f,mp4a.40.2"');
    expect(text.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual(['source.m3u8', '360p.m3u8']);
  });

  it('answers 404 for an event with nothing recorded, a rendition it lacks, or a name that is not plain', async () => {
    expect((await get('/live/master.m3u8')).status).toBe(404);
    writeSession(dir, 1, 2, START);
    expect((await get('/live/1080p.m3u8')).status).toBe(404);
    expect((await get('/live/..%2Fsource.m3u8')).status).toBe(404);
    expect((await fetch(`${origin}/media/events/other/live/source.m3u8`)).status).toBe(404);
    expect((await get('/sessions/')).status).toBe(404);
    expect((await get('/sessions/1/')).status).toBe(404);
  });
});
