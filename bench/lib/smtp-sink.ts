/*
 * The local SMTP server of the mail row: smtp-server (the one the tests use) on a free loopback port, without TLS or
 * authentication, in a process of its own so that its CPU is counted apart from the Parvis processes that send to it.
 * It accepts every message, keeps its Message-ID (a duplicate is an email sent twice) and the time it arrived on the
 * machine-wide monotonic clock (lib/clock.ts), and answers those over IPC. Nothing is parsed beyond the header.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import { monoNow } from './clock';
import { serveRpc } from './ipc';

const arrivals: number[] = [];
const messageIds = new Map<string, number>();
const clients = new Set<string>();

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  // Every process's pool of 3 connections, with room to spare.
  maxClients: 100,
  onData(stream: SMTPServerDataStream, session, callback: (err?: Error | null) => void) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const head = Buffer.concat(chunks).subarray(0, 8192).toString('latin1');
      const id = /^Message-ID:\s*(\S+)/im.exec(head)?.[1] ?? `(none ${arrivals.length})`;
      messageIds.set(id, (messageIds.get(id) ?? 0) + 1);
      clients.add(session.remoteAddress + ':' + String(session.remotePort));
      arrivals.push(monoNow());
      callback();
    });
  },
});
smtp.on('error', () => {
  // A sender that goes away mid-message (a stopped server) is an ordinary event here.
});

serveRpc({
  /** How many messages came, when the first and the last came, and how many Message-IDs came more than once. */
  stats() {
    const duplicates = [...messageIds.values()].filter((n) => n > 1).length;
    return {
      received: arrivals.length,
      distinct: messageIds.size,
      duplicates,
      first: arrivals[0] ?? null,
      last: arrivals.at(-1) ?? null,
      connections: clients.size,
    };
  },
  reset() {
    arrivals.length = 0;
    messageIds.clear();
    clients.clear();
    return true;
  },
});

smtp.listen(0, '127.0.0.1', () => {
  process.send!({ type: 'ready', port: (smtp.server.address() as AddressInfo).port });
});
