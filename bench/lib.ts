/**
 * The machinery of `npm run bench` (bench/suite.ts): a cleanup registry, a throwaway database on
 * BENCH_DATABASE_URL's server, the servers as their own processes (the built entry point, started as
 * `npm start` starts it, and the baseline) so that the load generator does not share their event
 * loop, their memory read from /proc, users signed up through the HTTP API, and autocannon runs with
 * sub-millisecond latency percentiles (autocannon's own histogram has a 1 ms resolution).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { EnvSchema, loadConfig } from '../src/config/env.js';
import { deployMigrations } from '../src/db/migrations.js';
import { PROJECT_ROOT } from '../src/utils/paths.js';

const SERVER_URL = process.env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
export const BENCH_PASSWORD = 'bench-password-0123';
const SIGNUP_CONCURRENCY = 4;

// ---------------------------------------------------------------------------------------------
// Cleanup: every resource registers how to release it; released in reverse order, exactly once.

const cleanups: { what: string; release: () => Promise<void> }[] = [];

export function onCleanup(what: string, release: () => Promise<void>): void {
  cleanups.push({ what, release });
}

async function releaseAll(): Promise<void> {
  for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop()) {
    const start = performance.now();
    try {
      await cleanup.release();
      console.log(`cleanup: ${cleanup.what} in ${Math.round(performance.now() - start)} ms`);
    } catch (error) {
      console.error(`cleanup: ${cleanup.what} failed:`, error);
    }
  }
}

/** Runs `main`, then releases everything registered with `onCleanup`, also on failure or Ctrl-C. */
export async function runBench(main: () => Promise<void>): Promise<void> {
  process.once('SIGINT', () => {
    void releaseAll().finally(() => process.exit(130));
  });
  try {
    await main();
  } catch (error) {
    console.error('bench failed:', error);
    process.exitCode = 1;
  } finally {
    await releaseAll();
  }
}

// ---------------------------------------------------------------------------------------------
// Database

function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** One connection to `connectionString` for the duration of `work`. */
export async function withDatabaseClient<T>(connectionString: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new, migrated database named `<prefix>_<random>`, dropped at cleanup. */
export async function createBenchDatabase(prefix: string): Promise<{ url: string; postgresVersion: string }> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const postgresVersion = await withDatabaseClient(SERVER_URL, async (admin) => {
    await admin.query(`CREATE DATABASE "${name}"`);
    const { rows } = await admin.query<{ server_version: string }>('SHOW server_version');
    return rows[0]?.server_version ?? 'unknown';
  });
  onCleanup(`dropped database ${name}`, () =>
    withDatabaseClient(SERVER_URL, async (admin) => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }),
  );
  const url = databaseUrlFor(SERVER_URL, name);
  await deployMigrations(url);
  return { url, postgresVersion };
}

// ---------------------------------------------------------------------------------------------
// The server process

/** The servers' secrets: JWT_SECRET, JWT_REFRESH_SECRET and MFA_ENCRYPTION_KEY. */
export interface JwtSecrets {
  access: string;
  refresh: string;
  mfa: string;
}

export const randomSecrets = (): JwtSecrets => ({
  access: randomBytes(24).toString('hex'),
  refresh: randomBytes(24).toString('hex'),
  mfa: randomBytes(24).toString('hex'),
});

async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', listening);
  });
  const address = server.address();
  await new Promise<void>((closed) => server.close(() => closed()));
  if (address === null || typeof address === 'string') throw new Error('could not find a free port');
  return address.port;
}

export interface ServerProcess {
  name: string;
  baseUrl: string;
  pid: number;
  /** What the server wrote (LOG_LEVEL=warn: only warnings and errors). */
  output(): string;
}

function waitForExit(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((exited) => child.once('exit', (code, signal) => exited({ code, signal })));
}

/** Far above anything the load generator (one IP, a few users) sends in a run. */
const UNREACHABLE_LIMIT = '1000000000';
export const BENCH_BCRYPT_ROUNDS = 10;

/**
 * Every variable of the server's configuration (src/config/env.ts), so that the developer's .env
 * changes nothing: ours, and an empty string (which counts as unset) for the others. The rate
 * limiter stays on, so its cost is in every request, but with limits no run reaches.
 */
export function serverEnvironment(databaseUrl: string, secrets: JwtSecrets, smtpUrl: string): Record<string, string> {
  const ours: Record<string, string> = {
    NODE_ENV: 'production',
    // Production requires both; signups send verification emails to the sink.
    SMTP_URL: smtpUrl,
    APP_URL: 'https://app.example.com',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: secrets.access,
    JWT_REFRESH_SECRET: secrets.refresh,
    MFA_ENCRYPTION_KEY: secrets.mfa,
    BCRYPT_ROUNDS: String(BENCH_BCRYPT_ROUNDS),
    LOG_LEVEL: 'warn',
    SESSION_CLEANUP_INTERVAL_MINUTES: '0',
    RATE_LIMIT_MAX: UNREACHABLE_LIMIT,
    LOGIN_RATE_LIMIT_PER_IP: UNREACHABLE_LIMIT,
    SIGNUP_RATE_LIMIT_PER_IP: UNREACHABLE_LIMIT,
    REFRESH_RATE_LIMIT_PER_IP: UNREACHABLE_LIMIT,
    ACCOUNT_RATE_LIMIT_PER_USER: UNREACHABLE_LIMIT,
    // autocannon's connections walk the same user list in step, so up to 8 logins of one email are
    // in flight at once, and the throttle counts attempts in flight as failures until they succeed.
    LOGIN_THROTTLE_FREE_ATTEMPTS: '1000',
  };
  const known = Object.keys(EnvSchema.properties);
  // A renamed variable would silently fall back to its default (a 600-requests-a-minute limit...).
  const unknown = Object.keys(ours).filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new Error(`not server variables (see src/config/env.ts): ${unknown.join(', ')}`);
  const environment = { ...Object.fromEntries(known.map((name) => [name, ''])), ...ours };
  // Read as the servers will read it: a value the server refuses fails here, before any is started.
  loadConfig(environment);
  return environment;
}

export interface ProcessSpec {
  name: string;
  /** Node arguments, run from the project root. */
  args: string[];
  env: Record<string, string>;
  /** The process is ready when GET `path` answers `status`. */
  ready: { path: string; status: number };
}

/** A server process on a free port (PORT); stopped with SIGTERM at cleanup. */
export async function startServerProcess({ name, args, env, ready }: ProcessSpec): Promise<ServerProcess> {
  const port = await findFreePort();
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = waitForExit(child);

  onCleanup(`stopped the ${name} server (SIGTERM)`, async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    // The server allows 10 s for in-flight requests; past that, it is stuck. (Unref'd: once the
    // server is gone, this timer must not keep the bench alive.)
    const stopped = await Promise.race([exited, sleep(15_000, null, { ref: false })]);
    if (stopped === null) {
      child.kill('SIGKILL');
      console.error(`${name} server did not stop within 15 s of SIGTERM: killed`);
    } else if (stopped.code !== 0) {
      console.error(`${name} server exited with code ${String(stopped.code)} (signal ${String(stopped.signal)}) after SIGTERM`);
    }
  });

  // With LOG_LEVEL=warn there is no "listening" line: poll until the expected answer.
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} server exited before it was ready:\n${output}`);
    if (Date.now() > deadline) throw new Error(`${name} server not ready within 30 s:\n${output}`);
    const status = await fetch(`${baseUrl}${ready.path}`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === ready.status) break;
    await sleep(100);
  }
  return { name, baseUrl, pid: child.pid!, output: () => output };
}

/**
 * The environment variables and Node arguments of `npm start` (`[NAME=value …] node <flags>
 * dist/server.js`): the bench runs what production runs.
 */
function startScript(): { env: Record<string, string>; args: string[] } {
  const { scripts } = JSON.parse(readFileSync(`${PROJECT_ROOT}/package.json`, 'utf8')) as { scripts: Record<string, string> };
  const words = (scripts.start ?? '').split(/\s+/);
  const assignments = words.slice(0, words.indexOf('node'));
  const [command, ...args] = words.slice(assignments.length);
  if (command !== 'node' || args.at(-1) !== 'dist/server.js' || !assignments.every((word) => /^\w+=\S*$/.test(word)))
    throw new Error(`npm start is not "[NAME=value …] node [flags] dist/server.js": ${scripts.start}`);
  return {
    env: Object.fromEntries(assignments.map((word) => [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)])),
    args,
  };
}

let smtpSink: Promise<string> | undefined;

/** An SMTP server in this process that accepts every email and keeps none (started once): its URL. */
function smtpSinkUrl(): Promise<string> {
  smtpSink ??= (async () => {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, _session, done) => {
        stream.resume();
        stream.on('end', () => done());
      },
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    onCleanup('stopped the SMTP sink', () => new Promise<void>((closed) => server.close(() => closed())));
    return `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  })();
  return smtpSink;
}

/** The built entry point, started as `npm start` starts it, with `serverEnvironment`. */
export async function startApiServer(databaseUrl: string, secrets: JwtSecrets, name = 'api'): Promise<ServerProcess> {
  const { env, args } = startScript();
  return startServerProcess({
    name,
    args,
    env: { ...env, ...serverEnvironment(databaseUrl, secrets, await smtpSinkUrl()) },
    ready: { path: '/health', status: 200 },
  });
}

/** bench/baseline-server.ts with the API server's environment: the same database, secrets and bcrypt cost. */
export const startBaselineServer = async (databaseUrl: string, secrets: JwtSecrets): Promise<ServerProcess> =>
  startServerProcess({
    name: 'baseline',
    args: ['--import', 'tsx', 'bench/baseline-server.ts'],
    env: serverEnvironment(databaseUrl, secrets, await smtpSinkUrl()),
    ready: { path: '/habits', status: 401 },
  });

// ---------------------------------------------------------------------------------------------
// Memory

/** A process's resident set size now and at its peak (VmRSS / VmHWM, in MB); Linux only. */
export function residentMemoryMb(pid: number): { now: number; peak: number } | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kilobytes = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { now: kilobytes('VmRSS') / 1024, peak: kilobytes('VmHWM') / 1024 };
}

/** The largest of `values` that are numbers; NaN when none is (memory is not readable off Linux). */
export function highest(values: readonly number[]): number {
  const known = values.filter((value) => !Number.isNaN(value));
  return known.length > 0 ? Math.max(...known) : Number.NaN;
}

/** Samples `pid`'s RSS every 100 ms until stopped; the highest sample (MB), or NaN off Linux. */
export function sampleRss(pid: number): { stop(): number } {
  const samples: number[] = [];
  const sample = (): void => {
    samples.push(residentMemoryMb(pid)?.now ?? Number.NaN);
  };
  sample();
  const timer = setInterval(sample, 100);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return highest(samples);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Seeding through the API

/**
 * `method path` with an optional JSON body and bearer token; the parsed reply (undefined for a 204),
 * which must have `expectedStatus`.
 */
export async function callApi(
  baseUrl: string,
  request: { method: string; path: string; token?: string; body?: unknown },
  expectedStatus: number,
): Promise<unknown> {
  const headers: Record<string, string> = {};
  if (request.token !== undefined) headers.authorization = `Bearer ${request.token}`;
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${request.path}`, {
    method: request.method,
    headers,
    body: request.body === undefined ? null : JSON.stringify(request.body),
  });
  if (response.status !== expectedStatus) {
    throw new Error(`${request.method} ${request.path}: ${response.status} ${await response.text()}`);
  }
  return response.status === 204 ? undefined : response.json();
}

export interface BenchUser {
  email: string;
  password: string;
  accessToken: string;
}

/** `work(0)` … `work(count - 1)`, at most `concurrency` at a time; the results in index order. */
export async function inParallel<T>(count: number, concurrency: number, work: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < count; index = next++) results[index] = await work(index);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

/** `count` users (`<prefix>-<n>@example.com`, time zone UTC). */
export function signUpUsers(baseUrl: string, count: number, prefix = 'bench-user'): Promise<BenchUser[]> {
  // A few at a time: bcrypt runs on one worker thread per core, more in flight only queues.
  return inParallel(count, SIGNUP_CONCURRENCY, async (index) => {
    const email = `${prefix}-${index}@example.com`;
    const body = (await callApi(baseUrl, { method: 'POST', path: '/auth/signup', body: { email, password: BENCH_PASSWORD } }, 201)) as {
      accessToken?: unknown;
    };
    if (typeof body.accessToken !== 'string') throw new Error(`signup of ${email}: no access token`);
    return { email, password: BENCH_PASSWORD, accessToken: body.accessToken };
  });
}

// ---------------------------------------------------------------------------------------------
// Load

export interface Load {
  result: autocannon.Result;
  /** Response times of the 2xx responses, in ms (sub-millisecond precision). */
  latencies: number[];
}

export interface RunningLoad {
  instance: autocannon.Instance;
  done: Promise<Load>;
  /** 2xx responses so far. */
  completed(): number;
}

export function startLoad(options: autocannon.Options): RunningLoad {
  const latencies: number[] = [];
  let resolveDone: (load: Load) => void = () => undefined;
  let rejectDone: (error: Error) => void = () => undefined;
  const done = new Promise<Load>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  const instance = autocannon(options, (error: unknown, result: autocannon.Result) => {
    if (error) rejectDone(error instanceof Error ? error : new Error('autocannon failed', { cause: error }));
    else resolveDone({ result, latencies });
  });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  return { instance, done, completed: () => latencies.length };
}

/**
 * How long to wait after a run: requests autocannon cut off at its end are still being served
 * (a queue of logins is a second of hashing), and that work must not land in the next run's window.
 */
export const drain = (): Promise<void> => sleep(1_000);

/** One autocannon run, then the server's leftover work drained. */
export async function runLoad(options: autocannon.Options): Promise<Load> {
  const load = await startLoad(options).done;
  await drain();
  return load;
}

/** Nearest-rank percentile of ascending `sorted`. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface ScenarioResult {
  scenario: string;
  connections: number;
  durationS: number;
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export function summarise(scenario: string, { result, latencies }: Load): ScenarioResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    scenario,
    connections: result.connections,
    durationS: result.duration,
    requests: latencies.length,
    rps: latencies.length / result.duration,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

/** A warm-up run of `warmupS` (discarded), then the measured run of `durationS`. */
export async function measure(options: autocannon.Options, { warmupS, durationS }: { warmupS: number; durationS: number }): Promise<Load> {
  if (warmupS > 0) await runLoad({ ...options, duration: warmupS });
  return runLoad({ ...options, duration: durationS });
}

// ---------------------------------------------------------------------------------------------
// Output

export const ms = (value: number): string => value.toFixed(2);
export const loadAverage = (): string =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ') + ' (1 / 5 / 15 min)';

/** `[12.3 s] message`, timed from this call. */
export function elapsedLogger(): (message: string) => void {
  const startedAt = performance.now();
  return (message) => {
    console.log(`[${((performance.now() - startedAt) / 1000).toFixed(1)} s] ${message}`);
  };
}

export function describeMachine(): string {
  const cpuList = cpus();
  return (
    `machine: ${cpuList.length} CPUs (${cpuList[0]?.model.trim() ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ` +
    `${process.platform} ${release()}, node ${process.version}`
  );
}
