/**
 * `npm run bench:auth`: login latency, GET /auth/me throughput and latency (alone and during a login
 * storm), and the cost of one uncached session check, on this machine.
 *
 * It creates a throwaway database on BENCH_DATABASE_URL's server, migrates it, runs the real entry
 * point (src/server.ts) as its own process so that the load generator does not share its event loop,
 * seeds users through the HTTP API, and drops everything at the end, also on failure or Ctrl-C
 * (that machinery is in bench/lib.ts).
 * Latency percentiles are computed from every 2xx response time (autocannon's own histogram has a
 * 1 ms resolution, too coarse for /auth/me).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type autocannon from 'autocannon';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/env.js';
import { SESSION_CACHE_TTL_MS } from '../src/plugins/authenticate.js';
import { isAccessTokenClaims, type AccessTokenClaims } from '../src/utils/tokens.js';
import {
  createBenchDatabase,
  describeMachine,
  elapsedLogger,
  jsonLine,
  loadAverage,
  printRunFooter,
  measure,
  ms,
  onCleanup,
  percentile,
  printTable,
  randomSecrets,
  runBench,
  runLoad,
  serverEnvironment,
  signUpUsers,
  startLoad,
  startServer,
  summarise,
  type BenchUser,
  type JwtSecrets,
  type ScenarioResult,
} from './lib.js';

const USERS = 50;
const DURATION_S = 10;
const WARMUP_S = 2;
const TIMING = { warmupS: WARMUP_S, durationS: DURATION_S };
const ME_CONNECTIONS = 10;
const STORM_CONNECTIONS = 8;
/** The storm runs this long before /auth/me is measured, so the bcrypt pool is already saturated. */
const STORM_RAMP_MS = 1_000;
const SESSION_CHECKS = 2_000;
const SESSION_CACHE_TTL_S = SESSION_CACHE_TTL_MS / 1000;

// ---------------------------------------------------------------------------------------------
// Requests

function loginRequests(users: readonly BenchUser[]): autocannon.Request[] {
  // Each connection walks this list in order, so logins go round-robin over the users.
  return users.map((user) => ({
    method: 'POST',
    path: '/auth/login',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.password }),
  }));
}

function accessTokenClaims(token: string): AccessTokenClaims {
  const payload = token.split('.')[1] ?? '';
  const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  if (!isAccessTokenClaims(claims)) throw new Error('the access token does not carry the expected claims');
  return claims;
}

// ---------------------------------------------------------------------------------------------
// Scenarios

async function loginSequential(baseUrl: string, users: readonly BenchUser[]): Promise<ScenarioResult> {
  return summarise('login-sequential', await measure({ url: baseUrl, connections: 1, requests: loginRequests(users) }, TIMING));
}

function meOptions(baseUrl: string, user: BenchUser): autocannon.Options {
  return {
    url: `${baseUrl}/auth/me`,
    connections: ME_CONNECTIONS,
    headers: { authorization: `Bearer ${user.accessToken}` },
  };
}

async function meAlone(baseUrl: string, user: BenchUser): Promise<ScenarioResult> {
  return summarise('me-alone', await measure(meOptions(baseUrl, user), TIMING));
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
  secrets: JwtSecrets,
  user: BenchUser,
): Promise<{ meanUs: number; p50Us: number; p99Us: number }> {
  // The server's configuration, in-process and quiet.
  const config = loadConfig({ ...serverEnvironment(databaseUrl, secrets), NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const app = await buildApp({ ...config, databaseUrl });
  onCleanup('closed the in-process app', () => app.close());
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

async function main(): Promise<void> {
  const log = elapsedLogger();
  console.log(describeMachine());
  console.log('load generator and server share these CPUs; bcrypt runs on one worker thread per CPU in the server');
  // Anything else running on the machine skews every number below: say how busy it was.
  console.log(`load average before: ${loadAverage()}`);

  const { url: databaseUrl, postgresVersion } = await createBenchDatabase('bench_auth');
  log(`database ${new URL(databaseUrl).pathname.slice(1)} migrated (PostgreSQL ${postgresVersion})`);

  const secrets = randomSecrets();
  const server = await startServer(databaseUrl, secrets);
  log(`server ready at ${server.baseUrl} (NODE_ENV=production, BCRYPT_ROUNDS=10)`);

  const users = await signUpUsers(server.baseUrl, USERS);
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
  printRunFooter(server, postgresVersion);
  log('done');
}

await runBench(main);
