/**
 * Email delivery through the job queue. `enqueue` records an email as a job, in the caller's
 * transaction (beside the token it carries); the `email` worker renders it (src/mail/render.ts) and
 * hands it to the mailer (SMTP, or the development outbox). A failed send is retried with backoff
 * (src/jobs/queue.ts); after the last retry the email is logged as failed and kept in the
 * `email-failed` queue.
 *
 * Tokens and codes never rest in the queue in clear: a job's secrets are sealed with AES-256-GCM
 * under a key derived from JWT_REFRESH_SECRET, and opened only to render the email.
 */
import fp from 'fastify-plugin';
import { createSealedBox, type SealedBox } from '../auth/sealed-box.js';
import type { FastifyBaseLogger } from 'fastify';
import { STOP_TIMEOUT_MS, type JobQueue } from '../jobs/queue.js';
import type { Mailer } from '../mail/mailer.js';
import type { EmailMessage } from '../mail/messages.js';
import { renderEmail } from '../mail/render.js';
import type { Queryable } from '../repositories/transaction.js';

/** What the queue stores: the message without its secrets, and the secrets sealed. */
interface EmailJob {
  message: Omit<EmailMessage, 'token' | 'code'>;
  sealed?: string;
}

interface Secrets {
  token: string;
  code: string;
}

/** How often each instance looks for emails to send. */
const POLLING_INTERVAL_SECONDS = 1;

export class MailService {
  private readonly box: SealedBox;

  constructor(
    private readonly queue: JobQueue,
    private readonly mailer: Mailer,
    private readonly options: { appUrl: string; sealingSecrets: string[] },
    private readonly log: FastifyBaseLogger,
  ) {
    this.box = createSealedBox(options.sealingSecrets, 'habit-tracker email queue');
  }

  /** Queues `message`; with `tx`, in that transaction. */
  async enqueue(message: EmailMessage, tx?: Queryable): Promise<void> {
    const { token, code, ...rest } = message as EmailMessage & Partial<Secrets>;
    const job: EmailJob = { message: rest, ...(token !== undefined && code !== undefined ? { sealed: this.seal({ token, code }) } : {}) };
    await this.queue.send('email', job, tx);
  }

  /** Registers the worker that sends queued emails. */
  startWorker(): void {
    this.queue.work('email', POLLING_INTERVAL_SECONDS, async (job: EmailJob, { lastAttempt, retryCount }) => {
      const { kind, to } = job.message;
      try {
        // Inside the try: secrets sealed under a rotated JWT_REFRESH_SECRET fail here, and are logged like a refused send.
        const message = { ...job.message, ...(job.sealed ? this.open(job.sealed) : {}) } as EmailMessage;
        await this.mailer.send(renderEmail(message, this.options.appUrl));
      } catch (error) {
        // The recipient is personal data, but operators need to know which delivery failed; never the body.
        const context = { err: error, kind, to, attempt: retryCount + 1 };
        if (lastAttempt) this.log.error(context, 'email failed for good: kept in the email-failed queue');
        else this.log.warn(context, 'email not sent; it will be retried');
        throw error;
      }
      this.log.info({ kind, attempt: retryCount + 1 }, 'email sent');
    });
  }

  private seal(secrets: Secrets): string {
    return this.box.seal(JSON.stringify(secrets));
  }

  private open(sealed: string): Secrets {
    return JSON.parse(this.box.open(sealed)) as Secrets;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    mailService: MailService;
  }
}

export interface MailServiceOptions {
  appUrl: string;
  /** The key that seals queued secrets is derived from the first (JWT_REFRESH_SECRET); the others still open (its previous value). */
  sealingSecrets: string[];
  mailer: Mailer;
}

export default fp<MailServiceOptions>(
  async (fastify, { appUrl, sealingSecrets, mailer }) => {
    const service = new MailService(fastify.jobQueue, mailer, { appUrl, sealingSecrets }, fastify.log);
    service.startWorker();
    fastify.decorate('mailService', service);
    fastify.addHook('onClose', async () => {
      // After the workers stopped (plugins/job-queue.ts): a send in progress finishes first.
      await fastify.jobQueue.stop(STOP_TIMEOUT_MS).catch(() => undefined);
      mailer.close();
    });
  },
  { name: 'mail-service', dependencies: ['job-queue'] },
);
