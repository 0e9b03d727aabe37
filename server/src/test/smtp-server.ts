import { simpleParser, type ParsedMail } from 'mailparser';
import type { Socket } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/** A message the test server accepted, parsed by mailparser. */
export interface ReceivedMail {
  parsed: ParsedMail;
  raw: Buffer;
  /** The envelope's recipients (RCPT TO), lower-case. */
  to: string[];
  /** The name the sender gave in EHLO: tells apart processes given different names (`SMTP_URL=…?name=a`). */
  client: string;
}

/**
 * How the server answers a message once it has read it: take it; refuse it (`451` asks the sender to try again
 * later, `550` refuses for good); or hold it, never answering (a server that hangs, or a sender that dies mid-send).
 */
export type SmtpAnswer = 'accept' | 'hold' | { code: number; message: string };

export interface TestSmtpServer {
  port: number;
  /** `smtp://127.0.0.1:<port>`, for SMTP_URL. */
  url: string;
  /** Messages accepted, in order. */
  received: ReceivedMail[];
  /** Messages read in full, whatever the answer: each is one attempt at sending. */
  attempts: number;
  /** Decides the answer to each message, given its attempt number (1 for the first message read). */
  answer: (attempt: number, raw: Buffer) => SmtpAnswer;
  /** Resolves with the first accepted message that passes `check`, waiting for it if need be. */
  waitFor(check: (mail: ReceivedMail) => boolean, timeoutMs?: number, what?: string): Promise<ReceivedMail>;
  /** Resolves once `n` messages have been read (accepted or not). */
  waitForAttempts(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real SMTP server (smtp-server) on a free loopback port, without TLS or authentication, that parses what it
 * accepts with mailparser. Tests read what a person's mailbox would get from `received`.
 */
export async function startSmtpServer(answer: TestSmtpServer['answer'] = () => 'accept'): Promise<TestSmtpServer> {
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of [...waiters]) w();
  };
  const server: TestSmtpServer = {
    port: 0,
    url: '',
    received: [],
    attempts: 0,
    answer,
    waitFor(check, timeoutMs = 15_000, what = 'an email') {
      return new Promise((resolve, reject) => {
        const look = () => {
          const found = server.received.find(check);
          if (!found) return false;
          clearTimeout(timer);
          waiters.delete(look);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(look);
          reject(new Error(`timed out waiting for ${what} at the test SMTP server (${server.received.length} received)`));
        }, timeoutMs);
        if (!look()) waiters.add(look);
      });
    },
    waitForAttempts(n, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const look = () => {
          if (server.attempts < n) return false;
          clearTimeout(timer);
          waiters.delete(look);
          resolve();
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(look);
          reject(new Error(`timed out waiting for ${n} attempts at the test SMTP server (${server.attempts} seen)`));
        }, timeoutMs);
        if (!look()) waiters.add(look);
      });
    },
    close: async () => {},
  };

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 1000,
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null) => void) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const attempt = ++server.attempts;
        const reply = server.answer(attempt, raw);
        wake();
        if (reply === 'hold') return;
        if (reply !== 'accept') {
          callback(Object.assign(new Error(reply.message), { responseCode: reply.code }));
          return;
        }
        simpleParser(raw).then(
          (parsed) => {
            server.received.push({
              parsed,
              raw,
              to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              client: session.hostNameAppearsAs,
            });
            callback();
            wake();
          },
          (err: Error) => callback(err),
        );
      });
    },
  });
  // A held message keeps its connection open: closing the server must not wait for it.
  const sockets = new Set<Socket>();
  smtp.server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(0, '127.0.0.1', () => resolve());
  });
  smtp.on('error', () => {
    // A client that goes away mid-message (a killed process) is an ordinary event here.
  });
  const { port } = smtp.server.address() as { port: number };
  server.port = port;
  server.url = `smtp://127.0.0.1:${port}`;
  let closing: Promise<void> | undefined;
  server.close = () =>
    (closing ??= new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      smtp.close(() => resolve());
    }));
  return server;
}
