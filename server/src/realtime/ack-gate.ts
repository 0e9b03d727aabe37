import type { Ack } from '#shared/protocol/ack';
import { ErrorCode } from '#shared/protocol/errors';
import type { SocketHandler } from './handler';
import type { ParvisSocket } from './types';

type Reply = (response: Ack<unknown>) => void;

/** What a request gets when this process stops before it could, or would, handle it. */
export const SHUTTING_DOWN: Ack<never> = {
  ok: false,
  error: { code: ErrorCode.UNAVAILABLE, message: 'This server is shutting down: reconnect and send it again' },
};

/**
 * Stands between the sockets and the server's handlers, to count every ack by outcome and to let the process stop
 * without leaving a request unanswered: it knows which requests are in flight, refuses new ones once the process is
 * stopping, and at the very end answers whatever is still running `UNAVAILABLE` (a client that sends it again, with
 * the same `clientId`, gets the stored result if the first attempt did land).
 *
 * It wraps the handlers once per server, as `defineHandlers` builds them: each request costs one small closure and a
 * set entry while it runs, nothing per socket.
 */
export class AckGate {
  private readonly inFlight = new Set<Reply>();
  private refusing = false;
  private idle: (() => void)[] = [];

  /** @param tallyFor the counts by outcome of one event (see `Metrics.ackTally`), fetched once per event. */
  constructor(private readonly tallyFor: (event: string) => Map<string, number> = () => new Map()) {}

  wrap(handlers: readonly SocketHandler[]): SocketHandler[] {
    return handlers.map(({ event, listener }) => {
      const tally = this.tallyFor(event);
      const gate = this;
      return {
        event,
        listener(this: ParvisSocket, ...args: unknown[]) {
          const ack = args.at(-1);
          // Reserved events (`disconnecting`) and requests without a callback, which nobody can answer.
          if (typeof ack !== 'function') return listener.apply(this, args);
          if (gate.refusing) {
            count(tally, SHUTTING_DOWN);
            (ack as Reply)(SHUTTING_DOWN);
            return;
          }
          let answered = false;
          const reply: Reply = (response) => {
            if (answered) return;
            answered = true;
            gate.inFlight.delete(reply);
            count(tally, response);
            (ack as Reply)(response);
            if (gate.inFlight.size === 0) gate.wake();
          };
          gate.inFlight.add(reply);
          args[args.length - 1] = reply;
          listener.apply(this, args);
        },
      };
    });
  }

  /** Requests received and not answered yet. */
  get pending(): number {
    return this.inFlight.size;
  }

  /** From now on, every request is answered `UNAVAILABLE` at once, without running its handler. */
  refuseNew(): void {
    this.refusing = true;
  }

  /** Resolves once every request received so far has been answered (at once if none is in flight). */
  settled(): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Answers every request still in flight `UNAVAILABLE`; their handlers' late answers go nowhere. */
  abandon(): number {
    const left = [...this.inFlight];
    for (const reply of left) reply(SHUTTING_DOWN);
    return left.length;
  }

  private wake(): void {
    const waiting = this.idle;
    this.idle = [];
    for (const resolve of waiting) resolve();
  }
}

function count(tally: Map<string, number>, response: Ack<unknown>): void {
  const outcome = response.ok ? 'ok' : response.error.code;
  tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
}
