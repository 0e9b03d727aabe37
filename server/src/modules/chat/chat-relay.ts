import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ChatMessage } from '#shared/domain/chat';
import type { ChatFanout } from './chat-fanout';

/**
 * Takes each accepted chat message to the viewers of every process: the stored message in, the frames out. One process
 * hands it to its fan-out; several hand it over Redis once, and each process's fan-out batches it for its own sockets.
 */
export interface ChatRelay {
  /**
   * Resolves once the message is on its way to every process (with Redis: Redis has taken it), so that a message is
   * acknowledged only when a process dying next cannot keep it from the others. Never rejects: the message is stored
   * already, and a failed relay must not turn into an error the sender would retry.
   */
  publish(message: ChatMessage): Promise<void>;
  close(): Promise<void>;
}

/** One process: its fan-out is everyone's. */
export class LocalChatRelay implements ChatRelay {
  constructor(private readonly fanout: ChatFanout) {}

  publish(message: ChatMessage): Promise<void> {
    this.fanout.publish(message);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.fanout.close();
    return Promise.resolve();
  }
}

/** The channel every process publishes accepted chat messages on, and listens to. */
export const CHAT_CHANNEL = 'parvis:chat';

/**
 * Several processes on Redis. Each accepted message is published once on {@link CHAT_CHANNEL}; every other process
 * feeds it to its own fan-out, which batches it with the room's other messages into one frame for its own sockets.
 * The process that accepted it feeds its fan-out at once, without waiting for Redis.
 *
 * Socket.IO's Redis adapter would instead carry each process's frames to every other process, and each of those would
 * write them to its sockets as they come: with two processes, every viewer would get two frames where one would do
 * (one from each process's batching), and the second process's batching would be undone. Here a message crosses
 * Redis once whatever the rate, and each viewer gets the frames of one fan-out only.
 *
 * Redis pub/sub delivers each publication at most once to each subscriber, and a message is published once (a retried
 * `clientId` is answered from the store without a new publication), so no viewer gets a message twice.
 */
export class RedisChatRelay implements ChatRelay {
  /** Tells this process's own publications apart from the others' when they come back from Redis. */
  private readonly origin = randomUUID();

  private constructor(
    private readonly fanout: ChatFanout,
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly log: Logger,
  ) {}

  /**
   * @param pub a connection that may run commands (shared with others).
   * @param sub a connection of the relay's own, which it puts in subscriber mode.
   */
  static async start(fanout: ChatFanout, pub: Redis, sub: Redis, log: Logger): Promise<RedisChatRelay> {
    const relay = new RedisChatRelay(fanout, pub, sub, log);
    sub.on('message', (channel: string, raw: string) => {
      if (channel === CHAT_CHANNEL) relay.received(raw);
    });
    // ioredis subscribes again by itself after a reconnection.
    await sub.subscribe(CHAT_CHANNEL);
    return relay;
  }

  async publish(message: ChatMessage): Promise<void> {
    this.fanout.publish(message);
    try {
      await this.pub.publish(CHAT_CHANNEL, JSON.stringify({ origin: this.origin, message }));
    } catch (err) {
      // Stored, and delivered here; the other processes' viewers get it when they next join or reconnect (`since`).
      this.log.warn({ err, eventId: message.eventId }, 'a chat message could not be relayed to the other processes');
    }
  }

  private received(raw: string): void {
    let parsed: { origin?: unknown; message?: ChatMessage };
    try {
      parsed = JSON.parse(raw) as typeof parsed;
    } catch {
      this.log.warn('ignored a malformed message on the chat channel');
      return;
    }
    if (parsed.origin === this.origin || !parsed.message) return;
    this.fanout.publish(parsed.message);
  }

  async close(): Promise<void> {
    this.fanout.close();
    await this.sub.unsubscribe(CHAT_CHANNEL).catch(() => undefined);
  }
}
