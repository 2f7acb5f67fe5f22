/** The mailer with SMTP_URL, against a real SMTP server in this process (smtp-server). */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMailer } from '../../src/mail/mailer.js';
import { renderEmail } from '../../src/mail/render.js';

const FROM = 'Habit Tracker <no-reply@habits.example>';
const quietLog = { info: () => undefined };

const verification = () =>
  renderEmail(
    { kind: 'verify-email', to: 'alice@example.com', name: 'Alice', token: 'q7Zx-K_3vYb2', code: '123456' },
    'https://app.example',
  );

interface Received {
  parsed: ParsedMail;
  envelope: { from: string | false; to: string[] };
  user: string | undefined;
}

/** An SMTP server on a free port that keeps what it receives; `refuse` answers every message with a 550. */
async function startSmtpServer(options: { refuse?: boolean } = {}) {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'mailer' && auth.password === 's3cret/+') callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      if (options.refuse) {
        stream.resume();
        stream.on('end', () => callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 })));
        return;
      }
      simpleParser(stream).then(
        (parsed) => {
          const from = session.envelope.mailFrom && session.envelope.mailFrom.address;
          received.push({
            parsed,
            envelope: { from, to: session.envelope.rcptTo.map((rcpt) => rcpt.address) },
            user: session.user as string | undefined,
          });
          callback();
        },
        (error: unknown) => callback(error as Error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(resolve)) };
}

/** A port nothing listens on: bound, then released. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return port;
}

describe('the SMTP mailer', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>> | undefined;

  beforeEach(() => {
    smtp = undefined;
  });

  afterEach(async () => {
    await smtp?.close();
  });

  it('delivers the email from MAIL_FROM, signed in with the URL credentials', async () => {
    smtp = await startSmtpServer();
    // The password is percent-encoded in the URL, as SMTP_URL needs it to be.
    const mailer = createMailer({
      smtpUrl: `smtp://mailer:s3cret%2F%2B@127.0.0.1:${smtp.port}`,
      from: FROM,
      outboxDir: '/nonexistent',
      log: quietLog,
    });
    const email = verification();
    try {
      await mailer.send(email);
    } finally {
      mailer.close();
    }
    expect(smtp.received).toHaveLength(1);
    const [{ parsed, envelope, user }] = smtp.received as [Received];
    expect(user).toBe('mailer');
    expect(envelope).toEqual({ from: 'no-reply@habits.example', to: ['alice@example.com'] });
    expect(parsed.subject).toBe('Verify your email address');
    expect(parsed.from?.text).toBe('"Habit Tracker" <no-reply@habits.example>');
    expect(parsed.to).toMatchObject({ text: 'alice@example.com' });
    expect(parsed.text?.split(/\r?\n/)).toEqual(
      expect.arrayContaining(['https://app.example/verify-email?token=q7Zx-K_3vYb2', 'Code: 123456']),
    );
    expect(parsed.html).toBe(email.html);
  });

  it('rejects when the server refuses the message', async () => {
    smtp = await startSmtpServer({ refuse: true });
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: FROM, outboxDir: '/nonexistent', log: quietLog });
    try {
      await expect(mailer.send(verification())).rejects.toMatchObject({ responseCode: 550 });
    } finally {
      mailer.close();
    }
  });

  it('rejects at once, not after the connection timeout, when nothing listens on the port', async () => {
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${await freePort()}`, from: FROM, outboxDir: '/nonexistent', log: quietLog });
    const started = Date.now();
    try {
      await expect(mailer.send(verification())).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      mailer.close();
    }
    // The mailer's connection timeout is 10 s: a refusal must not wait for it.
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
