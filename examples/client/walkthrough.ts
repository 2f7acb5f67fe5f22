/**
 * The typed client (api-client.ts) walks the whole story against a running server: signup → login →
 * create a habit → set a goal → check in three days → statistics → a request with an invalid access
 * token, transparently refreshed and retried → logout → the logged-out session refused.
 *
 * Usage:  npx tsx examples/client/walkthrough.ts        (or: npm run client:walkthrough)
 *         BASE_URL=https://api.example.com npx tsx examples/client/walkthrough.ts
 *
 * Prints one line per step (and the HTTP exchanges behind a step that took more than one); exits 1 on
 * anything unexpected. Tokens and the password are never printed.
 */
import { randomBytes } from 'node:crypto';
import { createApiClient, MemoryTokenStorage } from './api-client.js';

const baseUrl = (process.env.BASE_URL || 'http://localhost:3000').replace(/\/+$/, '');
const email = `client-walkthrough-${randomBytes(6).toString('hex')}@example.com`;
const password = randomBytes(12).toString('base64url');

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

/** `YYYY-MM-DD`, `daysAgo` days before today (UTC, the new account's time zone). */
function day(daysAgo: number): string {
  return new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
}

console.log(`Typed-client walk-through against ${baseUrl} as ${email}`);
try {
  await step('POST /auth/signup', 201, api.POST('/auth/signup', { body: { email, password, name: 'Walk-through' } }));
  const login = body(await step('POST /auth/login', 200, api.POST('/auth/login', { body: { email, password } })));
  storage.save({ accessToken: login.accessToken, refreshToken: login.refreshToken });

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
  console.log(`All ${stepNumber} steps passed`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
