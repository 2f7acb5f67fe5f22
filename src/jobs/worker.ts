/**
 * One queue's worker in this process: fetch a job, run its handler, mark the job completed or failed,
 * awaiting each step, then fetch the next at once; with none waiting, sleep for the polling interval
 * or until woken. (pg-boss 10's own `work()` fires its complete/fail queries without awaiting them:
 * a database error at that moment is an unhandled rejection, which ends the process.)
 */
import type PgBoss from 'pg-boss';

export interface JobHandlerContext {
  /** Whether this is the job's last try: a failure now is final. */
  lastAttempt: boolean;
  retryCount: number;
}

/** A job handler; it declares the type of the job data it expects (what its queue's senders send). */
export type JobHandler = (data: never, context: JobHandlerContext) => Promise<void>;

export class QueueWorker {
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  /** Consecutive fetch errors are reported once, not at every poll while the database is down. */
  private fetchFailing = false;

  constructor(
    private readonly boss: PgBoss,
    readonly queue: string,
    private readonly options: {
      pollingMs: number;
      handler: JobHandler;
      /** After each job: it may have queued jobs for other workers. */
      onJobDone: () => void;
      report: (error: unknown) => void;
    },
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Ends the sleep, so the worker fetches now. */
  wake(): void {
    this.wakeUp?.();
  }

  /** Resolves once the job in hand (if any) is finished and marked. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const job = await this.fetch();
      if (job) {
        await this.process(job);
        this.options.onJobDone();
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollingMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }

  private async fetch(): Promise<PgBoss.JobWithMetadata | undefined> {
    try {
      const [job] = await this.boss.fetch<object>(this.queue, { batchSize: 1, includeMetadata: true });
      this.fetchFailing = false;
      return job;
    } catch (error) {
      if (!this.fetchFailing) this.options.report(error);
      this.fetchFailing = true;
      return undefined;
    }
  }

  /** A job not marked (the database failed meanwhile) stays active until it expires, then is retried. */
  private async process(job: PgBoss.JobWithMetadata): Promise<void> {
    try {
      await this.options.handler(job.data as never, { lastAttempt: job.retryCount >= job.retryLimit, retryCount: job.retryCount });
    } catch (error) {
      // Only the message: the job's row keeps it, and handlers' errors carry no secrets.
      await this.boss
        .fail(this.queue, job.id, { message: error instanceof Error ? error.message : String(error) })
        .catch(this.options.report);
      return;
    }
    await this.boss.complete(this.queue, job.id).catch(this.options.report);
  }
}
