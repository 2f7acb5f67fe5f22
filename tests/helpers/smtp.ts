/**
 * A real SMTP server in the test process (smtp-server), for tests that send the app's emails through
 * `SMTP_URL`. Each message is parsed (mailparser) and kept, once per envelope recipient, with the
 * link, token and code of its text part, so a test can wait for the email and act on it as the user would.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerError } from 'smtp-server';
import { afterAll, beforeAll } from 'vitest';

export interface ReceivedEmail {
  /** The envelope recipient, lower-cased. */
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  /** The `<APP_URL>/verify-email?token=…` or `…/reset-password?token=…` line of the text part. */
  link: string | null;
  token: string | null;
  /** The 6 digits of the `Code: 123456` line. */
  code: string | null;
}

export interface WaitOptions {
  subject?: RegExp;
  /** Default 15 s: the queue polls every second, and some flows take two jobs. */
  timeoutMs?: number;
  /** Skip this many earlier messages that match (address and subject). */
  after?: number;
}

export interface TestSmtpServer {
  /** `smtp://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Every message received, in order of arrival. */
  messages: ReceivedEmail[];
  /** The messages to `to` (and with a matching subject) received so far. */
  received(to: string, subject?: RegExp): ReceivedEmail[];
  /** Resolves with the first message to `to` (matching `subject`) beyond the `after` first ones; rejects after the timeout. */
  waitForEmail(to: string, options?: WaitOptions): Promise<ReceivedEmail>;
  /** While on, every connection is refused with `421` before the greeting. */
  refuse(on: boolean): void;
  /** Stops listening: the port is free (connections fail) until listenAgain(). */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  listenAgain(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const LINK_LINE = /^(\S+\/(?:verify-email|reset-password)\?token=(\S+))$/m;
const CODE_LINE = /^Code: (\d{6})$/m;

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: ReceivedEmail[] = [];
  const waiters = new Set<() => void>();
  let refusing = false;

  const matching = (to: string, subject?: RegExp) =>
    messages.filter((message) => message.to === to.toLowerCase() && (!subject || subject.test(message.subject)));

  const createServer = () => {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      disableReverseLookup: true,
      // Stopping waits this long at most for a client still connected.
      closeTimeout: 1_000,
      onConnect(_session, callback) {
        if (!refusing) return callback();
        const error: SMTPServerError = Object.assign(new Error('Service not available (test: refusing)'), { responseCode: 421 });
        callback(error);
      },
      onData(stream, session, callback) {
        simpleParser(stream).then((parsed) => {
          const text = parsed.text ?? '';
          const link = LINK_LINE.exec(text);
          for (const recipient of session.envelope.rcptTo) {
            messages.push({
              to: recipient.address.toLowerCase(),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              subject: parsed.subject ?? '',
              text,
              html: typeof parsed.html === 'string' ? parsed.html : '',
              link: link?.[1] ?? null,
              token: link ? decodeURIComponent(link[2]!) : null,
              code: CODE_LINE.exec(text)?.[1] ?? null,
            });
          }
          for (const wake of waiters) wake();
          callback();
        }, callback);
      },
    });
    // Errors of single connections (a client that went away) are no concern of the tests.
    server.on('error', () => undefined);
    return server;
  };

  const listen = (server: SMTPServer, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.server.off('error', reject);
        resolve((server.server.address() as AddressInfo).port);
      });
    });

  let server = createServer();
  const port = await listen(server, 0);

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    received: matching,
    waitForEmail(to, { subject, timeoutMs = DEFAULT_TIMEOUT_MS, after = 0 } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = matching(to, subject)[after];
          if (!found) return;
          finish();
          resolve(found);
        };
        const timer = setTimeout(() => {
          finish();
          const got = matching(to).map((message) => message.subject);
          reject(
            new Error(
              `No email to ${to}${subject ? ` matching ${subject}` : ''} (after ${after}) within ${timeoutMs} ms; got: ${JSON.stringify(got)}`,
            ),
          );
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    refuse(on) {
      refusing = on;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    async listenAgain() {
      server = createServer();
      await listen(server, port);
    },
  };
}

/**
 * An SMTP server for the enclosing `describe` (or file), started in a `beforeAll` and stopped in an
 * `afterAll`, like useTestApp. Its properties can be read from that `beforeAll` on.
 */
export function useSmtpServer(): TestSmtpServer {
  let smtp: TestSmtpServer | undefined;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await smtp?.stop();
  });
  const started = (): TestSmtpServer => {
    if (!smtp) throw new Error('useSmtpServer(): the server starts in beforeAll; read it in a test or a hook');
    return smtp;
  };
  return {
    get url() {
      return started().url;
    },
    get port() {
      return started().port;
    },
    get messages() {
      return started().messages;
    },
    received: (to, subject) => started().received(to, subject),
    waitForEmail: (to, options) => started().waitForEmail(to, options),
    refuse: (on) => started().refuse(on),
    stop: () => started().stop(),
    listenAgain: () => started().listenAgain(),
  };
}
