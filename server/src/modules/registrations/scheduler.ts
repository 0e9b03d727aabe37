import type { Logger } from 'pino';
import type { Clock } from '../../core/clock';
import { JobKind, type JobRecord } from '../../store/job-store';
import { EmailKind, type OutboxIntent } from '../../store/outbox-store';
import type { Store } from '../../store/store';

/** How many due offers or jobs one step takes at a time, and how many rounds of them a tick runs at most. */
const BATCH = 100;
const ROUNDS = 10;
/** A claimed job is another process's to take again if this one has not finished it by then (it died). */
const JOB_LEASE_MS = 60_000;
/** A job that failed is tried again this much later. */
const JOB_RETRY_MS = 60_000;
/** Sent and failed emails hold addresses: they are pruned after the retention period, at most once an hour. */
const PRUNE_EVERY_MS = 3_600_000;
const DAY = 86_400_000;

/** A task the scheduler runs at every tick after its own steps: the mail sender (`OutboxSender.runOnce`). */
export type SchedulerTask = (now: Date) => Promise<unknown>;

export interface SchedulerDeps {
  store: Store;
  clock: Clock;
  /** Runs out one offer and passes the seat on (`RegistrationService.expireOffer`); true when it did. */
  expireOffer: (registrationId: string, now: Date) => Promise<boolean>;
  /** SCHEDULER_TICK_MS */
  tickMs: number;
  /** REGISTRATION_RETENTION_DAYS: also how long sent emails stay in the outbox. */
  retentionDays: number;
  /**
   * Reworks an event's reminders before they are stored: a help-desk slot's reader gets the appointment's reminder
   * instead, and its partner and librarian one too (modules/appointments). Without it, the reminders go as they are.
   */
  reminders?: (eventId: string, lead: string, intents: OutboxIntent[], at: string) => Promise<OutboxIntent[]>;
  /** Run after the scheduler's own steps, in order: the mail sender, wired by the composition root. */
  tasks?: readonly SchedulerTask[];
  log: Logger;
}

/** What one tick did, for tests and the log. */
export interface SchedulerRun {
  offersExpired: number;
  reminders: number;
  erased: number;
  pruned: number;
}

/**
 * The deadlines of sign-up, one scheduler per process: offers that ran out pass to the next person, reminder jobs
 * become emails to the then-confirmed registrants, registrants' data is erased after the retention period, old
 * emails are pruned, and then the mail sender runs. Deadlines are rows in the store (offers' `offerExpiresAt`, jobs'
 * `dueAt`), never timers, so they survive a restart; every step is a store operation that is safe when several
 * processes run it at once (claims with leases, dedupe keys), so running one scheduler per process is right.
 *
 * Production ticks every SCHEDULER_TICK_MS on the injected clock; tests call {@link runOnce} with the time they want.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SchedulerRun> | undefined;
  private stopped = false;
  private lastPrune = -Infinity;

  constructor(private readonly deps: SchedulerDeps) {}

  /** Ticks every `tickMs` until {@link stop}. A tick that overruns the next one is not doubled: it is waited for. */
  start(): void {
    if (this.timer || this.stopped) return;
    const tick = () => {
      this.timer = setTimeout(() => {
        void this.runOnce(this.deps.clock.now()).finally(() => {
          if (!this.stopped) tick();
        });
      }, this.deps.tickMs);
      this.timer.unref();
    };
    tick();
  }

  /** Stops ticking and waits for a tick in progress (a graceful stop must not cut an email mid-send). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /**
   * One tick at `now`. Calls while one runs wait for it and then run their own, so that a test's call after a moved
   * clock always sees the moved time. A failing step is logged and the next steps still run.
   */
  async runOnce(now: Date = this.deps.clock.now()): Promise<SchedulerRun> {
    while (this.running) await this.running.catch(() => undefined);
    const run = this.tick(now);
    this.running = run;
    try {
      return await run;
    } finally {
      if (this.running === run) this.running = undefined;
    }
  }

  private async tick(now: Date): Promise<SchedulerRun> {
    const result: SchedulerRun = { offersExpired: 0, reminders: 0, erased: 0, pruned: 0 };
    await this.step('expire offers', async () => {
      result.offersExpired = await this.expireOffers(now);
    });
    await this.step('run jobs', async () => {
      const done = await this.runJobs(now);
      result.reminders = done.reminders;
      result.erased = done.erased;
    });
    await this.step('prune the outbox', async () => {
      if (now.getTime() - this.lastPrune < PRUNE_EVERY_MS) return;
      this.lastPrune = now.getTime();
      result.pruned = await this.deps.store.outbox.pruneBefore(new Date(now.getTime() - this.deps.retentionDays * DAY).toISOString());
    });
    for (const task of this.deps.tasks ?? []) await this.step('task', () => task(now));
    return result;
  }

  private async step(name: string, run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (err) {
      this.deps.log.warn({ err }, `scheduler: could not ${name}; trying again at the next tick`);
    }
  }

  /** Offers whose deadline passed: each expires and passes on, once across processes (the store checks). */
  private async expireOffers(now: Date): Promise<number> {
    let expired = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const due = await this.deps.store.registrations.dueOffers(now.toISOString(), BATCH);
      let progressed = false;
      for (const offer of due) {
        if (await this.deps.expireOffer(offer.id, now)) {
          expired++;
          progressed = true;
        }
      }
      // Nothing changed: another process holds them, or they are gone; the next tick looks again.
      if (due.length < BATCH || !progressed) break;
    }
    return expired;
  }

  private async runJobs(now: Date): Promise<{ reminders: number; erased: number }> {
    const done = { reminders: 0, erased: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const jobs = await this.deps.store.jobs.claimDue(now.toISOString(), JOB_LEASE_MS, BATCH);
      for (const job of jobs) {
        try {
          if (job.kind === JobKind.REMINDER) done.reminders += await this.remind(job, now);
          else if (job.kind === JobKind.RETENTION) done.erased += await this.erase(job, now);
          await this.deps.store.jobs.complete(job.key, job.dueAt);
        } catch (err) {
          this.deps.log.warn({ err, job: job.key }, 'scheduler: a job failed; it will be tried again');
          await this.deps.store.jobs.release(job.key, new Date(now.getTime() + JOB_RETRY_MS).toISOString()).catch(() => undefined);
        }
      }
      if (jobs.length < BATCH) break;
    }
    return done;
  }

  /**
   * A reminder job becomes one email per confirmed registrant with an address, as the list stands now. The dedupe key
   * (`reminder:<lead>:<registrationId>`) makes a second expansion (another process, a retry) store nothing new. An
   * event that was cancelled, has ended or has already started gets no reminder, and neither does one whose time is
   * long past (every process was down): a "see you tomorrow" an hour before the start would mislead.
   */
  private async remind(job: JobRecord, now: Date): Promise<number> {
    const eventId = String(job.payload.eventId);
    const lead = String(job.payload.lead);
    const leadMs = (Number.parseInt(lead, 10) || 0) * 3_600_000;
    if (now.getTime() > Date.parse(job.dueAt) + leadMs / 2) return 0;
    const event = await this.deps.store.programme.getEvent(eventId);
    if (!event || event.access !== 'registration' || event.status !== 'scheduled') return 0;
    if (Date.parse(event.startsAt) <= now.getTime()) return 0;
    const at = now.toISOString();
    let intents: OutboxIntent[] = (await this.deps.store.registrations.listForEvent(eventId)).flatMap((r) =>
      r.status === 'confirmed' && r.email
        ? [
            {
              dedupeKey: `reminder:${lead}:${r.id}`,
              kind: EmailKind.REMINDER,
              to: r.email,
              language: r.language,
              personId: r.personId,
              registrationId: r.id,
              eventId,
              payload: { lead, last: job.payload.last === true },
              dueAt: at,
            },
          ]
        : [],
    );
    if (this.deps.reminders) intents = await this.deps.reminders(eventId, lead, intents, at);
    if (intents.length > 0) await this.deps.store.outbox.enqueue(intents, at);
    return intents.length;
  }

  /** The retention period of an event ran out: its registrants' personal data is erased; the counts stay. */
  private async erase(job: JobRecord, now: Date): Promise<number> {
    return this.deps.store.registrations.eraseEvent(String(job.payload.eventId), now.toISOString());
  }
}
