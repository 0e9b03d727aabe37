import { readdir, readFile, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/**
 * The encodings the build writes next to each text file of the client (`index-3f2a.js.br`, `index-3f2a.js.gz`) and
 * the server sends to browsers that accept them, best first. Compressing once at build time lets the slowest, tightest
 * settings pay off (brotli 11 makes hls.js 18% smaller than gzip 9 does) at no cost per request.
 */
export const ENCODINGS = [
  { coding: 'br', suffix: '.br' },
  { coding: 'gzip', suffix: '.gz' },
] as const;
export type Coding = (typeof ENCODINGS)[number]['coding'];

/** Text formats worth compressing; images and video in the client are compressed already. */
export const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.svg', '.json', '.webmanifest', '.map', '.txt', '.xml']);

/** Below this, a compressed copy saves less than the headers it costs. */
const MIN_BYTES = 1024;

const compressors: Record<Coding, (data: Buffer) => Promise<Buffer>> = {
  br: (data) =>
    promisify(brotliCompress)(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
  gzip: (data) => promisify(gzip)(data, { level: constants.Z_BEST_COMPRESSION }),
};

/**
 * Writes a `.br` and a `.gz` copy of every compressible file under `dir` (the built client), when the copy is smaller
 * than the file. Run by the Vite build (vite.config.ts); returns the copies written, relative to `dir`.
 */
export async function precompressDir(dir: string): Promise<string[]> {
  const written: string[] = [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  await Promise.all(
    entries
      .filter((entry) => entry.isFile() && COMPRESSIBLE.has(extname(entry.name)))
      .map(async (entry) => {
        const path = join(entry.parentPath, entry.name);
        const data = await readFile(path);
        if (data.length < MIN_BYTES) return;
        for (const { coding, suffix } of ENCODINGS) {
          const packed = await compressors[coding](data);
          if (packed.length >= data.length) continue;
          await writeFile(path + suffix, packed);
          written.push(path.slice(dir.length + 1) + suffix);
        }
      }),
  );
  return written.sort();
}
