import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';

/*
 * The few Janus API requests Parvis makes (server/src/modules/rooms/janus-provider.ts) and its tests make (as a
 * browser would), over the WebSocket transport: a session, a handle on the videoroom plugin, and messages to it. Every
 * request carries a signed token (janus-tokens.ts). Replies are matched by transaction; an asynchronous plugin
 * request answers `ack`, then an `event` with the same transaction.
 */

/** A Janus API message as it arrives. */
export interface JanusMessage {
  janus: string;
  transaction?: string;
  session_id?: number;
  sender?: number;
  error?: { code: number; reason: string };
  plugindata?: { plugin: string; data: Record<string, unknown> };
  data?: { id: number };
  [key: string]: unknown;
}

/** Janus answered with an error (core `error`, or the plugin's `error_code`). */
export class JanusError extends Error {
  constructor(
    readonly code: number,
    reason: string,
  ) {
    super(`Janus: ${reason} (${code})`);
  }
}

/** Janus's videoroom error codes Parvis acts on. */
export const VIDEOROOM_ERROR = { NO_SUCH_ROOM: 426, ROOM_EXISTS: 427, NO_SUCH_FEED: 428, UNAUTHORIZED: 433, INVALID_ELEMENT: 456 } as const;
/** Core error codes: an unauthorized request (bad, expired or forged token), an unauthorized plugin. */
export const JANUS_ERROR = { UNAUTHORIZED: 403, UNAUTHORIZED_PLUGIN: 405 } as const;

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * One WebSocket connection to Janus. Events that answer no request of ours (someone joined or left, we were kicked)
 * are emitted as `event`. Closing the socket ends its sessions in Janus.
 */
export class JanusConnection extends EventEmitter<{ event: [JanusMessage]; close: [] }> {
  private readonly pending = new Map<string, { resolve(m: JanusMessage): void; reject(e: Error): void; async: boolean }>();

  private constructor(private readonly ws: WebSocket) {
    super();
    ws.on('message', (raw) => this.receive(JSON.parse(String(raw)) as JanusMessage));
    ws.on('close', () => {
      for (const p of this.pending.values()) p.reject(new Error('Janus closed the connection'));
      this.pending.clear();
      this.emit('close');
    });
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<JanusConnection> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, 'janus-protocol', { headers, handshakeTimeout: REQUEST_TIMEOUT_MS });
      ws.once('open', () => resolve(new JanusConnection(ws)));
      ws.once('error', reject);
    });
  }

  close(): void {
    this.ws.close();
  }

  /**
   * Sends a request and waits for its answer: `success`, or for an asynchronous plugin request (`async`) the `event`
   * after the `ack`. Throws JanusError on an error from the core or the plugin.
   */
  request(body: Record<string, unknown>, async = false): Promise<JanusMessage> {
    const transaction = randomBytes(9).toString('base64url');
    return new Promise<JanusMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(transaction);
        reject(new Error(`Janus did not answer ${String(body.janus)} in time`));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(transaction, {
        async,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.ws.send(JSON.stringify({ ...body, transaction }));
    });
  }

  private receive(m: JanusMessage): void {
    const waiting = m.transaction ? this.pending.get(m.transaction) : undefined;
    if (!waiting) {
      this.emit('event', m);
      return;
    }
    if (m.janus === 'ack' && waiting.async) return;
    this.pending.delete(m.transaction!);
    if (m.janus === 'error') return waiting.reject(new JanusError(m.error?.code ?? 0, m.error?.reason ?? 'error'));
    const data = m.plugindata?.data;
    if (data && typeof data.error_code === 'number') return waiting.reject(new JanusError(data.error_code, String(data.error)));
    waiting.resolve(m);
  }
}

/** A session with one handle on the videoroom plugin, as Parvis and a browser each hold. */
export class VideoroomHandle {
  private constructor(
    readonly connection: JanusConnection,
    private readonly token: string,
    readonly sessionId: number,
    readonly handleId: number,
  ) {}

  /** Opens a connection, creates a session and attaches to the videoroom, all with `token`. */
  static async open(url: string, token: string, headers?: Record<string, string>): Promise<VideoroomHandle> {
    const connection = await JanusConnection.open(url, headers);
    try {
      const session = await connection.request({ janus: 'create', token });
      const sessionId = session.data!.id;
      const handle = await connection.request({ janus: 'attach', session_id: sessionId, plugin: 'janus.plugin.videoroom', token });
      return new VideoroomHandle(connection, token, sessionId, handle.data!.id);
    } catch (err) {
      connection.close();
      throw err;
    }
  }

  /** A synchronous videoroom request (create, destroy, exists, allowed, kick, moderate…): its `plugindata.data`. */
  async sync(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const reply = await this.connection.request(this.message(body));
    return reply.plugindata?.data ?? {};
  }

  /** An asynchronous one (join, configure, leave): the data of the event that answers it. */
  async async(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const reply = await this.connection.request(this.message(body), true);
    return reply.plugindata?.data ?? {};
  }

  close(): void {
    this.connection.close();
  }

  private message(body: Record<string, unknown>) {
    return { janus: 'message', session_id: this.sessionId, handle_id: this.handleId, token: this.token, body };
  }
}
