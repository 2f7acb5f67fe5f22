/**
 * SIGTERM while the real server process is busy: a steady stream of concurrent keep-alive requests
 * runs, the signal arrives in the middle of it, and no client sees anything but a complete 200 or a
 * connection error: refused once the listener is closed, or reset when the server closes an idle
 * keep-alive connection that a client was about to reuse (the usual HTTP/1.1 race, safe to retry).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { uniqueEmail } from '../helpers/factories.js';
import { startServerProcess, stopLeftoverServers, type ServerProcess } from '../helpers/server-process.js';

const CONCURRENCY = 20;
/** The load runs at least this long, and until this many responses came back, before SIGTERM. */
const LOAD_BEFORE_SIGTERM_MS = 1_000;
const RESPONSES_BEFORE_SIGTERM = 2 * CONCURRENCY;
const LOAD_BEFORE_SIGTERM_MAX_MS = 10_000;
/** Bounds, so that a server that never closes fails the test instead of hanging it. */
const MAX_REQUESTS_PER_LOOP = 2_000;
const REQUEST_TIMEOUT_MS = 10_000;
const EXIT_BOUND_MS = 10_000;
/** Errors that mean "no connection" (refused, or closed by the server before a response began). */
const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

interface Completed {
  startedAt: number;
  endedAt: number;
  status: number;
  /** The reply's Connection header (`close` once the server is closing). */
  connection: string;
  /** The body, or why it could not be read in full. */
  body: string | { readError: string };
}

interface LoopResult {
  completed: Completed[];
  /** How the loop ended: a connection error's code (or a reason it is not one), and when that request was sent. */
  end: { sentAt: number; code: string };
}

/** `TypeError: fetch failed` carries the socket error as its cause. */
function errorCode(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timeout';
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? cause.code : `unknown: ${String(error)}`;
}

/** Node's fetch keeps connections alive (and reuses them) by default. */
async function requestLoop(url: string, token: string, hardDeadline: number, progress: { responses: number }): Promise<LoopResult> {
  const completed: Completed[] = [];
  for (let i = 0; i < MAX_REQUESTS_PER_LOOP; i++) {
    if (performance.now() > hardDeadline) return { completed, end: { sentAt: performance.now(), code: 'deadline' } };
    const startedAt = performance.now();
    let response: Response;
    try {
      response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } catch (error) {
      return { completed, end: { sentAt: startedAt, code: errorCode(error) } };
    }
    let body: Completed['body'];
    try {
      body = await response.text();
    } catch (error) {
      body = { readError: errorCode(error) };
    }
    progress.responses += 1;
    completed.push({
      startedAt,
      endedAt: performance.now(),
      status: response.status,
      connection: response.headers.get('connection') ?? 'none',
      body,
    });
  }
  return { completed, end: { sentAt: performance.now(), code: 'request cap' } };
}

async function postJson(url: string, body: unknown, token?: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  return { status: response.status, body: await response.json() };
}

describe('SIGTERM under load', () => {
  let database: TestDatabase | undefined;
  let server: ServerProcess;
  /** What the clients saw; times are performance.now() in this process. */
  const run = {
    expectedBody: '',
    loadStartedAt: 0,
    sigtermAt: 0,
    exitedAt: Number.POSITIVE_INFINITY,
    exit: undefined as { code: number | null; signal: NodeJS.Signals | null } | undefined,
    results: [] as LoopResult[],
    lateRequest: '',
  };
  const completed = () => run.results.flatMap((result) => result.completed);
  const inFlightAtSigterm = () => completed().filter((request) => request.startedAt < run.sigtermAt && request.endedAt > run.sigtermAt);

  beforeAll(async () => {
    database = await createTestDatabase();
    server = startServerProcess({ DATABASE_URL: database.url, RATE_LIMIT_MAX: '1000000' });
    const baseUrl = await server.waitForListening();

    const signup = await postJson(`${baseUrl}/auth/signup`, { email: uniqueEmail('shutdown'), password: 'correct horse battery' });
    expect(signup.status).toBe(201);
    const { accessToken } = signup.body as { accessToken: string };
    // A few habits, so that a truncated body would show.
    for (const name of ['Read 20 pages', 'Drink water', 'Walk 5 km']) {
      expect((await postJson(`${baseUrl}/habits`, { name, description: `${name}, every day` }, accessToken)).status).toBe(201);
    }
    const url = `${baseUrl}/habits`;
    const reference = await fetch(url, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(reference.status).toBe(200);
    run.expectedBody = await reference.text();
    expect(JSON.parse(run.expectedBody)).toHaveLength(3);

    run.loadStartedAt = performance.now();
    const hardDeadline = run.loadStartedAt + LOAD_BEFORE_SIGTERM_MAX_MS + EXIT_BOUND_MS + REQUEST_TIMEOUT_MS;
    const progress = { responses: 0 };
    const loops = Array.from({ length: CONCURRENCY }, () => requestLoop(url, accessToken, hardDeadline, progress));

    const loadElapsed = () => performance.now() - run.loadStartedAt;
    while (
      (loadElapsed() < LOAD_BEFORE_SIGTERM_MS || progress.responses < RESPONSES_BEFORE_SIGTERM) &&
      loadElapsed() < LOAD_BEFORE_SIGTERM_MAX_MS
    ) {
      await sleep(20);
    }
    run.sigtermAt = performance.now();
    const exited = server.exited.then((exit) => {
      run.exitedAt = performance.now();
      return exit;
    });
    server.child.kill('SIGTERM');

    run.results = await Promise.all(loops);
    const allEndedAt = performance.now();
    // Every loop has met a closed server: a new connection now must be refused.
    run.lateRequest = await fetch(url, { headers: { authorization: `Bearer ${accessToken}` } }).then(
      (response) => `answered ${response.status}`,
      errorCode,
    );
    const stillRunning = sleep(Math.max(0, EXIT_BOUND_MS - (performance.now() - run.sigtermAt)), undefined);
    run.exit = await Promise.race([exited, stillRunning]);

    const all = completed();
    const afterSigterm = all.filter((request) => request.endedAt > run.sigtermAt);
    const ends = run.results.map((result) => result.end).sort((a, b) => a.sentAt - b.sentAt);
    const countBy = (values: string[]) =>
      Object.fromEntries([...new Set(values)].map((value) => [value, values.filter((v) => v === value).length]));
    console.log(
      `${all.length} responses: ${all.length - afterSigterm.length} before SIGTERM (sent after ${Math.round(run.sigtermAt - run.loadStartedAt)} ms of load), ` +
        `${inFlightAtSigterm().length} in flight at SIGTERM and completed after it, ` +
        `${all.filter((request) => request.startedAt >= run.sigtermAt).length} sent after it\n` +
        `statuses ${JSON.stringify(countBy(all.map((request) => String(request.status))))}; ` +
        `after SIGTERM, connection headers ${JSON.stringify(countBy(afterSigterm.map((request) => request.connection)))}\n` +
        `loops ended by ${JSON.stringify(countBy(run.results.map((result) => result.end.code)))} ` +
        `(on requests sent ${ends.map((end) => `${Math.round(end.sentAt - run.sigtermAt)}`).join(', ')} ms after SIGTERM), ` +
        `the last ${Math.round(allEndedAt - run.sigtermAt)} ms after SIGTERM; ` +
        `then a new request: ${run.lateRequest}; exit ${JSON.stringify(run.exit ?? 'none')} ${Math.round(run.exitedAt - run.sigtermAt)} ms after SIGTERM`,
    );
  });

  afterAll(async () => {
    // A server that did not exit in time (that test has failed) must not be left behind.
    if (run.exit === undefined) server.child.kill('SIGKILL');
    await stopLeftoverServers();
    await database?.drop();
  });

  it('answers every request it accepts, before and after SIGTERM, with a complete 200', () => {
    expect(completed().length).toBeGreaterThanOrEqual(RESPONSES_BEFORE_SIGTERM);
    const failures = completed().filter((request) => request.status !== 200 || request.body !== run.expectedBody);
    const shown = failures.map(({ status, body, startedAt }) => ({
      status,
      body: typeof body === 'string' ? body.slice(0, 200) : body,
      sentMsAfterSigterm: Math.round(startedAt - run.sigtermAt),
    }));
    expect(shown).toEqual([]);
  });

  it('finishes the requests in flight when SIGTERM arrives', () => {
    expect(inFlightAtSigterm().length).toBeGreaterThan(0);
    const notOk = inFlightAtSigterm().filter((request) => request.status !== 200);
    expect(notOk.map(({ status, startedAt }) => ({ status, sentMsBeforeSigterm: Math.round(run.sigtermAt - startedAt) }))).toEqual([]);
  });

  it('ends every client loop with a connection error, then refuses new connections', () => {
    for (const { end } of run.results) expect(CONNECTION_ERROR_CODES, `a loop ended by ${end.code}`).toContain(end.code);
    expect(run.lateRequest).toBe('ECONNREFUSED');
  });

  it('exits with code 0 within 10 s of SIGTERM', () => {
    expect(run.exit, server.output().slice(-2_000)).toEqual({ code: 0, signal: null });
    expect(run.exitedAt - run.sigtermAt).toBeLessThanOrEqual(EXIT_BOUND_MS);
  });
});
