/**
 * `npm run bench`: the benchmark suite. It builds nothing itself (`npm run bench` runs `npm run build`
 * first), measures bcrypt on this machine, creates a throwaway database, starts the built API server
 * (as `npm start` does, rate limits raised) and the baseline server (bench/baseline-server.ts) on it,
 * seeds through the API, runs every scenario, prints one table, the targets, and one JSON line per
 * scenario, and removes everything, also on failure or Ctrl-C; it exits 1 if any request failed.
 * `--smoke` runs each scenario for 1 s (a check that the suite works, not a measurement).
 *
 * Scenarios the baseline can answer (read, login, refresh) alternate between the two servers, so
 * their ratios compare runs seconds apart on the same machine; absolute numbers on a shared 2-core
 * machine swing ±25 %.
 *
 * The sync scenarios (issue 16) run last, on two users of their own whose check-ins are inserted by
 * SQL: one client fetching GET /sync one request at a time, each request timed.
 */
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type autocannon from 'autocannon';
import { compareSync, hashSync } from 'bcryptjs';
import { addDays } from '../src/utils/dates.js';
import { createPasswordHasher } from '../src/auth/passwords.js';
import {
  BENCH_BCRYPT_ROUNDS,
  BENCH_PASSWORD,
  callApi,
  createBenchDatabase,
  describeMachine,
  drain,
  elapsedLogger,
  highest,
  inParallel,
  loadAverage,
  measure,
  percentile,
  randomSecrets,
  residentMemoryMb,
  runBench,
  runLoad,
  sampleRss,
  signUpUsers,
  startApiServer,
  startBaselineServer,
  startLoad,
  summarise,
  withDatabaseClient,
  type BenchUser,
  type Load,
  type ServerProcess,
} from './lib.js';
import { printReport, printSyncReport, type Measurement, type SyncMeasurement } from './report.js';

const SMOKE = process.argv.includes('--smoke');
const TIMING = SMOKE ? { warmupS: 0, durationS: 1 } : { warmupS: 2, durationS: 10 };
/**
 * Scenarios run on both servers alternate between them in rounds (api, baseline, api, baseline),
 * each round a warm-up and half the measured time, so that a change in the machine's background
 * load between two runs hits both servers alike.
 */
const ROUNDS = SMOKE ? 1 : 2;
const ROUND_TIMING = SMOKE ? TIMING : { warmupS: 1, durationS: TIMING.durationS / ROUNDS };
const USERS = 50;
const HABITS = 20;
const STATS_DAYS = SMOKE ? 30 : 3 * 365 + 1;
const CHECKIN_DAYS = 300;
const CONNECTIONS = { read: 50, login: 8, stormRead: 10, refresh: 10, checkin: 20, stats: 1, today: 10, reminders: 10 };
/** The reminders of each of the long sync user's habits (GET /reminders over 7 days: issue 17). */
const REMINDER_TIMES = ['07:30', '12:00', '21:15'];
/** The storm runs this long before the read is measured, so the bcrypt pool is already saturated. */
const STORM_RAMP_MS = SMOKE ? 200 : 1_000;
/** The sync users' histories: each of their HABITS habits done on every one of these days. */
const SYNC_DAYS = SMOKE ? { short: 10, long: 30 } : { short: 365, long: 3 * 365 + 1 };
/** Full syncs of the long history: discarded, then measured. */
const FULL_SYNCS = SMOKE ? { warmup: 0, measured: 1 } : { warmup: 1, measured: 5 };
/** Incremental syncs of each sync user: discarded, then measured; each after SYNC_CHANGES changes. */
const INCREMENTAL_SYNCS = SMOKE ? { warmup: 0, measured: 5 } : { warmup: 20, measured: 200 };
const SYNC_CHANGES = 10;

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
/** Today in UTC: the bench users' day (time zone UTC, the day starting at midnight). */
const todayUtc = (): string => new Date().toISOString().slice(0, 10);

function idOf(body: unknown): string {
  const id = (body as { id?: unknown }).id;
  if (typeof id !== 'string') throw new Error(`expected an object with an id, got ${JSON.stringify(body)}`);
  return id;
}

// ---------------------------------------------------------------------------------------------
// Seeding, through the API

async function createHabits(baseUrl: string, user: BenchUser, count: number): Promise<string[]> {
  return inParallel(count, 4, async (position) => {
    const body = { name: `Bench habit ${position + 1}`, position };
    return idOf(await callApi(baseUrl, { method: 'POST', path: '/habits', token: user.accessToken, body }, 201));
  });
}

/** A habit of `user` done on each of the `days` days ending today (UTC); its id. */
async function habitWithDailyCheckins(baseUrl: string, user: BenchUser, days: number): Promise<string> {
  const [habitId] = await createHabits(baseUrl, user, 1);
  const today = todayUtc();
  await inParallel(days, 8, (back) =>
    callApi(
      baseUrl,
      { method: 'PUT', path: `/habits/${habitId!}/tracking/${addDays(today, -back)}`, token: user.accessToken, body: {} },
      201,
    ),
  );
  const stats = (await callApi(baseUrl, { method: 'GET', path: `/habits/${habitId!}/stats`, token: user.accessToken }, 200)) as {
    totalDone?: unknown;
  };
  if (stats.totalDone !== days) throw new Error(`the stats habit has totalDone ${JSON.stringify(stats.totalDone)}, expected ${days}`);
  return habitId!;
}

/** `count` fresh sessions of `users` on `server`: their refresh tokens. */
function refreshTokens(server: ServerProcess, users: readonly BenchUser[], count: number): Promise<string[]> {
  return inParallel(count, 2, async (index) => {
    const user = users[index % users.length]!;
    const body = await callApi(
      server.baseUrl,
      { method: 'POST', path: '/auth/login', body: { email: user.email, password: user.password } },
      200,
    );
    const token = (body as { refreshToken?: unknown }).refreshToken;
    if (typeof token !== 'string') throw new Error('login returned no refresh token');
    return token;
  });
}

/** A user with HABITS habits made through the API, each done on each of the `days` days ending today. */
interface SyncUser {
  user: BenchUser;
  habitIds: string[];
  days: number;
}

/**
 * The check-ins are inserted by one SQL statement (tens of thousands through HTTP would take minutes),
 * a day at a time as a user would check in; the database's triggers number them in the change feed
 * exactly as they number the API's writes. Then ANALYZE, as autovacuum would, so that the planner
 * sees the table as it is rather than as autovacuum finds it in the middle of a scenario.
 */
async function seedSyncUser(baseUrl: string, databaseUrl: string, user: BenchUser, days: number): Promise<SyncUser> {
  const habitIds = await createHabits(baseUrl, user, HABITS);
  await withDatabaseClient(databaseUrl, async (client) => {
    await client.query(
      `INSERT INTO "HabitTracking" (id, "habitId", date, "createdAt", "updatedAt")
       SELECT gen_random_uuid(), habit.id, $2::date - back, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
         FROM generate_series($3::integer - 1, 0, -1) AS back, unnest($1::uuid[]) WITH ORDINALITY AS habit(id, position)
        ORDER BY back DESC, habit.position`,
      [habitIds, todayUtc(), days],
    );
    await client.query('ANALYZE "Habit", "HabitTracking"');
  });
  return { user, habitIds, days };
}

// ---------------------------------------------------------------------------------------------
// Requests

/** Logins round-robin over `users` (each connection walks the list in order). */
const loginRequests = (users: readonly BenchUser[]): autocannon.Request[] =>
  users.map((user) => ({
    method: 'POST',
    path: '/auth/login',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.password }),
  }));

/**
 * Refreshes that follow rotation chains: each request presents a token no request has presented
 * before, and each 200's new refresh token goes back on the stack. autocannon builds a connection's
 * next request right after recording its response, so with as many chains as connections each
 * connection keeps presenting the token its own last response returned. A lost chain (a non-200)
 * leaves its connection with an empty stack: it then sends a token the server refuses, and the
 * run's non2xx count shows it.
 */
function refreshRequests(chains: string[]): autocannon.Request[] {
  return [
    {
      method: 'POST',
      path: '/auth/refresh',
      headers: { 'content-type': 'application/json' },
      setupRequest: (request) => ({ ...request, body: JSON.stringify({ refreshToken: chains.pop() ?? 'chain-lost' }) }),
      onResponse: (status, body) => {
        if (status === 200) chains.push((JSON.parse(body) as { refreshToken: string }).refreshToken);
      },
    },
  ];
}

/**
 * PUT /habits/:id/tracking/:date with `{}`: request n takes habit n mod HABITS, and the day goes one
 * back each time the habits wrap, over the last CHECKIN_DAYS days; once that cycle wraps, every
 * check-in replaces an existing one.
 */
function checkinRequests(habitIds: readonly string[]): autocannon.Request[] {
  const today = todayUtc();
  let next = 0;
  return [
    {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      setupRequest: (request) => {
        const n = next++;
        const day = addDays(today, -(Math.floor(n / habitIds.length) % CHECKIN_DAYS));
        return { ...request, path: `/habits/${habitIds[n % habitIds.length]!}/tracking/${day}` };
      },
    },
  ];
}

interface SyncCheckin {
  habitId: string;
  date: string;
}

interface SyncPage {
  cursor: string;
  hasMore: boolean;
  habits: unknown[];
  goals: unknown[];
  checkins: SyncCheckin[];
  deleted: { habits: unknown[]; goals: unknown[]; checkins: SyncCheckin[] };
}

const itemsOf = (page: SyncPage): number =>
  page.habits.length +
  page.goals.length +
  page.checkins.length +
  page.deleted.habits.length +
  page.deleted.goals.length +
  page.deleted.checkins.length;

/** GET /sync (from `since`, at the default limit), timed until its body is read; it must be a 200. */
async function timedSync(baseUrl: string, token: string, since?: string): Promise<{ page: SyncPage; ms: number }> {
  const url = `${baseUrl}/sync${since === undefined ? '' : `?since=${encodeURIComponent(since)}`}`;
  const startedAt = performance.now();
  const response = await fetch(url, { headers: bearer(token) });
  const body = await response.text();
  const ms = performance.now() - startedAt;
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${body}`);
  return { page: JSON.parse(body) as SyncPage, ms };
}

/** A full sync, page by page: each page's time, and the last cursor. It must hold every habit and check-in. */
async function fullSync(baseUrl: string, { user, days }: SyncUser): Promise<{ pageMs: number[]; cursor: string }> {
  const pageMs: number[] = [];
  let items = 0;
  let page: SyncPage | undefined;
  do {
    const timed = await timedSync(baseUrl, user.accessToken, page?.cursor);
    page = timed.page;
    pageMs.push(timed.ms);
    items += itemsOf(page);
  } while (page.hasMore);
  const expected = HABITS * (1 + days);
  if (items !== expected) throw new Error(`a full sync of ${days} days of history returned ${items} items, expected ${expected}`);
  return { pageMs, cursor: page.cursor };
}

/**
 * SYNC_CHANGES changes through the API, then GET /sync?since=`cursor`, timed: it must return exactly
 * those changes. Even iterations uncheck the first habits' check-ins of one day (DELETE), odd ones check
 * them again (PUT `{}`, a creation), a day further back every two iterations. (Not a PUT that replaces a
 * check-in: each such PUT now costs the server a new PostgreSQL connection, see bench/README.md.)
 * Its time, and the next cursor.
 */
async function changeThenSync(baseUrl: string, { user, habitIds, days }: SyncUser, cursor: string, iteration: number) {
  const day = addDays(todayUtc(), -(Math.floor(iteration / 2) % days));
  const uncheck = iteration % 2 === 0;
  const changed = habitIds.slice(0, SYNC_CHANGES);
  await inParallel(changed.length, changed.length, (n) => {
    const path = `/habits/${changed[n]!}/tracking/${day}`;
    const token = user.accessToken;
    return callApi(baseUrl, uncheck ? { method: 'DELETE', path, token } : { method: 'PUT', path, token, body: {} }, uncheck ? 204 : 201);
  });
  const { page, ms } = await timedSync(baseUrl, user.accessToken, cursor);
  const keys = (checkins: readonly SyncCheckin[]): string =>
    checkins
      .map((checkin) => `${checkin.habitId} ${checkin.date}`)
      .sort()
      .join();
  if (
    page.hasMore ||
    itemsOf(page) !== changed.length ||
    keys(uncheck ? page.deleted.checkins : page.checkins) !== keys(changed.map((habitId) => ({ habitId, date: day })))
  ) {
    throw new Error(
      `an incremental sync after ${changed.length} check-in changes on ${day} returned ${JSON.stringify(page).slice(0, 500)}`,
    );
  }
  return { ms, cursor: page.cursor };
}

function median(values: readonly number[]): number {
  const ascending = [...values].sort((a, b) => a - b);
  return percentile(ascending, 50);
}

/** FULL_SYNCS full syncs of `syncUser`, one after the other: every page's time, the totals, the first and last pages. */
async function syncInitial(baseUrl: string, syncUser: SyncUser): Promise<SyncMeasurement> {
  for (let round = 0; round < FULL_SYNCS.warmup; round++) await fullSync(baseUrl, syncUser);
  const syncs: number[][] = [];
  for (let round = 0; round < FULL_SYNCS.measured; round++) syncs.push((await fullSync(baseUrl, syncUser)).pageMs);
  const totals = syncs.map((pageMs) => pageMs.reduce((sum, value) => sum + value, 0));
  return {
    scenario: 'sync-initial',
    days: syncUser.days,
    items: HABITS * (1 + syncUser.days),
    latencies: syncs.flat(),
    extra: {
      pages: syncs[0]!.length,
      rounds: syncs.length,
      full_sync_p50_ms: median(totals),
      full_sync_max_ms: highest(totals),
      first_page_p50_ms: median(syncs.map((pageMs) => pageMs[0]!)),
      last_page_p50_ms: median(syncs.map((pageMs) => pageMs.at(-1)!)),
    },
  };
}

/** Incremental syncs of each of `syncUsers`, taking turns (so that the machine's load hits them alike). */
async function syncIncremental(baseUrl: string, syncUsers: readonly SyncUser[]): Promise<SyncMeasurement[]> {
  const cursors = await Promise.all(syncUsers.map(async (syncUser) => (await fullSync(baseUrl, syncUser)).cursor));
  const latencies = syncUsers.map((): number[] => []);
  for (let iteration = 0; iteration < INCREMENTAL_SYNCS.warmup + INCREMENTAL_SYNCS.measured; iteration++) {
    for (const [index, syncUser] of syncUsers.entries()) {
      const { ms, cursor } = await changeThenSync(baseUrl, syncUser, cursors[index]!, iteration);
      cursors[index] = cursor;
      if (iteration >= INCREMENTAL_SYNCS.warmup) latencies[index]!.push(ms);
    }
  }
  return syncUsers.map((syncUser, index) => ({
    scenario: 'sync-incremental',
    days: syncUser.days,
    items: HABITS * (1 + syncUser.days),
    latencies: latencies[index]!,
    extra: { changes: SYNC_CHANGES },
  }));
}

// ---------------------------------------------------------------------------------------------
// Measuring

/** `load` on `server` with its peak RSS sampled throughout. */
async function withRss(server: ServerProcess, load: () => Promise<Load>): Promise<{ load: Load; peakRssMb: number }> {
  const sampler = sampleRss(server.pid);
  try {
    return { load: await load(), peakRssMb: sampler.stop() };
  } catch (error) {
    sampler.stop();
    throw error;
  }
}

async function scenario(
  name: string,
  server: ServerProcess,
  load: () => Promise<Load>,
  extra: Record<string, number> = {},
): Promise<Measurement> {
  const { load: result, peakRssMb } = await withRss(server, load);
  return { server: server.name, peakRssMb, extra, ...summarise(name, result) };
}

/** One Load of several runs: their counts added, their latencies pooled. */
function merged(loads: readonly Load[]): Load {
  const [first, ...rest] = loads;
  if (!first) throw new Error('no runs to merge');
  const sum = (pick: (load: Load) => number): number => loads.reduce((total, load) => total + pick(load), 0);
  return {
    result: {
      ...first.result,
      duration: sum((l) => l.result.duration),
      errors: sum((l) => l.result.errors),
      non2xx: sum((l) => l.result.non2xx),
    },
    latencies: rest.reduce((all, load) => all.concat(load.latencies), first.latencies),
  };
}

/** `load` on each server in turn, ROUNDS times; one measurement per server. */
async function alternating(
  name: string,
  servers: readonly ServerProcess[],
  load: (server: ServerProcess) => Promise<Load>,
): Promise<Measurement[]> {
  const runs = servers.map(() => ({ loads: [] as Load[], peaks: [] as number[] }));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, server] of servers.entries()) {
      const { load: result, peakRssMb } = await withRss(server, () => load(server));
      runs[index]!.loads.push(result);
      runs[index]!.peaks.push(peakRssMb);
    }
  }
  return servers.map((server, index) => ({
    server: server.name,
    peakRssMb: highest(runs[index]!.peaks),
    extra: {},
    ...summarise(name, merged(runs[index]!.loads)),
  }));
}

/** Read while `STORM` connections log in non-stop; the logins' rate during the read. */
async function readDuringLoginStorm(api: ServerProcess, readOptions: autocannon.Options, users: readonly BenchUser[]) {
  // The storm has no duration of its own: it runs until the read is done, then is stopped.
  const storm = startLoad({ url: api.baseUrl, connections: CONNECTIONS.login, duration: 3_600, requests: loginRequests(users) });
  try {
    await sleep(STORM_RAMP_MS);
    const loginsBefore = storm.completed();
    const startedAt = performance.now();
    const read = await runLoad({ ...readOptions, duration: TIMING.durationS });
    const loginRps = (storm.completed() - loginsBefore) / ((performance.now() - startedAt) / 1000);
    return { read, loginRps };
  } finally {
    storm.instance.stop();
    await storm.done;
    await drain();
  }
}

/**
 * The time of one bcrypt compare at the servers' cost on this machine, in ms: the fastest of several,
 * the one least disturbed by anything else running (which makes the login target the strictest).
 */
function bcryptCompareMs(hash: string): number {
  compareSync(BENCH_PASSWORD, hash); // warm-up
  const times = Array.from({ length: SMOKE ? 3 : 9 }, () => {
    const start = performance.now();
    compareSync(BENCH_PASSWORD, hash);
    return performance.now() - start;
  }).sort((a, b) => a - b);
  return times[0]!;
}

/**
 * Compares per second with every core hashing: the project's own worker pool (one thread per
 * CPU) kept busy for a few seconds, nothing else running. On a VM whose CPUs share a physical core
 * this is less than cores ÷ one compare's time, and no server can log in faster.
 */
async function bcryptCeilingPerSecond(hash: string): Promise<number> {
  const hasher = createPasswordHasher({ rounds: BENCH_BCRYPT_ROUNDS });
  const cores = availableParallelism();
  const until = performance.now() + (SMOKE ? 500 : 4_000);
  let done = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < until) {
      await hasher.verify(BENCH_PASSWORD, hash);
      done++;
    }
  };
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: cores * 2 }, worker));
  const rate = done / ((performance.now() - startedAt) / 1000);
  await hasher.close();
  return rate;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const log = elapsedLogger();
  console.log(describeMachine());
  console.log(`load average before: ${loadAverage()}`);
  if (SMOKE) console.log('--smoke: 1 s per scenario, no warm-up: a check that the suite runs, not a measurement');

  // Before anything else starts, so that nothing (servers starting, seeding) slows the hashing.
  const hash = hashSync(BENCH_PASSWORD, BENCH_BCRYPT_ROUNDS);
  const compareMs = bcryptCompareMs(hash);
  const ceiling = await bcryptCeilingPerSecond(hash);
  log(
    `one bcrypt compare (bcryptjs, cost ${BENCH_BCRYPT_ROUNDS}, fastest of several): ${compareMs.toFixed(1)} ms; ` +
      `all ${availableParallelism()} cores comparing: ${ceiling.toFixed(1)} compares/s (${availableParallelism()} ÷ one compare: ` +
      `${((availableParallelism() * 1000) / compareMs).toFixed(1)})`,
  );
  const { url: databaseUrl, postgresVersion } = await createBenchDatabase('bench');
  const secrets = randomSecrets();
  const [api, baseline] = await Promise.all([startApiServer(databaseUrl, secrets), startBaselineServer(databaseUrl, secrets)]);
  log(`PostgreSQL ${postgresVersion}; api (dist/server.js) at ${api.baseUrl}, baseline at ${baseline.baseUrl}`);

  const users = await signUpUsers(api.baseUrl, USERS);
  const [reader, statsUser] = users as [BenchUser, BenchUser];
  const habitIds = await createHabits(api.baseUrl, reader, HABITS);
  const statsHabitId = await habitWithDailyCheckins(api.baseUrl, statsUser, STATS_DAYS);
  log(`seeded through the API: ${USERS} users, ${HABITS} habits, a habit with ${STATS_DAYS} daily check-ins`);

  const results: Measurement[] = [];
  const record = (measurement: Measurement): void => {
    results.push(measurement);
    log(`${measurement.scenario} on ${measurement.server}: ${measurement.rps.toFixed(1)} rps`);
  };
  const readOptions = (server: ServerProcess, connections: number): autocannon.Options => ({
    url: `${server.baseUrl}/habits`,
    connections,
    headers: bearer(reader.accessToken),
  });
  const refreshLoad = async (server: ServerProcess): Promise<Load> => {
    // Fresh chains for each run: requests cut off at the end of a run take their chain with them.
    if (ROUND_TIMING.warmupS > 0) {
      const chains = await refreshTokens(server, users, CONNECTIONS.refresh);
      await runLoad({
        url: server.baseUrl,
        connections: CONNECTIONS.refresh,
        duration: ROUND_TIMING.warmupS,
        requests: refreshRequests(chains),
      });
    }
    const chains = await refreshTokens(server, users, CONNECTIONS.refresh);
    return runLoad({
      url: server.baseUrl,
      connections: CONNECTIONS.refresh,
      duration: ROUND_TIMING.durationS,
      requests: refreshRequests(chains),
    });
  };
  const both = [api, baseline];
  const recordAll = (measurements: Measurement[]): void => measurements.forEach(record);

  recordAll(await alternating('read', both, (server) => measure(readOptions(server, CONNECTIONS.read), ROUND_TIMING)));
  recordAll(
    await alternating('login', both, (server) =>
      measure({ url: server.baseUrl, connections: CONNECTIONS.login, requests: loginRequests(users) }, ROUND_TIMING),
    ),
  );
  recordAll(await alternating('refresh', both, refreshLoad));

  const alone = await scenario('storm-read-alone', api, () => measure(readOptions(api, CONNECTIONS.stormRead), TIMING));
  record(alone);
  let loginRps = 0;
  const inStorm = await scenario('storm', api, async () => {
    const storm = await readDuringLoginStorm(api, readOptions(api, CONNECTIONS.stormRead), users);
    loginRps = storm.loginRps;
    return storm.read;
  });
  record({ ...inStorm, extra: { read_p99_alone_ms: alone.p99, p99_ratio: inStorm.p99 / alone.p99, login_rps: loginRps } });

  const checkinOptions = {
    url: api.baseUrl,
    connections: CONNECTIONS.checkin,
    headers: bearer(reader.accessToken),
    requests: checkinRequests(habitIds),
  };
  record(await scenario('checkin', api, () => measure(checkinOptions, TIMING)));
  const statsOptions = {
    url: `${api.baseUrl}/habits/${statsHabitId}/stats`,
    connections: CONNECTIONS.stats,
    headers: bearer(statsUser.accessToken),
  };
  record(await scenario('stats', api, () => measure(statsOptions, TIMING), { days: STATS_DAYS }));

  const [shortUser, longUser] = (await signUpUsers(api.baseUrl, 2, 'bench-sync-user')) as [BenchUser, BenchUser];
  const shortHistory = await seedSyncUser(api.baseUrl, databaseUrl, shortUser, SYNC_DAYS.short);
  const longHistory = await seedSyncUser(api.baseUrl, databaseUrl, longUser, SYNC_DAYS.long);
  log(`seeded 2 sync users, ${HABITS} habits each (API) with ${SYNC_DAYS.short} and ${SYNC_DAYS.long} days of daily check-ins (SQL)`);
  // The home screen and the reminders of a user with 20 habits and 3 years of daily check-ins.
  const todayOptions = { url: `${api.baseUrl}/today`, connections: CONNECTIONS.today, headers: bearer(longUser.accessToken) };
  record(await scenario('today', api, () => measure(todayOptions, TIMING), { habits: HABITS, days: SYNC_DAYS.long }));
  for (const habitId of longHistory.habitIds) {
    const reminders = REMINDER_TIMES.map((time) => ({ time }));
    await callApi(api.baseUrl, { method: 'PATCH', path: `/habits/${habitId}`, token: longUser.accessToken, body: { reminders } }, 200);
  }
  const week = { from: new Date().toISOString(), to: new Date(Date.now() + 7 * 86_400_000).toISOString() };
  const remindersOptions = {
    url: `${api.baseUrl}/reminders?from=${encodeURIComponent(week.from)}&to=${encodeURIComponent(week.to)}`,
    connections: CONNECTIONS.reminders,
    headers: bearer(longUser.accessToken),
  };
  record(
    await scenario('reminders', api, () => measure(remindersOptions, TIMING), {
      habits: HABITS,
      reminders: HABITS * REMINDER_TIMES.length,
      days: 7,
    }),
  );

  const syncResults = [await syncInitial(api.baseUrl, longHistory)];
  log(`sync-initial: ${syncResults[0]!.latencies.length} pages`);
  syncResults.push(...(await syncIncremental(api.baseUrl, [shortHistory, longHistory])));
  log(`sync-incremental: ${INCREMENTAL_SYNCS.measured} syncs of each user`);

  printReport(results, {
    cores: availableParallelism(),
    bcryptCompareMs: compareMs,
    bcryptCeilingPerSecond: ceiling,
    apiPeakRssMb: residentMemoryMb(api.pid)?.peak ?? Number.NaN,
    timing:
      `read, login, refresh: ${ROUNDS} round(s) per server, alternating, each ${ROUND_TIMING.warmupS} s warm-up (discarded) + ` +
      `${ROUND_TIMING.durationS} s measured; the others: ${TIMING.warmupS} s warm-up + ${TIMING.durationS} s measured`,
  });
  printSyncReport(syncResults);
  console.log(JSON.stringify({ machine: { cpus: availableParallelism(), node: process.version, postgres: postgresVersion } }));
  console.log(`load average after: ${loadAverage()} (the load generator shares the CPUs with the servers)`);
  for (const server of [api, baseline]) {
    const output = server.output().trim();
    if (output) console.log(`\n${server.name} server warnings/errors during the run:\n${output}`);
  }
  // A failed request means a scenario measured something other than what it claims.
  const failed = results.filter((result) => result.errors > 0 || result.non2xx > 0);
  if (failed.length > 0) {
    console.error(`\nfailed requests in: ${failed.map((result) => `${result.scenario} on ${result.server}`).join(', ')}`);
    process.exitCode = 1;
  }
  log('done');
}

await runBench(main);
