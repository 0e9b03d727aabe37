import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captionsIn, makeCaptionedStream } from '../../test/cea608';
import { ffmpegArguments } from './ladder';

const run = promisify(execFile);
const FFMPEG = '/usr/bin/ffmpeg';

/*
 * Captions inside the video (CEA-608 from OBS or a caption inserter) go through the ingest's ffmpeg: the copied source
 * keeps them, and the renditions encoded by Parvis carry them over. Real ffmpeg on a stream made with captions in it,
 * run with the very arguments the transcoder uses (on a file rather than the RTMP input).
 */
describe('captions inside the video through the ingest', () => {
  let dir: string;
  let input: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parvis-cea608-'));
    input = await makeCaptionedStream(FFMPEG, dir, 'HELLO PARVIS');
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the CEA-608 captions in the copied source and in the encoded renditions', async () => {
    // The stream made for the test carries them to begin with.
    expect(await captionsIn(FFMPEG, input, dir)).toContain('HELLO PARVIS');
    const out = join(dir, 'session');
    await run('mkdir', ['-p', out]);
    await run(FFMPEG, ffmpegArguments({ input, dir: out, ladder: ['source', '360p'], segmentSeconds: 2 }));
    const files = await readdir(out);
    for (const rendition of ['source', '360p']) {
      const first = files.filter((f) => f.startsWith(`${rendition}_`) && f.endsWith('.ts')).sort()[0];
      expect(first, `a segment of ${rendition}`).toBeDefined();
      expect(await captionsIn(FFMPEG, join(out, first!), dir), rendition).toContain('HELLO PARVIS');
    }
  }, 120_000);
});
