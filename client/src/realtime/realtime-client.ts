import type { Ack, AckFn } from '#shared/protocol/ack';
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

export type RequestName = keyof ClientToServerEvents;
export type RequestPayload<E extends RequestName> = Parameters<ClientToServerEvents[E]>[0];
export type RequestResult<E extends RequestName> =
  Parameters<ClientToServerEvents[E]>[1] extends AckFn<infer T> ? T : never;
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
 * The one Socket.IO connection of the page, typed with the shared event maps. It connects lazily (the programme page
 * never needs it) and carries the guest token in the handshake `auth`, never in the URL.
 */
export class RealtimeClient implements RealtimeTransport {
  #socket: TypedSocket | null = null;
  #token: string | null;
  #status: ConnectionStatus = 'idle';
  #everConnected = false;
  #renewing = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #url: string | undefined;
  readonly #statusHandlers = new Set<(status: ConnectionStatus) => void>();
  readonly #authRejectedHandlers = new Set<() => void>();

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

  /** Called when the server refuses the handshake of a token (expired, signed with another key...). */
  onAuthRejected(handler: () => void): () => void {
    this.#authRejectedHandlers.add(handler);
    return () => this.#authRejectedHandlers.delete(handler);
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
      this.#everConnected = true;
      this.#setStatus('connected');
    });
    socket.on('disconnect', () => {
      if (this.#renewing) return;
      // `active` is false only when we closed the socket ourselves; otherwise Socket.IO reconnects on its own.
      this.#setStatus(socket.active ? 'reconnecting' : 'idle');
    });
    socket.on('connect_error', () => {
      if (socket.active) {
        // A transport failure: Socket.IO keeps retrying with backoff.
        this.#setStatus(this.#everConnected ? 'reconnecting' : 'connecting');
        return;
      }
      // The server's handshake middleware refused us. With a token, the token is the likely cause: drop it (the
      // root then clears the session, which reconnects as a read-only viewer). Without one, retry later.
      if (this.#token) {
        for (const handler of this.#authRejectedHandlers) handler();
        if (this.#token) this.setToken(null);
        if (!socket.active) socket.connect();
        return;
      }
      this.#setStatus(this.#everConnected ? 'reconnecting' : 'connecting');
      clearTimeout(this.#retryTimer);
      this.#retryTimer = setTimeout(() => {
        if (this.#socket === socket && !socket.connected && !socket.active) socket.connect();
      }, REFUSED_RETRY_MS);
    });
    this.#socket = socket;
    return socket;
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
