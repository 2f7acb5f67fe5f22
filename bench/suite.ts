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
 *
 * The seeding and the requests of each scenario are in bench/scenarios.ts, shared with
 * `npm run bench:scale` (bench/scale.ts), which sends the same ones to a big and an empty database.
 */
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type autocannon from 'autocannon';
import { compareSync, hashSync } from 'bcryptjs';
import { createPasswordHasher } from '../src/auth/passwords.js';
import {
  BENCH_BCRYPT_ROUNDS,
  BENCH_PASSWORD,
  createBenchDatabase,
  describeMachine,
  drain,
  elapsedLogger,
  highest,
  loadAverage,
  measure,
  randomSecrets,
  residentMemoryMb,
  runBench,
  runLoad,
  signUpUsers,
  startApiServer,
  startBaselineServer,
  startLoad,
  summarise,
  type BenchUser,
  type Load,
  type ServerProcess,
} from './lib.js';
import { printReport, printSyncReport, type Measurement, type SyncMeasurement } from './report.js';
import {
  addReminders,
  alternating,
  inTurns,
  bearer,
  changeThenSync,
  checkinRequests,
  habitsOf,
  CONNECTIONS,
  createHabits,
  fullSync,
  HABITS,
  habitWithDailyCheckins,
  loginRequests,
  median,
  REMINDER_TIMES,
  refreshLoad,
  remindersUrl,
  seedSyncUser,
  SYNC_CHANGES,
  withRss,
  type CheckinWriter,
  type SyncUser,
} from './scenarios.js';

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
const STATS_DAYS = SMOKE ? 30 : 3 * 365 + 1;
/** The storm runs this long before the read is measured, so the bcrypt pool is already saturated. */
const STORM_RAMP_MS = SMOKE ? 200 : 1_000;
/** The sync users' histories: each of their HABITS habits done on every one of these days. */
const SYNC_DAYS = SMOKE ? { short: 10, long: 30 } : { short: 365, long: 3 * 365 + 1 };
/** Full syncs of the long history: discarded, then measured. */
const FULL_SYNCS = SMOKE ? { warmup: 0, measured: 1 } : { warmup: 1, measured: 5 };
/** Incremental syncs of each sync user: discarded, then measured; each after SYNC_CHANGES changes. */
const INCREMENTAL_SYNCS = SMOKE ? { warmup: 0, measured: 5 } : { warmup: 20, measured: 200 };

// ---------------------------------------------------------------------------------------------
// The sync scenarios

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

async function scenario(
  name: string,
  server: ServerProcess,
  load: () => Promise<Load>,
  extra: Record<string, number> = {},
): Promise<Measurement> {
  const { load: result, peakRssMb } = await withRss(server, load);
  return { server: server.name, peakRssMb, extra, ...summarise(name, result) };
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
  // The threads start with the first hashes: started and warm before the clock runs.
  await Promise.all(Array.from({ length: cores }, () => hasher.verify(BENCH_PASSWORD, hash)));
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
  const both = [api, baseline];
  const recordAll = (measurements: Measurement[]): void => measurements.forEach(record);

  recordAll(await alternating('read', both, ROUNDS, (server) => measure(readOptions(server, CONNECTIONS.read), ROUND_TIMING)));
  recordAll(
    await alternating('login', both, ROUNDS, (server) =>
      measure({ url: server.baseUrl, connections: CONNECTIONS.login, requests: loginRequests(users) }, ROUND_TIMING),
    ),
  );
  recordAll(await alternating('refresh', both, ROUNDS, (server) => refreshLoad(server, users, ROUND_TIMING)));

  const alone = await scenario('storm-read-alone', api, () => measure(readOptions(api, CONNECTIONS.stormRead), TIMING));
  record(alone);
  let loginRps = 0;
  const inStorm = await scenario('storm', api, async () => {
    const storm = await readDuringLoginStorm(api, readOptions(api, CONNECTIONS.stormRead), users);
    loginRps = storm.loginRps;
    return storm.read;
  });
  record({ ...inStorm, extra: { read_p99_alone_ms: alone.p99, p99_ratio: inStorm.p99 / alone.p99, login_rps: loginRps } });

  const [shortUser, longUser] = (await signUpUsers(api.baseUrl, 2, 'bench-sync-user')) as [BenchUser, BenchUser];
  const shortHistory = await seedSyncUser(api.baseUrl, databaseUrl, shortUser, SYNC_DAYS.short);
  const longHistory = await seedSyncUser(api.baseUrl, databaseUrl, longUser, SYNC_DAYS.long);
  log(`seeded 2 sync users, ${HABITS} habits each (API) with ${SYNC_DAYS.short} and ${SYNC_DAYS.long} days of daily check-ins (SQL)`);

  // The habit paths' targets are ratios to the API's own read: they take turns with a read of their
  // own, seconds apart, so that the machine's load moves them alike (minutes apart, the read swung 2×).
  // Check-ins of 20 users, one habit each, as many phones send them; and of one user's 20 habits at
  // once, which the change feed serialises (each write takes the user's next change number, and holds
  // it until it commits): reported, without a target.
  const checkinOptions = (writers: CheckinWriter[]): autocannon.Options => ({
    url: api.baseUrl,
    connections: CONNECTIONS.checkin,
    requests: checkinRequests(writers),
  });
  const manyUsers = checkinOptions(
    await Promise.all(users.slice(2, 2 + HABITS).map(async (user) => habitsOf(user, await createHabits(api.baseUrl, user, 1))[0]!)),
  );
  const oneUser = checkinOptions(habitsOf(reader, habitIds));
  const statsOptions = {
    url: `${api.baseUrl}/habits/${statsHabitId}/stats`,
    connections: CONNECTIONS.stats,
    headers: bearer(statsUser.accessToken),
  };
  // The home screen of a user with 20 habits and 3 years of daily check-ins.
  const todayOptions = { url: `${api.baseUrl}/today`, connections: CONNECTIONS.today, headers: bearer(longUser.accessToken) };
  recordAll(
    await inTurns(
      [
        { name: 'read-in-turns', server: api, load: () => measure(readOptions(api, CONNECTIONS.read), ROUND_TIMING) },
        { name: 'checkin', server: api, load: () => measure(manyUsers, ROUND_TIMING) },
        { name: 'checkin-one-user', server: api, load: () => measure(oneUser, ROUND_TIMING) },
        { name: 'stats', server: api, load: () => measure(statsOptions, ROUND_TIMING), extra: { days: STATS_DAYS } },
        { name: 'today', server: api, load: () => measure(todayOptions, ROUND_TIMING), extra: { habits: HABITS, days: SYNC_DAYS.long } },
      ],
      ROUNDS,
      { mirrored: true },
    ),
  );

  // The reminders of the same user.
  await addReminders(api.baseUrl, longHistory);
  const remindersOptions = {
    url: remindersUrl(api.baseUrl),
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
      `read, login, refresh: ${ROUNDS} round(s) per server, alternating; read-in-turns, checkin, checkin-one-user, stats, today: ` +
      `${ROUNDS} round(s) taking turns (A B C D E, E D C B A); each round ${ROUND_TIMING.warmupS} s warm-up (discarded) + ${ROUND_TIMING.durationS} s measured. ` +
      `The others: ${TIMING.warmupS} s warm-up + ${TIMING.durationS} s measured`,
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
