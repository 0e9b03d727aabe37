import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type Listener = (...args: unknown[]) => void;

/** Just enough of a Socket.IO client socket to play the server's part: handshakes refused, sockets dropped. */
class FakeSocket {
  auth: { token?: string } = {};
  connected = false;
  active = false;
  connects: Array<{ token?: string }> = [];
  /** Requests that went out, as `[event, payload]`. */
  sent: unknown[][] = [];
  #listeners = new Map<string, Set<Listener>>();

  on(event: string, listener: Listener): this {
    const set = this.#listeners.get(event) ?? new Set();
    set.add(listener);
    this.#listeners.set(event, set);
    return this;
  }

  off(event: string, listener: Listener): this {
    this.#listeners.get(event)?.delete(listener);
    return this;
  }

  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.#listeners.get(event) ?? []) listener(...args);
  }

  connect(): this {
    this.active = true;
    this.connects.push({ ...this.auth });
    return this;
  }

  disconnect(): this {
    const was = this.connected;
    this.connected = false;
    this.active = false;
    if (was) this.emit('disconnect', 'io client disconnect');
    return this;
  }

  timeout(): { emitWithAck: (...args: unknown[]) => Promise<unknown> } {
    return {
      emitWithAck: async (...args) => {
        this.sent.push(args);
        return { ok: true, data: {} };
      },
    };
  }

  // --- the server's side ---
  accept(): void {
    this.connected = true;
    this.emit('connect');
  }

  refuseHandshake(code = 'UNAUTHENTICATED'): void {
    this.active = false;
    this.emit('connect_error', Object.assign(new Error('refused'), { data: { code } }));
  }

  /** The connection itself closed (the server process stopped): Socket.IO reconnects by itself. */
  dropTransport(): void {
    this.connected = false;
    this.emit('disconnect', 'transport close');
  }

  dropFromServer(): void {
    this.connected = false;
    this.active = false;
    this.emit('disconnect', 'io server disconnect');
  }
}

const sockets: FakeSocket[] = [];
vi.mock('socket.io-client', () => ({
  io: (options: { auth: { token?: string } }) => {
    const socket = new FakeSocket();
    socket.auth = options.auth;
    sockets.push(socket);
    return socket;
  },
}));

const { RealtimeClient } = await import('./realtime-client');

const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('RealtimeClient auth renewal', () => {
  beforeEach(() => {
    sockets.length = 0;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('carries the token in the handshake auth', async () => {
    const client = new RealtimeClient({ token: 'T1' });
    client.ensureConnected();
    await client.loaded();
    expect(sockets[0]!.connects).toEqual([{ token: 'T1' }]);
  });

  it('reconnects with the renewed token after the server dropped the socket (token expired or revoked)', async () => {
    const renewer = vi.fn(async () => 'T2');
    const client = new RealtimeClient({ token: 'T1' });
    client.setAuthRenewer(renewer);
    const statuses: string[] = [];
    client.onStatus((s) => statuses.push(s));
    client.ensureConnected();
    await client.loaded();
    const socket = sockets[0]!;
    socket.accept();
    socket.emit('auth:expired', {});
    socket.dropFromServer();
    await flush();
    expect(renewer).toHaveBeenCalledWith('T1');
    expect(socket.connects.at(-1)).toEqual({ token: 'T2' });
    socket.accept();
    expect(statuses).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
  });

  it('renews a token refused at the handshake, and goes on without one when the session is gone', async () => {
    const client = new RealtimeClient({ token: 'T1' });
    client.setAuthRenewer(async () => null);
    client.ensureConnected();
    await client.loaded();
    const socket = sockets[0]!;
    socket.refuseHandshake();
    await flush();
    expect(socket.connects.at(-1)).toEqual({});
  });

  it('tries the same token again later when the renewal has to wait (offline)', async () => {
    vi.useFakeTimers();
    const client = new RealtimeClient({ token: 'T1' });
    client.setAuthRenewer(async () => 'T1');
    client.ensureConnected();
    await client.loaded();
    const socket = sockets[0]!;
    socket.refuseHandshake();
    await vi.advanceTimersByTimeAsync(0);
    expect(socket.connects).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(socket.connects).toEqual([{ token: 'T1' }, { token: 'T1' }]);
  });

  it('does not drop the token when the server could not check it just now', async () => {
    vi.useFakeTimers();
    const renewer = vi.fn(async () => 'T2');
    const client = new RealtimeClient({ token: 'T1' });
    client.setAuthRenewer(renewer);
    client.ensureConnected();
    await client.loaded();
    const socket = sockets[0]!;
    socket.refuseHandshake('UNAVAILABLE');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(renewer).not.toHaveBeenCalled();
    expect(socket.connects).toEqual([{ token: 'T1' }, { token: 'T1' }]);
  });

  it('reconnects at once with a token renewed on schedule', async () => {
    const client = new RealtimeClient({ token: 'T1' });
    client.ensureConnected();
    await client.loaded();
    const socket = sockets[0]!;
    socket.accept();
    client.setToken('T2');
    expect(socket.connects).toEqual([{ token: 'T1' }, { token: 'T2' }]);
  });
});

describe('RealtimeClient when a server process stops', () => {
  beforeEach(() => {
    sockets.length = 0;
  });

  it('confirms a server shutdown notice and sends nothing more until it has reconnected', async () => {
    const client = new RealtimeClient({ token: 'T1' });
    const statuses: string[] = [];
    client.onStatus((s) => statuses.push(s));
    client.ensureConnected();
    await client.loaded();
    const socket = sockets[0]!;
    socket.accept();
    let confirmed = false;
    socket.emit('server:shutdown', {}, () => (confirmed = true));
    expect(confirmed).toBe(true);

    const payload = { eventId: 'e1', text: 'Bonjour', clientId: 'c1' };
    const refused = await client.request('chat:send', payload);
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(socket.sent).toEqual([]);

    socket.dropTransport();
    socket.accept();
    expect(await client.request('chat:send', payload)).toMatchObject({ ok: true });
    expect(socket.sent).toEqual([['chat:send', payload]]);
    expect(statuses).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
  });
});

describe('RealtimeClient before Socket.IO is loaded', () => {
  beforeEach(() => {
    sockets.length = 0;
  });

  it('says it is connecting, refuses requests, and hands the socket the listeners a page added meanwhile', async () => {
    const client = new RealtimeClient({ token: null });
    const statuses: string[] = [];
    client.onStatus((s) => statuses.push(s));
    const viewers: unknown[] = [];
    const kept = client.on('chat:messages', (payload) => viewers.push(payload));
    const dropped = client.on('chat:messages', () => viewers.push('dropped listener'));
    client.ensureConnected();
    expect(statuses).toEqual(['connecting']);
    expect(await client.request('chat:send', { eventId: 'e1', text: 'Bonjour', clientId: 'c1' })).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE' },
    });
    dropped();

    await client.loaded();
    const socket = sockets[0]!;
    socket.accept();
    expect(statuses).toEqual(['connecting', 'connected']);
    socket.emit('chat:messages', { eventId: 'e1', messages: [] });
    kept();
    socket.emit('chat:messages', { eventId: 'e2', messages: [] });
    expect(viewers).toEqual([{ eventId: 'e1', messages: [] }]);
  });
});
