import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test/harness';
import { pickEncoding } from './encoded-files';
import { precompressDir } from './precompress';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The bytes as they came over the wire, before any decoding. */
  body: Buffer;
}

/** node:http rather than fetch, which would decode the body (and add its own Accept-Encoding) behind our back. */
function request(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** A built client in miniature: a hashed script and stylesheet large enough to compress, a tiny one, index.html. */
const script = Buffer.from(
  Array.from({ length: 400 }, (_, i) => `export const line${i} = "la bibliothèque reste ouverte en ligne ${i}";\n`).join(''),
);
const index = Buffer.from(
  `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Parvis</title>` +
    `<script type="module" src="/assets/index-Bx7a9Q2c.js"></script></head><body>${'<parvis-app></parvis-app>'.repeat(60)}</body></html>`,
);
const tiny = Buffer.from('export const a = 1;\n');

describe('the built client', () => {
  let server: TestServer;
  let clientDir: string;

  beforeAll(async () => {
    clientDir = mkdtempSync(join(tmpdir(), 'parvis-client-'));
    mkdirSync(join(clientDir, 'assets'));
    writeFileSync(join(clientDir, 'index.html'), index);
    writeFileSync(join(clientDir, 'assets', 'index-Bx7a9Q2c.js'), script);
    writeFileSync(join(clientDir, 'assets', 'tiny-Zq81xPa0.js'), tiny);
    expect(await precompressDir(clientDir)).toEqual([
      'assets/index-Bx7a9Q2c.js.br',
      'assets/index-Bx7a9Q2c.js.gz',
      'index.html.br',
      'index.html.gz',
    ]);
    server = await startTestServer({ clientDir });
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(clientDir, { recursive: true, force: true });
  });

  const asset = () => `${server.url}/assets/index-Bx7a9Q2c.js`;

  it('sends a hashed script brotli-compressed to a browser that accepts it, cached for good', async () => {
    const res = await request(asset(), { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers.vary).toMatch(/Accept-Encoding/i);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    expect(res.body.length).toBeLessThan(script.length / 4);
    expect(brotliDecompressSync(res.body).equals(script)).toBe(true);
  });

  it('sends it gzip-compressed to a client without brotli', async () => {
    const res = await request(asset(), { 'accept-encoding': 'gzip' });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers.vary).toMatch(/Accept-Encoding/i);
    expect(gunzipSync(res.body).equals(script)).toBe(true);
  });

  it('honours a client that refuses brotli with q=0', async () => {
    const res = await request(asset(), { 'accept-encoding': 'br;q=0, gzip;q=0.8' });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(res.body).equals(script)).toBe(true);
  });

  it('sends the bytes as they are to a client that accepts no compression, still cached for good', async () => {
    const res = await request(asset());
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers.vary).toMatch(/Accept-Encoding/i);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.body.equals(script)).toBe(true);
  });

  it('sends a file too small to compress as it is, whatever the client accepts', async () => {
    const res = await request(`${server.url}/assets/tiny-Zq81xPa0.js`, { 'accept-encoding': 'br, gzip' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.equals(tiny)).toBe(true);
  });

  it('answers a page route with index.html, compressed but revalidated on every visit', async () => {
    for (const path of ['/', '/events/rencontre-bd-marie-lenoir', '/index.html']) {
      const res = await request(`${server.url}${path}`, { 'accept-encoding': 'gzip, br' });
      expect(res.status, path).toBe(200);
      expect(res.headers['content-encoding'], path).toBe('br');
      expect(res.headers['content-type'], path).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control'], path).toBe('no-cache');
      expect(brotliDecompressSync(res.body).equals(index), path).toBe(true);
    }
    const plain = await request(`${server.url}/events/rencontre-bd-marie-lenoir`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['cache-control']).toBe('no-cache');
    expect(plain.body.equals(index)).toBe(true);
  });

  it('never sends a file from outside the client folder through an encoded path', async () => {
    const res = await request(`${server.url}/assets/..%2Findex.html`, { 'accept-encoding': 'br' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.status).not.toBe(200);
  });
});

describe('pickEncoding', () => {
  it('prefers brotli on a tie, follows q-values otherwise, and falls back to the file as it is', () => {
    expect(pickEncoding('gzip, deflate, br', ['br', 'gzip'])).toBe('br');
    expect(pickEncoding('gzip;q=1, br;q=0.5', ['br', 'gzip'])).toBe('gzip');
    expect(pickEncoding('*', ['br', 'gzip'])).toBe('br');
    expect(pickEncoding('*;q=0.5, br;q=0', ['br', 'gzip'])).toBe('gzip');
    expect(pickEncoding('identity', ['br', 'gzip'])).toBeUndefined();
    expect(pickEncoding('br', ['gzip'])).toBeUndefined();
    expect(pickEncoding(undefined, ['br', 'gzip'])).toBeUndefined();
  });
});
