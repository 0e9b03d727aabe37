import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { build, type Rolldown } from 'vite';

/**
 * The probe page (probe-page.ts bundled with janus.js and webrtc-adapter by Vite, in memory), served either on a free
 * loopback port of its own (`startProbeServer`: the harness's spec and the bench, with the harness's Janus) or inside
 * Parvis's origin (`openProbe`: Parvis's /janus proxy answers only pages of its own origin). `http://127.0.0.1` is a
 * secure context, so the page may ask for the (fake) camera.
 */
export interface ProbeServer {
  url: string;
  close(): Promise<void>;
}

const entry = fileURLToPath(new URL('./probe-page.ts', import.meta.url));
const HTML = '<!doctype html><html lang="en"><meta charset="utf-8"><title>Janus probe</title><script type="module" src="probe.js"></script></html>';
let bundled: Promise<string> | undefined;

function probeScript(): Promise<string> {
  return (bundled ??= (async () => {
    const output = (await build({
      configFile: false,
      logLevel: 'silent',
      build: { write: false, minify: false, lib: { entry, formats: ['es'], fileName: 'probe' } },
    })) as Rolldown.RolldownOutput[];
    const chunk = output[0]!.output.find((file) => file.type === 'chunk');
    if (chunk === undefined) throw new Error('the probe page did not bundle');
    return chunk.code;
  })());
}

export async function startProbeServer(): Promise<ProbeServer> {
  const script = await probeScript();
  const server: Server = createServer((request, response) => {
    if (request.url === '/probe.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    } else {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(HTML);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Opens the probe inside Parvis's origin: a page of Parvis (`/healthz`) with the probe's script added. Served by Parvis
 * itself because Chromium's Local Network Access checks refuse a WebSocket to 127.0.0.1 from a page Playwright made up
 * (`route.fulfill`, of no known address: ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS). The page's context needs
 * `bypassCSP: true`, since Parvis's Content-Security-Policy refuses inline scripts.
 */
export async function openProbe(page: Page, origin: string): Promise<void> {
  const script = await probeScript();
  await page.goto(`${origin}/healthz`);
  await page.addScriptTag({ content: script, type: 'module' });
  await page.waitForFunction(() => typeof window.probeJoin === 'function');
}
