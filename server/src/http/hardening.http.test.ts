import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '#shared/protocol/errors';
import { startTestServer, type TestServer } from '../test/harness';

/** Everything the server logs at warn or above, as pino's JSON lines. */
function capturedLog() {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: pino({ level: 'warn' }, sink), errors: () => lines.filter((l) => l.level >= 50) };
}

/** A raw TCP connection that keeps what the server sent and tells when the server closed it. */
function rawConnection(port: number): { socket: Socket; received: () => string; closed: Promise<void> } {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (d) => (received += d.toString()));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, received: () => received, closed };
}

/** Sends one byte at a time, forever, until the connection closes: a client that never finishes. */
function trickle(socket: Socket, byte: string, everyMs: number): void {
  const timer = setInterval(() => {
    if (!socket.destroyed) socket.write(byte);
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
}

describe('the built client and request bodies', () => {
  let server: TestServer;
  let clientDir: string;
  const logged = capturedLog();

  beforeAll(async () => {
    clientDir = mkdtempSync(join(tmpdir(), 'parvis-client-'));
    mkdirSync(join(clientDir, 'assets'));
    writeFileSync(join(clientDir, 'index.html'), '<!doctype html><title>Parvis</title>');
    writeFileSync(join(clientDir, 'assets', 'app-1a2b3c.js'), 'console.log("parvis")');
    server = await startTestServer({ clientDir }, logged.log);
  });
  afterAll(async () => {
    await server.stop();
    rmSync(clientDir, { recursive: true, force: true });
  });

  it('answers 404 for an asset that does not exist, and logs no error', async () => {
    const found = await fetch(`${server.url}/assets/app-1a2b3c.js`);
    expect(found.status).toBe(200);
    expect(found.headers.get('cache-control')).toContain('immutable');
    const missing = await fetch(`${server.url}/assets/missing.js`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).not.toContain('<!doctype html>');
    const malformed = await fetch(`${server.url}/assets/%E0%A4%A.js`);
    expect(malformed.status).toBe(404);
    expect(logged.errors()).toEqual([]);
  });

  const guest = (body: Buffer | string, encoding: string) =>
    fetch(`${server.url}/api/auth/guest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': encoding },
      body,
    });

  it('refuses a body in an unknown Content-Encoding with 400, and logs no error', async () => {
    const res = await guest('{"displayName":"Ana"}', 'br2');
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: ErrorBody };
    expect(error.code).toBe('INVALID_PAYLOAD');
    expect(error.message).toMatch(/Content-Encoding/);
    expect(logged.errors()).toEqual([]);
  });

  it('refuses a body that does not inflate as its Content-Encoding says with 400, and logs no error', async () => {
    const res = await guest('{"displayName":"Ana"}', 'gzip');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: ErrorBody }).error.code).toBe('INVALID_PAYLOAD');
    expect(logged.errors()).toEqual([]);
  });

  it('still takes a gzipped body', async () => {
    const res = await guest(gzipSync('{"displayName":"Ana"}'), 'gzip');
    expect(res.status).toBe(200);
  });
});

describe('slow and idle connections', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Small timeouts so that the test does not wait; what is checked is that the server closes, not when.
    server = await startTestServer({ headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 300 });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('answers 408 and closes a connection that trickles its request body', async () => {
    const { socket, received, closed } = rawConnection(server.port);
    socket.write(
      'POST /api/auth/guest HTTP/1.1\r\nHost: parvis\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
    );
    trickle(socket, ' ', 50);
    await closed;
    expect(received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('answers 408 and closes a connection that trickles its headers', async () => {
    const { socket, received, closed } = rawConnection(server.port);
    socket.write('GET /healthz HTTP/1.1\r\nHost: parvis\r\nX-Slow: ');
    trickle(socket, 'a', 50);
    await closed;
    expect(received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes a keep-alive connection left idle after its answer', async () => {
    const { socket, received, closed } = rawConnection(server.port);
    socket.write('GET /healthz HTTP/1.1\r\nHost: parvis\r\n\r\n');
    await closed;
    expect(received()).toMatch(/^HTTP\/1\.1 200 /);
    expect(received()).toMatch(/Keep-Alive: timeout=/i);
  });
});

describe('the connection cap', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ maxConnections: 2 });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('drops a connection past MAX_CONNECTIONS and serves the ones it holds', async () => {
    const held = [rawConnection(server.port), rawConnection(server.port)];
    // A first request on each makes sure the server has taken both before the third knocks.
    for (const c of held) c.socket.write('GET /healthz HTTP/1.1\r\nHost: parvis\r\n\r\n');
    await Promise.all(held.map((c) => new Promise<void>((r) => c.socket.once('data', () => r()))));

    const extra = rawConnection(server.port);
    extra.socket.write('GET /healthz HTTP/1.1\r\nHost: parvis\r\n\r\n');
    await extra.closed;
    expect(extra.received()).toBe('');

    held[0]!.socket.write('GET /healthz HTTP/1.1\r\nHost: parvis\r\n\r\n');
    await new Promise<void>((r) => held[0]!.socket.once('data', () => r()));
    for (const c of held) c.socket.destroy();
  });
});
