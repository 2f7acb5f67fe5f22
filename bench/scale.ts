/**
 * `npm run bench:scale` (issue 18): the API on a big database against the API on an empty one.
 * It creates two throwaway databases, fills "big" in SQL (bench/scale-data.ts: 1,000,000 users by
 * default, `--size` for less), starts the built API server (as `npm start` does) on each, seeds the
 * bench's own users through the API the same way on both, runs the scenarios of `npm run bench`
 * (bench/scenarios.ts) on each, alternating, and prints big ÷ small per route: every route should
 * stay within 1.5× (rps and p99). Then it times the session cleanup on the big database with few
 * dead rows, and the reads' p99 while it runs (≤ 1.3× their p99 alone). Everything is removed at
 * the end, also on failure or Ctrl-C; it exits 1 if any request failed.
 *
 * `--size <fraction|full|medium|small|tiny>` (default full), `--smoke`: tiny, 1 s per scenario.
 */
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { hashSync } from 'bcryptjs';
import pg from 'pg';
import {
  BENCH_BCRYPT_ROUNDS,
  createBenchDatabase,
  describeMachine,
  drain,
  elapsedLogger,
  loadAverage,
  measure,
  percentile,
  randomSecrets,
  runBench,
  signUpUsers,
  startApiServer,
  summarise,
  withDatabaseClient,
  type BenchUser,
  type ServerProcess,
} from './lib.js';
import { createPool, prismaOver } from '../src/db/client.js';
import { cleanupRepositoriesOver, deleteDeadSessions } from '../src/services/session-cleanup.service.js';
import { printTable, type Measurement } from './report.js';
import {
  databaseSize,
  deadRows,
  killSessions,
  loadScaleDatabase,
  parseSize,
  DEAD_SESSION_SHARE,
  type DatabaseSize,
  type LoadStep,
} from './scale-data.js';
import {
  addReminders,
  alternating,
  bearer,
  changeThenSync,
  checkinRequests,
  habitsOf,
  CONNECTIONS,
  createHabits,
  fullSync,
  HABITS,
  loginRequests,
  refreshLoad,
  remindersUrl,
  seedSyncUser,
  type SyncUser,
} from './scenarios.js';

const SMOKE = process.argv.includes('--smoke');
const SIZE = parseSize(process.argv, SMOKE);
/**
 * Every scenario alternates between the two servers in rounds (big, small, then small, big), each
 * round a warm-up and half the measured time, so that the machine's background load hits both alike.
 */
const ROUNDS = SMOKE ? 1 : 2;
const ROUND_TIMING = SMOKE ? { warmupS: 0, durationS: 1 } : { warmupS: 1, durationS: 5 };
const USERS = 50;
/** The sync user's history: each of its HABITS habits done on every day of three years. */
const HISTORY_DAYS = SMOKE ? 30 : 3 * 365 + 1;
/** Full syncs and incremental syncs per server (discarded, then measured), alternating. */
const FULL_SYNCS = SMOKE ? { warmup: 0, measured: 1 } : { warmup: 1, measured: 3 };
const INCREMENTAL_SYNCS = SMOKE ? { warmup: 0, measured: 5 } : { warmup: 20, measured: 100 };
/** Every route within this of the empty database: big ÷ small p99, small ÷ big rps. */
const SCALE_LIMIT = 1.5;
/** GET /habits during the cleanup: its p99 within this of its p99 alone. */
const CLEANUP_LIMIT = 1.3;
const CLEANUP_READ = { connections: 10, timing: SMOKE ? { warmupS: 0, durationS: 1 } : { warmupS: 2, durationS: 10 } };
/**
 * Cleanup runs during one read load, each on a fresh DEAD_SESSION_SHARE of dead sessions: at least
 * `min`, then more until `reads` reads were sent during their database phases (so that their p99 is
 * not one or two slow reads), at most `max`.
 */
const CLEANUP_RUNS = SMOKE ? { min: 1, max: 1, reads: 0 } : { min: 3, max: 10, reads: 1_000 };

/** What the routes are: the scenario names of `npm run bench` and the requests they send. */
const ROUTES: Record<string, string> = {
  read: 'GET /habits',
  login: 'POST /auth/login',
  refresh: 'POST /auth/refresh',
  checkin: 'PUT /habits/:id/tracking/:date',
  stats: 'GET /habits/:id/stats',
  today: 'GET /today',
  reminders: 'GET /reminders',
  'sync-initial': 'GET /sync (full, per page)',
  'sync-incremental': 'GET /sync?since (10 changes)',
};

// ---------------------------------------------------------------------------------------------
// Seeding, the same on both databases

/** One server's database and the bench's users on it. */
interface Side {
  server: ServerProcess;
  databaseUrl: string;
  users: BenchUser[];
  /** users[0], with HABITS habits and no history: read, checkin. */
  reader: BenchUser;
  habitIds: string[];
  /** HABITS habits done every day for HISTORY_DAYS (SQL), each with 3 reminders: stats, today, reminders, sync. */
  history: SyncUser;
}

/**
 * The bench's users, made the same way on both databases so that only the rest of the data differs:
 * through the API, but for the history's check-ins (one SQL statement, through the sync triggers).
 */
async function seed(server: ServerProcess, databaseUrl: string): Promise<Side> {
  const users = await signUpUsers(server.baseUrl, USERS);
  const reader = users[0]!;
  const habitIds = await createHabits(server.baseUrl, reader, HABITS);
  const [historyUser] = await signUpUsers(server.baseUrl, 1, 'bench-sync-user');
  const history = await seedSyncUser(server.baseUrl, databaseUrl, historyUser!, HISTORY_DAYS);
  await addReminders(server.baseUrl, history);
  return { server, databaseUrl, users, reader, habitIds, history };
}

// ---------------------------------------------------------------------------------------------
// The scenarios, alternating between the two sides

/** Each autocannon scenario of `npm run bench` that reads or writes the API server's database. */
async function loadScenarios(sides: readonly Side[], log: (message: string) => void): Promise<Measurement[]> {
  const servers = sides.map((side) => side.server);
  const sideOf = (server: ServerProcess): Side => sides.find((side) => side.server === server)!;
  // One request generator per side for the whole scenario: each round goes on where the last stopped.
  const checkins = new Map(sides.map((side) => [side.server, checkinRequests(habitsOf(side.reader, side.habitIds))]));
  const scenarios: Record<string, (side: Side) => autocannon.Options> = {
    read: (side) => ({ url: `${side.server.baseUrl}/habits`, connections: CONNECTIONS.read, headers: bearer(side.reader.accessToken) }),
    login: (side) => ({ url: side.server.baseUrl, connections: CONNECTIONS.login, requests: loginRequests(side.users) }),
    checkin: (side) => ({ url: side.server.baseUrl, connections: CONNECTIONS.checkin, requests: checkins.get(side.server)! }),
    stats: (side) => ({
      url: `${side.server.baseUrl}/habits/${side.history.habitIds[0]!}/stats`,
      connections: CONNECTIONS.stats,
      headers: bearer(side.history.user.accessToken),
    }),
    today: (side) => ({
      url: `${side.server.baseUrl}/today`,
      connections: CONNECTIONS.today,
      headers: bearer(side.history.user.accessToken),
    }),
    reminders: (side) => ({
      url: remindersUrl(side.server.baseUrl),
      connections: CONNECTIONS.reminders,
      headers: bearer(side.history.user.accessToken),
    }),
  };
  const results: Measurement[] = [];
  const run = async (name: string, measurements: Promise<Measurement[]>): Promise<void> => {
    const done = await measurements;
    results.push(...done);
    log(`${name}: ${done.map((row) => `${row.server} ${row.rps.toFixed(1)} rps, p99 ${row.p99.toFixed(2)} ms`).join('; ')}`);
  };
  for (const name of ['read', 'login', 'refresh', 'checkin', 'stats', 'today', 'reminders']) {
    // refresh is not one autocannon run: each run gets fresh rotation chains (refreshLoad).
    const options = scenarios[name];
    await run(
      name,
      alternating(
        name,
        servers,
        ROUNDS,
        (server) => (options ? measure(options(sideOf(server)), ROUND_TIMING) : refreshLoad(server, sideOf(server).users, ROUND_TIMING)),
        { mirrored: true },
      ),
    );
  }
  return results;
}

/** A sync scenario's timed requests (one client, one at a time) as a row: rps is that client's rate. */
function syncMeasurement(name: string, server: ServerProcess, latencies: number[]): Measurement {
  const sorted = [...latencies].sort((a, b) => a - b);
  const seconds = latencies.reduce((sum, value) => sum + value, 0) / 1000;
  return {
    scenario: name,
    server: server.name,
    connections: 1,
    durationS: seconds,
    requests: latencies.length,
    rps: latencies.length / seconds,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    errors: 0,
    non2xx: 0,
    peakRssMb: Number.NaN,
    extra: {},
  };
}

/**
 * Full syncs of the history user (every page timed), then incremental syncs after 10 changes, each
 * side in turn. A page that is not what it should be stops the run (bench/scenarios.ts).
 */
async function syncScenarios(sides: readonly Side[], log: (message: string) => void): Promise<Measurement[]> {
  const pages = sides.map((): number[] => []);
  for (let round = 0; round < FULL_SYNCS.warmup + FULL_SYNCS.measured; round++) {
    for (const [index, side] of sides.entries()) {
      const { pageMs } = await fullSync(side.server.baseUrl, side.history);
      if (round >= FULL_SYNCS.warmup) pages[index]!.push(...pageMs);
    }
  }
  const cursors = await Promise.all(sides.map(async (side) => (await fullSync(side.server.baseUrl, side.history)).cursor));
  const incremental = sides.map((): number[] => []);
  for (let iteration = 0; iteration < INCREMENTAL_SYNCS.warmup + INCREMENTAL_SYNCS.measured; iteration++) {
    for (const [index, side] of sides.entries()) {
      const { ms, cursor } = await changeThenSync(side.server.baseUrl, side.history, cursors[index]!, iteration);
      cursors[index] = cursor;
      if (iteration >= INCREMENTAL_SYNCS.warmup) incremental[index]!.push(ms);
    }
  }
  const rows = [
    ...sides.map((side, index) => syncMeasurement('sync-initial', side.server, pages[index]!)),
    ...sides.map((side, index) => syncMeasurement('sync-incremental', side.server, incremental[index]!)),
  ];
  log(`sync: ${rows.map((row) => `${row.scenario} on ${row.server} p99 ${row.p99.toFixed(2)} ms`).join('; ')}`);
  return rows;
}

// ---------------------------------------------------------------------------------------------
// The cleanup on the big database

interface TimedResponse {
  /** performance.now() at the response, and its latency (ms). */
  end: number;
  latency: number;
  ok: boolean;
}

/**
 * An autocannon load that keeps each response's time, so that requests can be placed in a window;
 * `stop` ends it and returns its connection errors (timeouts included).
 */
function startTimedLoad(options: autocannon.Options): { stop(): Promise<number>; responses: TimedResponse[] } {
  const responses: TimedResponse[] = [];
  let finished: (result: autocannon.Result) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve) => (finished = resolve));
  const instance = autocannon({ ...options, duration: 3_600 }, (_error: unknown, result: autocannon.Result) => finished(result));
  instance.on('response', (_client, statusCode, _bytes, latency) => {
    responses.push({ end: performance.now(), latency, ok: statusCode >= 200 && statusCode < 300 });
  });
  return {
    responses,
    stop: async () => {
      instance.stop();
      const result = await done;
      await drain();
      return result.errors;
    },
  };
}

/** A time span [from, to] in performance.now() ms. */
interface Window {
  from: number;
  to: number;
}

/** A window's length, in words. */
const seconds = (window: Window | null): string => (window ? `${((window.to - window.from) / 1000).toFixed(2)} s` : 'not seen');

/**
 * The requests sent within one of `windows`. (Not those that merely overlap one: a request sent
 * before a short window and slowed by what came before it, such as a process's start-up, does not
 * say what the window cost.)
 */
const sentWithin = (windows: readonly Window[]) => (response: TimedResponse) =>
  windows.some((window) => response.end - response.latency >= window.from && response.end - response.latency < window.to);

const p99Of = (responses: readonly TimedResponse[]): number =>
  percentile(
    responses.map((response) => response.latency).sort((a, b) => a - b),
    99,
  );

interface CleanupRun {
  before: { sessions: number; deadSessions: number; expiredTokens: number; killed: number };
  deleted: { sessions: number; refreshTokens: number };
  /** The cleanup's run, from its first query to its last. */
  window: Window;
}

/**
 * The session cleanup as the server's interval job runs it (src/plugins/session-cleanup.ts), in this
 * process over its own pool and Prisma client, made once and warmed by a first run (not measured):
 * a run's window then holds the cleanup's queries, not a fresh process's start-up. Through
 * `npm run db:cleanup` that start-up (npm, tsx, Prisma's lazy loading: ~130 ms of CPU after its
 * first query, profiled) filled the window and measured the shared cores, not the database.
 */
async function startCleanup(databaseUrl: string) {
  const pool = createPool(databaseUrl);
  const db = { prisma: prismaOver(pool), pg: pool };
  const repositories = cleanupRepositoriesOver(db);
  await deleteDeadSessions(repositories);
  return {
    run: () => deleteDeadSessions(repositories),
    close: async () => {
      await db.prisma.$disconnect();
      await pool.end();
    },
  };
}

/** One cleanup run: when it ran, and what it deleted. */
async function runCleanup(cleanup: Awaited<ReturnType<typeof startCleanup>>): Promise<Omit<CleanupRun, 'before'>> {
  const from = performance.now();
  const deleted = await cleanup.run();
  const to = performance.now();
  return { deleted: { sessions: deleted.sessions, refreshTokens: deleted.refreshTokens }, window: { from, to } };
}

interface CleanupReport {
  runs: CleanupRun[];
  aloneP99: number;
  aloneRequests: number;
  /** The reads sent while a cleanup run was running, pooled over the runs. */
  during: { p99: number; requests: number };
  /** The reads sent while the cleanup processes ran, start-up included. */
  /** The same load's reads outside the processes (after its warm-up). */
  outside: { p99: number; requests: number };
  failed: number;
}

/**
 * GET /habits alone, then the same load while the cleanup runs (CLEANUP_RUNS); before each run,
 * live sessions of loaded users are made dead until DEAD_SESSION_SHARE of them are (set up in SQL,
 * outside the measured windows). The p99 that counts is that of the reads sent while a run was
 * running; the same load's between the runs is reported beside it.
 */
async function cleanupPhase(side: Side, loadedAt: Date, log: (message: string) => void): Promise<CleanupReport> {
  const options = { url: `${side.server.baseUrl}/habits`, connections: CLEANUP_READ.connections, headers: bearer(side.reader.accessToken) };
  const alone = summarise('cleanup-read-alone', await measure(options, CLEANUP_READ.timing));
  log(`GET /habits alone: ${alone.rps.toFixed(1)} rps, p99 ${alone.p99.toFixed(2)} ms`);

  const watcher = new pg.Client({ connectionString: side.databaseUrl });
  await watcher.connect();
  const cleanup = await startCleanup(side.databaseUrl);
  const load = startTimedLoad(options);
  const runs: CleanupRun[] = [];
  const windows = (): Window[] => runs.map((run) => run.window);
  let warmedAt = 0;
  let loadErrors = 0;
  try {
    await sleep(CLEANUP_READ.timing.warmupS * 1000);
    warmedAt = performance.now();
    const readsSoFar = () => load.responses.filter(sentWithin(windows())).length;
    for (let run = 0; run < CLEANUP_RUNS.min || (run < CLEANUP_RUNS.max && readsSoFar() < CLEANUP_RUNS.reads); run++) {
      const now = new Date();
      const found = await deadRows(watcher, now);
      const killed = await killSessions(watcher, now, loadedAt, Math.round(found.sessions * DEAD_SESSION_SHARE) - found.deadSessions);
      const before = { ...(killed > 0 ? await deadRows(watcher, now) : found), killed };
      await sleep(1_000);
      const done = { before, ...(await runCleanup(cleanup)) };
      runs.push(done);
      log(
        `cleanup run ${run + 1}: ${before.deadSessions} dead of ${before.sessions} sessions (${killed} made dead), ` +
          `${before.expiredTokens} expired tokens; deleted ${done.deleted.sessions} sessions, ${done.deleted.refreshTokens} tokens; ` +
          `in ${seconds(done.window)}`,
      );
      await sleep(1_000);
    }
  } finally {
    loadErrors = await load.stop();
    await cleanup.close();
    await watcher.end();
  }
  const measured = load.responses.filter((response) => response.end - response.latency >= warmedAt);
  const ok = measured.filter((response) => response.ok);
  const inCleanup = new Set(ok.filter(sentWithin(windows())));
  const outside = ok.filter((response) => !inCleanup.has(response));
  return {
    runs,
    aloneP99: alone.p99,
    aloneRequests: alone.requests,
    during: { p99: p99Of([...inCleanup]), requests: inCleanup.size },
    outside: { p99: p99Of(outside), requests: outside.length },
    failed: measured.length - ok.length + loadErrors + alone.errors + alone.non2xx,
  };
}

// ---------------------------------------------------------------------------------------------
// Output

const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;
const count = (value: number): string => value.toLocaleString('en-US');
const megabytes = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

function printLoad(steps: readonly LoadStep[], seconds: number, sizes: { big: DatabaseSize; small: DatabaseSize }): void {
  console.log(`\nbig database (${SIZE.label}, ${count(SIZE.users)} users), loaded in ${seconds.toFixed(1)} s:`);
  printTable(
    ['step', '', 'rows', 's'],
    steps.map((step) => [step.step, '', step.rows === undefined ? '' : count(step.rows), step.seconds.toFixed(1)]),
  );
  console.log('');
  const smallOf = (table: string) => sizes.small.tables.find((row) => row.table === table);
  printTable(
    ['table', '', 'big rows', 'big MB', 'of which indexes', 'small rows', 'small MB'],
    sizes.big.tables.map((row) => [
      row.table,
      '',
      count(row.rows),
      megabytes(row.bytes),
      megabytes(row.indexBytes),
      count(smallOf(row.table)?.rows ?? 0),
      megabytes(smallOf(row.table)?.bytes ?? 0),
    ]),
  );
  console.log(`database size (pg_database_size): big ${megabytes(sizes.big.bytes)} MB, small ${megabytes(sizes.small.bytes)} MB`);
  console.log(
    JSON.stringify({
      load: {
        size: SIZE.name,
        fraction: SIZE.fraction,
        users: SIZE.users,
        seconds: round(seconds, 1),
        steps: steps.map((step) => ({ ...step, seconds: round(step.seconds, 1) })),
        big_bytes: sizes.big.bytes,
        small_bytes: sizes.small.bytes,
        tables: sizes.big.tables,
      },
    }),
  );
}

interface Comparison {
  scenario: string;
  big: Measurement;
  small: Measurement;
  /** small rps ÷ big rps, and big p99 ÷ small p99: above 1, the big database is slower. */
  rpsRatio: number;
  p99Ratio: number;
  met: boolean;
}

function compare(results: readonly Measurement[]): Comparison[] {
  const scenarios = [...new Set(results.map((row) => row.scenario))];
  return scenarios.map((scenario) => {
    const big = results.find((row) => row.scenario === scenario && row.server === 'big')!;
    const small = results.find((row) => row.scenario === scenario && row.server === 'small')!;
    const rpsRatio = small.rps / big.rps;
    const p99Ratio = big.p99 / small.p99;
    return { scenario, big, small, rpsRatio, p99Ratio, met: rpsRatio <= SCALE_LIMIT && p99Ratio <= SCALE_LIMIT };
  });
}

function printComparison(rows: readonly Comparison[], timing: string): void {
  console.log(`\nbig ÷ small, per route (above 1: slower on the big database; limit ${SCALE_LIMIT} for both):`);
  printTable(
    ['scenario', 'route', 'big rps', 'small rps', 'small÷big rps', 'big p99 ms', 'small p99 ms', 'big÷small p99', 'failed', 'met'],
    rows.map((row) => [
      row.scenario,
      ROUTES[row.scenario] ?? '',
      row.big.rps.toFixed(1),
      row.small.rps.toFixed(1),
      row.rpsRatio.toFixed(2),
      row.big.p99.toFixed(2),
      row.small.p99.toFixed(2),
      row.p99Ratio.toFixed(2),
      String(row.big.errors + row.big.non2xx + row.small.errors + row.small.non2xx),
      row.met ? 'yes' : 'NO',
    ]),
  );
  console.log(timing);
  const missed = rows.filter((row) => !row.met).map((row) => row.scenario);
  console.log(`every route within ${SCALE_LIMIT}×: ${missed.length === 0 ? 'yes' : `NO (${missed.join(', ')})`}\n`);
  for (const row of rows) {
    console.log(
      JSON.stringify({
        scenario: row.scenario,
        route: ROUTES[row.scenario],
        big_rps: round(row.big.rps, 1),
        small_rps: round(row.small.rps, 1),
        rps_small_vs_big: round(row.rpsRatio),
        big_p50_ms: round(row.big.p50),
        small_p50_ms: round(row.small.p50),
        big_p99_ms: round(row.big.p99),
        small_p99_ms: round(row.small.p99),
        p99_big_vs_small: round(row.p99Ratio),
        requests: row.big.requests + row.small.requests,
        failed: row.big.errors + row.big.non2xx + row.small.errors + row.small.non2xx,
        met: row.met,
      }),
    );
  }
}

function printCleanup(report: CleanupReport): void {
  const share = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(3)} %`;
  console.log(
    `\ncleanup: the session cleanup (deleteDeadSessions, as the server's interval job runs it) on the big database, ${report.runs.length} run(s), while GET /habits runs at ` +
      `${CLEANUP_READ.connections} connections:`,
  );
  printTable(
    ['run', '', 'dead sessions', 'expired tokens', 'deleted sessions', 'deleted tokens', 'time'],
    report.runs.map((run, index) => [
      String(index + 1),
      '',
      `${count(run.before.deadSessions)} of ${count(run.before.sessions)} (${share(run.before.deadSessions, run.before.sessions)})`,
      count(run.before.expiredTokens),
      count(run.deleted.sessions),
      count(run.deleted.refreshTokens),
      seconds(run.window),
    ]),
  );
  const ratio = report.during.p99 / report.aloneP99;
  const met = ratio <= CLEANUP_LIMIT;
  console.log(
    `GET /habits p99: alone ${report.aloneP99.toFixed(2)} ms (${count(report.aloneRequests)} reads); while the cleanup ` +
      `ran ${report.during.p99.toFixed(2)} ms (${count(report.during.requests)} reads): ` +
      `${ratio.toFixed(2)} × alone (limit ${CLEANUP_LIMIT}): ${met ? 'yes' : 'NO'}`,
  );
  console.log(`  the same load between the runs: ${report.outside.p99.toFixed(2)} ms (${count(report.outside.requests)} reads)`);
  console.log(
    JSON.stringify({
      cleanup: {
        runs: report.runs.map((run) => ({
          sessions: run.before.sessions,
          dead_sessions: run.before.deadSessions,
          made_dead: run.before.killed,
          expired_tokens: run.before.expiredTokens,
          deleted_sessions: run.deleted.sessions,
          deleted_tokens: run.deleted.refreshTokens,
          seconds: round((run.window.to - run.window.from) / 1000),
        })),
        alone_p99_ms: round(report.aloneP99),
        during_p99_ms: round(report.during.p99),
        during_reads: report.during.requests,
        p99_ratio: round(ratio),
        outside_p99_ms: round(report.outside.p99),
        failed: report.failed,
        met,
      },
    }),
  );
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const log = elapsedLogger();
  console.log(describeMachine());
  console.log(`load average before: ${loadAverage()}`);
  console.log(`size: ${SIZE.label}: ${count(SIZE.users)} users and all that belongs to them`);
  if (SMOKE) console.log('--smoke: 1 s per scenario, no warm-up: a check that the benchmark runs, not a measurement');

  const big = await createBenchDatabase('bench_scale_big');
  const small = await createBenchDatabase('bench_scale_small');
  log(`PostgreSQL ${big.postgresVersion}; two databases created and migrated; loading the big one`);
  const loadedAt = new Date();
  const loadStart = performance.now();
  const passwordHash = hashSync('scale-user-password', BENCH_BCRYPT_ROUNDS);
  const steps = await loadScaleDatabase(big.url, { users: SIZE.users, now: loadedAt, passwordHash }, log);
  const loadSeconds = (performance.now() - loadStart) / 1000;
  log(`big database loaded in ${loadSeconds.toFixed(1)} s`);

  const secrets = randomSecrets();
  const [bigServer, smallServer] = await Promise.all([
    startApiServer(big.url, secrets, 'big'),
    startApiServer(small.url, secrets, 'small'),
  ]);
  // One after the other: seeding is mostly bcrypt, which would only queue.
  const sides = [await seed(bigServer, big.url), await seed(smallServer, small.url)];
  log(`seeded both through the API: ${USERS} users, ${HABITS} habits, a user with ${HABITS} habits × ${HISTORY_DAYS} days (SQL)`);
  printLoad(steps, loadSeconds, {
    big: await withDatabaseClient(big.url, databaseSize),
    small: await withDatabaseClient(small.url, databaseSize),
  });

  const results = [...(await loadScenarios(sides, log)), ...(await syncScenarios(sides, log))];
  const cleanup = await cleanupPhase(sides[0]!, loadedAt, log);

  printComparison(
    compare(results),
    `each autocannon scenario: ${ROUNDS} round(s) per database, alternating (big, small, small, big), each ${ROUND_TIMING.warmupS} s warm-up (discarded) + ` +
      `${ROUND_TIMING.durationS} s measured; sync: ${FULL_SYNCS.measured} full sync(s) and ${INCREMENTAL_SYNCS.measured} ` +
      `incremental syncs per database, one request at a time (rps: that one client's rate)`,
  );
  printCleanup(cleanup);
  console.log(JSON.stringify({ machine: { cpus: availableParallelism(), node: process.version, postgres: big.postgresVersion } }));
  console.log(`load average after: ${loadAverage()} (the load generator shares the CPUs with the servers)`);
  for (const server of [bigServer, smallServer]) {
    const output = server.output().trim();
    if (output) console.log(`\n${server.name} server warnings/errors during the run:\n${output}`);
  }
  const failed = results.filter((row) => row.errors > 0 || row.non2xx > 0).map((row) => `${row.scenario} on ${row.server}`);
  if (cleanup.failed > 0) failed.push('the reads during the cleanup');
  if (failed.length > 0) {
    console.error(`\nfailed requests in: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
  log('done');
}

await runBench(main);
