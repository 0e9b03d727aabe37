import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Clock } from '../../core/clock';
import type { OutboxRecord } from '../../store/outbox-store';
import type { Store } from '../../store/store';
import type { EmailRenderer } from './email-renderer';
import { SMTP_ATTEMPT_MAX_MS, type MailTransport } from './mail-transport';

/** Attempts at one email before it is `failed` for good, shown to admins. */
export const MAX_ATTEMPTS = 10;
const BACKOFF_BASE_MS = 60_000;
const BACKOFF_CAP_MS = 60 * 60_000;

/** How long to wait after the `attempts`-th attempt failed: 1 min, 2, 4… up to 1 h. */
export function retryDelayMs(attempts: number): number {
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

/** Rows claimed together, then sent {@link SEND_CONCURRENCY} at a time. */
const BATCH_SIZE = 10;
/** Emails handed to the transport at once: the SMTP pool's connections (`maxConnections` in mail-transport.ts). */
export const SEND_CONCURRENCY = 3;
/** Rows one run handles at most, so that one scheduler tick never runs for long. */
const MAX_PER_RUN = 200;
/**
 * How long a claimed row is ours: a batch of {@link BATCH_SIZE} over a pool of 3 connections takes at most 4 attempts
 * one after the other, each bounded by the SMTP timeouts. Past the lease, another process takes the row (this one
 * died): shorter would send emails twice while a slow server is still answering.
 */
export const DEFAULT_LEASE_MS = Math.max(15 * 60_000, 5 * SMTP_ATTEMPT_MAX_MS);

export interface OutboxSenderDeps {
  store: Store;
  renderer: EmailRenderer;
  transport: MailTransport;
  log: Logger;
  leaseMs?: number;
}

/** What a run did with each row it claimed. */
type Outcome = 'sent' | 'retry' | 'failed' | 'skipped';

/**
 * Sends the outbox: claims the rows that are due (atomically across processes, with a lease), renders each one from
 * the data as it is now, hands it to the transport, and marks it `sent`, or reschedules it with an exponential backoff,
 * or gives up after {@link MAX_ATTEMPTS}. It has no timer: the scheduler calls {@link runOnce} on each tick (or
 * {@link startSending} does), and tests call it with the time they choose.
 *
 * Delivery is at least once: a process that dies after the server accepted a message but before marking it sent
 * leaves a lease that runs out, and another process sends it again with the same Message-ID.
 */
export class OutboxSender {
  private readonly leaseMs: number;

  constructor(private readonly deps: OutboxSenderDeps) {
    this.leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /**
   * Sends what is due at `now`; answers how many emails left. Every instant it writes (leases, retry times, `sentAt`)
   * comes from `now`, so a test's clock decides them exactly; after a first full batch, later ones add the time spent.
   */
  async runOnce(now: Date): Promise<number> {
    const began = performance.now();
    let sent = 0;
    let handled = 0;
    for (let first = true; handled < MAX_PER_RUN; first = false) {
      const at = first ? now : new Date(now.getTime() + Math.round(performance.now() - began));
      const rows = await this.deps.store.outbox.claimDue(at.toISOString(), this.leaseMs, Math.min(BATCH_SIZE, MAX_PER_RUN - handled));
      if (rows.length === 0) break;
      const outcomes = await this.deliverAll(rows, at);
      sent += outcomes.filter((o) => o === 'sent').length;
      handled += rows.length;
      if (rows.length < BATCH_SIZE) break;
    }
    return sent;
  }

  /**
   * Sends a batch without ever holding the event loop for more than one email: before each email it lets the loop
   * turn once, so that requests that came in meanwhile (a sign-up storm is what fills the outbox) are answered
   * between two emails rather than after the batch. With the embedded store every step of rendering is synchronous,
   * so without these turns a whole run would go by before the next request is even read. At most
   * {@link SEND_CONCURRENCY} emails are with the transport at once.
   */
  private async deliverAll(rows: readonly OutboxRecord[], at: Date): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    const inFlight = new Set<Promise<void>>();
    for (const row of rows) {
      await nextTurn();
      while (inFlight.size >= SEND_CONCURRENCY) await Promise.race(inFlight);
      const delivery = this.deliver(row, at).then((outcome) => {
        outcomes.push(outcome);
        inFlight.delete(delivery);
      });
      inFlight.add(delivery);
    }
    await Promise.all(inFlight);
    return outcomes;
  }

  /** One email: rendered, handed over, recorded. Never rejects: a failure is recorded on the row. */
  private async deliver(row: OutboxRecord, at: Date): Promise<Outcome> {
    const { renderer, transport, store, log } = this.deps;
    const attempt = row.attempts;
    const context = { outboxId: row.id, kind: row.kind, attempt };
    try {
      const rendered = await renderer.render(row, at);
      if (rendered.outcome === 'skip') {
        await store.outbox.markFailed(row.id, attempt, rendered.reason, null);
        log.info(context, `email ${rendered.reason}`);
        return 'skipped';
      }
      await transport.send(rendered.email);
    } catch (err) {
      const error = describe(err);
      const retryAt = attempt >= MAX_ATTEMPTS ? null : new Date(at.getTime() + retryDelayMs(attempt)).toISOString();
      try {
        await store.outbox.markFailed(row.id, attempt, error, retryAt);
      } catch (markErr) {
        // The lease runs out and the row is tried again then: nothing is lost.
        log.error({ ...context, err: markErr }, 'could not record a failed email attempt');
      }
      if (retryAt) log.warn({ ...context, retryAt, error }, 'email not sent; will try again');
      else log.error({ ...context, error }, `email not sent after ${attempt} attempts: giving up`);
      return retryAt ? 'retry' : 'failed';
    }
    try {
      await store.outbox.markSent(row.id, attempt, at.toISOString());
    } catch (err) {
      // Sent, but not recorded: once the lease runs out it goes again, with the same Message-ID.
      log.error({ ...context, err }, 'email sent but not marked as sent: it may be sent again');
    }
    return 'sent';
  }
}

/** The server's answer when there is one ("451 4.7.1 Try again later"), else the error's message. */
function describe(err: unknown): string {
  if (err instanceof Error) {
    const smtp = err as Error & { response?: unknown; code?: unknown };
    if (typeof smtp.response === 'string' && smtp.response) return smtp.response;
    return typeof smtp.code === 'string' ? `${smtp.code}: ${err.message}` : err.message;
  }
  return String(err);
}

export interface Sending {
  /** Stops the loop and waits for a run in progress to finish. */
  stop(): Promise<void>;
}

/**
 * Runs the sender every `intervalMs` on `clock`, one run at a time, the first after one interval. For a process whose
 * scheduler does not run the sender itself; never both.
 */
export function startSending(sender: OutboxSender, clock: Clock, intervalMs: number, log: Logger): Sending {
  let stopped = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    timer = setTimeout(tick, intervalMs);
    timer.unref();
  };
  const tick = () => {
    running = sender
      .runOnce(clock.now())
      .then(
        () => undefined,
        (err: unknown) => log.error({ err }, 'the outbox could not be sent; trying again at the next tick'),
      )
      .finally(() => {
        running = undefined;
        if (!stopped) schedule();
      });
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
