/**
 * The typed client (api-client.ts) walks the whole story against a running server: signup → login →
 * create a habit → set a goal → check in three days → statistics → a request with an invalid access
 * token, transparently refreshed and retried → logout → the logged-out session refused → forgot
 * password → reset it with the link's token, as a web app's reset page does → log in with the new
 * password.
 *
 * Usage:  npx tsx examples/client/walkthrough.ts        (or: npm run client:walkthrough)
 *         BASE_URL=https://api.example.com npx tsx examples/client/walkthrough.ts
 *
 * The reset email is read from the outbox of a development server (one without SMTP_URL saves each
 * email as an .eml file in MAIL_OUTBOX_DIR, default .data/outbox, relative to the project root): run
 * the walk-through on the server's machine, with the server's MAIL_OUTBOX_DIR.
 *
 * Prints one line per step (and the HTTP exchanges behind a step that took more than one); exits 1 on
 * anything unexpected. Tokens, passwords and email links are never printed.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createApiClient, MemoryTokenStorage } from './api-client.js';

const baseUrl = (process.env.BASE_URL || 'http://localhost:3000').replace(/\/+$/, '');
const email = `client-walkthrough-${randomBytes(6).toString('hex')}@example.com`;
const password = randomBytes(12).toString('base64url');
const newPassword = randomBytes(12).toString('base64url');
const outboxDir = resolve(fileURLToPath(new URL('../..', import.meta.url)), process.env.MAIL_OUTBOX_DIR || '.data/outbox');
const MAIL_WAIT_MS = 20_000;

/** The HTTP exchanges of the current step, as `METHOD /path → status`. */
const exchanges: string[] = [];
async function recordingFetch(request: Request): Promise<Response> {
  const response = await fetch(request).catch((error: unknown) => {
    // fetch's own message is "fetch failed"; the cause says why (ECONNREFUSED, ENOTFOUND…).
    const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    throw new Error(`Could not reach ${baseUrl}: ${reason}`);
  });
  exchanges.push(`${request.method} ${new URL(request.url).pathname} → ${response.status}`);
  return response;
}

const storage = new MemoryTokenStorage();
let logouts = 0;
const api = createApiClient({ baseUrl, storage, fetch: recordingFetch, onLogout: () => logouts++ });

let stepNumber = 0;

/** Awaits one client call, prints `N. label → status`, and fails unless the status is `expected`. */
async function step<T>(
  label: string,
  expected: number,
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T | undefined> {
  exchanges.length = 0;
  const { data, error, response } = await call;
  console.log(`${++stepNumber}. ${label} → ${response.status}`);
  if (exchanges.length > 1) for (const exchange of exchanges) console.log(`     ${exchange}`);
  if (response.status !== expected) {
    throw new Error(`Step ${stepNumber}: expected ${expected}, got ${response.status}: ${JSON.stringify(error)}`);
  }
  return data;
}

/** The response body of a step that must have one. */
function body<T>(data: T | undefined): T {
  if (data === undefined) throw new Error(`Step ${stepNumber}: the response has no body`);
  return data;
}

function expect(condition: boolean, what: string): void {
  if (!condition) throw new Error(`Step ${stepNumber}: expected ${what}`);
}

/** The header lines of an email (unfolded: a long header continues on lines that start with a space), lower-cased. */
function headerLines(message: string): string[] {
  return message
    .replace(/\r?\n[ \t]+/g, ' ')
    .toLowerCase()
    .split(/\r?\n/);
}

/**
 * The token of the link in the newest email to `to` with `subject` in the development outbox, waiting
 * for it to arrive. The .eml file's text part is quoted-printable: long lines are broken with `=` at
 * their end, and `=` itself is written `=3D`.
 */
async function linkTokenFromOutbox(to: string, subject: string): Promise<{ file: string; token: string }> {
  const deadline = Date.now() + MAIL_WAIT_MS;
  for (;;) {
    // The file names start with the time the email was saved: newest first.
    const files = (await readdir(outboxDir).catch(() => []))
      .filter((name) => name.endsWith('.eml'))
      .sort()
      .reverse();
    for (const file of files) {
      const message = await readFile(join(outboxDir, file), 'utf8');
      const headerEnd = message.search(/\r?\n\r?\n/);
      const headers = headerLines(message.slice(0, headerEnd));
      if (!headers.includes(`to: ${to}`.toLowerCase()) || !headers.includes(`subject: ${subject}`.toLowerCase())) continue;
      const decoded = message
        .slice(headerEnd)
        .replace(/=\r?\n/g, '')
        .replaceAll('=3D', '=');
      const token = /\/reset-password\?token=([\w-]+)/.exec(decoded)?.[1];
      if (token) return { file, token };
    }
    if (Date.now() > deadline)
      throw new Error(`Step ${stepNumber}: no email "${subject}" to ${to} in ${outboxDir} after ${MAIL_WAIT_MS / 1000} s`);
    await sleep(250);
  }
}

/** `YYYY-MM-DD`, `daysAgo` days before today (UTC, the new account's time zone). */
function day(daysAgo: number): string {
  return new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
}

console.log(`Typed-client walk-through against ${baseUrl} as ${email}`);
try {
  await step('POST /auth/signup', 201, api.POST('/auth/signup', { body: { email, password, name: 'Walk-through' } }));
  // login() saves the pair in the storage (and, for an account with two-factor sign-in on, asks for
  // the code through its askForCode option: see api-client.ts).
  await step('POST /auth/login', 200, api.login(email, password));

  const habit = body(await step('POST /habits', 201, api.POST('/habits', { body: { name: 'Read 20 pages' } })));
  const id = habit.id;
  await step(
    'PUT /habits/{id}/goal (once a day)',
    201,
    api.PUT('/habits/{id}/goal', { params: { path: { id } }, body: { period: 'day', target: 1 } }),
  );
  for (const date of [day(2), day(1), day(0)]) {
    await step(
      `PUT /habits/{id}/tracking/${date}`,
      201,
      api.PUT('/habits/{id}/tracking/{date}', { params: { path: { id, date } }, body: { status: 'done' } }),
    );
  }
  const stats = body(
    await step('GET /habits/{id}/stats', 200, api.GET('/habits/{id}/stats', { params: { path: { id }, query: { asOf: day(0) } } })),
  );
  console.log(`     current streak ${stats.currentStreak} ${stats.streakUnit}(s), ${stats.totalDone} done`);
  expect(stats.currentStreak === 3 && stats.totalDone === 3, 'a current streak of 3 and 3 done');

  // As if the access token had expired: the client refreshes once and retries, unseen by the caller.
  const before = body(storage.load());
  storage.save({ ...before, accessToken: `${before.accessToken}x` });
  await step('GET /habits with an invalid access token', 200, api.GET('/habits'));
  expect(exchanges.join(', ') === 'GET /habits → 401, POST /auth/refresh → 200, GET /habits → 200', 'one refresh, then one retry');
  const after = body(storage.load());
  expect(after.refreshToken !== before.refreshToken, 'a rotated refresh token in storage');

  await step('POST /auth/logout', 204, api.POST('/auth/logout', { body: { refreshToken: after.refreshToken } }));
  // An app would clear its storage now; kept here to show what a revoked session's tokens get.
  await step('GET /auth/me with the logged-out tokens', 401, api.GET('/auth/me'));
  expect(exchanges.join(', ') === 'GET /auth/me → 401, POST /auth/refresh → 401', 'the refresh refused too');
  expect(logouts === 1 && storage.load() === undefined, 'onLogout called once and the tokens cleared');

  // Forgot password: always 202; the email is queued and sent by the server's worker.
  await step('POST /auth/password/forgot', 202, api.POST('/auth/password/forgot', { body: { email } }));
  // A web app's page at <APP_URL>/reset-password?token=… posts the token with the new password.
  const { file, token } = await linkTokenFromOutbox(email, 'Reset your password');
  console.log(`     the link is in ${file}`);
  await step('POST /auth/password/reset with the link token', 204, api.POST('/auth/password/reset', { body: { token, newPassword } }));
  const signedIn = body(await step('POST /auth/login with the new password', 200, api.login(email, newPassword)));
  console.log(`     emailVerified ${signedIn.user.emailVerified}`);
  expect(signedIn.user.emailVerified, 'the address verified by the reset');
  console.log(`All ${stepNumber} steps passed`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
