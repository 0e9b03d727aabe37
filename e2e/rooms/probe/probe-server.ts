import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build, type Rolldown } from 'vite';

/**
 * Serves the probe page (probe-page.ts bundled with janus.js and webrtc-adapter by Vite, in memory)
 * on a free loopback port: `http://127.0.0.1` is a secure context, so the page may ask for the (fake) camera.
 */
export interface ProbeServer {
  url: string;
  close(): Promise<void>;
}

const entry = fileURLToPath(new URL('./probe-page.ts', import.meta.url));

export async function startProbeServer(): Promise<ProbeServer> {
  const output = (await build({
    configFile: false,
    logLevel: 'silent',
    build: { write: false, minify: false, lib: { entry, formats: ['es'], fileName: 'probe' } },
  })) as Rolldown.RolldownOutput[];
  const chunk = output[0]!.output.find((file) => file.type === 'chunk');
  if (chunk === undefined) throw new Error('the probe page did not bundle');
  const script = chunk.code;
  const html = '<!doctype html><html lang="en"><meta charset="utf-8"><title>Janus probe</title><script type="module" src="/probe.js"></script></html>';
  const server: Server = createServer((request, response) => {
    if (request.url === '/probe.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    } else {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
