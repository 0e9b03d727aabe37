import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import type { RenderedEmail } from './email-renderer';

/**
 * Where emails go: an SMTP server (SMTP_URL set), or `.eml` files in a directory (the embedded default, which needs
 * no set-up). Either way the message is built by nodemailer, with the Message-ID derived from the outbox row, so a
 * message sent again after a crash is recognisably the same message.
 */
export interface MailTransport {
  readonly kind: 'smtp' | 'eml';
  /** Resolves once the message is handed over (accepted by the server, or the file in place); rejects otherwise. */
  send(email: RenderedEmail): Promise<void>;
  close(): void;
}

function message(email: RenderedEmail) {
  return {
    from: email.from,
    to: email.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    attachments: email.attachments.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
    headers: email.headers,
    messageId: email.messageId,
  };
}

/** The message as MIME bytes (CRLF line ends, as RFC 5322 files are), built by nodemailer's buffering stream transport. */
export async function buildMime(email: RenderedEmail): Promise<Buffer> {
  const composer = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const info = await composer.sendMail(message(email));
  return info.message as Buffer;
}

/** Seconds an SMTP server may take at each step before the attempt fails and is retried later. */
const SMTP_CONNECTION_TIMEOUT_MS = 30_000;
const SMTP_GREETING_TIMEOUT_MS = 30_000;
const SMTP_SOCKET_TIMEOUT_MS = 60_000;
/**
 * The longest one attempt can take (connect, greeting, then the exchange): the sender's lease on a row must outlast it,
 * or another process could send the row again while this one is still at it.
 */
export const SMTP_ATTEMPT_MAX_MS = SMTP_CONNECTION_TIMEOUT_MS + SMTP_GREETING_TIMEOUT_MS + 2 * SMTP_SOCKET_TIMEOUT_MS;

/** nodemailer over SMTP_URL (`smtp://`, `smtps://`, credentials in the URL), with a small pool of connections. */
export class SmtpTransport implements MailTransport {
  readonly kind = 'smtp';
  private readonly mailer;

  constructor(url: string) {
    this.mailer = createTransport({
      url,
      pool: true,
      maxConnections: 3,
      connectionTimeout: SMTP_CONNECTION_TIMEOUT_MS,
      greetingTimeout: SMTP_GREETING_TIMEOUT_MS,
      socketTimeout: SMTP_SOCKET_TIMEOUT_MS,
    });
  }

  async send(email: RenderedEmail): Promise<void> {
    await this.mailer.sendMail(message(email));
  }

  close(): void {
    this.mailer.close();
  }
}

/** Outbox ids are UUIDs; anything else is refused rather than allowed near a path. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * Writes each email to `<dir>/<outbox id>.eml`, for an admin to read (in the admin's outbox page, or any mail client)
 * when there is no SMTP server. Written to a temporary file and renamed, so a reader never sees half a message; sending
 * the same row again replaces the file with the same message.
 */
export class EmlDirectoryTransport implements MailTransport {
  readonly kind = 'eml';

  constructor(readonly dir: string) {}

  pathOf(id: string): string {
    if (!SAFE_ID.test(id)) throw new Error(`not an outbox id: ${id}`);
    return join(this.dir, `${id}.eml`);
  }

  async send(email: RenderedEmail): Promise<void> {
    const target = this.pathOf(email.id);
    const mime = await buildMime(email);
    await mkdir(this.dir, { recursive: true });
    const temp = join(this.dir, `.${email.id}.${randomUUID()}.tmp`);
    try {
      // Addresses and personal links are inside: readable by the server's user only.
      await writeFile(temp, mime, { mode: 0o600 });
      await rename(temp, target);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }

  /** The file written for this row, if there is one. */
  async read(id: string): Promise<Buffer | undefined> {
    if (!SAFE_ID.test(id)) return undefined;
    try {
      return await readFile(this.pathOf(id));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  close(): void {}
}
