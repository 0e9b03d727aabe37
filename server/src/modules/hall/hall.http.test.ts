import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/harness';
import { testEvent } from '../../test/staff';

let server: TestServer;
const ORIGIN = 'https://parvis.bibliotheque.example';

beforeAll(async () => {
  server = await startTestServer({ publicOrigin: ORIGIN });
  await server.store.programme.saveProgramme([], [testEvent('hall-talk', { kind: 'lecture', status: 'live' })]);
});
afterAll(async () => {
  await server.stop();
});

/**
 * The dark modules an SVG from `qrcode` draws, read back from its path: `M x y` starts a row, `m dx 0` skips light
 * modules, `h n` draws n dark ones. Each string is one row of the picture, quiet zone included, `#` dark.
 */
function readModules(svg: string): string[] {
  const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)![1]);
  const rows = Array.from({ length: size }, () => Array<string>(size).fill('.'));
  const path = /<path stroke="#000000" d="([^"]+)"/.exec(svg)![1]!;
  let x = 0;
  let y = 0;
  for (const [, cmd, a, b] of path.matchAll(/([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?/g)) {
    if (cmd === 'M') [x, y] = [Number(a), Number(b)];
    else if (cmd === 'm') x += Number(a);
    else for (let i = 0; i < Number(a); i++) rows[Math.floor(y)]![x++] = '#';
  }
  return rows.map((r) => r.join(''));
}

/** The code of `text` as `qrcode` makes it, framed by a light quiet zone of `margin` modules. */
function expectedModules(text: string, margin: number): string[] {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = modules.size + 2 * margin;
  return Array.from({ length: size }, (_, row) =>
    Array.from({ length: size }, (_, col) => {
      const r = row - margin;
      const c = col - margin;
      return r >= 0 && c >= 0 && r < modules.size && c < modules.size && modules.get(r, c) ? '#' : '.';
    }).join(''),
  );
}

describe('the QR code of the auditorium', () => {
  it('is an SVG picture of the phone page address on PUBLIC_ORIGIN, with a quiet zone of four modules', async () => {
    const res = await fetch(`${server.url}/api/events/hall-talk/qr.svg`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const svg = await res.text();
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).not.toMatch(/<script/i);
    expect(readModules(svg)).toEqual(expectedModules(`${ORIGIN}/events/hall-talk/ask`, 4));
    // A picture of another address would not match: the check reads the picture, not the library's say-so.
    expect(readModules(svg)).not.toEqual(expectedModules(`${ORIGIN}/events/hall-talk`, 4));
  });

  it('gives the same address in words', async () => {
    const res = await fetch(`${server.url}/api/events/hall-talk/ask-link`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ url: `${ORIGIN}/events/hall-talk/ask` });
  });

  it('answers 404 for an event that does not exist', async () => {
    for (const path of ['qr.svg', 'ask-link']) {
      const res = await fetch(`${server.url}/api/events/no-such-event/${path}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
  });
});
