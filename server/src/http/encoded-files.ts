import { stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import type { Request, RequestHandler, Response } from 'express';
import { COMPRESSIBLE, ENCODINGS, type Coding } from './precompress';

/**
 * The coding to send, among the copies the build made: the one the client rates highest, br before gzip on a tie.
 * Written here rather than with Express's `req.acceptsEncodings`, which breaks ties in the header's order, and
 * browsers list gzip before br ("gzip, deflate, br, zstd"). Without the header, only the file as it is.
 */
export function pickEncoding(acceptEncoding: string | undefined, available: readonly Coding[]): Coding | undefined {
  if (!acceptEncoding) return undefined;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (!name) continue;
    const q = params.find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(name, Number.isFinite(weight) ? weight : 0);
  }
  let best: Coding | undefined;
  let bestWeight = 0;
  for (const coding of available) {
    const weight = weights.get(coding) ?? weights.get('*') ?? 0;
    if (weight > bestWeight) {
      best = coding;
      bestWeight = weight;
    }
  }
  return best;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Sends the best precompressed copy of `file` the client accepts, with the file's own Content-Type. Answers false,
 * having sent nothing, when there is no such copy: the caller then sends the file as it is. Whenever copies exist,
 * the answer varies by Accept-Encoding, and says so, so that no cache hands a brotli body to a client without brotli.
 */
export async function sendEncoded(req: Request, res: Response, file: string, cacheControl: string): Promise<boolean> {
  if (!COMPRESSIBLE.has(extname(file))) return false;
  const found = await Promise.all(ENCODINGS.map(async ({ coding, suffix }) => ((await isFile(file + suffix)) ? coding : undefined)));
  const available = found.filter((coding) => coding !== undefined);
  if (available.length === 0) return false;
  res.vary('Accept-Encoding');
  const coding = pickEncoding(req.headers['accept-encoding'], available);
  if (coding === undefined) return false;
  res.type(extname(file));
  res.setHeader('Content-Encoding', coding);
  res.setHeader('Cache-Control', cacheControl);
  res.sendFile(file + ENCODINGS.find((e) => e.coding === coding)!.suffix, { cacheControl: false });
  return true;
}

/** `path` (from a URL) as a file inside `root`, or undefined for anything that would step out of it or is hidden. */
function fileUnder(root: string, path: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.split('/').some((segment) => segment.startsWith('.'))) return undefined;
  const file = join(root, decoded);
  return file.startsWith(root + sep) ? file : undefined;
}

/**
 * Serves the files of `root` precompressed, for clients that accept it; every other request (no copy, no accepted
 * coding, no such file) goes on to the next handler, which serves the file as it is or answers 404.
 */
export function precompressed(root: string, cacheControl: string): RequestHandler {
  return async (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const file = fileUnder(root, req.path);
    if (file === undefined || !(await isFile(file)) || !(await sendEncoded(req, res, file, cacheControl))) next();
  };
}
