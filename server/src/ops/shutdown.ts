import type { Server as HttpServer, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { ExtendedError } from 'socket.io';
import { ErrorCode } from '#shared/protocol/errors';
import type { AckGate } from '../realtime/ack-gate';
import type { ParvisServer, ParvisSocket } from '../realtime/types';

/** The longest the server waits for its clients to confirm `server:shutdown`. */
export const NOTICE_MAX_MS = 2_000;
/** Kept at the end of the grace for sending the last answers, closing the connections, the store and Redis. */
const CLOSE_MAX_MS = 1_000;

export interface ShutdownSteps {
  httpServer: HttpServer;
  io: ParvisServer;
  acks: AckGate;
  /** SHUTDOWN_GRACE_MS: everything below happens within it. */
  graceMs: number;
  log: Logger;
  /** Sends what is batched (chat frames, viewer counts, poll results) and stops the timers that batch them. */
  flush(): Promise<void>;
  /** Closes everything that is left: Socket.IO, the HTTP server, the store, Redis. */
  close(): Promise<void>;
}

/**
 * How this process stops on SIGTERM without losing anything it acknowledged or leaving a request unanswered:
 *
 * 1. it stops listening, so new visitors and the load balancer's checks go to the other processes, and refuses new
 *    handshakes on connections it still holds;
 * 2. it sends `server:shutdown` to every socket and waits (at most {@link NOTICE_MAX_MS}) for each client to confirm,
 *    which a client does once it will send nothing more on that connection; requests go on being served meanwhile;
 * 3. from then on a new request is answered `UNAVAILABLE` at once, and the process waits for the requests it received
 *    to be answered, socket acks and HTTP alike; whatever still runs near the end of the grace is answered
 *    `UNAVAILABLE` (sent again with its `clientId`, a message that did land is not stored twice);
 * 4. it sends the batched broadcasts, then closes each connection once its last answers are written: clients see a
 *    transport close, on which Socket.IO reconnects by itself, through the load balancer to another process.
 */
export class Shutdown {
  private stopping = false;
  private httpInFlight = 0;
  private httpIdle: (() => void)[] = [];
  private running: Promise<void> | undefined;

  get isStopping(): boolean {
    return this.stopping;
  }

  /** Counts an HTTP request until its answer is done; once stopping, asks its client not to reuse the connection. */
  requestStarted(res: ServerResponse): () => void {
    this.httpInFlight++;
    if (this.stopping) res.setHeader('Connection', 'close');
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.httpInFlight--;
      if (this.httpInFlight === 0) {
        const waiting = this.httpIdle;
        this.httpIdle = [];
        for (const resolve of waiting) resolve();
      }
    };
  }

  /** Socket.IO middleware: no new socket on a process that is stopping (`connect_error` with code UNAVAILABLE). */
  readonly refuseHandshakes = (_socket: ParvisSocket, next: (err?: ExtendedError) => void): void => {
    if (!this.stopping) return next();
    next(Object.assign(new Error('This server is shutting down'), { data: { code: ErrorCode.UNAVAILABLE } }));
  };

  /** Runs the steps above once; later calls wait for the same run. */
  run(steps: ShutdownSteps): Promise<void> {
    return (this.running ??= this.stop(steps));
  }

  private async stop({ httpServer, io, acks, graceMs, log, flush, close }: ShutdownSteps): Promise<void> {
    const end = performance.now() + graceMs;
    const closeMs = Math.min(CLOSE_MAX_MS, graceMs / 4);
    this.stopping = true;
    httpServer.close();

    const sockets = [...io.of('/').sockets.values()];
    const noticeMs = Math.min(NOTICE_MAX_MS, graceMs / 4);
    const notices = await Promise.all(sockets.map((socket) => notify(socket, noticeMs)));
    const unconfirmed = notices.filter((confirmed) => !confirmed).length;

    acks.refuseNew();
    const answered = await within(end - closeMs - performance.now(), Promise.all([acks.settled(), this.httpSettled()]));
    const abandoned = answered ? 0 : acks.abandon();
    log.info(
      { sockets: sockets.length, unconfirmed, abandoned, httpInFlight: this.httpInFlight },
      abandoned > 0 ? 'shutting down: requests still running were answered UNAVAILABLE' : 'shutting down: every request answered',
    );

    await flush();
    // engine.io's own close (in io.close) drops what is still queued for a socket; this one writes it out first.
    await within(
      end - closeMs / 2 - performance.now(),
      Promise.all(
        [...io.of('/').sockets.values()].map(({ conn }) => {
          if (conn.readyState === 'closed') return undefined;
          const closed = new Promise<void>((resolve) => conn.once('close', () => resolve()));
          conn.close();
          return closed;
        }),
      ),
    );
    await close();
  }

  private httpSettled(): Promise<void> {
    if (this.httpInFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.httpIdle.push(resolve));
  }
}

/** Sends `server:shutdown`; true once the client confirms, false if it leaves or lets `ms` pass first. */
function notify(socket: ParvisSocket, ms: number): Promise<boolean> {
  if (socket.disconnected) return Promise.resolve(false);
  return new Promise((resolve) => {
    const gone = () => resolve(false);
    socket.once('disconnect', gone);
    socket
      .timeout(ms)
      .emitWithAck('server:shutdown', {})
      .then(
        () => resolve(true),
        () => resolve(false),
      )
      .finally(() => socket.off('disconnect', gone));
  });
}

/** True when `work` finished within `ms`, false when the time ran out first. */
async function within(ms: number, work: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, ms));
  });
  try {
    return await Promise.race([work.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
