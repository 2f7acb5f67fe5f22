/**
 * Durable email delivery (API.md, "Email", "Delivery is durable") through real server processes
 * (src/server.ts, tests/helpers/server-process.ts) sending over real SMTP to a server in this process
 * (tests/helpers/smtp.ts): requests succeed while SMTP refuses or is down and the email arrives once it
 * is back; two instances send each email once; a SIGKILL right after the 202, or in the middle of a
 * send, loses nothing (the next process sends it, after the job's expiry when the killed one had taken
 * it); an email that keeps failing ends `failed`, in the `email-failed` queue, with one error line and
 * no secret in the log.
 *
 * Each scenario has its own database, SMTP server and server processes, so the scenarios run at once
 * (vitest runs 5 at a time: the slowest, a SIGKILL while sending that waits for the job's 60 s expiry,
 * comes first). Waits poll the job table or wait for an email; none sleeps for a fixed time.
 */
import { createDecipheriv, hkdfSync } from 'node:crypto';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, describe, it, type ExpectStatic } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { uniqueEmail } from '../helpers/factories.js';
import { startServerProcess, stopLeftoverServers, type ServerProcess } from '../helpers/server-process.js';
import { startSmtpServer } from '../helpers/smtp.js';

const APP_URL = 'https://app.example.com';
const PASSWORD = 'correct horse battery';
const JWT_REFRESH_SECRET = 'email-delivery-test-refresh-secret-0123456789';
const RESET = /reset your password/i;
const VERIFY = /verify your email/i;
const PASSWORD_CHANGED = /password was changed/i;
const HIGH_LIMIT = '100000';

/** A failed send is retried 5–10 s later (retryDelay 5, backoff with jitter), the next one 10–20 s later. */
const AFTER_RETRY_MS = 40_000;
/**
 * An email job taken by a killed process, counted from the next process's start: its 60 s expiry, then
 * maintenance (every 15 s, but pg-boss skips a run that comes a hair under 15 s after the last one: up
 * to 30 s), then the 5–10 s retry delay, then a poll (1 s): ≤ 101 s, and some room.
 */
const AFTER_EXPIRY_MS = 115_000;
const POLL_MS = 200;

// Cleaned up after the file whatever happened: servers first (they hold connections), then the rest.
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  await stopLeftoverServers();
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.error(error));
});

interface Reply {
  status: number;
  body: unknown;
}

interface Instance {
  server: ServerProcess;
  baseUrl: string;
  post(path: string, body: object): Promise<Reply>;
  /** SIGTERM, and the exit is clean. */
  stop(expect: ExpectStatic): Promise<void>;
}

interface JobRow {
  id: string;
  name: string;
  state: string;
  retry_count: number;
  retry_limit: number;
  data: { message: { kind: string; to: string }; sealed?: string };
}

/** One scenario's world: a database, an SMTP server, and server processes started on them. */
async function scenario() {
  const smtp = await startSmtpServer();
  cleanups.push(() => smtp.stop());
  const database: TestDatabase = await createTestDatabase();
  cleanups.push(() => database.drop());
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  pool.on('error', () => undefined);
  cleanups.push(() => pool.end()); // before the drop: cleanups run in reverse

  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: database.url,
    SMTP_URL: smtp.url,
    APP_URL,
    JWT_REFRESH_SECRET,
    BCRYPT_ROUNDS: '4',
    SESSION_CLEANUP_INTERVAL_MINUTES: '0',
    REDIS_URL: '',
    RATE_LIMIT_MAX: HIGH_LIMIT,
    LOGIN_RATE_LIMIT_PER_IP: HIGH_LIMIT,
    SIGNUP_RATE_LIMIT_PER_IP: HIGH_LIMIT,
    REFRESH_RATE_LIMIT_PER_IP: HIGH_LIMIT,
    ACCOUNT_RATE_LIMIT_PER_USER: HIGH_LIMIT,
    FORGOT_RATE_LIMIT_PER_IP: HIGH_LIMIT,
    FORGOT_RATE_LIMIT_PER_EMAIL: HIGH_LIMIT,
  };

  /** A server process on this scenario's database; `smtpUrl` instead of the scenario's SMTP server. */
  const start = async (smtpUrl = smtp.url): Promise<Instance> => {
    const server = startServerProcess({ ...env, SMTP_URL: smtpUrl });
    const baseUrl = await server.waitForListening();
    const post = async (path: string, body: object): Promise<Reply> => {
      const response = await fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
    };
    const stop = async (expect: ExpectStatic) => {
      server.child.kill('SIGTERM');
      expect(await server.exited, `output:\n${server.output()}`).toEqual({ code: 0, signal: null });
    };
    return { server, baseUrl, post, stop };
  };

  const jobs = async (queue: string): Promise<JobRow[]> =>
    (
      await pool.query<JobRow>(
        'SELECT id, name, state, retry_count, retry_limit, data FROM pgboss.job WHERE name = $1 ORDER BY created_on',
        [queue],
      )
    ).rows;

  /** Polls `check` until it returns something truthy; fails with `what` after `timeoutMs`. */
  const until = async <T>(
    what: string,
    check: () => Promise<T>,
    timeoutMs: number,
  ): Promise<Exclude<T, false | 0 | '' | null | undefined>> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value) return value as Exclude<T, false | 0 | '' | null | undefined>;
      if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
      await sleep(POLL_MS);
    }
  };

  /** Jobs of the email queues not yet done (created, waiting for a retry, or running). */
  const unfinishedJobs = async () =>
    Number(
      (
        await pool.query<{ count: string }>(
          "SELECT count(*) FROM pgboss.job WHERE name IN ('email', 'email-request') AND state IN ('created', 'retry', 'active')",
        )
      ).rows[0]!.count,
    );

  return { smtp, pool, start, jobs, until, unfinishedJobs };
}

async function signUp(instance: Instance, expect: ExpectStatic, email = uniqueEmail('delivery')): Promise<string> {
  const reply = await instance.post('/auth/signup', { email, password: PASSWORD });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return email;
}

async function forgot(instance: Instance, expect: ExpectStatic, email: string): Promise<void> {
  const reply = await instance.post('/auth/password/forgot', { email });
  expect(reply.status, JSON.stringify(reply.body)).toBe(202);
}

/** The token and code a queued job carries, opened as the mail service does (AES-256-GCM, key from JWT_REFRESH_SECRET). */
function openSealed(sealed: string): { token: string; code: string } {
  const key = Buffer.from(hkdfSync('sha256', JWT_REFRESH_SECRET, '', 'habit-tracker email queue', 32));
  const bytes = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return JSON.parse(Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8')) as {
    token: string;
    code: string;
  };
}

/** No line any of `servers` wrote holds one of the tokens or codes. */
function expectNoSecretsLogged(
  expect: ExpectStatic,
  servers: ServerProcess[],
  emails: { token: string | null; code: string | null }[],
): void {
  // Notices (password changed) carry neither.
  const secrets = emails.filter((email) => email.token !== null);
  expect(secrets.length).toBeGreaterThan(0);
  for (const { token, code } of secrets) {
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(code, 'an action email has a code').toMatch(/^\d{6}$/);
    // A code only as a number of its own (not inside a timestamp or after a decimal point).
    const codeAlone = new RegExp(`(?<![\\d.])${code}(?!\\d)`);
    for (const [index, server] of servers.entries()) {
      for (const line of server.output().split('\n')) {
        expect(line, `server ${index + 1} logged an email token`).not.toContain(token);
        expect(line, `server ${index + 1} logged an email code`).not.toMatch(codeAlone);
      }
    }
  }
}

/** An SMTP server that accepts connections and never greets: a send to it hangs (until nodemailer's 10 s greeting timeout). */
async function startSilentSmtpServer(): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  cleanups.push(
    () =>
      new Promise<void>((closed) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => closed());
      }),
  );
  return `smtp://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

describe.concurrent('durable email delivery (real server processes, real SMTP)', () => {
  it(
    'delivers an email whose sender was SIGKILLed while sending it, once the job expires, and the queued one at once',
    { timeout: 160_000 },
    async ({ expect }) => {
      const { smtp, start, jobs, until, unfinishedJobs } = await scenario();
      // The first process sends to a server that never greets: its email worker hangs on the verification email.
      const first = await start(await startSilentSmtpServer());
      const email = await signUp(first, expect);
      await forgot(first, expect, email);
      // The verification email is being sent (active) while the reset email waits its turn (created).
      const kinds = (rows: JobRow[], state: string) => rows.filter((row) => row.state === state).map((row) => row.data.message.kind);
      await until(
        'the verification email to be sending and the reset email queued',
        async () => {
          const rows = await jobs('email');
          return kinds(rows, 'active').includes('verify-email') && kinds(rows, 'created').includes('reset-password');
        },
        20_000,
      );
      first.server.child.kill('SIGKILL');
      const killedAt = performance.now();
      expect(await first.server.exited).toEqual({ code: null, signal: 'SIGKILL' });

      const second = await start();
      const reset = await smtp.waitForEmail(email, { subject: RESET, timeoutMs: 30_000 });
      const resetAfterMs = performance.now() - killedAt;
      const verify = await smtp.waitForEmail(email, { subject: VERIFY, timeoutMs: AFTER_EXPIRY_MS });
      console.log(
        `SIGKILL while sending: the queued reset email arrived ${seconds(resetAfterMs)} after the kill, ` +
          `the verification email being sent at the kill ${seconds(performance.now() - killedAt)} after it`,
      );
      await until('every job to finish', async () => (await unfinishedJobs()) === 0, 10_000);
      expect(smtp.received(email, VERIFY)).toHaveLength(1);
      expect(smtp.received(email, RESET)).toHaveLength(1);
      const verified = await second.post('/auth/email/verify', { token: verify.token });
      expect(verified.status, JSON.stringify(verified.body)).toBe(200);

      expectNoSecretsLogged(expect, [first.server, second.server], [verify, reset]);
      await second.stop(expect);
    },
  );

  it(
    'delivers the reset email of a forgot answered 202 just before a SIGKILL, from the next process',
    { timeout: 160_000 },
    async ({ expect }) => {
      const { smtp, start, jobs } = await scenario();
      const first = await start();
      const email = await signUp(first, expect);
      await smtp.waitForEmail(email, { subject: VERIFY });

      await forgot(first, expect, email);
      first.server.child.kill('SIGKILL');
      const killedAt = performance.now();
      expect(await first.server.exited).toEqual({ code: null, signal: 'SIGKILL' });
      // Where the request and its email were when the process died (`created`: no worker had taken it yet).
      const atKill = [...(await jobs('email-request')), ...(await jobs('email'))]
        .filter((row) => row.name === 'email-request' || row.data.message.kind === 'reset-password')
        .map((row) => `${row.name}: ${row.state}`);
      const resetsAtKill = smtp.received(email, RESET).length;

      const second = await start();
      const reset = await smtp.waitForEmail(email, { subject: RESET, timeoutMs: AFTER_EXPIRY_MS });
      console.log(
        `SIGKILL after 202: at the kill ${JSON.stringify(atKill)}, ${resetsAtKill} reset email(s) sent; ` +
          `the reset email arrived ${seconds(performance.now() - killedAt)} after the kill`,
      );
      expect(reset.link).toMatch(new RegExp(`^${APP_URL}/reset-password\\?token=`));
      const resetReply = await second.post('/auth/password/reset', { token: reset.token, newPassword: 'a brand new password' });
      expect(resetReply.status, JSON.stringify(resetReply.body)).toBe(204);

      await smtp.waitForEmail(email, { subject: PASSWORD_CHANGED });
      // At least once: a job the killed process had sent but not yet marked done is sent again.
      console.log(`SIGKILL after 202: ${smtp.received(email, RESET).length} reset email(s) in all`);
      expectNoSecretsLogged(expect, [first.server, second.server], smtp.received(email));
      await second.stop(expect);
    },
  );

  it(
    'accepts signup and forgot while SMTP refuses, sends nothing, and delivers both emails once SMTP accepts',
    { timeout: 90_000 },
    async ({ expect }) => {
      const { smtp, start, jobs, until } = await scenario();
      const server = await start();
      smtp.refuse(true);

      const email = await signUp(server, expect);
      await forgot(server, expect, email);

      // Both emails (verification, reset) were tried and refused: each job waits for its retry.
      const failed = await until(
        'both emails to fail once',
        async () => {
          const rows = await jobs('email');
          return rows.length === 2 && rows.every((row) => row.state === 'retry') && rows;
        },
        20_000,
      );
      expect(failed.map((row) => row.data.message.kind).sort()).toEqual(['reset-password', 'verify-email']);
      expect(smtp.messages).toEqual([]);
      expect(server.server.output()).toContain('email not sent; it will be retried');

      smtp.refuse(false);
      const acceptingAt = performance.now();
      const [verify, reset] = await Promise.all([
        smtp.waitForEmail(email, { subject: VERIFY, timeoutMs: AFTER_RETRY_MS }),
        smtp.waitForEmail(email, { subject: RESET, timeoutMs: AFTER_RETRY_MS }),
      ]);
      console.log(`SMTP refusing: both emails arrived ${seconds(performance.now() - acceptingAt)} after SMTP accepted again`);
      expect(verify.link).toMatch(new RegExp(`^${APP_URL}/verify-email\\?token=`));
      expect(reset.link).toMatch(new RegExp(`^${APP_URL}/reset-password\\?token=`));

      await until('the queue to empty', async () => (await jobs('email')).every((row) => row.state === 'completed'), 10_000);
      expect(smtp.received(email)).toHaveLength(2);
      expectNoSecretsLogged(expect, [server.server], [verify, reset]);
      await server.stop(expect);
    },
  );

  it(
    'answers forgot 202 while SMTP is not listening, and the reset email arrives once it listens again',
    { timeout: 90_000 },
    async ({ expect }) => {
      const { smtp, start, jobs, until } = await scenario();
      const server = await start();
      const email = await signUp(server, expect);
      const verify = await smtp.waitForEmail(email, { subject: VERIFY });

      await smtp.stop();
      await forgot(server, expect, email);
      // The email-request job issued the token and queued the email, whose send failed (connection refused).
      await until(
        'the reset email to fail once',
        async () => (await jobs('email')).some((row) => row.data.message.kind === 'reset-password' && row.state === 'retry'),
        20_000,
      );
      expect(smtp.received(email, RESET)).toEqual([]);

      await smtp.listenAgain();
      const listeningAt = performance.now();
      const reset = await smtp.waitForEmail(email, { subject: RESET, timeoutMs: AFTER_RETRY_MS });
      console.log(`SMTP down: the reset email arrived ${seconds(performance.now() - listeningAt)} after SMTP listened again`);

      // The late email works: its link resets the password.
      const resetReply = await server.post('/auth/password/reset', { token: reset.token, newPassword: 'a brand new password' });
      expect(resetReply.status, JSON.stringify(resetReply.body)).toBe(204);
      await smtp.waitForEmail(email, { subject: PASSWORD_CHANGED });
      expect(smtp.received(email, RESET)).toHaveLength(1);
      expectNoSecretsLogged(expect, [server.server], [verify, reset]);
      await server.stop(expect);
    },
  );

  it('sends each email exactly once with two instances on one database', { timeout: 90_000 }, async ({ expect }) => {
    const { smtp, start, until, unfinishedJobs } = await scenario();
    const instances = await Promise.all([start(), start()]);
    const on = (index: number) => instances[index % instances.length]!;

    // 6 accounts (signed up on either instance), and 2 addresses without one.
    const accounts = await Promise.all(Array.from({ length: 6 }, (_, index) => signUp(on(index), expect)));
    const strangers = [uniqueEmail('nobody'), uniqueEmail('nobody')];
    // Each account asked 1 to 3 times, on alternating instances, all at once: 12 requests for accounts, 4 for strangers.
    const requests = [
      ...accounts.flatMap((email, index) => Array.from({ length: (index % 3) + 1 }, () => email)),
      ...strangers,
      ...strangers,
    ];
    await Promise.all(requests.map((email, index) => forgot(on(index), expect, email)));
    const expectedResets = (email: string) => requests.filter((requested) => requested === email).length;

    const startedAt = performance.now();
    await Promise.all(
      accounts.map((email) => smtp.waitForEmail(email, { subject: RESET, after: expectedResets(email) - 1, timeoutMs: 45_000 })),
    );
    // Once no job is left to run, no other email can come.
    await until('every job to finish', async () => (await unfinishedJobs()) === 0, 30_000);
    console.log(`two instances: ${smtp.messages.length} emails delivered within ${seconds(performance.now() - startedAt)}`);

    for (const email of accounts) {
      expect(smtp.received(email, RESET), email).toHaveLength(expectedResets(email));
      expect(smtp.received(email, VERIFY), email).toHaveLength(1);
    }
    for (const email of strangers) expect(smtp.received(email), email).toEqual([]);
    expect(smtp.messages).toHaveLength(requests.length - 2 * strangers.length + accounts.length);
    // Every email is a different one (its own token), and both instances sent some.
    expect(new Set(smtp.messages.map((message) => message.token)).size).toBe(smtp.messages.length);
    const sentBy = instances.map(
      ({ server }) =>
        server
          .output()
          .split('\n')
          .filter((line) => line.includes('"email sent"')).length,
    );
    console.log(`two instances: emails sent by each: ${sentBy.join(' and ')}`);
    expect(sentBy.reduce((a, b) => a + b)).toBe(smtp.messages.length);
    for (const count of sentBy) expect(count).toBeGreaterThan(0);

    expectNoSecretsLogged(
      expect,
      instances.map(({ server }) => server),
      smtp.messages,
    );
    await Promise.all(instances.map((instance) => instance.stop(expect)));
  });

  it(
    'ends an email that keeps failing as failed, in email-failed, with one error line and no secret logged',
    { timeout: 90_000 },
    async ({ expect }) => {
      const { smtp, pool, start, jobs, until } = await scenario();
      const server = await start();
      smtp.refuse(true);
      const email = await signUp(server, expect);

      const [job] = await until(
        'the verification email to fail once',
        async () => {
          const rows = (await jobs('email')).filter((row) => row.state === 'retry');
          return rows.length > 0 && rows;
        },
        20_000,
      );
      expect(job!.retry_limit).toBe(10);
      // The next try is the last: pg-boss counts it (retry_count 1) when it takes the job.
      const updated = await pool.query("UPDATE pgboss.job SET retry_limit = 1 WHERE id = $1 AND name = 'email' AND state = 'retry'", [
        job!.id,
      ]);
      expect(updated.rowCount, 'the job was still waiting for its retry').toBe(1);

      const failedAt = performance.now();
      const [ended] = await until(
        'the email to fail for good',
        async () => {
          const rows = (await jobs('email')).filter((row) => row.state === 'failed');
          return rows.length > 0 && rows;
        },
        30_000,
      );
      console.log(`failing email: failed for good ${seconds(performance.now() - failedAt)} after its retry limit was lowered`);
      expect(ended).toMatchObject({ id: job!.id, retry_count: 1, retry_limit: 1 });
      const deadLetters = await jobs('email-failed');
      expect(deadLetters).toHaveLength(1);
      expect(deadLetters[0]!.data).toEqual(job!.data);
      expect(smtp.messages).toEqual([]);

      const lines = server.server.output().split('\n');
      const failedForGood = lines.filter((line) => line.includes('email failed for good'));
      expect(failedForGood).toHaveLength(1);
      const logged = JSON.parse(failedForGood[0]!) as { level: number; kind: string; to: string; attempt: number };
      expect(logged).toMatchObject({ level: 50, kind: 'verify-email', to: email, attempt: 2 });
      expect(lines.filter((line) => line.includes('email not sent; it will be retried'))).toHaveLength(1);

      // The token and code the email would have carried appear in no line, the error line included.
      expectNoSecretsLogged(expect, [server.server], [openSealed(job!.data.sealed!)]);
      await server.stop(expect);
    },
  );
});
