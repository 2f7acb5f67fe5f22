/**
 * The background job queue: pg-boss, in the `pgboss` schema of the app's own database, on the app's
 * own connection pool. A job is a row, so it survives a crash or a restart of the process, can be
 * sent in the same transaction as the data it belongs with, and is taken by exactly one of several
 * instances (SKIP LOCKED). A job whose handler throws is retried with exponential backoff; once its
 * retries are spent it ends `failed` and a copy goes to its queue's dead-letter queue, where it stays
 * for an operator to count and read (docs/operations.md).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import PgBoss from 'pg-boss';
import type pg from 'pg';
import type { Queryable } from '../repositories/transaction.js';
import { QueueWorker, type JobHandler } from './worker.js';

export const JOB_SCHEMA = 'pgboss';

/** A job sent in a transaction: when its worker looks, the transaction has usually committed. */
const WAKE_AFTER_COMMIT_MS = 50;

/** How long closing waits for running jobs; the rest are retried later (by any instance). */
export const STOP_TIMEOUT_MS = 5_000;

/** Every queue, with its retry policy, in creation order (a dead-letter queue before its users). */
export const QUEUES = {
  /** Emails that failed every retry: kept for an operator to read; no worker takes them. */
  'email-failed': { retentionDays: 14 },
  /** One email to send (src/services/mail.service.ts). Expiry above the mailer's SMTP timeouts (10 + 10 + 20 s). */
  email: { retryLimit: 10, retryDelay: 5, retryBackoff: true, expireInSeconds: 60, deadLetter: 'email-failed' },
  /**
   * A forgot-password or resend request for an address that may have no account
   * (src/services/account-email.service.ts). Database work only, so it expires sooner after a crash.
   */
  'email-request': { retryLimit: 10, retryDelay: 5, retryBackoff: true, expireInSeconds: 15, deadLetter: 'email-failed' },
} satisfies Record<string, Omit<PgBoss.Queue, 'name'>>;

export type QueueName = keyof typeof QUEUES;

/** pg-boss's view of a connection: the pool, or a transaction's client. */
const asDb = (on: Queryable): PgBoss.Db => ({
  executeSql: async (text, values) => on.query(text, values) as Promise<pg.QueryResult>,
});

/** Counts pg-boss's queries in flight, so that stopping can wait for them before the pool closes. */
class InFlight {
  private count = 0;

  async track<T>(work: () => Promise<T>): Promise<T> {
    this.count += 1;
    try {
      return await work();
    } finally {
      this.count -= 1;
    }
  }

  /** Resolves once nothing was in flight at two checks in a row, or after `timeoutMs`. */
  async settled(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let quietChecks = 0;
    while (quietChecks < 2 && Date.now() < deadline) {
      quietChecks = this.count === 0 ? quietChecks + 1 : 0;
      await sleep(20);
    }
  }
}

function createBoss(pool: pg.Pool, options: PgBoss.ConstructorOptions = {}, inFlight = new InFlight()): PgBoss {
  return new PgBoss({
    db: { executeSql: (text, values) => inFlight.track(() => asDb(pool).executeSql(text, values)) },
    schema: JOB_SCHEMA,
    // No cron jobs here.
    schedule: false,
    // Jobs left `active` by a crashed process go back to the queue once they expire and maintenance
    // runs: every 15 to 30 s (pg-boss skips a run that comes a little early), measured in tests/integration/email-delivery.test.ts.
    maintenanceIntervalSeconds: 15,
    ...options,
  });
}

/** Starting pg-boss creates or upgrades its schema (under its advisory lock: instances may start at once); then the queues. */
async function startWithQueues(boss: PgBoss): Promise<void> {
  await boss.start();
  for (const [name, options] of Object.entries(QUEUES)) {
    // createQueue does nothing for an existing queue; updateQueue applies changed options.
    await boss.createQueue(name, { name, ...options });
    await boss.updateQueue(name, { name, ...options });
  }
}

/** Creates the queue's schema and queues without starting workers: for `deployMigrations`. */
export async function installJobQueue(pool: pg.Pool): Promise<void> {
  const boss = createBoss(pool, { supervise: false });
  await startWithQueues(boss);
  await boss.stop({ graceful: false, close: false });
}

export class JobQueue {
  private readonly boss: PgBoss;
  private readonly workers: QueueWorker[] = [];
  private readonly inFlight = new InFlight();
  private reportError: (error: unknown) => void = () => undefined;
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  /** Started, and not stopping. */
  private running = false;

  constructor(pool: pg.Pool) {
    this.boss = createBoss(pool, {}, this.inFlight);
    this.boss.on('error', (error) => this.reportError(error));
  }

  /** Installs or upgrades the schema and queues, starts maintenance, and the workers (`work`). */
  start(): Promise<void> {
    this.starting = (async () => {
      await startWithQueues(this.boss);
      for (const worker of this.workers) worker.start();
      this.running = !this.stopping;
    })();
    return this.starting;
  }

  /**
   * Lets running jobs finish for up to `timeoutMs` (unfinished ones are retried later, by any
   * instance). Called again, it answers the same promise: several closing hooks can wait for it.
   */
  stop(timeoutMs: number): Promise<void> {
    this.running = false;
    this.stopping ??= (async () => {
      await this.starting?.catch(() => undefined);
      await Promise.race([Promise.all(this.workers.map((worker) => worker.stop())), sleep(timeoutMs)]);
      await this.boss.stop({ graceful: false, close: false });
      // A maintenance query already sent must finish before the pool closes.
      await this.inFlight.settled(timeoutMs);
    })();
    return this.stopping;
  }

  /**
   * The jobs waiting in each queue (queued, or failed and waiting for their next try; in a dead-letter
   * queue, the jobs kept there), or undefined while the queue is not running: for the metrics. One
   * count per queue, one after another (pg-boss's getQueueSize, on its partial index of waiting jobs).
   */
  async waitingJobs(): Promise<Record<QueueName, number> | undefined> {
    if (!this.running) return undefined;
    const counts: Partial<Record<QueueName, number>> = {};
    for (const name of Object.keys(QUEUES) as QueueName[]) {
      counts[name] = await this.boss.getQueueSize(name);
    }
    return counts as Record<QueueName, number>;
  }

  onError(listener: (error: unknown) => void): void {
    this.reportError = listener;
  }

  /**
   * Queues a job; given `tx`, in that transaction, so it exists exactly when the transaction commits.
   * This instance's worker is woken to take it: at once, or shortly after, when the transaction
   * probably committed (a wake that comes too early costs one empty fetch; the next poll takes it).
   */
  async send(queue: QueueName, data: object, tx?: Queryable): Promise<void> {
    await this.boss.send(queue, data, tx ? { db: asDb(tx) } : {});
    const worker = this.workers.find((candidate) => candidate.queue === queue);
    if (!worker) return;
    if (!tx) worker.wake();
    else setTimeout(() => worker.wake(), WAKE_AFTER_COMMIT_MS).unref();
  }

  /**
   * Once started, runs `handler` for each job of `queue`, one at a time, polling every
   * `pollingIntervalSeconds`. A handler that throws has the job retried (see QUEUES).
   */
  work(queue: QueueName, pollingIntervalSeconds: number, handler: JobHandler): void {
    this.workers.push(
      new QueueWorker(this.boss, queue, {
        pollingMs: pollingIntervalSeconds * 1000,
        handler,
        // A job may have queued another (a forgot request queues its email): take it at once.
        onJobDone: () => this.workers.forEach((worker) => worker.wake()),
        report: (error) => this.reportError(error),
      }),
    );
  }
}
