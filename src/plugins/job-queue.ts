/**
 * `fastify.jobQueue` (src/jobs/queue.ts), started once the app is ready. The start runs in the
 * background and is retried until it succeeds: the app starts, and answers 503s, while the
 * database is unreachable, and the workers begin when it is back. Jobs can be queued meanwhile
 * (they are rows): only taking them waits.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import fp from 'fastify-plugin';
import { JobQueue, STOP_TIMEOUT_MS } from '../jobs/queue.js';

declare module 'fastify' {
  interface FastifyInstance {
    jobQueue: JobQueue;
  }
}

const START_RETRY_MS = 5_000;

export default fp(
  async (fastify) => {
    const queue = new JobQueue(fastify.pg);
    queue.onError((error) => fastify.log.warn({ err: error }, 'job queue error'));
    fastify.decorate('jobQueue', queue);

    const closing = new AbortController();
    let started: Promise<void> | undefined;
    const startUntilItWorks = async (): Promise<void> => {
      for (let attempt = 1; !closing.signal.aborted; attempt++) {
        try {
          await queue.start();
          return;
        } catch (error) {
          if (attempt === 1) fastify.log.warn({ err: error }, `job queue could not start; retrying every ${START_RETRY_MS / 1000} s`);
          await sleep(START_RETRY_MS, undefined, { signal: closing.signal }).catch(() => undefined);
        }
      }
    };

    fastify.addHook('onReady', async () => {
      started = startUntilItWorks();
    });
    // Workers stop taking jobs as soon as closing starts, while the server stops listening (not awaited
    // here: new connections must be refused at once). The onClose hooks wait for it: the mailer's
    // (mail.service.ts) before it closes, and this one before the pool closes (database.ts).
    fastify.addHook('preClose', async () => {
      closing.abort();
      queue.stop(STOP_TIMEOUT_MS).catch((error: unknown) => fastify.log.warn({ err: error }, 'job queue did not stop cleanly'));
    });
    fastify.addHook('onClose', async () => {
      await started;
      await queue.stop(STOP_TIMEOUT_MS).catch(() => undefined);
    });
  },
  { name: 'job-queue', dependencies: ['database'] },
);
