import type { Ack } from '#shared/protocol/ack';
import type { ClientEventName, ClientPayload, ClientResult } from '#shared/protocol/client-events';
import type { ClientToServerEvents, ServerToClientEvents } from '#shared/protocol/events';
import { io, type Socket } from 'socket.io-client';

export type TypedSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * - `idle`: no socket yet, or closed on purpose.
 * - `connecting`: first connection in progress.
 * - `connected`.
 * - `reconnecting`: the connection dropped (or is being renewed with a new token) and Socket.IO is retrying.
 */
export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting';

export type RequestName = ClientEventName;
export type RequestPayload<E extends RequestName> = ClientPayload<E>;
export type RequestResult<E extends RequestName> = ClientResult<E>;
export type BroadcastName = keyof ServerToClientEvents;

/** What an event room needs from the connection; the real client below, a fake in unit tests. */
export interface RealtimeTransport {
  readonly status: ConnectionStatus;
  /** Opens the connection if nothing has yet. */
  ensureConnected(): void;
  /**
   * Emits a client → server event and resolves with its ack. Never rejects: a missing connection or a timeout
   * resolves as `UNAVAILABLE`, like any other protocol error.
   */
  request<E extends RequestName>(event: E, payload: RequestPayload<E>, timeoutMs?: number): Promise<Ack<RequestResult<E>>>;
  /** Listens to a broadcast; returns the function that stops listening. */
  on<E extends BroadcastName>(event: E, handler: ServerToClientEvents[E]): () => void;
  /** Called on every change of `status`, including each (re)connection. */
  onStatus(handler: (status: ConnectionStatus) => void): () => void;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** After the server refused a handshake, Socket.IO stops retrying by itself; we try again after this delay. */
const REFUSED_RETRY_MS = 5_000;

export interface RealtimeClientOptions {
  /** Same origin when omitted. */
  url?: string;
  token: string | null;
}

/**
 * Answers the token to connect with after the server refused or dropped `refused` (expired, revoked): a renewed one,
 * the same one to try again later (the renewal could not be done now), or null to connect as a read-only viewer.
 */
export type AuthRenewer = (refused: string) => Promise<string | null>;

/**
 * The one Socket.IO connection of the page, typed with the shared event maps. It connects lazily, when a page needs
 * live updates, and carries the person's token in the handshake `auth`, never in the URL.
 *
 * Tokens change under it: a new session or a renewed staff token reconnects with the new one (`setToken`). When the
 * server refuses a handshake or drops the socket itself (its token expired or was revoked: `auth:expired`,
 * `auth:revoked`, or a bare server disconnect, which may arrive first when several processes serve), the client asks
 * the renewer for a token and connects again; rooms rejoin on the `connected` status that follows.
 */
export class RealtimeClient implements RealtimeTransport {
  #socket: TypedSocket | null = null;
  #token: string | null;
  #status: ConnectionStatus = 'idle';
  #everConnected = false;
  #renewing = false;
  #renewingAuth = false;
  /** The server said it is stopping (`server:shutdown`): nothing new goes out until the next connection. */
  #serverLeaving = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #renewer: AuthRenewer | null = null;
  readonly #url: string | undefined;
  readonly #statusHandlers = new Set<(status: ConnectionStatus) => void>();

  constructor(options: RealtimeClientOptions) {
    this.#url = options.url;
    this.#token = options.token;
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  ensureConnected(): void {
    const socket = this.#getSocket();
    if (!socket.connected && !socket.active) {
      this.#setStatus(this.#everConnected ? 'reconnecting' : 'connecting');
      socket.connect();
    }
  }

  /**
   * Uses a new token (or none) from now on. An open connection is renewed so the server sees the new identity; rooms
   * rejoin on the `connected` status that follows.
   */
  setToken(token: string | null): void {
    if (token === this.#token) return;
    this.#token = token;
    const socket = this.#socket;
    if (!socket) return;
    socket.auth = this.#auth();
    if (socket.connected || socket.active) {
      this.#renewing = true;
      socket.disconnect();
      this.#renewing = false;
      this.#setStatus('reconnecting');
      socket.connect();
    }
  }

  /**
   * Who renews a token the server refused (expired, revoked, signed with another key...). Without one, the client
   * drops the token and connects as a read-only viewer.
   */
  setAuthRenewer(renewer: AuthRenewer | null): void {
    this.#renewer = renewer;
  }

  onStatus(handler: (status: ConnectionStatus) => void): () => void {
    this.#statusHandlers.add(handler);
    return () => this.#statusHandlers.delete(handler);
  }

  on<E extends BroadcastName>(event: E, handler: ServerToClientEvents[E]): () => void {
    // The typed overloads of Socket.on do not accept a generic event name; the public signature keeps it typed.
    const socket = this.#getSocket() as unknown as UntypedEmitter;
    const listener = handler as (...args: unknown[]) => void;
    socket.on(event, listener);
    return () => socket.off(event, listener);
  }

  async request<E extends RequestName>(
    event: E,
    payload: RequestPayload<E>,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<Ack<RequestResult<E>>> {
    const socket = this.#getSocket() as unknown as Socket;
    // Not buffering while offline: Socket.IO would send the packet on reconnection, after the caller gave up on it.
    if (!socket.connected) return unavailable('not connected');
    if (this.#serverLeaving) return unavailable('the server is restarting');
    try {
      return (await socket.timeout(timeoutMs).emitWithAck(event, payload)) as Ack<RequestResult<E>>;
    } catch {
      return unavailable('no answer from the server');
    }
  }

  /** Closes the connection for good (the root element is going away). */
  close(): void {
    clearTimeout(this.#retryTimer);
    this.#socket?.disconnect();
    this.#socket = null;
    this.#setStatus('idle');
  }

  #auth(): { token?: string } {
    return this.#token ? { token: this.#token } : {};
  }

  #getSocket(): TypedSocket {
    if (this.#socket) return this.#socket;
    const options = { autoConnect: false, auth: this.#auth() };
    const socket: TypedSocket = this.#url ? io(this.#url, options) : io(options);
    socket.on('connect', () => {
      clearTimeout(this.#retryTimer);
      this.#serverLeaving = false;
      this.#everConnected = true;
      this.#setStatus('connected');
    });
    socket.on('disconnect', (reason) => {
      if (this.#renewing) return;
      if (reason === 'io server disconnect') {
        // The server dropped us on purpose: our token expired or was revoked. Renew it (or go on without) and return.
        void this.#reconnectWithRenewedAuth(socket);
        return;
      }
      // `active` is false only when we closed the socket ourselves; otherwise Socket.IO reconnects on its own.
      this.#setStatus(socket.active ? 'reconnecting' : 'idle');
    });
    socket.on('server:shutdown', (_payload, ack) => {
      // The process is stopping: it answers what we already sent, then closes the connection, and Socket.IO reconnects
      // (to another process, behind a load balancer). Until then rooms count as left, so that sends wait for the rejoin
      // instead of being refused.
      this.#serverLeaving = true;
      this.#setStatus('reconnecting');
      ack();
    });
    socket.on('connect_error', (error) => {
      if (socket.active) {
        // A transport failure: Socket.IO keeps retrying with backoff.
        this.#setStatus(this.#everConnected ? 'reconnecting' : 'connecting');
        return;
      }
      // The server's handshake middleware refused us. With a token refused as such, renew it (a guest picks a name
      // again); otherwise (the server could not check it just now, or no token at all) retry later.
      const code = (error as Error & { data?: { code?: string } }).data?.code;
      if (this.#token && (code === undefined || code === 'UNAUTHENTICATED')) {
        void this.#reconnectWithRenewedAuth(socket);
        return;
      }
      this.#retryLater(socket);
    });
    this.#socket = socket;
    return socket;
  }

  async #reconnectWithRenewedAuth(socket: TypedSocket): Promise<void> {
    if (this.#renewingAuth) return;
    this.#renewingAuth = true;
    this.#setStatus(this.#everConnected ? 'reconnecting' : 'connecting');
    const refused = this.#token;
    let next: string | null = null;
    try {
      next = refused && this.#renewer ? await this.#renewer(refused) : null;
    } catch {
      next = null;
    } finally {
      this.#renewingAuth = false;
    }
    if (this.#socket !== socket) return;
    if (refused !== null && next === refused) {
      // Nothing better for now (offline, say): the same token, a little later.
      this.#retryLater(socket);
      return;
    }
    // The session may have moved on during the renewal (setToken was called): its token wins.
    if (this.#token === refused) this.#token = next;
    socket.auth = this.#auth();
    if (!socket.connected && !socket.active) socket.connect();
  }

  #retryLater(socket: TypedSocket): void {
    this.#setStatus(this.#everConnected ? 'reconnecting' : 'connecting');
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      if (this.#socket === socket && !socket.connected && !socket.active) socket.connect();
    }, REFUSED_RETRY_MS);
  }

  #setStatus(status: ConnectionStatus): void {
    if (status === this.#status && status !== 'connected') return;
    this.#status = status;
    for (const handler of this.#statusHandlers) handler(status);
  }
}

interface UntypedEmitter {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
}

function unavailable(message: string): { ok: false; error: { code: 'UNAVAILABLE'; message: string } } {
  return { ok: false, error: { code: 'UNAVAILABLE', message } };
}
