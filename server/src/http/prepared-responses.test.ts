import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PREPARED_TTL_MS, PreparedResponses } from './prepared-responses';

/**
 * A real HTTP server whose "app" makes a listing and counts how often it had to: what a visitor gets, and whether
 * the app was asked.
 */
describe('PreparedResponses', () => {
  let server: Server;
  let url: string;
  let now: number;
  let version: number;
  let stopping: boolean;
  let made: number;
  let prepared: PreparedResponses;

  beforeEach(async () => {
    now = 1_000_000;
    version = 1;
    stopping = false;
    made = 0;
    prepared = new PreparedResponses({ version: () => version, now: () => now, stopping: () => stopping });
    server = createServer((req, res) => {
      if (prepared.serve(req, res)) return;
      made++;
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      const body = prepared.prepare(req.url!, '/api/events', res, version, JSON.stringify({ made, version }));
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/events`;
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('answers from memory until the version changes or the time is up, and never a signed-in request', async () => {
    expect(await (await fetch(url)).json()).toEqual({ made: 1, version: 1 });
    expect(await (await fetch(url)).json()).toEqual({ made: 1, version: 1 });
    expect(await (await fetch(url, { headers: { Authorization: 'Bearer x' } })).json()).toEqual({ made: 2, version: 1 });
    version = 2;
    expect(await (await fetch(url)).json()).toEqual({ made: 3, version: 2 });
    now += PREPARED_TTL_MS;
    expect(await (await fetch(url)).json()).toEqual({ made: 4, version: 2 });
    stopping = true;
    expect(await (await fetch(url)).json()).toEqual({ made: 5, version: 2 });
  });

  it('answers 304 to any form of If-None-Match that names the listing, and 200 to one that does not', async () => {
    const etag = (await fetch(url)).headers.get('etag')!;
    const bare = etag.replace(/^W\//, '');
    for (const header of [etag, bare, `"other", ${etag}`, '*']) {
      const res = await fetch(url, { headers: { 'If-None-Match': header } });
      expect(res.status, header).toBe(304);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const stale = await fetch(url, { headers: { 'If-None-Match': '"something-else"' } });
    expect(stale.status).toBe(200);
    expect(stale.headers.get('content-length')).toBe(String(JSON.stringify({ made: 1, version: 1 }).length));
  });
});
