// Test support: the media router alone in a real Express app on a free port, mounted the way the app mounts it.
import { once } from 'node:events';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createMediaRouter } from './index';
import type { MediaOptions } from './index';

export interface MediaTestServer {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  close(): Promise<void>;
}

export async function startMediaServer(options: MediaOptions): Promise<MediaTestServer> {
  const app = express();
  app.use('/media', createMediaRouter(options));
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: async () => {
      // fetch keeps connections alive; without this, close() waits for them to time out.
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/**
 * GET with the path sent exactly as given. fetch normalises `..` and `%2e%2e` away before sending, which would hide
 * the very requests a traversal test needs to make.
 */
export function rawGet(origin: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}/`, { path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
