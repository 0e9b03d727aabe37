import type { Ack } from '#shared/protocol/ack';
import type { ClientEventName, ClientPayload, ClientResult } from '#shared/protocol/client-events';
import type { ClientToServerEvents, ServerToClientEvents } from '#shared/protocol/events';
import type { io as ioFactory, Socket } from 'socket.io-client';

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

type IoFactory = typeof ioFactory;

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
  /**
   * The Socket.IO client, a chunk of its own fetched at the first `ensureConnected`: a page shows what it got over HTTP
   * without waiting for it, and the live updates follow.
   */
  #io: IoFactory | null = null;
  #ioLoading: Promise<void> | null = null;
  /** Whether the page wants the connection: false until the first `ensureConnected`, and again after `close`. */
  #wanted = false;
  /** Broadcast listeners, by event, attached to the socket once it exists (pages listen before it is loaded). */
  readonly #listeners = new Map<string, Set<(...args: unknown[]) => void>>();
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
    this.#wanted = true;
    const socket = this.#getSocket();
    if (!socket) {
      this.#setStatus(this.#everConnected ? 'reconnecting' : 'connecting');
      void this.loaded();
      return;
    }
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
    const listener = handler as (...args: unknown[]) => void;
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
    // The typed overloads of Socket.on do not accept a generic event name; the public signature keeps it typed.
    (this.#socket as unknown as UntypedEmitter | null)?.on(event, listener);
    return () => {
      this.#listeners.get(event)?.delete(listener);
      (this.#socket as unknown as UntypedEmitter | null)?.off(event, listener);
    };
  }

  /**
   * Resolves once the Socket.IO client is loaded and, when the connection is wanted, its socket made. A chunk that
   * cannot be fetched (offline, or a deploy replaced it) is fetched again a little later; the status says connecting.
   */
  loaded(): Promise<void> {
    this.#ioLoading ??= import('socket.io-client').then(
      ({ io }) => {
        this.#io = io;
        if (this.#wanted) this.ensureConnected();
      },
      () => {
        this.#ioLoading = null;
        clearTimeout(this.#retryTimer);
        this.#retryTimer = setTimeout(() => {
          if (this.#wanted) this.ensureConnected();
        }, REFUSED_RETRY_MS);
      },
    );
    return this.#ioLoading;
  }

  async request<E extends RequestName>(
    event: E,
    payload: RequestPayload<E>,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<Ack<RequestResult<E>>> {
    const socket = this.#socket as unknown as Socket | null;
    // Not buffering while offline: Socket.IO would send the packet on reconnection, after the caller gave up on it.
    if (!socket?.connected) return unavailable('not connected');
    if (this.#serverLeaving) return unavailable('the server is restarting');
    try {
      return (await socket.timeout(timeoutMs).emitWithAck(event, payload)) as Ack<RequestResult<E>>;
    } catch {
      return unavailable('no answer from the server');
    }
  }

  /** Closes the connection for good (the root element is going away). */
  close(): void {
    this.#wanted = false;
    clearTimeout(this.#retryTimer);
    this.#socket?.disconnect();
    this.#socket = null;
    this.#setStatus('idle');
  }

  #auth(): { token?: string } {
    return this.#token ? { token: this.#token } : {};
  }

  /** The socket, made at the first call once the client is loaded; null before. */
  #getSocket(): TypedSocket | null {
    if (this.#socket) return this.#socket;
    const io = this.#io;
    if (!io) return null;
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
    // The page's listeners, after the client's own, as when they were added to a socket already made.
    for (const [event, listeners] of this.#listeners) {
      for (const listener of listeners) (socket as unknown as UntypedEmitter).on(event, listener);
    }
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
