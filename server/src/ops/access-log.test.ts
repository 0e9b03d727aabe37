import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { startParvis, type RunningParvis } from '../parvis';
import { eventually } from '../test/harness';

interface LogLine {
  level: number;
  msg: string;
  req?: { method: string; url: string };
  res?: { statusCode: number };
  responseTime?: number;
}

describe('the HTTP access log', () => {
  const lines: LogLine[] = [];
  const raw: string[] = [];
  let parvis: RunningParvis;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'parvis-log-'));
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        raw.push(chunk.toString());
        lines.push(JSON.parse(chunk.toString()) as LogLine);
        done();
      },
    });
    const config = { ...loadConfig({}), port: 0, host: '127.0.0.1', dataDir, mediaDir: resolve('media'), logLevel: 'info' };
    parvis = await startParvis(config, pino({ level: 'info' }, stream));
  });
  afterAll(async () => {
    await parvis?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const answered = (url: string) => lines.filter((line) => line.req?.url === url && line.res);

  it('writes one line per answer, with method, path, status and time, and never a header', async () => {
    const res = await fetch(`${parvis.url}/api/auth/me`, {
      headers: { authorization: 'Bearer not-a-real-token-4f1c', cookie: 'parvis_refresh=secret-cookie-9b2e' },
    });
    expect(res.status).toBe(401);
    await eventually(() => answered('/api/auth/me').length > 0, 5000, 'the access log line');
    const [line] = answered('/api/auth/me');
    expect(line).toMatchObject({ level: 30, req: { method: 'GET', url: '/api/auth/me' }, res: { statusCode: 401 } });
    expect(line!.responseTime).toBeGreaterThanOrEqual(0);
    expect(raw.join('')).not.toContain('not-a-real-token-4f1c');
    expect(raw.join('')).not.toContain('secret-cookie-9b2e');
  });

  it('keeps media segments and probes out of the info log', async () => {
    expect((await fetch(`${parvis.url}/media/demo/master.m3u8`)).status).toBe(200);
    expect((await fetch(`${parvis.url}/healthz`)).status).toBe(200);
    // A request logged at info after them: once its line is there, theirs would be too.
    await fetch(`${parvis.url}/api/events?marker=1`);
    await eventually(() => answered('/api/events?marker=1').length > 0, 5000, 'the marker line');
    expect(answered('/media/demo/master.m3u8')).toEqual([]);
    expect(answered('/healthz')).toEqual([]);
  });
});
