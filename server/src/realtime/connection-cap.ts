import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RedisLeases } from './redis-leases';

/**
 * How many sockets one address may hold open at once (SOCKETS_PER_ADDRESS): one client opening hundreds of sockets
 * must not pass for hundreds of viewers, nor take a process's connections. Addresses are counted as `addressKey`
 * says (IPv6 by /64).
 */
export interface ConnectionCap {
  /** Counts a new socket of `address`; false, and nothing counted, when the address already holds the maximum. */
  admit(address: string, socketId: string): Promise<boolean>;
  /** The socket closed (or never connected after all). */
  release(address: string, socketId: string): void;
  close(): Promise<void>;
}

/** One process: a count per address. */
export class LocalConnectionCap implements ConnectionCap {
  private readonly open = new Map<string, number>();

  constructor(private readonly max: number) {}

  async admit(address: string): Promise<boolean> {
    const n = this.open.get(address) ?? 0;
    if (n >= this.max) return false;
    this.open.set(address, n + 1);
    return true;
  }

  release(address: string): void {
    const n = (this.open.get(address) ?? 0) - 1;
    if (n > 0) this.open.set(address, n);
    else this.open.delete(address);
  }

  async close(): Promise<void> {}
}

/** Sockets are long-lived and rarely many per address: renewing them seldom is enough, and cheap. */
const SOCKET_RENEW_MS = 10_000;
export const SOCKET_LEASE_MS = 3 * SOCKET_RENEW_MS;

/**
 * Several processes on Redis: the cap holds for the whole deployment, however a load balancer spreads one client's
 * sockets. Each address has one sorted set of its sockets (`parvis:sockets:{<address>}`), added to atomically
 * against the cap, and renewed every 10 s by the process that holds them; a killed process's sockets free their
 * places within SOCKET_LEASE_MS. While Redis cannot be reached, each process holds the cap on its own sockets.
 */
export class ClusterConnectionCap implements ConnectionCap {
  private readonly leases: RedisLeases;
  /** This process's sockets, by address. */
  private readonly local = new Map<string, Set<string>>();
  private readonly timer: NodeJS.Timeout;
  private renewing: Promise<void> = Promise.resolve();
  private redisDown = false;

  constructor(
    redis: Redis,
    private readonly max: number,
    private readonly log: Logger,
    private readonly prefix = 'parvis:',
  ) {
    this.leases = new RedisLeases(redis, SOCKET_LEASE_MS);
    this.timer = setInterval(() => {
      this.renewing = this.renew().catch((err: unknown) => this.log.warn({ err }, 'could not renew the sockets per address'));
    }, SOCKET_RENEW_MS);
    this.timer.unref();
  }

  private key(address: string): string {
    return `${this.prefix}sockets:{${address}}`;
  }

  async admit(address: string, socketId: string): Promise<boolean> {
    let admitted: boolean;
    try {
      const [total] = await this.leases.apply([{ key: this.key(address), put: [socketId], cap: this.max }]);
      admitted = total! >= 0;
      this.redisDown = false;
    } catch (err) {
      if (!this.redisDown) this.log.warn({ err }, 'Redis is unreachable: each process caps the sockets per address alone');
      this.redisDown = true;
      // Renewal puts the socket in Redis when it is back.
      admitted = (this.local.get(address)?.size ?? 0) < this.max;
    }
    if (admitted) {
      let sockets = this.local.get(address);
      if (!sockets) this.local.set(address, (sockets = new Set()));
      sockets.add(socketId);
    }
    return admitted;
  }

  release(address: string, socketId: string): void {
    const sockets = this.local.get(address);
    sockets?.delete(socketId);
    if (sockets?.size === 0) this.local.delete(address);
    // Should this fail, the lease runs out instead.
    this.leases.apply([{ key: this.key(address), leave: [socketId] }]).catch(() => undefined);
  }

  private async renew(): Promise<void> {
    await this.leases.apply([...this.local].map(([address, sockets]) => ({ key: this.key(address), put: [...sockets] })));
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.renewing;
    const changes = [...this.local].map(([address, sockets]) => ({ key: this.key(address), leave: [...sockets] }));
    this.local.clear();
    await this.leases.apply(changes).catch(() => undefined);
  }
}
