/**
 * Delivery of rendered emails. With SMTP_URL, nodemailer sends them over SMTP. Without it
 * (development and test only), nothing leaves the machine: each email is logged as one readable block
 * (Django's console backend) and saved as an .eml file in the outbox folder, to open in a mail client.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import type { RenderedEmail } from './messages.js';

export interface Mailer {
  /** Resolves once the SMTP server accepted the message (or the outbox holds it); rejects otherwise. */
  send(email: RenderedEmail): Promise<void>;
  close(): void;
}

export interface MailerOptions {
  /** `smtp://user:pass@host:port` or `smtps://…`; unset: the outbox. */
  smtpUrl: string | undefined;
  from: string;
  /** Absolute; created when the first email arrives. */
  outboxDir: string;
  log: { info(obj: object, msg: string): void };
}

export function createMailer(options: MailerOptions): Mailer {
  return options.smtpUrl ? createSmtpMailer(options.smtpUrl, options.from) : createOutboxMailer(options);
}

function createSmtpMailer(url: string, from: string): Mailer {
  // A server that refuses, never greets or stalls fails the send within these bounds, and the queue
  // retries it, instead of the worker waiting minutes (nodemailer's defaults). No logger: nodemailer
  // would log bodies, and the URL holds the password.
  const transport = createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 });
  return {
    async send({ to, subject, text, html }) {
      await transport.sendMail({ from, to, subject, text, html });
    },
    close() {
      transport.close();
    },
  };
}

function createOutboxMailer({ from, outboxDir, log }: MailerOptions): Mailer {
  // CRLF line ends: an .eml file is the message as it would travel over SMTP.
  const transport = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    async send(email) {
      const { to, subject, text, html } = email;
      const { message } = await transport.sendMail({ from, to, subject, text, html });
      await mkdir(outboxDir, { recursive: true });
      // The ISO time first, so the files sort by time; `:` is not allowed in Windows file names.
      const file = join(outboxDir, `${new Date().toISOString().replaceAll(':', '-')}-${randomBytes(3).toString('hex')}.eml`);
      await writeFile(file, message as Buffer);
      log.info({ to, subject }, outboxBlock(email, file));
    },
    close() {
      transport.close();
    },
  };
}

/** One block a developer can act on: the recipient, the subject and the text part (with its link and code). */
function outboxBlock({ to, subject, text }: RenderedEmail, file: string): string {
  const rule = '-'.repeat(72);
  return [`Email not sent (no SMTP_URL), saved to ${file}`, rule, `To: ${to}`, `Subject: ${subject}`, '', text.trimEnd(), rule].join('\n');
}
