import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the metrics read from the running server when Prometheus scrapes, rather than counting it as it happens. */
export interface MetricsSources {
  /** Socket.IO connections open on this process. */
  sockets(): number;
  /** Viewers of each event that has any, on this process. */
  viewers(): Promise<Iterable<readonly [eventId: string, viewers: number]>>;
}

/** Seconds; a SQLite call takes tens of microseconds, a Redis round trip a fraction of a millisecond. */
const STORE_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const HTTP_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The process's Prometheus metrics, in a registry of its own (never prom-client's global one): the composition root
 * makes one and hands it to what it measures.
 *
 * The chat fan-out and the socket acks are the hot paths the benchmark watches, so they only bump plain numbers
 * (`chat`, {@link ackTally}); those become counters when Prometheus scrapes. Viewers per event and open sockets are
 * read at scrape time too. No label holds anything with unbounded values: event names and error codes are fixed sets,
 * HTTP routes are the routers' patterns, and the only event ids are those of events with viewers now.
 */
export class Metrics {
  readonly registry = new Registry();
  /** Chat broadcasts of this process: messages, and frames (a frame carries one or more messages to a room). */
  readonly chat = { messages: 0, frames: 0 };
  private readonly acks = new Map<string, Map<string, number>>();
  private sources: MetricsSources | undefined;
  private readonly storeSeconds: Histogram<'op'>;
  private readonly storeErrors: Counter<'op'>;
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  private readonly httpSeconds: Histogram<'route'>;

  constructor() {
    const registers = [this.registry];
    // CPU, memory, file descriptors, GC and event-loop lag (`nodejs_eventloop_lag_seconds`, `…_p99_seconds`), under
    // the names every Node.js dashboard knows. prom-client keeps their event-loop monitor for the life of the
    // process; one server per process makes that one monitor.
    collectDefaultMetrics({ register: this.registry });

    const acks = this.acks;
    new Counter({
      name: 'parvis_socket_acks_total',
      help: 'Acks sent to clients, by client → server event and outcome (ok, or the error code).',
      labelNames: ['event', 'outcome'],
      registers,
      collect() {
        this.reset();
        for (const [event, outcomes] of acks) for (const [outcome, n] of outcomes) this.inc({ event, outcome }, n);
      },
    });
    const chat = this.chat;
    new Counter({
      name: 'parvis_chat_messages_total',
      help: 'Chat messages this process broadcast.',
      registers,
      collect() {
        this.reset();
        this.inc(chat.messages);
      },
    });
    new Counter({
      name: 'parvis_chat_frames_total',
      help: 'chat:messages frames this process broadcast to event rooms; at high rates one frame carries several messages.',
      registers,
      collect() {
        this.reset();
        this.inc(chat.frames);
      },
    });
    const sources = () => this.sources;
    new Gauge({
      name: 'parvis_sockets',
      help: 'Socket.IO connections open on this process.',
      registers,
      collect() {
        this.set(sources()?.sockets() ?? 0);
      },
    });
    new Gauge({
      name: 'parvis_event_viewers',
      help: 'Viewers in the live room of each event, on this process.',
      labelNames: ['event'],
      registers,
      async collect() {
        this.reset();
        const viewers = await sources()?.viewers().catch(() => []);
        for (const [event, n] of viewers ?? []) this.set({ event }, n);
      },
    });

    this.storeSeconds = new Histogram({
      name: 'parvis_store_operation_duration_seconds',
      help: 'Time taken by store operations, by method of the store port.',
      labelNames: ['op'],
      buckets: STORE_BUCKETS,
      registers,
    });
    this.storeErrors = new Counter({
      name: 'parvis_store_errors_total',
      help: 'Store operations that failed (the store unreachable, a full disk...), by method.',
      labelNames: ['op'],
      registers,
    });
    this.httpRequests = new Counter({
      name: 'parvis_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.httpSeconds = new Histogram({
      name: 'parvis_http_request_duration_seconds',
      help: 'Time from an HTTP request to the end of its answer, by route pattern.',
      labelNames: ['route'],
      buckets: HTTP_BUCKETS,
      registers,
    });
  }

  /** Where the scrape-time figures come from; the server calls this once its sockets exist. */
  watch(sources: MetricsSources): void {
    this.sources = sources;
  }

  /**
   * The ack counts of one client → server event, by outcome (`ok` or an error code). Fetched once per event when the
   * handlers are built, then bumped in place for every ack.
   */
  ackTally(event: string): Map<string, number> {
    let tally = this.acks.get(event);
    if (!tally) {
      tally = new Map();
      this.acks.set(event, tally);
    }
    return tally;
  }

  observeStore(op: string, seconds: number, failed: boolean): void {
    this.storeSeconds.observe({ op }, seconds);
    if (failed) this.storeErrors.inc({ op });
  }

  observeHttp(method: string, route: string, status: number, seconds: number): void {
    this.httpRequests.inc({ method, route, status: String(status) });
    this.httpSeconds.observe({ route }, seconds);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The text exposition format, as Prometheus scrapes it. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
