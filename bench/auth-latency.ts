/**
 * `npm run bench:auth`: login latency, GET /auth/me throughput and latency (alone and during a login
 * storm), and the cost of one uncached session check, on this machine.
 *
 * It creates a throwaway database on BENCH_DATABASE_URL's server, migrates it, runs the real entry
 * point (src/server.ts) as its own process so that the load generator does not share its event loop,
 * seeds users through the HTTP API, and drops everything at the end, also on failure or Ctrl-C.
 * Latency percentiles are computed from every 2xx response time (autocannon's own histogram has a
 * 1 ms resolution, too coarse for /auth/me).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import pg from 'pg';
import { buildApp, type AppConfig } from '../src/app.js';
import { deployMigrations } from '../src/db/migrations.js';
import { SESSION_CACHE_TTL_MS } from '../src/plugins/authenticate.js';
import { PROJECT_ROOT } from '../src/utils/paths.js';
import { isAccessTokenClaims, type AccessTokenClaims } from '../src/utils/tokens.js';

const SERVER_URL = process.env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
const USERS = 50;
const PASSWORD = 'bench-password-0123';
const DURATION_S = 10;
const WARMUP_S = 2;
const ME_CONNECTIONS = 10;
const STORM_CONNECTIONS = 8;
/** The storm runs this long before /auth/me is measured, so the bcrypt pool is already saturated. */
const STORM_RAMP_MS = 1_000;
const SESSION_CHECKS = 2_000;
const SIGNUP_CONCURRENCY = 4;
const SESSION_CACHE_TTL_S = SESSION_CACHE_TTL_MS / 1000;

// ---------------------------------------------------------------------------------------------
// Cleanup: every resource registers how to release it; released in reverse order, exactly once.

const cleanups: { what: string; release: () => Promise<void> }[] = [];

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

// ---------------------------------------------------------------------------------------------
// Database

function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function createBenchDatabase(): Promise<{ url: string; postgresVersion: string }> {
  const name = `bench_auth_${randomBytes(4).toString('hex')}`;
  const postgresVersion = await withAdminClient(async (admin) => {
    await admin.query(`CREATE DATABASE "${name}"`);
    const { rows } = await admin.query<{ server_version: string }>('SHOW server_version');
    return rows[0]?.server_version ?? 'unknown';
  });
  cleanups.push({
    what: `dropped database ${name}`,
    release: () => withAdminClient(async (admin) => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }),
  });
  const url = databaseUrlFor(SERVER_URL, name);
  await deployMigrations(url);
  return { url, postgresVersion };
}

// ---------------------------------------------------------------------------------------------
// The server process

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

interface ServerProcess {
  baseUrl: string;
  /** What the server wrote (LOG_LEVEL=warn: only warnings and errors). */
  output(): string;
}

function waitForExit(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((exited) => child.once('exit', (code, signal) => exited({ code, signal })));
}

async function startServer(databaseUrl: string, secrets: { access: string; refresh: string }): Promise<ServerProcess> {
  const port = await findFreePort();
  // Every variable is set (an empty string counts as unset), so the developer's .env changes nothing.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      EMBEDDED_DATA_DIR: '',
      JWT_SECRET: secrets.access,
      JWT_REFRESH_SECRET: secrets.refresh,
      BCRYPT_ROUNDS: '10',
      LOG_LEVEL: 'warn',
      REFRESH_REUSE_GRACE_SECONDS: '',
      SESSION_CLEANUP_INTERVAL_MINUTES: '0',
      CORS_ORIGINS: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = waitForExit(child);

  cleanups.push({ what: 'stopped the server (SIGTERM)', release: async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    // The server allows 10 s for in-flight requests; past that, it is stuck. (Unref'd: once the
    // server is gone, this timer must not keep the bench alive.)
    const stopped = await Promise.race([exited, sleep(15_000, null, { ref: false })]);
    if (stopped === null) {
      child.kill('SIGKILL');
      console.error('server did not stop within 15 s of SIGTERM: killed');
    } else if (stopped.code !== 0) {
      console.error(`server exited with code ${String(stopped.code)} (signal ${String(stopped.signal)}) after SIGTERM`);
    }
  } });

  // With LOG_LEVEL=warn there is no "listening" line: poll /health until the database answers.
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited before it was ready:\n${output}`);
    if (Date.now() > deadline) throw new Error(`server not healthy within 30 s:\n${output}`);
    const status = await fetch(`${baseUrl}/health`).then((response) => response.status, () => 0);
    if (status === 200) break;
    await sleep(100);
  }
  return { baseUrl, output: () => output };
}

// ---------------------------------------------------------------------------------------------
// Seeding

interface BenchUser {
  email: string;
  accessToken: string;
}

async function signUpUsers(baseUrl: string): Promise<BenchUser[]> {
  const users: BenchUser[] = [];
  const signUp = async (index: number): Promise<BenchUser> => {
    const email = `bench-user-${index}@example.com`;
    const response = await fetch(`${baseUrl}/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    if (response.status !== 201) throw new Error(`signup of ${email}: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { accessToken?: unknown };
    if (typeof body.accessToken !== 'string') throw new Error(`signup of ${email}: no access token`);
    return { email, accessToken: body.accessToken };
  };
  // A few at a time: bcrypt runs on one worker thread per core, more in flight only queues.
  for (let start = 0; start < USERS; start += SIGNUP_CONCURRENCY) {
    const batch = Array.from({ length: Math.min(SIGNUP_CONCURRENCY, USERS - start) }, (_, i) => signUp(start + i));
    users.push(...(await Promise.all(batch)));
  }
  return users;
}

function loginRequests(users: readonly BenchUser[]): autocannon.Request[] {
  // Each connection walks this list in order, so logins go round-robin over the users.
  return users.map((user) => ({
    method: 'POST',
    path: '/auth/login',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: PASSWORD }),
  }));
}

function accessTokenClaims(token: string): AccessTokenClaims {
  const payload = token.split('.')[1] ?? '';
  const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  if (!isAccessTokenClaims(claims)) throw new Error('the access token does not carry the expected claims');
  return claims;
}

// ---------------------------------------------------------------------------------------------
// Load

interface Load {
  result: autocannon.Result;
  /** Response times of the 2xx responses, in ms (sub-millisecond precision). */
  latencies: number[];
}

interface RunningLoad {
  instance: autocannon.Instance;
  done: Promise<Load>;
  /** 2xx responses so far. */
  completed(): number;
}

function startLoad(options: autocannon.Options): RunningLoad {
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

const runLoad = (options: autocannon.Options): Promise<Load> => startLoad(options).done;

/** Nearest-rank percentile of ascending `sorted`. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

interface ScenarioResult {
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

function summarise(scenario: string, { result, latencies }: Load): ScenarioResult {
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

// ---------------------------------------------------------------------------------------------
// Scenarios

async function loginSequential(baseUrl: string, users: readonly BenchUser[]): Promise<ScenarioResult> {
  const options = { url: baseUrl, connections: 1, requests: loginRequests(users) };
  await runLoad({ ...options, duration: WARMUP_S });
  return summarise('login-sequential', await runLoad({ ...options, duration: DURATION_S }));
}

function meOptions(baseUrl: string, user: BenchUser): autocannon.Options {
  return {
    url: `${baseUrl}/auth/me`,
    connections: ME_CONNECTIONS,
    headers: { authorization: `Bearer ${user.accessToken}` },
  };
}

async function meAlone(baseUrl: string, user: BenchUser): Promise<ScenarioResult> {
  await runLoad({ ...meOptions(baseUrl, user), duration: WARMUP_S });
  return summarise('me-alone', await runLoad({ ...meOptions(baseUrl, user), duration: DURATION_S }));
}

async function meDuringLoginStorm(
  baseUrl: string,
  users: readonly BenchUser[],
): Promise<{ me: ScenarioResult; storm: ScenarioResult; loginRpsDuringMe: number }> {
  // The storm has no duration of its own: it runs until /auth/me is done, then is stopped.
  const storm = startLoad({ url: baseUrl, connections: STORM_CONNECTIONS, duration: 3_600, requests: loginRequests(users) });
  try {
    await sleep(STORM_RAMP_MS);
    const loginsBefore = storm.completed();
    const startedAt = performance.now();
    const me = summarise('me-during-login-storm', await runLoad({ ...meOptions(baseUrl, users[0]!), duration: DURATION_S }));
    const loginRpsDuringMe = (storm.completed() - loginsBefore) / ((performance.now() - startedAt) / 1000);
    storm.instance.stop();
    return { me, storm: summarise('login-storm', await storm.done), loginRpsDuringMe };
  } catch (error) {
    storm.instance.stop();
    throw error;
  }
}

async function sessionCheckCost(
  databaseUrl: string,
  secrets: { access: string; refresh: string },
  user: BenchUser,
): Promise<{ meanUs: number; p50Us: number; p99Us: number }> {
  const config: AppConfig = {
    env: 'test',
    host: '127.0.0.1',
    port: 0,
    databaseUrl,
    embeddedDataDir: '.data/postgres',
    jwt: { accessSecret: secrets.access, refreshSecret: secrets.refresh },
    bcryptRounds: 10,
    logLevel: 'silent',
    corsOrigins: [],
    refreshReuseGraceSeconds: 10,
    sessionCleanupIntervalMinutes: 0,
  };
  const app = await buildApp(config);
  cleanups.push({ what: 'closed the in-process app', release: () => app.close() });
  await app.ready();
  const { sid, userId } = accessTokenClaims(user.accessToken);
  const check = async (): Promise<void> => {
    if (!(await app.authService.isSessionActive(sid, userId))) throw new Error('the bench session is not active');
  };

  // Warm up the connection pool and Prisma's query path before timing.
  for (let i = 0; i < 200; i++) await check();
  const timesUs: number[] = [];
  for (let i = 0; i < SESSION_CHECKS; i++) {
    const start = performance.now();
    await check();
    timesUs.push((performance.now() - start) * 1000);
  }
  timesUs.sort((a, b) => a - b);
  return {
    meanUs: timesUs.reduce((sum, t) => sum + t, 0) / timesUs.length,
    p50Us: percentile(timesUs, 50),
    p99Us: percentile(timesUs, 99),
  };
}

// ---------------------------------------------------------------------------------------------
// Output

const ms = (value: number): string => value.toFixed(2);
const loadAverage = (): string => loadavg().map((value) => value.toFixed(2)).join(' / ') + ' (1 / 5 / 15 min)';

function printTable(results: readonly ScenarioResult[]): void {
  const header = ['scenario', 'conns', 'secs', 'requests', 'rps', 'p50 ms', 'p90 ms', 'p99 ms', 'errors', 'non2xx'];
  const rows = results.map((r) => [
    r.scenario,
    String(r.connections),
    String(r.durationS),
    String(r.requests),
    r.rps.toFixed(1),
    ms(r.p50),
    ms(r.p90),
    ms(r.p99),
    String(r.errors),
    String(r.non2xx),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
}

function jsonLine(result: ScenarioResult, extra: Record<string, number | string> = {}): string {
  const round = (value: number): number => Math.round(value * 100) / 100;
  return JSON.stringify({
    scenario: result.scenario,
    p50_ms: round(result.p50),
    p90_ms: round(result.p90),
    p99_ms: round(result.p99),
    rps: round(result.rps),
    errors: result.errors,
    non2xx: result.non2xx,
    ...extra,
  });
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const startedAt = performance.now();
  const log = (message: string): void => {
    console.log(`[${((performance.now() - startedAt) / 1000).toFixed(1)} s] ${message}`);
  };
  const cpuList = cpus();
  console.log(
    `machine: ${cpuList.length} CPUs (${cpuList[0]?.model.trim() ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ` +
      `${process.platform} ${release()}, node ${process.version}`,
  );
  console.log('load generator and server share these CPUs; bcrypt runs on one worker thread per CPU in the server');
  // Anything else running on the machine skews every number below: say how busy it was.
  console.log(`load average before: ${loadAverage()}`);

  const { url: databaseUrl, postgresVersion } = await createBenchDatabase();
  log(`database ${new URL(databaseUrl).pathname.slice(1)} migrated (PostgreSQL ${postgresVersion})`);

  const secrets = { access: randomBytes(24).toString('hex'), refresh: randomBytes(24).toString('hex') };
  const server = await startServer(databaseUrl, secrets);
  log(`server ready at ${server.baseUrl} (NODE_ENV=production, BCRYPT_ROUNDS=10)`);

  const users = await signUpUsers(server.baseUrl);
  const [firstUser] = users;
  if (!firstUser) throw new Error('no users were signed up');
  log(`${users.length} users signed up`);

  const login = await loginSequential(server.baseUrl, users);
  log('login-sequential done');
  const meAloneResult = await meAlone(server.baseUrl, firstUser);
  log('me-alone done');
  const stormResults = await meDuringLoginStorm(server.baseUrl, users);
  log('me-during-login-storm done');
  const sessionCheck = await sessionCheckCost(databaseUrl, secrets, firstUser);
  log('session-check-cost done');

  const p99Ratio = stormResults.me.p99 / meAloneResult.p99;
  console.log('');
  printTable([login, meAloneResult, stormResults.me, stormResults.storm]);
  console.log('');
  console.log(`login p50: ${ms(login.p50)} ms (1 connection, round-robin over ${USERS} users, bcrypt cost 10)`);
  console.log(
    `/auth/me p99 during the login storm: ${ms(stormResults.me.p99)} ms vs ${ms(meAloneResult.p99)} ms alone ` +
      `(x${p99Ratio.toFixed(2)}); logins during the storm: ${stormResults.loginRpsDuringMe.toFixed(1)}/s`,
  );
  console.log(
    `session check (isSessionActive, uncached): mean ${sessionCheck.meanUs.toFixed(0)} µs, p50 ${sessionCheck.p50Us.toFixed(0)} µs, ` +
      `p99 ${sessionCheck.p99Us.toFixed(0)} µs over ${SESSION_CHECKS} sequential calls`,
  );
  console.log(
    `  authenticate caches positive answers for ${SESSION_CACHE_TTL_S} s per session, so under load a session costs ` +
      `one such lookup per ${SESSION_CACHE_TTL_S} s, not one per request`,
  );
  console.log('');
  console.log(jsonLine(login));
  console.log(jsonLine(meAloneResult));
  console.log(
    jsonLine(stormResults.me, {
      p99_ratio_vs_alone: Math.round(p99Ratio * 100) / 100,
      login_rps_during_storm: Math.round(stormResults.loginRpsDuringMe * 10) / 10,
      login_storm_connections: STORM_CONNECTIONS,
    }),
  );
  console.log(
    JSON.stringify({
      scenario: 'session-check-cost',
      n: SESSION_CHECKS,
      mean_us: Math.round(sessionCheck.meanUs),
      p50_us: Math.round(sessionCheck.p50Us),
      p99_us: Math.round(sessionCheck.p99Us),
      cache_ttl_s: SESSION_CACHE_TTL_S,
      note: `authenticate caches positive answers per session for ${SESSION_CACHE_TTL_S} s: under load, one such lookup per session per ${SESSION_CACHE_TTL_S} s`,
    }),
  );
  console.log(JSON.stringify({ machine: { cpus: cpuList.length, node: process.version, postgres: postgresVersion } }));

  console.log(`load average after: ${loadAverage()} (the bench itself keeps ~2 CPUs busy)`);

  const serverOutput = server.output().trim();
  if (serverOutput) console.log(`\nserver warnings/errors during the run:\n${serverOutput}`);
  log('done');
}

// Ctrl-C: release the server and the database before exiting.
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
