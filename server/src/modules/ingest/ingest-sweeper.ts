import type { Logger } from 'pino';

/** How often production sweeps: a reconnect window ends within this of its deadline. */
export const SWEEP_INTERVAL_MS = 2000;

/**
 * Ends the broadcasts whose time has come. The deadlines are stored instants, not timers, so the sweeper only asks
 * the store at each tick; `runOnce(now)` is the tick, which tests call with the instant they want instead of waiting.
 */
export class IngestSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly sweep: (now: Date) => Promise<void>,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date(),
    private readonly intervalMs = SWEEP_INTERVAL_MS,
  ) {}

  /** One sweep at `now`; a sweep already running is waited for first, so two never overlap in one process. */
  async runOnce(now: Date): Promise<void> {
    while (this.running) await this.running;
    this.running = this.sweep(now).finally(() => (this.running = undefined));
    await this.running;
  }

  start(): void {
    this.timer ??= setInterval(() => {
      if (this.running) return;
      this.runOnce(this.now()).catch((err: unknown) => this.log.warn({ err }, 'the ingest sweeper could not run: it tries again'));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
